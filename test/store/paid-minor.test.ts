// invoice.paid_minor is kept by triggers; whatever writes allocations or reverses payments, it
// must equal the sum of the invoice's allocations from payments that are not reversed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';

describe.each(testEngines)('invoice.paid_minor on $name', (engine) => {
  let db: TestDatabase;
  let ids: { business: string; debtor: string; a: string; b: string };

  async function drift(): Promise<Array<{ number: string; paid_minor: string; expected: string }>> {
    return db.sql.query(
      `SELECT i.number, i.paid_minor::text, COALESCE(SUM(a.amount_minor) FILTER (WHERE p.reversed_at IS NULL), 0)::text AS expected
         FROM invoice i LEFT JOIN payment_allocation a ON a.invoice_id = i.id LEFT JOIN payment p ON p.id = a.payment_id
        GROUP BY i.id HAVING i.paid_minor <> COALESCE(SUM(a.amount_minor) FILTER (WHERE p.reversed_at IS NULL), 0)`,
    );
  }
  async function paid(id: string): Promise<bigint> {
    return (await db.prisma.invoice.findUniqueOrThrow({ where: { id } })).paidMinor;
  }
  async function payment(amount: bigint) {
    return db.prisma.payment.create({ data: { businessId: ids.business, debtorId: ids.debtor, amountMinor: amount, currency: 'INR', receivedOn: toDbDate('2026-11-20'), source: 'owner' } });
  }

  beforeAll(async () => {
    db = await engine.open();
    const b = await db.prisma.business.create({ data: { name: 'T', currency: 'INR', timeZone: 'Asia/Kolkata', ladder: [] } });
    const d = await db.prisma.debtor.create({ data: { businessId: b.id, name: 'X', nameKey: 'x' } });
    const inv = (number: string) => db.prisma.invoice.create({ data: { businessId: b.id, debtorId: d.id, number, amountMinor: 100_000n, currency: 'INR', issuedOn: toDbDate('2026-11-01') } });
    ids = { business: b.id, debtor: d.id, a: (await inv('A')).id, b: (await inv('B')).id };
  });
  afterAll(async () => db?.destroy());

  it('adds an allocation when it is written', async () => {
    const p = await payment(30_000n);
    await db.prisma.paymentAllocation.createMany({ data: [{ paymentId: p.id, invoiceId: ids.a, amountMinor: 20_000n }, { paymentId: p.id, invoiceId: ids.b, amountMinor: 10_000n }] });
    expect(await paid(ids.a)).toBe(20_000n);
    expect(await paid(ids.b)).toBe(10_000n);
    expect(await drift()).toEqual([]);
  });

  it('takes a reversed payment off, and puts it back if the reversal is undone', async () => {
    const p = await payment(5_000n);
    await db.prisma.paymentAllocation.create({ data: { paymentId: p.id, invoiceId: ids.a, amountMinor: 5_000n } });
    expect(await paid(ids.a)).toBe(25_000n);
    await db.prisma.payment.update({ where: { id: p.id }, data: { reversedAt: new Date() } });
    expect(await paid(ids.a)).toBe(20_000n);
    await db.prisma.payment.update({ where: { id: p.id }, data: { reversedAt: new Date() } });
    expect(await paid(ids.a)).toBe(20_000n);
    await db.prisma.payment.update({ where: { id: p.id }, data: { reversedAt: null } });
    expect(await paid(ids.a)).toBe(25_000n);
    expect(await drift()).toEqual([]);
  });

  it('follows an allocation moved to another invoice or changed in amount', async () => {
    const p = await payment(1_000n);
    const allocation = await db.prisma.paymentAllocation.create({ data: { paymentId: p.id, invoiceId: ids.a, amountMinor: 1_000n } });
    await db.prisma.paymentAllocation.update({ where: { id: allocation.id }, data: { invoiceId: ids.b, amountMinor: 700n } });
    expect(await drift()).toEqual([]);
  });

  it('takes a deleted payment off (its allocations cascade), but not twice for a reversed one', async () => {
    const live = await payment(2_000n);
    const reversed = await payment(3_000n);
    await db.prisma.paymentAllocation.create({ data: { paymentId: live.id, invoiceId: ids.b, amountMinor: 2_000n } });
    await db.prisma.paymentAllocation.create({ data: { paymentId: reversed.id, invoiceId: ids.b, amountMinor: 3_000n } });
    await db.prisma.payment.update({ where: { id: reversed.id }, data: { reversedAt: new Date() } });
    const before = await paid(ids.b);
    await db.prisma.payment.delete({ where: { id: live.id } });
    await db.prisma.payment.delete({ where: { id: reversed.id } });
    expect(await paid(ids.b)).toBe(before - 2_000n);
    expect(await drift()).toEqual([]);
  });
});
