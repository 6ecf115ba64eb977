import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDay, todayIn } from '../../src/engine/calendar.ts';
import { formatMoney } from '../../src/engine/money.ts';
import { seedDemoBusiness } from '../../src/store/demo-seed.ts';
import { fromDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { botLines, chat, TEST_NOW } from '../support/transcript.ts';

const TZ = 'Asia/Kolkata';
const TODAY = todayIn(TEST_NOW, TZ);
/** The day an instant falls on in the demo business's time zone. */
const dayOf = (at: Date) => todayIn(at, TZ);

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

  it("'history' of a seeded customer lists its payments, newest first, each on the day it came in", async () => {
    const gupta = await db.prisma.debtor.findFirstOrThrow({ where: { name: 'Gupta General Store' } });
    const payments = await db.prisma.payment.findMany({ where: { debtorId: gupta.id }, orderBy: { receivedOn: 'desc' } });
    const lines = botLines(await chat(db, ['history Gupta'])).split('\n');
    expect(lines[0]).toBe('bot → owner: History of Gupta General Store (newest first):');
    const paymentLines = lines.filter((l) => l.includes(' recorded'));
    expect(paymentLines.length).toBeGreaterThanOrEqual(5);
    expect(paymentLines).toEqual(
      payments.slice(0, paymentLines.length).map((p) => `  • ${formatDay(fromDbDate(p.receivedOn), 'en', TODAY)}, 18:30 · Anil Sharma · payment ${formatMoney(Number(p.amountMinor), 'INR')} recorded`),
    );
    // Its invoices are there too, each added on its issue day.
    const invoices = await db.prisma.invoice.findMany({ where: { debtorId: gupta.id }, orderBy: { issuedOn: 'desc' } });
    expect(lines).toContain(`  • ${formatDay(fromDbDate(invoices[0]!.issuedOn), 'en', TODAY)}, 11:00 · Anil Sharma · invoice #${invoices[0]!.number} added`);
  });

  it('seeded rows carry the past day they happened on: invoices their issue day, payments the day they came in', async () => {
    for (const invoice of await db.prisma.invoice.findMany()) expect(dayOf(invoice.createdAt)).toBe(fromDbDate(invoice.issuedOn));
    for (const payment of await db.prisma.payment.findMany()) expect(dayOf(payment.createdAt)).toBe(fromDbDate(payment.receivedOn));
    const events = await db.prisma.auditEvent.findMany({ orderBy: { seq: 'asc' } });
    expect(events.every((e) => e.createdAt.getTime() <= TEST_NOW.getTime())).toBe(true);
    // Written in the order they happened, which is the order "history" reads them in.
    const times = events.map((e) => e.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('seeded promises are dated on their own past days, not the seed day', async () => {
    const promises = await db.prisma.paymentPromise.findMany({ include: { invoice: true, keptByPayment: true } });
    const madeDays = new Set(promises.map((p) => dayOf(p.createdAt)));
    expect(madeDays.has(TODAY)).toBe(false);
    expect(madeDays.size).toBeGreaterThan(promises.length / 2);
    for (const p of promises) {
      const madeOn = dayOf(p.createdAt);
      expect(madeOn < TODAY).toBe(true);
      // Made after the invoice it is about was issued, and before the day it names.
      expect(madeOn >= fromDbDate(p.invoice!.issuedOn)).toBe(true);
      expect(madeOn <= fromDbDate(p.promisedOn!)).toBe(true);
      if (p.resolvedAt) expect(p.resolvedAt.getTime()).toBeGreaterThan(p.createdAt.getTime());
      // A kept promise was kept by a payment made after it.
      if (p.status === 'kept') expect(p.keptByPayment!.createdAt.getTime()).toBeGreaterThanOrEqual(p.createdAt.getTime());
    }
    // Each was made by the customer's own word, and the audit row says so on the same day.
    const made = await db.prisma.auditEvent.findMany({ where: { action: 'promise.made' } });
    expect(made.length).toBe(promises.length);
    for (const p of promises) expect(made.find((e) => (e.data as { promiseId: string }).promiseId === p.id)?.createdAt).toEqual(p.createdAt);
  });
});
