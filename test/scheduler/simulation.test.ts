// 45 days of a business on a fake clock: the jobs run twice a day (07:00, inside quiet hours, and
// 10:00), the dispatcher drains the outbox, and every reminder that reaches a debtor is checked:
// its stage, the day it went, its tone and its recipient — through promises, a dispute, an opt-out,
// a payment and quiet hours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { addDays, daysBetween, todayIn } from '../../src/engine/calendar.ts';
import { DEFAULT_LADDER } from '../../src/engine/ladder.ts';
import { createLogger } from '../../src/log.ts';
import { Dispatcher } from '../../src/scheduler/dispatch.ts';
import { runDayJobs } from '../../src/scheduler/index.ts';
import { toDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { RecordingChannel } from '../support/recording-channel.ts';

const START = '2026-11-01';
const TZ = 'Asia/Kolkata';
/** A moment on day `d` (0 = 1 Nov) at a local hour in India (UTC+5:30). */
const at = (d: number, hour: number) => new Date(Date.parse(`${addDays(START, d)}T00:00:00Z`) + (hour * 60 - 330) * 60_000);


describe.each(testEngines)('45 days of reminders on $name', (engine) => {
  let db: TestDatabase;
  const clock = new ManualClock(at(0, 7));
  const channel = new RecordingChannel(clock);
  const ids: Record<string, string> = {};
  let businessId = '';

  async function customer(name: string, dueDay: number, rupees: number) {
    const d = await db.prisma.debtor.create({ data: { businessId, name, nameKey: name.toLowerCase() } });
    await db.prisma.debtorIdentity.create({ data: { debtorId: d.id, channel: 'console', address: `chat:${name}` } });
    const invoice = await db.prisma.invoice.create({
      data: { businessId, debtorId: d.id, number: `${name.slice(0, 3).toUpperCase()}-1`, amountMinor: BigInt(rupees * 100), currency: 'INR', issuedOn: toDbDate(START), dueOn: toDbDate(addDays(START, dueDay)) },
    });
    ids[name] = d.id;
    ids[`${name}:invoice`] = invoice.id;
  }

  /** What happened to each customer, by day: the events the owner and debtors cause. */
  async function eventsOf(day: number) {
    const today = addDays(START, day);
    if (day === 12) await db.prisma.paymentPromise.create({ data: { businessId, debtorId: ids.Promiser!, promisedOn: toDbDate(addDays(START, 20)) } });
    if (day === 14) await db.prisma.dispute.create({ data: { businessId, debtorId: ids.Disputer!, invoiceId: ids['Disputer:invoice']!, reason: 'damaged goods' } });
    if (day === 15) await db.prisma.debtor.update({ where: { id: ids.Quitter! }, data: { optedOut: true, optedOutAt: clock.now() } });
    if (day === 16) {
      const payment = await db.prisma.payment.create({ data: { businessId, debtorId: ids.Payer!, amountMinor: 500_000n, currency: 'INR', receivedOn: toDbDate(today), source: 'owner' } });
      await db.prisma.paymentAllocation.create({ data: { paymentId: payment.id, invoiceId: ids['Payer:invoice']!, amountMinor: 500_000n } });
      await db.prisma.invoice.update({ where: { id: ids['Payer:invoice']! }, data: { status: 'paid', closedAt: clock.now() } });
    }
  }

  beforeAll(async () => {
    db = await engine.open();
    const business = await db.prisma.business.create({
      data: { name: 'Sharma Distributors', currency: 'INR', timeZone: TZ, ladder: DEFAULT_LADDER as unknown as object, approvalMode: 'auto', upiId: 'sharma@okhdfcbank' },
    });
    businessId = business.id;
    await db.prisma.member.create({ data: { businessId, role: 'owner', name: 'Anil', channel: 'console', address: 'owner' } });
    await customer('Steady', 10, 12_500); // never pays: the whole ladder
    await customer('Promiser', 5, 8_000); // promises on day 12 for day 20, breaks it
    await customer('Disputer', 8, 3_000); // disputes on day 14
    await customer('Quitter', 8, 2_000); // says stop on day 15
    await customer('Payer', 8, 5_000); // pays in full on day 16
    const dispatcher = new Dispatcher({ db, channels: new Map([['console', channel]]), clock, logger: createLogger('silent') });
    for (let day = 0; day <= 45; day++) {
      for (const hour of [7, 10]) {
        clock.set(at(day, hour));
        if (hour === 7) await eventsOf(day);
        await runDayJobs(db, clock.now());
        for (let round = 0; round < 10 && (await dispatcher.runOnce()).claimed > 0; round++);
      }
    }
  }, 300_000);
  afterAll(async () => db?.destroy());

  /** Reminders that reached a debtor: [day, stage] from the outbox, checked against the channel. */
  async function sentTo(name: string): Promise<Array<[number, string]>> {
    const rows = await db.prisma.outboundMessage.findMany({ where: { debtorId: ids[name]!, kind: 'reminder', status: 'sent' }, orderBy: { sentAt: 'asc' } });
    for (const row of rows) expect(channel.sent.some((s) => s.address === `chat:${name}` && s.text === row.body)).toBe(true);
    return rows.map((r) => [daysBetween(START, todayIn(r.sentAt!, TZ)), r.stage!]);
  }

  it('walks a debtor who never pays up the whole ladder, each stage on its day', async () => {
    expect(await sentTo('Steady')).toEqual([
      [7, 'heads_up'],
      [10, 'due_today'],
      [13, 'polite'],
      [17, 'firm'],
      [25, 'firmer'],
      [40, 'final'],
    ]);
  });

  it('holds reminders planned at 07:00 (quiet hours) until 09:00, and sends debtors nothing at night', async () => {
    const toDebtors = channel.sent.filter((s) => s.address.startsWith('chat:'));
    expect(toDebtors.length).toBeGreaterThan(20);
    for (const s of toDebtors) {
      const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', hourCycle: 'h23' }).format(s.at));
      expect(hour).toBeGreaterThanOrEqual(9);
      expect(hour).toBeLessThan(21);
    }
  });

  it('speaks in the tone of each stage: friendly, then firm, then mentions holding credit, then a final notice', async () => {
    const bodies = await db.prisma.outboundMessage.findMany({ where: { debtorId: ids.Steady!, kind: 'reminder' }, orderBy: { sentAt: 'asc' } });
    const byStage = Object.fromEntries(bodies.map((b) => [b.stage, b.body]));
    expect(byStage.heads_up).toContain('friendly heads-up');
    expect(byStage.firm).toContain('tell us the exact date');
    expect(byStage.firmer).toContain('further credit and supplies on hold');
    expect(byStage.final).toContain('final notice');
    for (const body of bodies.map((b) => b.body)) expect(body).toContain('upi://pay?pa=sharma@okhdfcbank');
  });

  it('holds reminders while a promise is open, then resumes at least one stage firmer the day after it is broken', async () => {
    // Due day 5: heads-up day 2, due today day 5, polite day 8. The promise made on day 12 for
    // day 20 holds the firm stage (due on day 12). Day 21 it is broken: the calendar has reached
    // firmer (day 20), which is also at least one stage past polite, so firmer goes; final on day 35.
    expect(await sentTo('Promiser')).toEqual([
      [2, 'heads_up'],
      [5, 'due_today'],
      [8, 'polite'],
      [21, 'firmer'],
      [35, 'final'],
    ]);
  });

  it('stops reminding an invoice once it is disputed', async () => {
    const sent = await sentTo('Disputer');
    expect(sent.every(([day]) => day < 14)).toBe(true);
    expect(sent.map(([, stage]) => stage)).toEqual(['heads_up', 'due_today', 'polite']);
  });

  it('never messages a debtor again after they opt out', async () => {
    const sent = await sentTo('Quitter');
    expect(sent.every(([day]) => day < 15)).toBe(true);
    expect(channel.sent.filter((s) => s.address === 'chat:Quitter' && s.at >= at(15, 0))).toEqual([]);
  });

  it('stops when the invoice is paid', async () => {
    const sent = await sentTo('Payer');
    expect(sent.every(([day]) => day < 16)).toBe(true);
  });

  it('tells the owner about the broken promise once, and sends one digest a day', async () => {
    const notices = await db.prisma.outboundMessage.findMany({ where: { kind: 'owner_notice', recipient: 'owner' } });
    expect(notices.filter((n) => n.body.includes('Promiser'))).toHaveLength(1);
    const digests = await db.prisma.outboundMessage.count({ where: { kind: 'digest', recipient: 'owner', status: 'sent' } });
    expect(digests).toBe(46);
  });

  it('never sent two reminders to one debtor on one day, nor any message twice', async () => {
    const reminders = await db.prisma.outboundMessage.findMany({ where: { kind: 'reminder', status: 'sent' } });
    const perDebtorDay = new Set(reminders.map((r) => `${r.debtorId}:${todayIn(r.sentAt!, TZ)}`));
    expect(perDebtorDay.size).toBe(reminders.length);
    const sentOutbox = await db.prisma.outboundMessage.count({ where: { status: 'sent' } });
    expect(channel.sent).toHaveLength(sentOutbox);
  });
});
