// Reminders true on the day they go, one a day, never softer while the same bills stay unpaid:
// a business that approves its reminders, on a fake clock, with the planner and the dispatcher
// run as the service runs them. Approving is what "approve all" does to the outbox rows.
import { beforeAll, afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { addDays } from '../../src/engine/calendar.ts';
import { DEFAULT_LADDER } from '../../src/engine/ladder.ts';
import { createLogger } from '../../src/log.ts';
import { Dispatcher } from '../../src/scheduler/dispatch.ts';
import { queueApprovalRequests } from '../../src/scheduler/approvals.ts';
import { planReminders } from '../../src/scheduler/plan.ts';
import { NOTHING_LEFT_TO_REMIND } from '../../src/scheduler/wording.ts';
import { toDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { RecordingChannel } from '../support/recording-channel.ts';

/** Day 0 is Friday 4 Dec 2026; `at(d, h)` is hour h of day d in India (UTC+5:30). */
const START = '2026-12-04';
const at = (d: number, hour = 10) => new Date(Date.parse(`${addDays(START, d)}T00:00:00Z`) + (hour * 60 - 330) * 60_000);


describe.each(testEngines)('reminders true on the day they go on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  let clock: ManualClock;
  let channel: RecordingChannel;
  let dispatcher: Dispatcher;
  let n = 0;

  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(async () => db?.destroy());
  beforeEach(async () => {
    await db.prisma.business.deleteMany();
    const business = await db.prisma.business.create({
      data: { name: 'Sharma Distributors', currency: 'INR', timeZone: 'Asia/Kolkata', ladder: DEFAULT_LADDER as unknown as object, approvalMode: 'approve', quietStartHour: 21, quietEndHour: 9 },
    });
    businessId = business.id;
    clock = new ManualClock(at(0));
    channel = new RecordingChannel(clock);
    dispatcher = new Dispatcher({ db, channels: new Map([['console', channel]]), clock, logger: createLogger('silent') });
  });

  async function customer(name: string, options: { contacted?: boolean } = {}) {
    const d = await db.prisma.debtor.create({ data: { businessId, name, nameKey: name.toLowerCase() } });
    await db.prisma.debtorIdentity.create({ data: { debtorId: d.id, channel: 'console', address: `chat:${name}` } });
    if (options.contacted ?? true) {
      await db.prisma.outboundMessage.create({
        data: { businessId, kind: 'reminder', stage: 'heads_up', channel: 'console', recipient: `chat:${name}`, debtorId: d.id, body: 'earlier', status: 'sent', sentAt: at(-60), createdAt: at(-60), idempotencyKey: `earlier:${d.id}` },
      });
    }
    return d.id;
  }
  async function invoice(debtorId: string, dueDay: number, rupees: number, extra: Record<string, unknown> = {}) {
    n += 1;
    return db.prisma.invoice.create({
      data: { businessId, debtorId, number: `T-${n}`, amountMinor: BigInt(rupees * 100), currency: 'INR', issuedOn: toDbDate(addDays(START, -60)), dueOn: toDbDate(addDays(START, dueDay)), ...extra },
    });
  }
  /** Moves the clock to hour 10 of `day` and plans that day's reminders. */
  async function plan(day: number) {
    clock.set(at(day));
    return planReminders(db, { now: clock.now() });
  }
  async function approveAll() {
    await db.prisma.outboundMessage.updateMany({ where: { businessId, kind: 'reminder', status: 'awaiting_approval' }, data: { status: 'queued' } });
  }
  async function drain() {
    for (let round = 0; round < 10 && (await dispatcher.runOnce()).claimed > 0; round++);
  }
  const planned = (debtorId: string) =>
    db.prisma.outboundMessage.findMany({ where: { debtorId, kind: 'reminder', idempotencyKey: { startsWith: 'reminder:' } }, orderBy: { createdAt: 'asc' } });
  const sentTo = (name: string) => channel.sent.filter((s) => s.address === `chat:${name}`);

  it('a reminder approved two days late gives the day counts of the day it goes, not of the day it was drafted', async () => {
    const ramesh = await customer('Ramesh Traders');
    await invoice(ramesh, -3, 12_500); // due Tue 1 Dec: polite on Fri 4 Dec
    await plan(0);
    expect((await planned(ramesh))[0]!.body).toContain('3 days overdue');
    clock.set(at(3)); // Monday 7 Dec: the owner approves at last
    await approveAll();
    await drain();
    const [sent] = sentTo('Ramesh Traders');
    expect(sent!.text).toContain('was due on Tue 1 Dec and is 6 days overdue');
    expect(sent!.text).not.toContain('3 days overdue');
  });

  it('a reminder held by quiet hours into the next day says "tomorrow" of that day, not "today" of the day before', async () => {
    const meena = await customer('Meena Stores');
    await invoice(meena, 1, 4_000); // due Sat 5 Dec
    await db.prisma.business.update({ where: { id: businessId }, data: { approvalMode: 'auto' } });
    clock.set(at(-1, 22)); // Thursday 22:00, quiet hours: the heads-up waits for 09:00 on Friday
    await planReminders(db, { now: clock.now() });
    expect((await planned(meena))[0]!.body).toContain('in 2 days');
    clock.set(at(0, 9));
    await drain();
    expect(sentTo('Meena Stores').map((s) => s.text)).toEqual([expect.stringContaining('is due tomorrow, Sat 5 Dec')]);
  });

  it('a newer draft replaces the one still waiting for approval, so approving all sends the customer one reminder', async () => {
    const gupta = await customer('Gupta Stores');
    await invoice(gupta, -6, 8_000); // polite today, firm tomorrow (7 days after due)
    await plan(0);
    await plan(1);
    const rows = await planned(gupta);
    expect(rows.map((r) => [r.stage, r.status, r.lastError])).toEqual([
      ['polite', 'skipped', 'replaced by a newer reminder'],
      ['firm', 'awaiting_approval', null],
    ]);
    await approveAll();
    await drain();
    expect(sentTo('Gupta Stores')).toHaveLength(1);
    expect(sentTo('Gupta Stores')[0]!.text).toContain('7 days overdue. Please pay it now');
  });

  it('a customer already reminded today gets the next reminder tomorrow, worded for tomorrow', async () => {
    const iyer = await customer('Iyer Textiles');
    const inv = await invoice(iyer, -3, 2_000);
    await plan(0);
    await approveAll();
    await drain();
    expect(sentTo('Iyer Textiles')).toHaveLength(1);
    // Another reminder for the same customer turns up the same day (queued by hand here).
    await db.prisma.outboundMessage.create({
      data: { businessId, kind: 'reminder', stage: 'polite', channel: 'console', recipient: 'chat:Iyer Textiles', debtorId: iyer, invoiceIds: [inv.id], body: 'second today', status: 'queued', scheduledAt: at(0), createdAt: at(0), wordedOn: toDbDate(START), idempotencyKey: 'second:iyer' },
    });
    clock.set(at(0, 15));
    await drain();
    expect(sentTo('Iyer Textiles')).toHaveLength(1);
    const held = await db.prisma.outboundMessage.findUniqueOrThrow({ where: { idempotencyKey: 'second:iyer' } });
    expect([held.status, held.scheduledAt.toISOString()]).toEqual(['queued', at(1, 9).toISOString()]);
    clock.set(at(1, 9));
    await drain();
    expect(sentTo('Iyer Textiles').map((s) => s.text)).toEqual([expect.stringContaining('3 days overdue'), expect.stringContaining('4 days overdue')]);
  });

  it('an approved reminder not yet sent is not replaced by the next day\'s draft: it goes, worded for the day it leaves', async () => {
    const khan = await customer('Khan Auto Parts');
    await invoice(khan, -6, 3_000); // polite today, firm tomorrow
    await plan(0);
    await approveAll(); // approved in the evening, after quiet hours began: it waits for the morning
    clock.set(at(0, 22));
    await drain();
    expect(sentTo('Khan Auto Parts')).toEqual([]);
    expect((await plan(1)).planned).toBe(0);
    await drain();
    expect(sentTo('Khan Auto Parts').map((s) => s.text)).toEqual([expect.stringContaining('is 7 days overdue')]);
  });

  it('a customer sent a reminder yesterday gets none today: the bill that moved waits a day', async () => {
    const das = await customer('Das Textiles');
    await invoice(das, -3, 2_000);
    await plan(0);
    await approveAll();
    await drain();
    await invoice(das, 1, 1_000); // due tomorrow: its heads-up would be today
    expect((await plan(1)).planned).toBe(0);
    expect((await plan(2)).planned).toBe(1);
  });

  it('every overdue bill a message lists moves up to its stage, so the next day does not repeat it for a bill that reaches the stage on its own', async () => {
    const joshi = await customer('Joshi Electricals');
    await invoice(joshi, -8, 4_000); // firm today
    const younger = await invoice(joshi, -5, 1_000); // polite today, firm in two days
    await plan(0);
    const stored = await db.prisma.invoice.findUniqueOrThrow({ where: { id: younger.id } });
    // Asked for at "firm" today: its next step is firmer, 15 days after its own due date.
    expect([stored.reminderStage, stored.nextReminderOn?.toISOString().slice(0, 10)]).toEqual(['firm', addDays(START, 10)]);
    await approveAll();
    await drain();
    for (let day = 1; day <= 6; day++) expect((await plan(day)).planned).toBe(0);
    expect((await plan(7)).planned).toBe(1); // the older bill reaches "firmer"
  });

  it('a reminder whose invoices were all paid since it was drafted is not sent when approved', async () => {
    const singh = await customer('Singh Motors');
    const inv = await invoice(singh, -3, 7_000);
    await plan(0);
    await db.prisma.invoice.update({ where: { id: inv.id }, data: { paidMinor: 700_000n, status: 'paid', closedAt: at(1) } });
    clock.set(at(1));
    await approveAll();
    await drain();
    expect(sentTo('Singh Motors')).toEqual([]);
    expect((await planned(singh)).map((r) => [r.status, r.lastError])).toEqual([['skipped', NOTHING_LEFT_TO_REMIND]]);
  });

  it("the owner's own words go as written, even on a later day", async () => {
    const pillai = await customer('Pillai Stores');
    await invoice(pillai, -3, 1_500);
    await plan(0);
    const [draft] = await planned(pillai);
    await db.prisma.outboundMessage.update({ where: { id: draft!.id }, data: { body: 'Please pay the 1,500 this week, Pillai ji.', wordedOn: null } });
    clock.set(at(2));
    await approveAll();
    await drain();
    expect(sentTo('Pillai Stores').map((s) => s.text)).toEqual(['Please pay the 1,500 this week, Pillai ji.']);
  });

  it('a message takes the firmest stage of everything it lists: a new bill does not soften the tone for an older one', async () => {
    const agarwal = await customer('Agarwal Steel');
    await invoice(agarwal, -26, 20_000, { reminderStage: 'firmer', remindedOn: toDbDate(addDays(START, -11)) }); // firmer sent on day 15
    await invoice(agarwal, -3, 5_000); // a new bill reaching "polite" today
    await plan(0);
    const [row] = await planned(agarwal);
    expect(row!.stage).toBe('firmer');
    expect(row!.body).toContain('we may have to put further credit and supplies on hold');
    expect(row!.body).not.toContain('gentle reminder');
  });

  it('the first reminder a customer ever gets is no firmer than "firm", and the next step comes a ladder step later', async () => {
    const fresh = await customer('New Customer', { contacted: false });
    const inv = await invoice(fresh, -40, 9_000); // 40 days overdue: the ladder says "final"
    await plan(0);
    const [row] = await planned(fresh);
    expect(row!.stage).toBe('firm');
    expect(row!.body).not.toContain('final notice');
    const stored = await db.prisma.invoice.findUniqueOrThrow({ where: { id: inv.id } });
    // firm is 7 days after due and firmer 15: the next step, 8 days from today.
    expect([stored.reminderStage, stored.nextReminderOn?.toISOString().slice(0, 10)]).toEqual(['firm', addDays(START, 8)]);
  });

  it('a final notice lists a bill not yet due as coming up, and asks only for what is due', async () => {
    const bose = await customer('Bose & Sons');
    await invoice(bose, -35, 10_000, { reminderStage: 'firmer', remindedOn: toDbDate(addDays(START, -20)) });
    await invoice(bose, 3, 2_500); // heads-up today
    await plan(0);
    const [row] = await planned(bose);
    expect(row!.stage).toBe('final');
    expect(row!.body).toContain('final notice');
    expect(row!.body).toMatch(/Coming up, not due yet:\n• #T-\d+ · ₹2,500\.00 · due Mon 7 Dec \(in 3 days\)/);
    expect(row!.body).not.toContain('₹12,500.00');
  });

  it('the approval request asks for what the reminder asks for: a bill only coming up is not in its amount', async () => {
    await db.prisma.member.create({ data: { businessId, role: 'owner', name: 'Anil', channel: 'console', address: 'owner' } });
    const bose = await customer('Bose & Sons');
    await invoice(bose, -8, 10_000);
    await invoice(bose, 3, 2_500); // heads-up today
    await plan(0);
    await queueApprovalRequests(db.prisma, { now: clock.now(), businessIds: [businessId] });
    const request = await db.prisma.outboundMessage.findFirstOrThrow({ where: { businessId, kind: 'approval_request' } });
    expect(request.body).toContain('1. Bose & Sons · firm · ₹10,000.00\n');
  });
});
