// One clock (issue 11): every row the service writes is dated by the injected Clock, never by the
// database's now() or Prisma's new Date(). The chat runs on a ManualClock years away from the real
// day, so a timestamp left to a default would show the real day and fail (here and under faketime).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { planReminders } from '../../src/scheduler/plan.ts';
import { recordAudit } from '../../src/store/audit.ts';
import { seedDemoBusiness } from '../../src/store/demo-seed.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { chat, ONBOARD } from '../support/transcript.ts';

/** 10 Mar 2031, 10:00 in India: far from any day the suite runs on. */
const FAR = new Date('2031-03-10T04:30:00Z');
const HOUR = 3_600_000;

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

describe.each(testEngines)('rows dated by the clock on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  const clock = new ManualClock(FAR);

  /** The audit events written by `step`, in write order. */
  async function auditedBy(step: () => Promise<unknown>) {
    const last = await db.prisma.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } });
    await step();
    return db.prisma.auditEvent.findMany({ where: { seq: { gt: last?.seq ?? 0n } }, orderBy: { seq: 'asc' } });
  }

  beforeAll(async () => {
    db = await engine.open();
    await chat(db, ONBOARD, clock);
    businessId = (await db.prisma.business.findFirstOrThrow()).id;
  });
  afterAll(async () => db?.destroy());

  it('a business and its owner set up by chat on a far ManualClock date are created at the clock instant', async () => {
    const business = await db.prisma.business.findUniqueOrThrow({ where: { id: businessId } });
    expect([business.createdAt, business.updatedAt]).toEqual([FAR, FAR]);
    const owner = await db.prisma.member.findFirstOrThrow({ where: { businessId, role: 'owner' } });
    expect(owner.createdAt).toEqual(FAR);
  });

  it('invoices and debtors created via chat under a far ManualClock have createdAt = clock instant', async () => {
    clock.set(new Date(FAR.getTime() + HOUR));
    await chat(db, ['add Ramesh Traders 12500 due 1 Mar #A-101', 'yes', 'add Gupta Stores 8000 due 5 Mar #G-1', 'yes'], clock);
    const invoices = await db.prisma.invoice.findMany({ where: { businessId }, include: { debtor: true }, orderBy: { number: 'asc' } });
    expect(invoices.map((i) => [i.number, i.createdAt, i.updatedAt, i.debtor.createdAt, i.debtor.updatedAt])).toEqual([
      ['A-101', clock.now(), clock.now(), clock.now(), clock.now()],
      ['G-1', clock.now(), clock.now(), clock.now(), clock.now()],
    ]);
  });

  it("an audit event carries the clock's instant, not the database's", async () => {
    clock.set(new Date(FAR.getTime() + 2 * HOUR));
    const events = await auditedBy(() => chat(db, ['add Ramesh Traders 5000 due 20 Mar #A-102', 'yes', 'pause Gupta until 30 Mar'], clock));
    expect(events.map((e) => [e.action, e.createdAt])).toEqual([
      ['invoice.created', clock.now()],
      ['reminders.paused', clock.now()],
    ]);
    // Written directly, the event is dated by the `now` it is given.
    const at = new Date('2031-07-01T12:34:56.789Z');
    const [direct] = await auditedBy(() => recordAudit(db.prisma, { businessId, actor: { type: 'system' }, action: 'test.dated', entityType: 'business', entityId: businessId, now: at }));
    expect(direct!.createdAt).toEqual(at);
  });

  it('a pause and a resume by chat set updatedAt to the clock instant', async () => {
    clock.set(new Date(FAR.getTime() + 3 * HOUR));
    await chat(db, ['pause A-101'], clock);
    expect((await db.prisma.invoice.findFirstOrThrow({ where: { number: 'A-101' } })).updatedAt).toEqual(clock.now());
    clock.set(new Date(FAR.getTime() + 4 * HOUR));
    await chat(db, ['resume Gupta'], clock);
    expect((await db.prisma.debtor.findFirstOrThrow({ where: { name: 'Gupta Stores' } })).updatedAt).toEqual(clock.now());
  });

  it("a claim made on a far ManualClock date is confirmed as a payment on the clock's date", async () => {
    const claimedAt = new Date(FAR.getTime() + 5 * HOUR);
    clock.set(claimedAt);
    await chat(db, ['/as gupta', 'UPI kar diya', '/owner'], clock);
    // The owner confirms two days later: the payment is received on the day of the claim, recorded now.
    const confirmedAt = new Date(claimedAt.getTime() + 48 * HOUR);
    clock.set(confirmedAt);
    const events = await auditedBy(() => chat(db, ['confirm 1'], clock));
    const gupta = await db.prisma.debtor.findFirstOrThrow({ where: { name: 'Gupta Stores' } });
    const claim = await db.prisma.paymentClaim.findFirstOrThrow({ where: { debtorId: gupta.id } });
    const payment = await db.prisma.payment.findFirstOrThrow({ where: { debtorId: gupta.id } });
    expect(claim).toMatchObject({ status: 'confirmed', paymentId: payment.id, createdAt: claimedAt, resolvedAt: confirmedAt });
    expect(day(payment.receivedOn)).toBe('2031-03-10');
    expect(payment.createdAt).toEqual(confirmedAt);
    expect(events.map((e) => e.action)).toContain('payment.recorded');
    expect(events.every((e) => e.createdAt.getTime() === confirmedAt.getTime())).toBe(true);
  });

  it('a promise made on a far ManualClock date is kept by the payment that covers it', async () => {
    // "Kept" counts the payments made since the promise: both dated by the clock, not one by the database.
    clock.set(new Date(FAR.getTime() + 60 * HOUR));
    await chat(db, ['/as ramesh', 'will pay 5000 by friday', '/owner'], clock);
    const promise = await db.prisma.paymentPromise.findFirstOrThrow({ where: { debtor: { name: 'Ramesh Traders' }, status: 'open' } });
    expect(promise.createdAt).toEqual(clock.now());
    clock.set(new Date(FAR.getTime() + 61 * HOUR));
    await chat(db, ['Ramesh Traders paid 5000'], clock);
    expect(await db.prisma.paymentPromise.findUniqueOrThrow({ where: { id: promise.id } })).toMatchObject({ status: 'kept', resolvedAt: clock.now() });
  });

  it('reminders planned on a far date are created at the planner’s now, and approving them dates them by the clock', async () => {
    // Iyer's bill is overdue, and Iyer can be reached on the console.
    await chat(db, ['add Iyer Textiles 6000 due 1 Mar #I-1', 'yes', '/as iyer', '/owner'], clock);
    const planned = new Date(FAR.getTime() + 72 * HOUR);
    await planReminders(db, { now: planned, businessId });
    const drafted = await db.prisma.outboundMessage.findMany({ where: { businessId, kind: 'reminder' } });
    expect(drafted.map((r) => r.debtorId)).toEqual([(await db.prisma.debtor.findFirstOrThrow({ where: { name: 'Iyer Textiles' } })).id]);
    expect(drafted.map((r) => [r.status, r.createdAt, r.updatedAt])).toEqual(drafted.map(() => ['awaiting_approval', planned, planned]));
    clock.set(new Date(planned.getTime() + HOUR));
    await chat(db, ['approve all'], clock);
    const approved = await db.prisma.outboundMessage.findMany({ where: { id: { in: drafted.map((r) => r.id) } } });
    expect(approved.map((r) => [r.status, r.updatedAt])).toEqual(drafted.map(() => ['queued', clock.now()]));
  });
});

describe.each(testEngines)('the demo seeded on a far date on $name', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
    await db.prisma.$transaction((tx) => seedDemoBusiness(tx, FAR), { timeout: 60_000 });
  });
  afterAll(async () => db?.destroy());

  it('dates every seeded row on its story’s own day by the seed’s clock: none after it, none from the real clock', async () => {
    const p = db.prisma;
    const stamps = [
      ...(await p.business.findMany()).flatMap((r) => [r.createdAt, r.updatedAt]),
      ...(await p.member.findMany()).map((r) => r.createdAt),
      ...(await p.debtor.findMany()).flatMap((r) => [r.createdAt, r.updatedAt]),
      ...(await p.debtorIdentity.findMany()).map((r) => r.createdAt),
      ...(await p.invoice.findMany()).flatMap((r) => [r.createdAt, r.updatedAt]),
      ...(await p.payment.findMany()).map((r) => r.createdAt),
      ...(await p.paymentPromise.findMany()).map((r) => r.createdAt),
      ...(await p.dispute.findMany()).map((r) => r.createdAt),
      ...(await p.auditEvent.findMany()).map((r) => r.createdAt),
    ];
    expect(stamps.length).toBeGreaterThan(100);
    // The story runs back about six months from the clock; the real clock is years before it.
    const earliest = FAR.getTime() - 200 * 86_400_000;
    expect(stamps.filter((s) => s.getTime() > FAR.getTime() || s.getTime() < earliest)).toEqual([]);
  });
});
