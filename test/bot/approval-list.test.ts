// The approval list ("reminders") also names the customers a reminder is due for that no chat can
// reach: the planner drafts nothing for them, so without this they would be skipped silently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { addDays } from '../../src/engine/calendar.ts';
import { planReminders } from '../../src/scheduler/plan.ts';
import { linkDebtorIdentity } from '../../src/store/debtors.ts';
import { toDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { chat, ONBOARD } from '../support/transcript.ts';

/** Monday 23 Nov 2026, 10:00 in India. */
const NOW = new Date('2026-11-23T04:30:00Z');
const TODAY = '2026-11-23';
const PLAIN = "Can't reach Plain Traders (no chat yet): send them their link: link Plain Traders";

describe.each(testEngines)('the approval list and customers no chat can reach on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  const clock = new ManualClock(NOW);
  const ids = new Map<string, string>();

  beforeAll(async () => {
    db = await engine.open();
    await chat(db, ONBOARD, clock);
    businessId = (await db.prisma.business.findFirstOrThrow()).id;
    let n = 0;
    for (const [name, reachable] of [['Ramesh Traders', true], ['Plain Traders', false], ['Hindi Traders', false]] as const) {
      const d = await db.prisma.debtor.create({ data: { businessId, name, nameKey: name.toLowerCase(), phone: `+91980000000${n}` } });
      ids.set(name, d.id);
      if (reachable) await db.prisma.debtorIdentity.create({ data: { debtorId: d.id, channel: 'console', address: `debtor:${d.id}` } });
      n += 1;
      await db.prisma.invoice.create({ data: { businessId, debtorId: d.id, number: `L-${n}`, amountMinor: 100_000n, currency: 'INR', issuedOn: toDbDate(addDays(TODAY, -30)), dueOn: toDbDate(addDays(TODAY, -5)) } });
    }
    // One of them is paused: not due, so not named.
    await db.prisma.debtor.update({ where: { id: ids.get('Hindi Traders')! }, data: { pausedIndefinitely: true } });
    await planReminders(db, { now: NOW });
  });
  afterAll(async () => db?.destroy());

  it('"reminders" lists the reminders ready, then the customers a reminder is due for but no chat can reach, with the command for their link', async () => {
    const transcript = await chat(db, ['reminders'], clock);
    expect(transcript).toMatch(/1 reminder\(s\) waiting for your approval:\n {2}1\. Ramesh Traders · .*\n {2}Reply: approve all .*\n {2}Can't reach Plain Traders/);
    expect(transcript).toContain(PLAIN);
    expect(transcript).not.toContain('Hindi Traders');
  });

  it('"reminders" with none waiting still names the customers no chat can reach', async () => {
    await chat(db, ['approve all'], clock);
    const transcript = await chat(db, ['reminders'], clock);
    expect(transcript).toContain(`No reminders are waiting for you.\n  ${PLAIN}`);
  });

  it('a customer no longer named once a chat reaches them', async () => {
    await linkDebtorIdentity(db.prisma, ids.get('Plain Traders')!, 'telegram', '12345', clock.now());
    const transcript = await chat(db, ['reminders'], clock);
    expect(transcript).toContain('No reminders are waiting for you.');
    expect(transcript).not.toContain("Can't reach");
  });

  it('is in Hindi for a Hindi-speaking owner', async () => {
    await db.prisma.debtor.update({ where: { id: ids.get('Hindi Traders')! }, data: { pausedIndefinitely: false } });
    const transcript = await chat(db, ['hindi', 'reminders'], clock);
    expect(transcript).toContain('Hindi Traders तक रिमाइंडर नहीं पहुँच सकता (अभी कोई चैट नहीं): उन्हें उनका लिंक भेजें: link Hindi Traders');
  });
});

describe.each(testEngines)('drafts shown on a later day on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    db = await engine.open();
    await chat(db, ONBOARD, clock);
    businessId = (await db.prisma.business.findFirstOrThrow()).id;
    for (const [n, name] of ['Ramesh Traders', 'Gupta Stores'].entries()) {
      const d = await db.prisma.debtor.create({ data: { businessId, name, nameKey: name.toLowerCase() } });
      await db.prisma.debtorIdentity.create({ data: { debtorId: d.id, channel: 'console', address: `debtor:${d.id}` } });
      await db.prisma.invoice.create({ data: { businessId, debtorId: d.id, number: `D-${n + 1}`, amountMinor: 100_000n, currency: 'INR', issuedOn: toDbDate(addDays(TODAY, -30)), dueOn: toDbDate(addDays(TODAY, -3)) } });
    }
    await planReminders(db, { now: NOW });
    clock.set(new Date(NOW.getTime() + 2 * 86_400_000)); // the owner looks two days later
  });
  afterAll(async () => db?.destroy());

  it('"show" words a draft from an earlier day for today, as it would go', async () => {
    const transcript = await chat(db, ['show 2'], clock);
    expect(transcript).toContain('Reminder 2 to Ramesh Traders:');
    expect(transcript).toContain('is 5 days overdue');
    expect(transcript).not.toContain('3 days overdue');
  });

  it('"reminders" drops a draft whose bills were paid since it was written', async () => {
    await db.prisma.invoice.updateMany({ where: { number: 'D-2' }, data: { paidMinor: 100_000n, status: 'paid', closedAt: clock.now() } });
    const transcript = await chat(db, ['reminders'], clock);
    expect(transcript).toContain('1 reminder(s) waiting for your approval:\n  1. Ramesh Traders');
    expect(transcript).not.toContain('Gupta Stores');
  });
});
