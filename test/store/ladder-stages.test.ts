// The ladder's stages are one list, STAGES (src/engine/ladder.ts). The planner's SQL, the zod
// schemas, the owner's commands and messages use it directly; the next_reminder_on trigger and
// the schema's comment have their own copies, so these tests fail when one of them changes
// without the other. The planner and the trigger must also agree on the day an invoice's next
// stage falls due, whatever the ladder.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/engine/calendar.ts';
import { STAGES, TONES, type LadderStep } from '../../src/engine/ladder.ts';
import { messagesFor } from '../../src/engine/messages.ts';
import { renderApprovalRequest } from '../../src/engine/reminder-text.ts';
import { planReminders } from '../../src/scheduler/plan.ts';
import { toDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';

/** 10:00 in India on Monday 23 Nov 2026. */
const MONDAY = new Date('2026-11-23T04:30:00Z');
const TODAY = '2026-11-23';
const at = (days: number) => new Date(MONDAY.getTime() + days * 86_400_000);

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]! };
}

/** A ladder the owner could have made: every stage, on ever later days, never softer in tone. */
function randomLadder(r: ReturnType<typeof random>): LadderStep[] {
  let day = r.int(-10, 0);
  let tone = 0;
  return STAGES.map((stage, i) => {
    if (i > 0) day += r.int(1, 9);
    tone = Math.min(TONES.length - 1, tone + r.int(0, 1));
    return { stage, offsetDays: day, tone: TONES[tone]! };
  });
}

/** The stages of the array literal `stages text[] := ARRAY['a', 'b', …]` in a function's source. */
function stagesInTrigger(source: string): string[] {
  const literal = /stages\s+text\[\]\s*:=\s*ARRAY\[([^\]]*)\]/.exec(source);
  expect(literal, 'the trigger declares stages text[] := ARRAY[...]').not.toBeNull();
  return literal![1]!.split(',').map((s) => s.trim().replace(/^'(.*)'$/, '$1'));
}

describe.each(testEngines)("the ladder's stages in the database on $name", (engine) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(async () => db?.destroy());

  it('the next-reminder trigger ranks the stages in the order of STAGES', async () => {
    const rows = await db.sql.query<{ prosrc: string }>(`SELECT prosrc FROM pg_proc WHERE proname = 'paynudge_invoice_next_reminder'`);
    expect(rows).toHaveLength(1);
    expect(stagesInTrigger(rows[0]!.prosrc)).toEqual([...STAGES]);
  });

  it('the trigger derives the same next-reminder day as the planner for random ladders and invoices', async () => {
    const r = random(20261208);
    let n = 0;
    for (let b = 0; b < 4; b++) {
      const ladder = randomLadder(r);
      const business = await db.prisma.business.create({
        data: { name: `Business ${b}`, currency: 'INR', timeZone: 'Asia/Kolkata', ladder: ladder as unknown as object, defaultTermsDays: r.int(7, 30), approvalMode: 'auto' },
      });
      for (let d = 0; d < 8; d++) {
        const debtor = await db.prisma.debtor.create({ data: { businessId: business.id, name: `Customer ${b}-${d}`, nameKey: `customer ${b}-${d}` } });
        await db.prisma.debtorIdentity.create({ data: { debtorId: debtor.id, channel: 'console', address: `debtor:${debtor.id}` } });
        // Sent a reminder long ago: a first contact is held back and dated from today on purpose.
        await db.prisma.outboundMessage.create({
          data: { businessId: business.id, kind: 'reminder', stage: 'polite', channel: 'console', recipient: `debtor:${debtor.id}`, debtorId: debtor.id, body: 'earlier', status: 'sent', sentAt: at(-60), createdAt: at(-60), idempotencyKey: `earlier:${debtor.id}` },
        });
        for (let k = r.int(1, 3); k > 0; k--) {
          n += 1;
          const withDue = r.next() < 0.8;
          const stage = r.next() < 0.5 ? null : r.pick(STAGES);
          await db.prisma.invoice.create({
            data: {
              businessId: business.id,
              debtorId: debtor.id,
              number: `R-${n}`,
              amountMinor: BigInt(r.int(1, 500) * 100),
              currency: 'INR',
              issuedOn: toDbDate(addDays(TODAY, r.int(-90, 0))),
              dueOn: withDue ? toDbDate(addDays(TODAY, r.int(-70, 20))) : null,
              reminderStage: stage,
              reminderBump: stage !== null && r.next() < 0.15,
            },
          });
        }
      }
    }
    for (let day = 0; day <= 20; day += r.int(1, 3)) {
      await planReminders(db, { now: at(day) });
      // What the dispatcher would do: send what was queued.
      await db.prisma.outboundMessage.updateMany({ where: { kind: 'reminder', status: 'queued' }, data: { status: 'sent', sentAt: at(day) } });
    }
    const nextDays = async () =>
      (await db.prisma.invoice.findMany({ select: { number: true, reminderStage: true, nextReminderOn: true }, orderBy: { number: 'asc' } })).map((i) => [
        i.number,
        i.reminderStage,
        i.nextReminderOn?.toISOString().slice(0, 10) ?? null,
      ]);
    const planned = await nextDays();
    const moved = await db.prisma.invoice.count({ where: { remindedOn: { not: null } } });
    expect(moved).toBeGreaterThan(30);
    // Touching the stage without setting next_reminder_on makes the trigger derive it afresh.
    await db.sql.exec(`UPDATE invoice SET reminder_stage = reminder_stage`);
    expect(await nextDays()).toEqual(planned);
  });
});

describe("the ladder's stages outside the database", () => {
  it("the schema's comment on outbound_message.stage lists the stages of STAGES in order", () => {
    const schema = readFileSync(resolve(import.meta.dirname, '../../prisma/schema.prisma'), 'utf8');
    const comment = /\/\/\/ Ladder stage for reminders \(([^)]*)\)/.exec(schema);
    expect(comment).not.toBeNull();
    expect(comment![1]!.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1'))).toEqual([...STAGES]);
  });

  it.each(['en', 'hi'] as const)('the owner is told the steps in the order of STAGES (%s)', (language) => {
    const m = messagesFor(language);
    const steps = STAGES.join(', ');
    expect(m.usage({ topic: 'ladder' })).toContain(steps);
    expect(m.ladderDayOutOfOrder({ stage: 'firm', day: '+30', from: '+4', to: '+14' })).toContain(steps);
  });

  it.each(['en', 'hi'] as const)('every stage has a label of its own in the approval list (%s)', (language) => {
    const labels = STAGES.map((stage) => {
      const text = renderApprovalRequest({ language, items: [{ index: 1, debtorName: 'Ramesh', stage, amountMinor: 100, invoiceCount: 1 }], currency: 'INR', locale: 'en-IN' }).text;
      const label = /^1\. Ramesh · (.+) · /m.exec(text)?.[1];
      expect(label, `a label for ${stage}`).toBeTruthy();
      return label;
    });
    expect(new Set(labels).size).toBe(STAGES.length);
  });
});
