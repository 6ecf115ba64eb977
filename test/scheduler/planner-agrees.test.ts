// The planner's SQL and the engine's plannedStage state the same rules twice (the statement must
// run over 100,000 invoices at once; the function is the readable reference). Random invoices,
// one per debtor, planned on one day: every invoice must end at the stage plannedStage names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/engine/calendar.ts';
import { DEFAULT_LADDER, STAGES, type Stage } from '../../src/engine/ladder.ts';
import { plannedStage } from '../../src/engine/schedule.ts';
import { planReminders } from '../../src/scheduler/plan.ts';
import { toDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';

const NOW = new Date('2026-11-23T04:30:00Z'); // Monday 10:00 in India
const TODAY = '2026-11-23';

/** mulberry32, so a failure can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(testEngines)('the SQL planner agrees with plannedStage on $name', (engine) => {
  let db: TestDatabase;
  const cases: Array<{ invoiceId: string; dueOffset: number; lastStage: Stage | null; bump: boolean; firstContact: boolean }> = [];

  beforeAll(async () => {
    db = await engine.open();
    const business = await db.prisma.business.create({ data: { name: 'Agree', currency: 'INR', timeZone: 'Asia/Kolkata', ladder: DEFAULT_LADDER as unknown as object, approvalMode: 'auto' } });
    const rand = random(424242);
    for (let i = 0; i < 120; i++) {
      const dueOffset = Math.floor(rand() * 70) - 55; // due from 55 days ago to 14 days ahead
      const lastStage = rand() < 0.35 ? null : STAGES[Math.floor(rand() * STAGES.length)]!;
      const bump = rand() < 0.25;
      // Most have had a reminder before; the rest are met for the first time (no firmer than firm).
      const firstContact = rand() < 0.3;
      const debtor = await db.prisma.debtor.create({ data: { businessId: business.id, name: `D${i}`, nameKey: `d${i}` } });
      if (!firstContact) {
        await db.prisma.outboundMessage.create({
          data: { businessId: business.id, kind: 'reminder', stage: 'polite', channel: 'console', recipient: `chat:${i}`, debtorId: debtor.id, body: 'earlier', status: 'sent', sentAt: new Date(NOW.getTime() - 90 * 86_400_000), idempotencyKey: `earlier:${i}` },
        });
      }
      await db.prisma.debtorIdentity.create({ data: { debtorId: debtor.id, channel: 'console', address: `chat:${i}` } });
      const invoice = await db.prisma.invoice.create({
        data: { businessId: business.id, debtorId: debtor.id, number: `A-${i}`, amountMinor: 10_000n, currency: 'INR', issuedOn: toDbDate(addDays(TODAY, -80)), dueOn: toDbDate(addDays(TODAY, dueOffset)), reminderStage: lastStage, reminderBump: bump },
      });
      cases.push({ invoiceId: invoice.id, dueOffset, lastStage, bump, firstContact });
    }
    await planReminders(db, { now: NOW });
  });
  afterAll(async () => db?.destroy());

  it('moves every invoice to the stage plannedStage names, and leaves the others where they were', async () => {
    const stored = new Map((await db.prisma.invoice.findMany({ select: { id: true, reminderStage: true } })).map((i) => [i.id, i.reminderStage]));
    const mismatches = cases
      .map((c) => {
        const expected = plannedStage({ ladder: DEFAULT_LADDER, effectiveDueOn: addDays(TODAY, c.dueOffset), today: TODAY, lastStage: c.lastStage, bump: c.bump, firstContact: c.firstContact }) ?? c.lastStage;
        return { ...c, expected, got: stored.get(c.invoiceId) ?? null };
      })
      .filter((c) => c.expected !== c.got);
    expect(mismatches).toEqual([]);
  });

  it('sends one reminder for each invoice plannedStage says is due, and none for the rest', async () => {
    const due = cases.filter((c) => plannedStage({ ladder: DEFAULT_LADDER, effectiveDueOn: addDays(TODAY, c.dueOffset), today: TODAY, lastStage: c.lastStage, bump: c.bump, firstContact: c.firstContact }) !== null);
    expect(due.length).toBeGreaterThan(20);
    expect(await db.prisma.outboundMessage.count({ where: { kind: 'reminder', idempotencyKey: { startsWith: 'reminder:' } } })).toBe(due.length);
  });
});
