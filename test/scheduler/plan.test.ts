// Planning reminders: the right stage for each invoice, one message per debtor per day, and
// everything that must hold a reminder back (opt-out, dispute, pause, promise, sending days).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../src/engine/calendar.ts';
import { DEFAULT_LADDER } from '../../src/engine/ladder.ts';
import { planReminders } from '../../src/scheduler/plan.ts';
import { watchPromises } from '../../src/scheduler/promises.ts';
import { toDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';

/** 10:00 in India on Monday 23 Nov 2026. */
const MONDAY = new Date('2026-11-23T04:30:00Z');
const TODAY = '2026-11-23';
const at = (days: number) => new Date(MONDAY.getTime() + days * 86_400_000);

describe.each(testEngines)('planning reminders on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  let n = 0;

  async function debtor(name: string, extra: Record<string, unknown> = {}) {
    const d = await db.prisma.debtor.create({ data: { businessId, name, nameKey: name.toLowerCase(), ...extra } });
    await db.prisma.debtorIdentity.create({ data: { debtorId: d.id, channel: 'console', address: `debtor:${d.id}` } });
    return d;
  }
  async function invoice(debtorId: string, dueInDays: number, rupees = 1000, extra: Record<string, unknown> = {}) {
    n += 1;
    return db.prisma.invoice.create({
      data: { businessId, debtorId, number: `T-${n}`, amountMinor: BigInt(rupees * 100), currency: 'INR', issuedOn: toDbDate(addDays(TODAY, -40)), dueOn: toDbDate(addDays(TODAY, dueInDays)), ...extra },
    });
  }
  /** A reminder sent long ago, so the customer is not met for the first time (first contact goes no firmer than firm). */
  async function contacted(debtorId: string) {
    await db.prisma.outboundMessage.create({
      data: { businessId, kind: 'reminder', stage: 'polite', channel: 'console', recipient: `debtor:${debtorId}`, debtorId, body: 'earlier', status: 'sent', sentAt: at(-60), createdAt: at(-60), idempotencyKey: `earlier:${debtorId}` },
    });
  }
  /** What the dispatcher would do with the queued reminders: send them, at `when`. */
  async function dispatched(when: Date) {
    await db.prisma.outboundMessage.updateMany({ where: { businessId, kind: 'reminder', status: 'queued' }, data: { status: 'sent', sentAt: when } });
  }
  const reminders = () =>
    db.prisma.outboundMessage.findMany({ where: { businessId, kind: 'reminder', NOT: { idempotencyKey: { startsWith: 'earlier:' } } }, include: { debtor: true }, orderBy: { createdAt: 'asc' } });

  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(async () => db?.destroy());
  beforeEach(async () => {
    await db.prisma.business.deleteMany();
    const business = await db.prisma.business.create({
      data: { name: 'Sharma Distributors', currency: 'INR', timeZone: 'Asia/Kolkata', ladder: DEFAULT_LADDER as unknown as object, upiId: 'sharma@okhdfcbank', approvalMode: 'auto' },
    });
    businessId = business.id;
  });

  it('sends each invoice the stage its due date has reached: heads-up, due today, polite, firm, firmer, final', async () => {
    const cases: Array<[number, string]> = [[3, 'heads_up'], [0, 'due_today'], [-3, 'polite'], [-8, 'firm'], [-16, 'firmer'], [-45, 'final']];
    for (const [i, [due]] of cases.entries()) {
      const d = await debtor(`Customer ${i}`);
      await contacted(d.id);
      await invoice(d.id, due);
    }
    await invoice((await debtor('Not yet')).id, 4);
    const result = await planReminders(db, { now: MONDAY });
    expect(result.planned).toBe(6);
    const rows = await reminders();
    expect(Object.fromEntries(rows.map((r) => [r.debtor!.name, r.stage]))).toEqual(Object.fromEntries(cases.map(([, stage], i) => [`Customer ${i}`, stage])));
    expect(rows.every((r) => r.status === 'queued' && r.channel === 'console' && r.recipient === `debtor:${r.debtorId}`)).toBe(true);
    expect(rows.find((r) => r.stage === 'polite')!.body).toContain('upi://pay?pa=sharma@okhdfcbank&pn=Sharma%20Distributors&am=1000.00');
  });

  it('planning twice drafts nothing twice, and the next day sends nothing until a new stage is due', async () => {
    await invoice((await debtor('Ramesh')).id, -3);
    expect((await planReminders(db, { now: MONDAY })).planned).toBe(1);
    await dispatched(MONDAY);
    expect((await planReminders(db, { now: new Date(MONDAY.getTime() + 3_600_000) })).planned).toBe(0);
    expect((await planReminders(db, { now: at(1) })).planned).toBe(0);
    expect((await planReminders(db, { now: at(4) })).planned).toBe(1);
    expect((await reminders()).map((r) => r.stage)).toEqual(['polite', 'firm']);
  });

  it('after downtime catches up with the latest stage due, once, not a burst of every missed stage', async () => {
    const ramesh = await debtor('Ramesh');
    await contacted(ramesh.id);
    await invoice(ramesh.id, -20);
    expect((await planReminders(db, { now: MONDAY })).planned).toBe(1);
    await dispatched(MONDAY);
    for (let day = 1; day <= 9; day++) expect((await planReminders(db, { now: at(day) })).planned).toBe(0);
    expect((await planReminders(db, { now: at(10) })).planned).toBe(1);
    expect((await reminders()).map((r) => r.stage)).toEqual(['firmer', 'final']);
  });

  it('puts several invoices of one debtor in one message with the highest stage', async () => {
    const d = await debtor('Gupta Stores');
    await invoice(d.id, -8, 1200);
    await invoice(d.id, -3, 800);
    await invoice(d.id, 10, 500);
    await planReminders(db, { now: MONDAY });
    const rows = await reminders();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.stage).toBe('firm');
    expect(rows[0]!.invoiceIds).toHaveLength(2);
    expect(rows[0]!.body).toContain('₹2,000.00');
  });

  it('reminds a partly paid invoice for its balance', async () => {
    const d = await debtor('Meena');
    const inv = await invoice(d.id, -3, 1000);
    const payment = await db.prisma.payment.create({ data: { businessId, debtorId: d.id, amountMinor: 40_000n, currency: 'INR', receivedOn: toDbDate(TODAY), source: 'owner' } });
    await db.prisma.paymentAllocation.create({ data: { paymentId: payment.id, invoiceId: inv.id, amountMinor: 40_000n } });
    await planReminders(db, { now: MONDAY });
    const [row] = await reminders();
    expect(row!.body).toContain('₹600.00');
    expect(row!.body).not.toContain('₹1,000.00');
  });

  it('uses the business terms for an invoice without a due date', async () => {
    const d = await debtor('No Due Date');
    n += 1;
    // Issued 33 days ago with 30-day terms: due 3 days ago, so polite.
    await db.prisma.invoice.create({ data: { businessId, debtorId: d.id, number: 'ND-1', amountMinor: 50_000n, currency: 'INR', issuedOn: toDbDate(addDays(TODAY, -33)) } });
    await planReminders(db, { now: MONDAY });
    expect((await reminders()).map((r) => r.stage)).toEqual(['polite']);
  });

  it('holds back opted-out debtors, disputed and paused invoices, paused debtors and open promises not yet due', async () => {
    await invoice((await debtor('Opted Out', { optedOut: true })).id, -3);
    const disputed = await debtor('Disputed');
    const inv = await invoice(disputed.id, -3);
    await db.prisma.dispute.create({ data: { businessId, debtorId: disputed.id, invoiceId: inv.id, reason: 'wrong amount' } });
    await invoice((await debtor('Paused Until', { pausedUntil: toDbDate(addDays(TODAY, 2)) })).id, -3);
    await invoice((await debtor('Paused Forever', { pausedIndefinitely: true })).id, -3);
    await invoice((await debtor('Invoice Paused')).id, -3, 1000, { pausedIndefinitely: true });
    const promised = await debtor('Promised');
    await invoice(promised.id, -3);
    await db.prisma.paymentPromise.create({ data: { businessId, debtorId: promised.id, promisedOn: toDbDate(addDays(TODAY, 1)) } });
    await invoice((await debtor('Reminded')).id, -3);
    expect((await planReminders(db, { now: MONDAY })).planned).toBe(1);
    expect((await reminders()).map((r) => r.debtor!.name)).toEqual(['Reminded']);
    // Once the pause ends the debtor is reminded again.
    expect((await planReminders(db, { now: at(3) })).planned).toBeGreaterThanOrEqual(1);
    expect((await reminders()).map((r) => r.debtor!.name)).toContain('Paused Until');
  });

  it('never sends on a day the business does not send, and catches up on the next one', async () => {
    await db.prisma.business.update({ where: { id: businessId }, data: { sendDays: [1, 2, 3, 4, 5] } });
    await invoice((await debtor('Weekend')).id, -2);
    const saturday = at(-2);
    expect((await planReminders(db, { now: saturday })).planned).toBe(0);
    expect((await planReminders(db, { now: MONDAY })).planned).toBe(1);
  });

  it('puts reminders up for approval in approval mode', async () => {
    await db.prisma.business.update({ where: { id: businessId }, data: { approvalMode: 'approve' } });
    await invoice((await debtor('Ramesh')).id, -3);
    const result = await planReminders(db, { now: MONDAY });
    expect(result.awaitingApproval).toEqual([businessId]);
    expect((await reminders()).map((r) => r.status)).toEqual(['awaiting_approval']);
  });

  it('holds a reminder planned in quiet hours until the morning', async () => {
    await invoice((await debtor('Late Evening')).id, -3);
    const evening = new Date('2026-11-23T17:00:00Z'); // 22:30 in India
    await planReminders(db, { now: evening });
    const [row] = await reminders();
    expect(row!.scheduledAt.toISOString()).toBe('2026-11-24T03:30:00.000Z'); // 09:00 in India
  });

  it('a broken promise is marked the day after its date, the owner is told, and the next reminder is one stage firmer', async () => {
    await db.prisma.member.create({ data: { businessId, role: 'owner', name: 'Anil', channel: 'console', address: 'owner' } });
    const d = await debtor('Patel Kirana');
    await invoice(d.id, -3);
    await planReminders(db, { now: MONDAY }); // polite
    await dispatched(MONDAY);
    await db.prisma.paymentPromise.create({ data: { businessId, debtorId: d.id, promisedOn: toDbDate(addDays(TODAY, 1)) } });
    expect((await watchPromises(db.prisma, { now: at(1) })).broken).toBe(0);
    expect((await planReminders(db, { now: at(1) })).planned).toBe(0);
    expect((await watchPromises(db.prisma, { now: at(2) })).broken).toBe(1);
    expect((await watchPromises(db.prisma, { now: at(2) })).broken).toBe(0);
    const notice = await db.prisma.outboundMessage.findFirstOrThrow({ where: { kind: 'owner_notice' } });
    expect(notice.body).toContain('Patel Kirana');
    // Day 2: by the calendar the invoice is still "polite" (firm comes at +7); the broken promise moves it on.
    expect((await planReminders(db, { now: at(2) })).planned).toBe(1);
    expect((await reminders()).map((r) => r.stage)).toEqual(['polite', 'firm']);
  });

  it('lists invoice numbers with commas, quotes, backslashes, line breaks and non-Latin letters exactly', async () => {
    const d = await debtor('Odd Numbers');
    const numbers = ['A,1', 'B"2', 'C\\3', 'D\n4', 'बिल-5'];
    for (const [i, number] of numbers.entries()) {
      await db.prisma.invoice.create({
        data: { businessId, debtorId: d.id, number, amountMinor: 100_00n, currency: 'INR', issuedOn: toDbDate(addDays(TODAY, -40)), dueOn: toDbDate(addDays(TODAY, -3 - i)) },
      });
    }
    await planReminders(db, { now: MONDAY });
    const [row] = await reminders();
    for (const number of numbers) expect(row!.body).toContain(`#${number} · ₹100.00`);
    expect(row!.invoiceIds).toHaveLength(numbers.length);
  });

  it('leaves each moved invoice with the next-reminder day the database trigger derives', async () => {
    await db.prisma.member.create({ data: { businessId, role: 'owner', name: 'Anil', channel: 'console', address: 'owner' } });
    for (const [i, due] of [3, 0, -3, -8, -16, -45, -20].entries()) {
      const d = await debtor(`Customer ${i}`);
      await contacted(d.id);
      await invoice(d.id, due);
    }
    const promised = await debtor('Promise Breaker');
    await invoice(promised.id, -3);
    for (let day = 0; day <= 12; day++) {
      if (day === 1) await db.prisma.paymentPromise.create({ data: { businessId, debtorId: promised.id, promisedOn: toDbDate(addDays(TODAY, 1)) } });
      await watchPromises(db.prisma, { now: at(day) });
      await planReminders(db, { now: at(day) });
    }
    const nextDays = async () =>
      (await db.prisma.invoice.findMany({ select: { number: true, reminderStage: true, nextReminderOn: true }, orderBy: { number: 'asc' } })).map((i) => [
        i.number,
        i.reminderStage,
        i.nextReminderOn?.toISOString().slice(0, 10) ?? null,
      ]);
    const planned = await nextDays();
    expect(planned.filter(([, stage]) => stage !== null).length).toBeGreaterThan(5);
    // Touching the stage without setting next_reminder_on makes the trigger derive it afresh.
    await db.sql.query(`UPDATE invoice SET reminder_stage = reminder_stage WHERE business_id = $1::uuid`, [businessId]);
    expect(await nextDays()).toEqual(planned);
  });

  it('re-derives the next-reminder day when the due date of an invoice moves, also after planning moved it', async () => {
    const inv = await invoice((await debtor('Moved Due')).id, -3);
    const nextOn = async () => (await db.prisma.invoice.findUniqueOrThrow({ where: { id: inv.id } })).nextReminderOn?.toISOString().slice(0, 10);
    await planReminders(db, { now: MONDAY }); // polite; firm is due at +7
    expect(await nextOn()).toBe(addDays(TODAY, 4));
    await db.prisma.invoice.update({ where: { id: inv.id }, data: { dueOn: toDbDate(addDays(TODAY, 10)) } });
    expect(await nextOn()).toBe(addDays(TODAY, 17));
  });
});

