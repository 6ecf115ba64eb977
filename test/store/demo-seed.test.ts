import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoBusiness } from '../../src/store/demo-seed.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { chat, TEST_NOW } from '../support/transcript.ts';

describe.each(testEngines)('the demo business on $name', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
    await db.prisma.$transaction((tx) => seedDemoBusiness(tx, TEST_NOW), { timeout: 60_000 });
  });
  afterAll(async () => db?.destroy());

  it('has about ten customers with months of invoices and payments', async () => {
    expect(await db.prisma.debtor.count()).toBe(10);
    expect(await db.prisma.invoice.count()).toBeGreaterThan(60);
    expect(await db.prisma.payment.count()).toBeGreaterThan(40);
    const oldest = await db.prisma.invoice.findFirstOrThrow({ orderBy: { issuedOn: 'asc' } });
    expect(TEST_NOW.getTime() - oldest.issuedOn.getTime()).toBeGreaterThan(150 * 86_400_000);
  });

  it('has overdue invoices, open, kept and broken promises, a partial payment and a dispute', async () => {
    const overdue = await db.prisma.invoice.count({ where: { status: 'open', dueOn: { lt: TEST_NOW } } });
    expect(overdue).toBeGreaterThanOrEqual(5);
    for (const status of ['open', 'kept', 'broken'] as const) expect(await db.prisma.paymentPromise.count({ where: { status } })).toBeGreaterThan(0);
    expect(await db.prisma.dispute.count({ where: { status: 'open' } })).toBe(1);
    const partial = await db.prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
      `SELECT COUNT(*) AS n FROM invoice i WHERE i.status = 'open' AND EXISTS (SELECT 1 FROM payment_allocation pa WHERE pa.invoice_id = i.id)`,
    );
    expect(Number(partial[0]!.n)).toBe(1);
  });

  it('every paid invoice is fully allocated, and no allocation exceeds its invoice', async () => {
    const rows = await db.prisma.$queryRawUnsafe<Array<{ bad: bigint }>>(
      `SELECT COUNT(*) AS bad FROM invoice i
         LEFT JOIN (SELECT invoice_id, SUM(amount_minor) AS paid FROM payment_allocation GROUP BY invoice_id) a ON a.invoice_id = i.id
        WHERE (i.status = 'paid' AND COALESCE(a.paid, 0) <> i.amount_minor) OR COALESCE(a.paid, 0) > i.amount_minor`,
    );
    expect(Number(rows[0]!.bad)).toBe(0);
  });

  it('opens in the console as its owner, with the open invoices listed', async () => {
    const transcript = await chat(db, ['list']);
    expect(transcript).toMatch(/bot → owner: Open invoices: \d+ · ₹[\d,]+\.\d\d outstanding/);
    expect(transcript).toMatch(/days overdue/);
  });
});
