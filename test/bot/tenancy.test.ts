// Two businesses in one database, each with a debtor "Ramesh Traders" and an invoice #A-1. The
// second owner tries everything on the first business's data (its invoice numbers, its debtors'
// names, its agent, its invite code, and the raw ids of its rows typed into commands). Nothing of
// the first business changes, and no reply to the second owner carries the first's amounts or ids.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultsFrom } from '../../src/app.ts';
import { handleInbound } from '../../src/bot/conversation.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { chat, ONBOARD, TEST_NOW } from '../support/transcript.ts';

const SECOND_OWNER = 'owner-b';

/** Everything stored for a business, to compare before and after. */
async function snapshotOf(db: TestDatabase, businessId: string) {
  const p = db.prisma;
  const byId = { orderBy: { id: 'asc' as const } };
  return {
    business: await p.business.findUniqueOrThrow({ where: { id: businessId } }),
    members: await p.member.findMany({ where: { businessId }, ...byId }),
    debtors: await p.debtor.findMany({ where: { businessId }, ...byId }),
    identities: await p.debtorIdentity.findMany({ where: { debtor: { businessId } }, ...byId }),
    invoices: await p.invoice.findMany({ where: { businessId }, ...byId }),
    payments: await p.payment.findMany({ where: { businessId }, ...byId }),
    allocations: await p.paymentAllocation.findMany({ where: { payment: { businessId } }, ...byId }),
    promises: await p.paymentPromise.findMany({ where: { businessId }, ...byId }),
    disputes: await p.dispute.findMany({ where: { businessId }, ...byId }),
    tokens: await p.accessToken.findMany({ where: { businessId }, orderBy: { token: 'asc' } }),
    audit: await p.auditEvent.findMany({ where: { businessId }, ...byId }),
    outbound: await p.outboundMessage.findMany({ where: { OR: [{ businessId }, { recipient: 'owner' }, { recipient: 'agent-ravi' }] }, ...byId }),
    conversations: await p.conversation.findMany({ where: { address: { in: ['owner', 'agent-ravi'] } }, orderBy: { address: 'asc' } }),
  };
}

describe.each(testEngines)('two businesses in one database on $name', (engine) => {
  let db: TestDatabase;
  let first: string;
  let second: string;
  let firstSnapshot: Awaited<ReturnType<typeof snapshotOf>>;
  /** What must never reach the second owner unless they typed it themselves. */
  let secrets: string[];
  const ids: Record<string, string> = {};
  let unusedCode: string;

  /** A message from the second owner; checks that no reply carries the first business's secrets. */
  async function second_(text: string): Promise<string> {
    const clock = new ManualClock(TEST_NOW);
    const result = await handleInbound(
      { prisma: db.prisma, clock, defaults: defaultsFrom(loadConfig({})) },
      { channel: 'console', address: SECOND_OWNER, providerMessageId: randomUUID(), text, receivedAt: clock.now() },
    );
    for (const out of result.outgoing) {
      expect(out.recipient).toBe(SECOND_OWNER);
      for (const secret of secrets ?? []) {
        if (!text.toLowerCase().includes(secret.toLowerCase())) expect(out.body, `reply to "${text}"`).not.toContain(secret);
        if (out.attachment && !text.includes(secret)) expect(out.attachment.content).not.toContain(secret);
      }
    }
    return result.outgoing.map((o) => o.body).join('\n');
  }

  async function expectFirstUnchanged(): Promise<void> {
    expect(await snapshotOf(db, first)).toEqual(firstSnapshot);
  }

  beforeAll(async () => {
    db = await engine.open();
    // The first business, on the console owner's chat, with an agent.
    const setup = await chat(db, [
      ...ONBOARD,
      'add Ramesh Traders 71234.56 due 1 Nov #A-1',
      'yes',
      'add Ramesh Traders 43210.98 due 5 Dec #A-2',
      'yes',
      'add Sharma Medical 65432.10 +91 98123 45678 due 10 Nov #S-1',
      'yes',
      'Ramesh Traders paid 1111.11',
      'dispute S-1 short supply',
      'pause Sharma Medical until 5 Dec because cheque promised',
      'invite Ravi',
      'invite Sam',
    ]);
    const codes = [...setup.matchAll(/\n {2}join ([A-Z2-9]{4}-[A-Z2-9]{4})\n/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(2);
    unusedCode = codes[1]!;
    first = (await db.prisma.business.findFirstOrThrow()).id;
    const clock = new ManualClock(TEST_NOW);
    await handleInbound(
      { prisma: db.prisma, clock, defaults: defaultsFrom(loadConfig({})) },
      { channel: 'console', address: 'agent-ravi', providerMessageId: randomUUID(), text: `join ${codes[0]}`, receivedAt: clock.now() },
    );
    await chat(db, ['assign Ramesh to Ravi']);
    const ramesh1 = await db.prisma.debtor.findFirstOrThrow({ where: { businessId: first, nameKey: 'ramesh traders' } });
    await db.prisma.paymentPromise.create({ data: { businessId: first, debtorId: ramesh1.id, promisedOn: new Date('2026-11-25T00:00:00Z'), amountMinor: 2_222_222n } });

    // The second business, on another chat, with its own "Ramesh Traders" and its own #A-1.
    secrets = [];
    for (const line of ['hello', 'Gupta Wholesale', 'ok', 'ok', 'add Ramesh Traders 500 due 1 Nov #A-1', 'yes']) await second_(line);
    second = (await db.prisma.business.findFirstOrThrow({ where: { name: 'Gupta Wholesale' } })).id;
    expect(second).not.toBe(first);

    ids.business = first;
    for (const d of await db.prisma.debtor.findMany({ where: { businessId: first } })) ids[`debtor ${d.name}`] = d.id;
    for (const i of await db.prisma.invoice.findMany({ where: { businessId: first } })) ids[`invoice ${i.number}`] = i.id;
    for (const m of await db.prisma.member.findMany({ where: { businessId: first } })) ids[`member ${m.name}`] = m.id;
    ids.payment = (await db.prisma.payment.findFirstOrThrow({ where: { businessId: first } })).id;
    ids.promise = (await db.prisma.paymentPromise.findFirstOrThrow({ where: { businessId: first } })).id;
    ids.dispute = (await db.prisma.dispute.findFirstOrThrow({ where: { businessId: first } })).id;
    expect(Object.keys(ids).sort()).toEqual(
      ['business', 'debtor Ramesh Traders', 'debtor Sharma Medical', 'dispute', 'invoice A-1', 'invoice A-2', 'invoice S-1', 'member Ravi', 'member Sharma Distributors', 'payment', 'promise'].sort(),
    );
    secrets = [
      ...Object.values(ids),
      ...codes,
      'Sharma Distributors',
      '71,234.56',
      '70,123.45', // A-1's balance after the payment
      '43,210.98',
      '65,432.10',
      '1,78,766.53', // the first business's outstanding total
      '1,111.11',
      '22,222.22',
      '+919812345678',
      'short supply',
      'cheque promised',
    ];
    firstSnapshot = await snapshotOf(db, first);
    expect(firstSnapshot.invoices).toHaveLength(3);
    expect(firstSnapshot.payments).toHaveLength(1);
  });
  afterAll(async () => db?.destroy());

  it('each owner lists, reports and exports only their own business', async () => {
    expect(await second_('list')).toBe(
      'Open invoices: 1 · ₹500.00 outstanding\n1. Ramesh Traders · #A-1 · ₹500.00 · due Sun 1 Nov (20 days overdue)',
    );
    expect(await second_('Ramesh Traders')).toContain('Ramesh Traders · —\nOwes ₹500.00 on 1 open invoice(s):\n• #A-1: ₹500.00 of ₹500.00');
    expect(await second_('statement of Ramesh')).toContain('Owes ₹500.00 on 1 open invoice(s):');
    expect(await second_('follow up')).toBe(
      'Follow up today (1):\n1. Ramesh Traders — ₹500.00 overdue, 20 days late · watch\n   why: 20 days overdue, never contacted',
    );
    const summary = await second_('summary');
    expect(summary).toContain('Gupta Wholesale — summary for Sat 21 Nov\nOutstanding: ₹500.00 in 1 invoice(s)\nOverdue: ₹500.00');
    expect(summary).toContain('Received this month: ₹0.00');
    expect(summary).not.toContain('Reminders paused');
    expect(await second_('export')).toBe('Here are your 1 open invoice(s): open-invoices-2026-11-21.csv');
    expect(await second_('export Ramesh')).toBe('Statement of Ramesh Traders: statement-ramesh-traders-2026-11-21.csv');
    expect(await second_('team')).toBe('Your team:\n• Gupta Wholesale — owner\nAdd someone with: invite Ravi');
    expect(await second_('history Ramesh')).toContain('History of Ramesh Traders (newest first):');
    await expectFirstUnchanged();
    // The first owner's view is untouched by the second business.
    const firstList = await chat(db, ['list']);
    expect(firstList).toContain('bot → owner: Open invoices: 3 · ₹1,78,766.53 outstanding');
    expect(firstList).not.toContain('₹500.00');
    firstSnapshot = await snapshotOf(db, first); // the first owner's own message and its reply are rows of the first business
  });

  it.each([
    'Sharma Medical',
    'statement Sharma',
    'history Sharma Medical',
    'export Sharma Medical',
    'Sharma Medical paid 100',
    'received 500 from Sharma',
  ])('the first business\'s customer is unknown to the second owner: %s', async (line) => {
    const reply = await second_(line);
    expect(reply).toMatch(/^(Sorry, I didn't understand|I have no customer called)/);
    await expectFirstUnchanged();
  });

  it('the second owner\'s edits, cancels and disputes by invoice number touch only their own invoices', async () => {
    expect(await second_('edit A-1 amount 600')).toBe('Updated #A-1: amount ₹600.00 (was ₹500.00).');
    expect(await second_('edit A-1 due 2 Nov')).toBe('Updated #A-1: now due Mon 2 Nov.');
    for (const line of ['edit A-2 amount 1', 'edit S-1 due 1 Dec', 'cancel invoice A-2', 'cancel invoice S-1', 'dispute A-2 wrong', 'resolve S-1', 'stop reminders for #A-2']) {
      expect(await second_(line)).toMatch(/^I can't find invoice #(A-2|S-1)\. Send "list" to see open invoices\.$/);
    }
    expect(await second_('dispute A-1 wrong rate')).toBe('Marked #A-1 as disputed. No reminders will go for it until you send "resolve A-1".');
    expect(await second_('resolve A-1')).toBe('The dispute on #A-1 is resolved; reminders can go again.');
    expect(await second_('cancel invoice A-1')).toBe('Cancel invoice #A-1 (Ramesh Traders, ₹600.00)? No more reminders will go for it.');
    expect(await second_('no')).toBe('Okay, I left everything as it was.');
    const own = await db.prisma.invoice.findFirstOrThrow({ where: { businessId: second, number: 'A-1' } });
    expect(own.amountMinor).toBe(60_000n);
    await expectFirstUnchanged();
  });

  it('payments and "undo" by the second owner stay in the second business', async () => {
    expect(await second_('Ramesh Traders paid 100')).toBe('Recorded ₹100.00 from Ramesh Traders:\n• #A-1: ₹100.00 — ₹500.00 still due\nMade a mistake? Send "undo".');
    expect(await second_('Ramesh Traders paid 100 for bill A-2')).toBe('Invoice #A-2 isn\'t one of Ramesh Traders\'. Check the number with "Ramesh Traders".');
    expect(await second_('undo')).toBe('Undo the payment of ₹100.00 from Ramesh Traders (Sat 21 Nov)? Its invoices will be open again.');
    expect(await second_('yes')).toBe('Undone: ₹100.00 from Ramesh Traders. Their invoices are open again.');
    // The first business's payment is never offered for undoing.
    expect(await second_('undo')).toBe('There is no payment you recorded in the last 24 hours to undo. Payments recorded by others, or earlier, stay as they are.');
    expect(await db.prisma.payment.count({ where: { businessId: second } })).toBe(1);
    await expectFirstUnchanged();
  });

  it('pause, resume, assign, remove agent and join with the first business\'s names and code change nothing there', async () => {
    expect(await second_('pause Sharma Medical until 5 Dec')).toBe('I have no customer called "Sharma Medical". Send "list" to see your customers\' invoices.');
    expect(await second_('resume Sharma Medical')).toBe('I have no customer called "Sharma Medical". Send "list" to see your customers\' invoices.');
    expect(await second_('pause Ramesh Traders until 5 Dec')).toBe('Reminders for Ramesh Traders are paused until Sat 5 Dec.');
    expect(await second_('resume Ramesh Traders')).toBe('Reminders for Ramesh Traders are on again.');
    expect(await second_('assign Ramesh to Ravi')).toBe('I have no agent called "Ravi". Send "team" to see your team.');
    expect(await second_('remove agent Ravi')).toBe('I have no agent called "Ravi". Send "team" to see your team.');
    expect(await second_('unassign Ramesh')).toBe('Ramesh Traders is no longer assigned to an agent.');
    expect(await second_(`join ${unusedCode}`)).toBe("You're already part of Gupta Wholesale.");
    expect(await db.prisma.member.findFirstOrThrow({ where: { channel: 'console', address: SECOND_OWNER } })).toMatchObject({ businessId: second, role: 'owner' });
    await expectFirstUnchanged();
  });

  it('adding and importing invoices with the first business\'s numbers creates the second business\'s own', async () => {
    const asked = await second_('add Sharma Medical 100 #A-2');
    expect(asked).toContain('Sharma Medical (new customer) · ₹100.00 · due Mon 21 Dec (30-day terms) · #A-2');
    expect(await second_('yes')).toBe('Saved ✓ Sharma Medical · ₹100.00 · due Mon 21 Dec (30-day terms) · #A-2');
    expect(await second_('import\nSharma Medical, , S-1, 200\nRamesh Traders, , A-1, 999')).toBe(
      [
        'Import done: 1 invoice(s) saved (0 new customer(s)), 0 already here, 1 conflicting, 0 with problems.',
        '• line 2: #A-1 already exists with a different amount; I kept the one I have',
      ].join('\n'),
    );
    expect((await db.prisma.invoice.findMany({ where: { businessId: second }, orderBy: { number: 'asc' } })).map((i) => [i.number, i.amountMinor])).toEqual([
      ['A-1', 60_000n],
      ['A-2', 10_000n],
      ['S-1', 20_000n],
    ]);
    await expectFirstUnchanged();
  });

  const commandsWithIds: Array<[string, (id: string) => string, string]> = [
    ['edit', (id) => `edit ${id} amount 1`, 'invoice A-1'],
    ['edit due', (id) => `edit ${id} due 1 Dec`, 'invoice S-1'],
    ['cancel', (id) => `cancel invoice ${id}`, 'invoice A-2'],
    ['dispute', (id) => `dispute ${id} wrong`, 'invoice A-2'],
    ['resolve', (id) => `resolve ${id}`, 'invoice S-1'],
    ['pause invoice', (id) => `stop reminders for #${id}`, 'invoice A-1'],
    ['pause debtor', (id) => `pause ${id} until 5 Dec`, 'debtor Sharma Medical'],
    ['resume', (id) => `resume ${id}`, 'debtor Sharma Medical'],
    ['statement', (id) => `statement ${id}`, 'debtor Ramesh Traders'],
    ['bare id', (id) => id, 'debtor Ramesh Traders'],
    ['history', (id) => `history ${id}`, 'debtor Ramesh Traders'],
    ['payment', (id) => `${id} paid 100`, 'debtor Ramesh Traders'],
    ['payment for invoice', (id) => `Ramesh Traders paid 100 for bill ${id}`, 'invoice A-2'],
    ['export', (id) => `export ${id}`, 'debtor Sharma Medical'],
    ['assign', (id) => `assign Ramesh to ${id}`, 'member Ravi'],
    ['remove agent', (id) => `remove agent ${id}`, 'member Ravi'],
    ['join with a business id', (id) => `join ${id}`, 'business'],
    ['undo a payment id', (id) => `undo ${id}`, 'payment'],
  ];

  it.each(commandsWithIds)('a raw id of the first business typed into "%s" finds nothing there', async (_name, command, key) => {
    const id = ids[key]!;
    const payments = await db.prisma.payment.count({ where: { businessId: second } });
    const reply = await second_(command(id));
    expect(reply).not.toMatch(/^(Updated|Marked|Recorded|Reminders for|Saved|Cancel invoice|Undo the payment)/);
    // Whatever was asked, a "yes" confirms nothing of the first business.
    await second_('yes');
    expect(await db.prisma.payment.count({ where: { businessId: second } })).toBe(payments);
    await expectFirstUnchanged();
  });

  it('after all of it, the first owner still sees exactly their own data', async () => {
    const transcript = await chat(db, ['list', 'Ramesh Traders', 'summary']);
    expect(transcript).toContain('bot → owner: Open invoices: 3 · ₹1,78,766.53 outstanding');
    expect(transcript).toContain('  • #A-1: ₹70,123.45 of ₹71,234.56 · due Sun 1 Nov (20 days overdue)');
    expect(transcript).toContain('  Reminders paused:\n    Sharma Medical: until Sat 5 Dec (cheque promised)');
    expect(transcript).not.toContain('Gupta Wholesale');
    expect(transcript).not.toMatch(/₹(500|600|100|200)\.00/);
  });
});
