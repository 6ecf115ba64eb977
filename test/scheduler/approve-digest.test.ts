// Approving reminders by message, the morning digest, and the thank-you after a full payment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { addDays } from '../../src/engine/calendar.ts';
import { queueApprovalRequests } from '../../src/scheduler/approvals.ts';
import { sendDueDigests } from '../../src/scheduler/digest.ts';
import { planReminders } from '../../src/scheduler/plan.ts';
import { toDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { chat, ONBOARD } from '../support/transcript.ts';

/** Monday 23 Nov 2026, 10:00 in India. */
const NOW = new Date('2026-11-23T04:30:00Z');
const TODAY = '2026-11-23';

describe.each(testEngines)('approval by message, digest and thanks on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    db = await engine.open();
    await chat(db, ONBOARD, clock);
    businessId = (await db.prisma.business.findFirstOrThrow()).id;
    let n = 0;
    for (const [name, due] of [['Ramesh Traders', -3], ['Gupta Stores', -8], ['Meena Medical', 0], ['Joshi Sweets', -16]] as const) {
      const d = await db.prisma.debtor.create({ data: { businessId, name, nameKey: name.toLowerCase() } });
      await db.prisma.debtorIdentity.create({ data: { debtorId: d.id, channel: 'console', address: `debtor:${d.id}` } });
      n += 1;
      await db.prisma.invoice.create({ data: { businessId, debtorId: d.id, number: `R-${n}`, amountMinor: BigInt(n * 100_000), currency: 'INR', issuedOn: toDbDate(addDays(TODAY, -30)), dueOn: toDbDate(addDays(TODAY, due)) } });
    }
    const plan = await planReminders(db, { now: NOW });
    await queueApprovalRequests(db.prisma, { now: NOW, businessIds: plan.awaitingApproval });
  });
  afterAll(async () => db?.destroy());

  const statusOf = async (name: string) =>
    (await db.prisma.outboundMessage.findFirstOrThrow({ where: { kind: 'reminder', debtor: { name } } })).status;

  it('asks the owner once with a numbered list of the reminders ready', async () => {
    const requests = await db.prisma.outboundMessage.findMany({ where: { kind: 'approval_request' } });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body).toMatch(/^4 reminders ready/);
    expect(requests[0]!.body).toContain('1. Gupta Stores');
    expect(requests[0]!.body).toContain('4. Ramesh Traders');
    expect(requests[0]!.body).toContain('approve all');
    await queueApprovalRequests(db.prisma, { now: NOW, businessIds: [businessId] });
    expect(await db.prisma.outboundMessage.count({ where: { kind: 'approval_request' } })).toBe(1);
  });

  it('shows the full text of one reminder', async () => {
    const transcript = await chat(db, ['show 2'], clock);
    expect(transcript).toContain('bot → owner: Reminder 2 to Joshi Sweets:');
    expect(transcript).toContain('#R-4');
  });

  it('edits one reminder, refusing placeholders in a one-off edit', async () => {
    const refused = await chat(db, ['edit 3 Hi {name}, please pay'], clock);
    expect(refused).toContain('already written for one customer');
    const transcript = await chat(db, ['edit 3 Namaste Meena ji, the bill R-3 is due today. Thank you!'], clock);
    expect(transcript).toContain('Reminder 3 is updated.');
    expect((await db.prisma.outboundMessage.findFirstOrThrow({ where: { kind: 'reminder', debtor: { name: 'Meena Medical' } } })).body).toBe(
      'Namaste Meena ji, the bill R-3 is due today. Thank you!',
    );
  });

  it('refuses numbers that are not on the list and changes nothing', async () => {
    const transcript = await chat(db, ['approve 9'], clock);
    expect(transcript).toContain('There is no reminder 9: the list goes from 1 to 4.');
    expect(await statusOf('Ramesh Traders')).toBe('awaiting_approval');
  });

  it('skips, snoozes and approves by number, then approves the rest', async () => {
    const skipped = await chat(db, ['skip 2'], clock);
    expect(skipped).toContain('Skipped 1; they will not be sent. 3 still waiting.');
    // The list again, renumbered, with approve and skip choices for each.
    expect(skipped).toMatch(/3 reminder\(s\) waiting for your approval:\n {2}1\. Gupta Stores · firm · .*\n {2}2\. Meena Medical · due_today · .*\n {2}3\. Ramesh Traders · polite · /);
    expect(skipped).toContain('[1] ✓ 1. Gupta Stores  [2] ✗ Skip 1  [3] ✓ 2. Meena Medical');
    expect(await statusOf('Joshi Sweets')).toBe('skipped');
    // The list renumbers: Gupta 1, Meena 2, Ramesh 3.
    expect(await chat(db, ['snooze 3 2d'], clock)).toContain('Reminder 3 to Ramesh Traders will go in 2 day(s).');
    const ramesh = await db.prisma.outboundMessage.findFirstOrThrow({ where: { kind: 'reminder', debtor: { name: 'Ramesh Traders' } } });
    expect(ramesh.status).toBe('queued');
    expect(ramesh.scheduledAt.getTime()).toBeGreaterThanOrEqual(NOW.getTime() + 2 * 86_400_000);
    expect(await chat(db, ['approve all'], clock)).toContain('Approved 2;');
    expect(await statusOf('Gupta Stores')).toBe('queued');
    expect(await statusOf('Meena Medical')).toBe('queued');
    expect(await chat(db, ['reminders'], clock)).toContain('No reminders are waiting for you.');
  });

  it('refuses a template with an unknown placeholder, listing the valid ones, and saves a good one', async () => {
    const refused = await chat(db, ['template polite Dear {name}, pay {amount}'], clock);
    expect(refused).toContain("I don't know name. You can use: {customer} {business} {amount} {invoices} {due} {pay}.");
    const saved = await chat(db, ['template polite Dear {customer}, {amount} is due. {pay}'], clock);
    expect(saved).toContain('Your wording for polite reminders is saved.');
    const business = await db.prisma.business.findFirstOrThrow();
    expect(business.templates).toEqual({ polite: { en: 'Dear {customer}, {amount} is due. {pay}' } });
  });

  it('sends the owner one digest a day at the digest hour', async () => {
    const early = new Date('2026-11-23T02:00:00Z'); // 07:30 in India: before the 09:00 digest
    expect((await sendDueDigests(db.prisma, { now: early })).queued).toBe(0);
    expect((await sendDueDigests(db.prisma, { now: NOW })).queued).toBe(1);
    expect((await sendDueDigests(db.prisma, { now: new Date(NOW.getTime() + 3_600_000) })).queued).toBe(0);
    const digest = await db.prisma.outboundMessage.findFirstOrThrow({ where: { kind: 'digest' } });
    expect(digest.recipient).toBe('owner');
    expect(digest.body).toContain('Sharma Distributors');
    expect(digest.body).toContain('Joshi Sweets'); // the most overdue, first to follow up
  });

  it('thanks a debtor who pays an invoice in full, unless the business switched thanks off', async () => {
    const transcript = await chat(db, ['Ramesh Traders paid 1000'], clock);
    expect(transcript).toContain('#R-1: ₹1,000.00 — paid in full ✓');
    expect(transcript).toMatch(/bot → Ramesh Traders: .*R-1/);
    await chat(db, ['set thanks off'], clock);
    const quiet = await chat(db, ['Gupta Stores paid 2000'], clock);
    expect(quiet).toContain('#R-2: ₹2,000.00 — paid in full ✓');
    expect(quiet).not.toMatch(/bot → Gupta Stores/);
  });
});

describe.each(testEngines)('what the digest and the approval request tell the owner on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  const clock = new ManualClock(NOW);
  let invoiceNumber = 0;

  /** A customer with one open invoice per amount, due `dueIn` days from today; reachable ones have a chat. */
  const addDebtor = async (name: string, options: { reachable: boolean; dueIn?: number; amounts?: number[]; data?: Record<string, unknown> }) => {
    const d = await db.prisma.debtor.create({ data: { businessId, name, nameKey: name.toLowerCase(), phone: '+919800000000', ...options.data } });
    if (options.reachable) await db.prisma.debtorIdentity.create({ data: { debtorId: d.id, channel: 'console', address: `debtor:${d.id}` } });
    for (const amount of options.amounts ?? [100_000]) {
      invoiceNumber += 1;
      await db.prisma.invoice.create({
        data: { businessId, debtorId: d.id, number: `P-${invoiceNumber}`, amountMinor: BigInt(amount), currency: 'INR', issuedOn: toDbDate(addDays(TODAY, -40)), dueOn: toDbDate(addDays(TODAY, options.dueIn ?? -5)) },
      });
    }
    return d.id;
  };
  /** Today's digest for a member, sent afresh (earlier digests of today removed first). */
  const digestFor = async (recipient = 'owner') => {
    await db.prisma.outboundMessage.deleteMany({ where: { kind: 'digest' } });
    await sendDueDigests(db.prisma, { now: NOW });
    return (await db.prisma.outboundMessage.findFirstOrThrow({ where: { kind: 'digest', recipient } })).body;
  };
  const promise = (debtorId: string, promisedOn: string, amountMinor: number | null) =>
    db.prisma.paymentPromise.create({ data: { businessId, debtorId, promisedOn: toDbDate(promisedOn), amountMinor: amountMinor === null ? null : BigInt(amountMinor), createdAt: NOW } });

  beforeAll(async () => {
    db = await engine.open();
    await chat(db, ONBOARD, clock);
    businessId = (await db.prisma.business.findFirstOrThrow()).id;
    await addDebtor('Reachable Co', { reachable: true });
    await promise(await addDebtor('Promise Keeper', { reachable: true, dueIn: -10, amounts: [300_000] }), TODAY, 50_000);
    await promise(await addDebtor('Vague Promiser', { reachable: true, dueIn: -10, amounts: [200_000, 150_000] }), TODAY, null);
    await addDebtor('Plain Traders', { reachable: false });
    await addDebtor('Opted Out Ltd', { reachable: false, data: { optedOut: true, optedOutAt: NOW } });
    await addDebtor('Paused Stores', { reachable: false, data: { pausedIndefinitely: true } });
    await addDebtor('Later Ltd', { reachable: false, dueIn: 30 });
    await promise(await addDebtor('Promised Pvt', { reachable: false }), addDays(TODAY, 2), null);
    const plan = await planReminders(db, { now: NOW });
    await queueApprovalRequests(db.prisma, { now: NOW, businessIds: plan.awaitingApproval });
  });
  afterAll(async () => db?.destroy());

  const ONE_UNREACHABLE = "Can't reach Plain Traders (no chat yet): send them their link: link Plain Traders";
  const NOT_NAMED = ['Opted Out Ltd', 'Paused Stores', 'Later Ltd', 'Promised Pvt'];

  it('the approval request names a customer a reminder is due for but no chat can reach, with the command for their link', async () => {
    const request = await db.prisma.outboundMessage.findFirstOrThrow({ where: { kind: 'approval_request' } });
    expect(request.body).toMatch(/^1 reminder ready:\n1\. Reachable Co · /);
    expect(request.body.split('\n').at(-1)).toBe(ONE_UNREACHABLE);
    for (const name of NOT_NAMED) expect(request.body).not.toContain(name);
  });

  it('the digest names the customers a reminder is due for but no chat can reach, not those opted out, paused, not yet due or holding a promise', async () => {
    const body = await digestFor();
    // (The follow-up list may name them too; this is about the customers named as unreachable.)
    expect(body.split('\n').filter((line) => line.startsWith("Can't reach"))).toEqual([ONE_UNREACHABLE]);
  });

  it('the digest shows the amount of each promise due today, or what the customer owes when no amount was promised', async () => {
    expect(await digestFor()).toContain('Promises due today:\n• Promise Keeper — ₹500.00\n• Vague Promiser — ₹3,500.00 owed');
  });

  it("the digest counts the reminders sent on the business's previous day only, not the last 48 hours", async () => {
    const debtorId = (await db.prisma.debtor.findFirstOrThrow({ where: { name: 'Reachable Co' } })).id;
    // India is UTC+5:30: Sunday 22 Nov there runs from 21 Nov 18:30Z to 22 Nov 18:30Z.
    const sentAt = ['2026-11-21T18:00:00Z', '2026-11-21T19:00:00Z', '2026-11-22T18:00:00Z', '2026-11-22T19:00:00Z'];
    for (const [i, at] of sentAt.entries()) {
      await db.prisma.outboundMessage.create({
        data: { businessId, debtorId, kind: 'reminder', stage: 'polite', channel: 'console', recipient: `debtor:${debtorId}`, body: 'Earlier reminder', status: 'sent', scheduledAt: new Date(at), sentAt: new Date(at), idempotencyKey: `earlier:${i}` },
      });
    }
    const body = await digestFor();
    expect(body).toContain('2 reminders were sent yesterday.');
  });

  it('the digest has no blank lines', async () => {
    const body = await digestFor();
    expect(body).toContain('Follow up today:');
    expect(body).toContain('Promises due today:');
    expect(body).not.toMatch(/\n\s*\n/);
  });

  it("an agent's digest names only their own customers no chat can reach", async () => {
    const agent = await db.prisma.member.create({ data: { businessId, role: 'agent', name: 'Ravi', channel: 'console', address: 'ravi' } });
    await addDebtor('Ravi Customer', { reachable: false, data: { assignedAgentId: agent.id } });
    expect(await digestFor('ravi')).toContain("Can't reach Ravi Customer (no chat yet): send them their link: link Ravi Customer");
    expect(await digestFor('ravi')).not.toContain('Plain Traders');
    await db.prisma.member.update({ where: { id: agent.id }, data: { active: false } });
  });

  it('the digest names at most five customers no chat can reach, then how many more', async () => {
    for (const name of ['Unlinked 1', 'Unlinked 2', 'Unlinked 3', 'Unlinked 4', 'Unlinked 5']) await addDebtor(name, { reachable: false });
    const body = await digestFor();
    // Plain Traders, Ravi Customer and the five, by name.
    expect(body).toContain("Can't reach 7 customers (no chat yet): send each their link:\n• link Plain Traders\n• link Ravi Customer\n• link Unlinked 1\n• link Unlinked 2\n• link Unlinked 3\n…and 2 more");
    expect(body).not.toContain('Unlinked 4');
  });
});
