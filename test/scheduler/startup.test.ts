// A process that starts finishes the day's jobs at once: a planning run killed midway (or a deploy
// between ticks) does not leave the day's reminders waiting for the next 5-minute tick.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { addDays } from '../../src/engine/calendar.ts';
import { DEFAULT_LADDER } from '../../src/engine/ladder.ts';
import { createLogger } from '../../src/log.ts';
import { Scheduler } from '../../src/scheduler/index.ts';
import { toDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';

/** Monday 23 Nov 2026, 10:00 in India. */
const NOW = new Date('2026-11-23T04:30:00Z');
const TODAY = '2026-11-23';
/** A schedule that does not fire while a test runs (1 January, 00:00). */
const NOT_DURING_THE_TEST = '0 0 1 1 *';

describe.each(testEngines)('the scheduler on start on $name', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
    const business = await db.prisma.business.create({
      data: { name: 'Sharma Distributors', currency: 'INR', timeZone: 'Asia/Kolkata', ladder: DEFAULT_LADDER as unknown as object, approvalMode: 'auto', createdAt: NOW, updatedAt: NOW },
    });
    const debtor = await db.prisma.debtor.create({ data: { businessId: business.id, name: 'Ramesh Traders', nameKey: 'ramesh traders', createdAt: NOW, updatedAt: NOW } });
    await db.prisma.debtorIdentity.create({ data: { debtorId: debtor.id, channel: 'console', address: `debtor:${debtor.id}`, createdAt: NOW } });
    await db.prisma.invoice.create({
      data: { businessId: business.id, debtorId: debtor.id, number: 'A-1', amountMinor: 100_000n, currency: 'INR', issuedOn: toDbDate(addDays(TODAY, -30)), dueOn: toDbDate(addDays(TODAY, -3)), createdAt: NOW, updatedAt: NOW },
    });
  });
  afterAll(async () => db?.destroy());

  it("runs the day's jobs at once on start, without waiting for the next tick", async () => {
    const scheduler = new Scheduler({ db, clock: new ManualClock(NOW), logger: createLogger('silent') });
    try {
      await scheduler.start(NOT_DURING_THE_TEST);
      expect(await db.prisma.outboundMessage.count({ where: { kind: 'reminder' } })).toBe(1);
    } finally {
      await scheduler.stop();
    }
  });

  it('a run asked for while one is in progress is that run, not a second one', async () => {
    const scheduler = new Scheduler({ db, clock: new ManualClock(NOW), logger: createLogger('silent') });
    const first = scheduler.runNow();
    expect(scheduler.runNow()).toBe(first);
    await first;
    await scheduler.stop();
  });
});
