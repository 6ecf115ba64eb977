// The risk score is computed when it is read, from the history as it stands: a payment, a broken
// promise or a dispute recorded a moment ago already moves it (and the tag, the reasons and the
// follow-up list), on each engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/engine/calendar.ts';
import { watchPromises } from '../../src/scheduler/promises.ts';
import { toDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { chat, ONBOARD, TEST_NOW } from '../support/transcript.ts';

const TODAY = '2026-11-21';
const noon = (day: string) => new Date(`${day}T06:30:00.000Z`);

/**
 * A debtor with `paid` bills paid `late` days late, one due every `every` days until `lastDueAgo`
 * days ago, and one open bill due `overdueDays` ago.
 */
async function debtorWithHistory(
  db: TestDatabase,
  businessId: string,
  name: string,
  prefix: string,
  options: { paid: number; late: number; overdueDays: number; every?: number; lastDueAgo?: number },
) {
  const p = db.prisma;
  const debtor = await p.debtor.create({ data: { businessId, name, nameKey: name.toLowerCase() } });
  for (let i = 0; i < options.paid; i++) {
    const dueOn = addDays(TODAY, -(options.lastDueAgo ?? 60) - (options.every ?? 20) * i);
    const paidOn = addDays(dueOn, options.late);
    await p.invoice.create({
      data: { businessId, debtorId: debtor.id, number: `${prefix}-${i + 1}`, amountMinor: 500_000n, currency: 'INR', issuedOn: toDbDate(addDays(dueOn, -30)), dueOn: toDbDate(dueOn), status: 'paid', closedAt: noon(paidOn) },
    });
    await p.payment.create({ data: { businessId, debtorId: debtor.id, amountMinor: 500_000n, currency: 'INR', receivedOn: toDbDate(paidOn), source: 'owner' } });
  }
  const dueOn = addDays(TODAY, -options.overdueDays);
  await p.invoice.create({
    data: { businessId, debtorId: debtor.id, number: `${prefix}-OPEN`, amountMinor: 1_000_000n, currency: 'INR', issuedOn: toDbDate(addDays(dueOn, -30)), dueOn: toDbDate(dueOn) },
  });
  return debtor;
}

/** The tag and score on a statement's risk line. */
function riskOf(transcript: string, name: string): { tag: string; score: number; why: string } {
  const statement = transcript.slice(transcript.lastIndexOf(`bot → owner: ${name} · `));
  const match = /Risk: (\w+) \((\d+)\/100\) — (.*)/.exec(statement);
  if (!match) throw new Error(`no risk line for ${name} in:\n${statement}`);
  return { tag: match[1]!, score: Number(match[2]), why: match[3]! };
}

describe.each(testEngines)('the risk score follows the history on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  beforeAll(async () => {
    db = await engine.open();
    await chat(db, ONBOARD);
    businessId = (await db.prisma.business.findFirstOrThrow()).id;
  });
  afterAll(async () => db?.destroy());

  it('recording the payment of a bill left behind takes a punctual payer back to safe', async () => {
    // Bills every 12 days paid on the day, the last one due 5 days ago; one bill left 40 days overdue.
    await debtorWithHistory(db, businessId, 'Kiran Stores', 'KS', { paid: 10, late: 0, every: 12, lastDueAgo: 5, overdueDays: 40 });
    const before = riskOf(await chat(db, ['Kiran Stores']), 'Kiran Stores');
    expect(before.tag).toBe('risky');
    // "Usually" is their recency-weighted lateness, pulled a little towards the 5-day prior.
    expect(before.why).toMatch(/^a bill 40 days overdue, though they usually pay (on time|1 day late)/);
    expect(await chat(db, ['follow up'])).toMatch(/Kiran Stores — ₹10,000\.00 overdue, 40 days late · risky/);

    const transcript = await chat(db, ['Kiran Stores paid 10000', 'Kiran Stores']);
    expect(transcript).toContain('Owes nothing right now.');
    const after = riskOf(transcript, 'Kiran Stores');
    expect(after.tag).toBe('safe');
    expect(after.score).toBeLessThan(before.score - 30);
    expect(after.why).not.toContain('overdue');
    expect(await chat(db, ['follow up'])).not.toContain('Kiran Stores');
  });

  it('a promise that breaks raises the score and names the broken promise', async () => {
    const debtor = await debtorWithHistory(db, businessId, 'Lata Traders', 'LT', { paid: 8, late: 6, overdueDays: 6 });
    await db.prisma.paymentPromise.create({ data: { businessId, debtorId: debtor.id, promisedOn: toDbDate(addDays(TODAY, -1)), status: 'open' } });
    const before = riskOf(await chat(db, ['Lata Traders']), 'Lata Traders');
    expect(before.why).not.toContain('promise');

    expect((await watchPromises(db.prisma, { now: TEST_NOW })).broken).toBe(1);
    const after = riskOf(await chat(db, ['Lata Traders']), 'Lata Traders');
    expect(after.score).toBeGreaterThan(before.score);
    expect(after.why).toContain('1 of 1 promise broken in the last year');
  });

  it('a dispute raised on a bill raises the score and names the open dispute', async () => {
    await debtorWithHistory(db, businessId, 'Mohan Mart', 'MM', { paid: 8, late: 2, overdueDays: 3 });
    const before = riskOf(await chat(db, ['Mohan Mart']), 'Mohan Mart');
    const transcript = await chat(db, ['dispute MM-OPEN wrong rate', 'Mohan Mart']);
    const after = riskOf(transcript, 'Mohan Mart');
    expect(after.score).toBeGreaterThan(before.score);
    expect(after.why).toContain('1 open dispute');
    // The disputed bill is expected three weeks later than their usual.
    expect(transcript).toMatch(/#MM-OPEN: .* · disputed · expected \w{3} \d{1,2} \w{3}/);
  });

  it('a promise recorded (as a debtor\'s reply records one) dates their bill on the promised day', async () => {
    const debtor = await debtorWithHistory(db, businessId, 'Neha Stores', 'NS', { paid: 8, late: 3, overdueDays: 10 });
    const before = await chat(db, ['Neha Stores']);
    expect(before).toMatch(/#NS-OPEN: .* \(10 days overdue\) · expected (?!Fri 27 Nov)/);
    await db.prisma.paymentPromise.create({ data: { businessId, debtorId: debtor.id, promisedOn: toDbDate('2026-11-27'), status: 'open' } });
    expect(await chat(db, ['Neha Stores'])).toMatch(/#NS-OPEN: .* \(10 days overdue\) · expected Fri 27 Nov/);
  });

  it('the summary\'s cash expected moves when a payment comes in', async () => {
    const cash = (t: string) => {
      const match = /Cash expected: ₹([\d,.]+) this week, ₹([\d,.]+) next week/.exec(t);
      if (!match) throw new Error(`no cash line in:\n${t}`);
      return match.slice(1).map((amount) => Number(amount.replaceAll(',', '')));
    };
    const [thisWeek, nextWeek] = cash(await chat(db, ['summary']));
    // Lata's bill (₹10,000, 6 days overdue, no promise left) is expected within the fortnight.
    expect(thisWeek! + nextWeek!).toBeGreaterThanOrEqual(10_000);
    await chat(db, ['Lata Traders paid 10000']);
    const [thisWeekAfter, nextWeekAfter] = cash(await chat(db, ['summary']));
    expect(thisWeekAfter! + nextWeekAfter!).toBe(thisWeek! + nextWeek! - 10_000);
  });
});
