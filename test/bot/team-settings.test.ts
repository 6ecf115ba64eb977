// The owner's assistant, settings and team: every setting changed by message (and bad values
// explained, changing nothing), agents invited with a one-time code, seeing only their own
// debtors and not the owner's controls, assigned, unassigned and removed; reminders paused and
// resumed. Every change leaves an audit row. On each engine.
//
// The console speaks as the owner; an agent is a second chat, driven through handleInbound with
// its replies read from what it queued in the outbox.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultsFrom } from '../../src/app.ts';
import { handleInbound } from '../../src/bot/conversation.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { botLines, chat, ONBOARD, TEST_NOW } from '../support/transcript.ts';

const RAVI = 'agent-ravi';

/** One message from a console chat other than the owner's; returns the replies it queued, by recipient. */
async function say(db: TestDatabase, address: string, text: string, clock = new ManualClock(TEST_NOW)): Promise<Array<{ to: string; text: string }>> {
  const result = await handleInbound(
    { prisma: db.prisma, clock, defaults: defaultsFrom(loadConfig({})) },
    { channel: 'console', address, providerMessageId: randomUUID(), text, receivedAt: clock.now() },
  );
  const queued = await db.prisma.outboundMessage.findMany({ where: { id: { in: result.outgoing.map((o) => o.id) } } });
  expect(queued.map((q) => q.status)).toEqual(result.outgoing.map(() => 'queued'));
  return result.outgoing.map((o) => ({ to: o.recipient, text: o.body }));
}

/** The text of the single reply to the sender. */
async function ask(db: TestDatabase, address: string, text: string): Promise<string> {
  const replies = (await say(db, address, text)).filter((r) => r.to === address);
  expect(replies).toHaveLength(1);
  return replies[0]!.text;
}

async function inviteCode(db: TestDatabase, name: string): Promise<string> {
  const transcript = await chat(db, [`invite ${name}`]);
  const code = /\n {2}join ([A-Z2-9]{4}-[A-Z2-9]{4})\n/.exec(transcript)?.[1];
  expect(code).toBeDefined();
  return code!;
}

describe.each(testEngines)('settings by message on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  const business = () => db.prisma.business.findUniqueOrThrow({ where: { id: businessId } });
  beforeAll(async () => {
    db = await engine.open();
    await chat(db, ONBOARD);
    businessId = (await db.prisma.business.findFirstOrThrow()).id;
  });
  afterAll(async () => db?.destroy());

  it('"settings" shows every setting with its value', async () => {
    const transcript = await chat(db, ['settings']);
    expect(botLines(transcript)).toBe(
      [
        'bot → owner: Settings of Sharma Distributors:',
        '  • currency INR · time zone Asia/Kolkata · language en',
        '  • digest at 09:00 · quiet hours 21:00–09:00',
        '  • UPI — · payment details —',
        '  • reminders: you approve each one · terms 30 days · sent on every day · thank-you notes on',
        '  • ladder: heads_up -3 (friendly), due_today +0 (friendly), polite +3 (polite), firm +7 (firm), firmer +15 (firmer), final +30 (final)',
        '  • follow-up weights: amount 3, daysOverdue 2, paymentHistory 1, brokenPromises 2, relationshipValue 1, recentContact 1, promiseDue 5',
        '  Change one with, e.g., set digest 8am (send "set" for the list).',
      ].join('\n'),
    );
  });

  it('changes the currency while there are no invoices, and refuses once there are', async () => {
    expect(await chat(db, ['set currency OMR'])).toContain('bot → owner: Currency set to OMR. Amounts will look like OMR\u00a040.000.');
    expect((await business()).currency).toBe('OMR');
    await chat(db, ['set currency INR', 'add Ramesh Traders 12500 due 30 Nov #A-102', 'yes']);
    const before = await business();
    expect(before.currency).toBe('INR');
    const transcript = await chat(db, ['set currency OMR']);
    expect(transcript).toContain("bot → owner: You already have invoices in INR, so I can't switch to OMR: their amounts would be read in the wrong currency. The currency stays INR.");
    expect(await business()).toEqual(before);
  });

  it.each([
    { line: 'set upi shop@okhdfcbank', reply: 'UPI id set to shop@okhdfcbank; reminders will carry a payment link.', field: { upiId: 'shop@okhdfcbank' } },
    { line: 'set payment details HDFC Bank A/c 5020 IFSC HDFC0001234', reply: 'Payment details set to: HDFC Bank A/c 5020 IFSC HDFC0001234', field: { paymentDetails: 'HDFC Bank A/c 5020 IFSC HDFC0001234' } },
    { line: 'set quiet hours 22-8', reply: 'Quiet hours: no reminders between 22:00 and 08:00.', field: { quietStartHour: 22, quietEndHour: 8 } },
    { line: 'set digest 8am', reply: 'Your morning digest will come at 08:00.', field: { digestHour: 8 } },
    { line: 'digest at 7pm', reply: 'Your morning digest will come at 19:00.', field: { digestHour: 19 } },
    { line: 'set approval off', reply: 'Reminders will go automatically; you will see them in the digest.', field: { approvalMode: 'auto' } },
    { line: 'set approval on', reply: 'You will approve each reminder before it goes.', field: { approvalMode: 'approve' } },
    { line: 'set terms 15', reply: 'Invoices without a due date are due 15 days after issue.', field: { defaultTermsDays: 15 } },
    { line: 'set days weekdays', reply: 'Reminders will go on: Mon Tue Wed Thu Fri.', field: { sendDays: [1, 2, 3, 4, 5] } },
    { line: 'set thanks off', reply: 'No thank-you messages will be sent.', field: { thankYouEnabled: false } },
    { line: 'set timezone Asia/Dubai', reply: 'Time zone set to Asia/Dubai.', field: { timeZone: 'Asia/Dubai' } },
    { line: 'set weight amount 4', reply: 'Follow-up weight amount set to 4.', field: { rankingWeights: { amount: 4 } } },
  ])('$line changes the business and is audited', async ({ line, reply, field }) => {
    const audits = await db.prisma.auditEvent.count({ where: { action: 'settings.changed' } });
    const transcript = await chat(db, [line]);
    expect(transcript).toContain(`bot → owner: ${reply}`);
    expect(await business()).toMatchObject(field);
    expect(await db.prisma.auditEvent.count({ where: { action: 'settings.changed', businessId, actorType: 'member' } })).toBe(audits + 1);
  });

  it('"ladder firm 10" moves the firm reminder to day 10 and keeps the other steps', async () => {
    const transcript = await chat(db, ['ladder firm 10', 'settings']);
    expect(transcript).toContain('bot → owner: Reminder step firm: day +10, tone firm.');
    expect(transcript).toContain('  • ladder: heads_up -3 (friendly), due_today +0 (friendly), polite +3 (polite), firm +10 (firm), firmer +15 (firmer), final +30 (final)');
    expect((await business()).ladder).toEqual([
      { stage: 'heads_up', offsetDays: -3, tone: 'friendly' },
      { stage: 'due_today', offsetDays: 0, tone: 'friendly' },
      { stage: 'polite', offsetDays: 3, tone: 'polite' },
      { stage: 'firm', offsetDays: 10, tone: 'firm' },
      { stage: 'firmer', offsetDays: 15, tone: 'firmer' },
      { stage: 'final', offsetDays: 30, tone: 'final' },
    ]);
    expect(transcript).toContain('  • UPI shop@okhdfcbank · payment details HDFC Bank A/c 5020 IFSC HDFC0001234');
    expect(transcript).toContain('  • reminders: you approve each one · terms 15 days · sent on Mon Tue Wed Thu Fri · thank-you notes off');
  });

  const SET_USAGE =
    'Settings look like: set currency INR · set timezone Asia/Kolkata · set language hi · set digest 8am · set quiet hours 21-9 · set upi name@okhdfc · set approval on/off · set terms 30 · set days weekdays · set thanks off. Send "settings" to see them all.';

  it.each([
    { line: 'set upi bad-upi', reply: '"bad-upi" doesn\'t look like a UPI id. It looks like name@okhdfcbank.' },
    { line: 'set upi shop@', reply: '"shop@" doesn\'t look like a UPI id.' },
    { line: 'set currency XYZ', reply: '"XYZ" isn\'t a currency code I know.' },
    { line: 'set timezone Mars/Base', reply: '"Mars/Base" isn\'t a time zone I know.' },
    { line: 'set quiet hours 9-9', reply: 'Quiet hours "9-9" start and end at the same hour, so they cover no time. Send two different hours, for example: set quiet hours 21-9.' },
    { line: 'set quiet hours late', reply: 'I couldn\'t read "late" as quiet hours.' },
    { line: 'set digest 25', reply: '"25" isn\'t an hour of the day. Send an hour from 0 to 23, or with am/pm, for example: set digest 8am.' },
    { line: 'set approval maybe', reply: '"maybe" isn\'t on or off. For example: set approval on' },
    { line: 'set terms 400', reply: '"400" can\'t be payment terms: send a number of days from 0 to 365, for example: set terms 30.' },
    { line: 'set days funday', reply: 'I couldn\'t read "funday" as days of the week.' },
    { line: 'set thanks perhaps', reply: '"perhaps" isn\'t on or off. For example: set thanks on, or set thanks off.' },
    { line: 'ladder firm 10 loud', reply: '"loud" isn\'t a tone. Tones: friendly, polite, firm, firmer, final.' },
    { line: 'ladder nostage 5', reply: '"nostage" isn\'t a reminder step. Steps: heads_up, due_today, polite, firm, firmer, final.' },
    { line: 'ladder firm 30', reply: 'Step firm can\'t be on day +30: the steps go heads_up, due_today, polite, firm, firmer, final, each on a later day than the one before. Pick a day from +4 to +14, for example: ladder firm +4.' },
    { line: 'ladder firm 200 firmer', reply: 'Step firm can\'t be on day +200' },
    { line: 'set terms -5', reply: '"-5" can\'t be payment terms' },
    { line: 'set language fr', reply: 'Reminders to customers can be in English or Hindi, not "fr". For example: set language hi, or set language en.' },
    { line: 'weight amount 11', reply: 'Weights go from 0 to 10, and at least one must be above 0.' },
    { line: 'weight charm 3', reply: 'Weights go from 0 to 10, and at least one must be above 0.' },
  ])('$line is explained and changes nothing', async ({ line, reply }) => {
    const before = await business();
    const audits = await db.prisma.auditEvent.count();
    const transcript = botLines(await chat(db, [line]));
    expect(transcript).toContain(`bot → owner: ${reply}`);
    expect(await business()).toEqual(before);
    expect(await db.prisma.auditEvent.count()).toBe(audits);
  });

  it('"set" on its own lists the settings one can change, as the settings message promises', async () => {
    const transcript = await chat(db, ['set']);
    expect(transcript).toContain(`bot → owner: ${SET_USAGE}`);
  });

  it('answers settings changes and mistakes in Hindi to an owner who chose Hindi', async () => {
    const transcript = await chat(db, ['hindi', 'set thanks on', 'set upi bad', 'settings', 'english']);
    expect(transcript).toContain('bot → owner: पूरा बिल चुकाने पर ग्राहकों को धन्यवाद संदेश जाएगा।');
    expect(transcript).toContain('bot → owner: "bad" UPI id जैसा नहीं लगता। ऐसा होता है: name@okhdfcbank.');
    expect(transcript).toContain('  • रिमाइंडर: हर एक आप मंज़ूर करेंगे · शर्तें 15 दिन · भेजने के दिन सोम मंगल बुध गुरु शुक्र · धन्यवाद संदेश चालू');
    expect((await business()).thankYouEnabled).toBe(true);
  });
});

describe.each(testEngines)('the team and paused reminders on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  let code: string;
  const debtor = (nameKey: string) => db.prisma.debtor.findFirstOrThrow({ where: { businessId, nameKey } });
  const snapshot = async () => ({
    business: await db.prisma.business.findUniqueOrThrow({ where: { id: businessId } }),
    debtors: await db.prisma.debtor.findMany({ orderBy: { id: 'asc' } }),
    invoices: await db.prisma.invoice.findMany({ orderBy: { id: 'asc' } }),
    members: await db.prisma.member.findMany({ orderBy: { id: 'asc' } }),
    tokens: await db.prisma.accessToken.findMany({ orderBy: { token: 'asc' } }),
    payments: await db.prisma.payment.findMany({ orderBy: { id: 'asc' } }),
    audit: await db.prisma.auditEvent.count(),
  });

  beforeAll(async () => {
    db = await engine.open();
    await chat(db, [
      ...ONBOARD,
      'add Ramesh Traders 12500 due 1 Nov #A-102',
      'yes',
      'add Gupta Stores 5000 due 2 Nov #G-1',
      'yes',
      'add Meena Medical 3000 due 3 Nov #M-1',
      'yes',
    ]);
    businessId = (await db.prisma.business.findFirstOrThrow()).id;
  });
  afterAll(async () => db?.destroy());

  it('"invite Ravi" gives a one-time code that works for 7 days', async () => {
    const transcript = await chat(db, ['invite Ravi']);
    const match = /bot → owner: Ask Ravi to send me this message from their own phone:\n {2}join ([A-Z2-9]{4}-[A-Z2-9]{4})\n {2}The code works once, for 7 days\.\n/.exec(transcript);
    expect(match).not.toBeNull();
    code = match![1]!;
    const token = await db.prisma.accessToken.findUniqueOrThrow({ where: { token: code } });
    expect(token).toMatchObject({ businessId, purpose: 'agent_invite', label: 'Ravi', usedAt: null });
    expect(token.expiresAt).toEqual(new Date(TEST_NOW.getTime() + 7 * 86_400_000));
    expect(await db.prisma.auditEvent.count({ where: { businessId, action: 'agent.invited' } })).toBe(1);
  });

  it('"join CODE" from a new chat makes Ravi an agent and tells the owner', async () => {
    const replies = await say(db, RAVI, `join ${code}`);
    expect(replies).toEqual([
      { to: RAVI, text: 'Welcome, Ravi! You\'re now an agent of Sharma Distributors. Send "help" to see what you can do.' },
      { to: 'owner', text: 'Ravi joined your team as an agent. Give them customers with: assign Ramesh to Ravi.' },
    ]);
    const agent = await db.prisma.member.findUniqueOrThrow({ where: { channel_address: { channel: 'console', address: RAVI } } });
    expect(agent).toMatchObject({ businessId, role: 'agent', name: 'Ravi', active: true });
    expect((await db.prisma.accessToken.findUniqueOrThrow({ where: { token: code } })).usedAt).toEqual(TEST_NOW);
    expect(await db.prisma.auditEvent.count({ where: { businessId, action: 'agent.joined', entityId: agent.id } })).toBe(1);
    expect(await db.prisma.outboundMessage.count({ where: { recipient: RAVI, status: 'queued' } })).toBe(1);
  });

  it('a used, unknown or expired code is refused, and nobody joins', async () => {
    const late = await inviteCode(db, 'Sam');
    const before = await snapshot();
    const refusal = "That invite code doesn't work: it may be used, expired or mistyped. Please ask the owner for a new one.";
    expect(await ask(db, 'agent-other', `join ${code}`)).toBe(refusal);
    expect(await ask(db, 'agent-other', 'join ABCD-EFGH')).toBe(refusal);
    const eightDaysLater = new ManualClock(new Date(TEST_NOW.getTime() + 8 * 86_400_000));
    expect(await say(db, 'agent-sam', `join ${late}`, eightDaysLater)).toEqual([{ to: 'agent-sam', text: refusal }]);
    expect(await snapshot()).toEqual(before);
    expect(await db.prisma.member.findFirst({ where: { address: { in: ['agent-other', 'agent-sam'] } } })).toBeNull();
  });

  it('a code typed in lower case without the dash works too', async () => {
    const fresh = await inviteCode(db, 'Tara');
    const replies = await say(db, 'agent-tara', `join ${fresh.replace('-', '').toLowerCase()}`);
    expect(replies[0]).toEqual({ to: 'agent-tara', text: 'Welcome, Tara! You\'re now an agent of Sharma Distributors. Send "help" to see what you can do.' });
    expect(await db.prisma.member.findUniqueOrThrow({ where: { channel_address: { channel: 'console', address: 'agent-tara' } } })).toMatchObject({ role: 'agent', name: 'Tara' });
  });

  it('an agent with no customers assigned sees no invoices, no follow-ups and an empty summary', async () => {
    expect(await ask(db, RAVI, 'list')).toBe('No open invoices. Add one like this: add Ramesh Traders 12500 due 30 Nov #A-102');
    expect(await ask(db, RAVI, 'follow up')).toBe('Nobody needs a follow-up today: nothing is overdue and no promise is due. 🎉');
    expect(await ask(db, RAVI, 'summary')).toContain('Outstanding: ₹0.00 in 0 invoice(s)\nOverdue: ₹0.00');
    expect(await ask(db, RAVI, 'Ramesh Traders')).toContain('Sorry, I didn\'t understand "Ramesh Traders".');
  });

  it('"assign Ramesh to Ravi" gives Ramesh to Ravi, who then sees only Ramesh in list, follow up, summary and statements', async () => {
    const transcript = await chat(db, ['assign Ramesh to Ravi']);
    expect(transcript).toContain('bot → owner: Ramesh Traders is now looked after by Ravi.');
    const ravi = await db.prisma.member.findUniqueOrThrow({ where: { channel_address: { channel: 'console', address: RAVI } } });
    expect((await debtor('ramesh traders')).assignedAgentId).toBe(ravi.id);
    expect((await debtor('gupta stores')).assignedAgentId).toBeNull();
    expect(await db.prisma.auditEvent.count({ where: { businessId, action: 'debtor.assigned', entityId: (await debtor('ramesh traders')).id } })).toBe(1);

    expect(await ask(db, RAVI, 'list')).toBe('Open invoices: 1 · ₹12,500.00 outstanding\n1. Ramesh Traders · #A-102 · ₹12,500.00 · due Sun 1 Nov (20 days overdue)');
    expect(await ask(db, RAVI, 'follow up')).toBe(
      'Follow up today (1):\n1. Ramesh Traders — ₹12,500.00 overdue, 20 days late · watch\n   why: 20 days overdue, never contacted',
    );
    const summary = await ask(db, RAVI, 'summary');
    expect(summary).toContain('Outstanding: ₹12,500.00 in 1 invoice(s)\nOverdue: ₹12,500.00');
    expect(summary).toContain('1–30 days: ₹12,500.00');
    expect(await ask(db, RAVI, 'Ramesh Traders')).toContain('Ramesh Traders · —\nOwes ₹12,500.00 on 1 open invoice(s):');
    // The owner still sees everyone.
    expect(await chat(db, ['list'])).toContain('Open invoices: 3 · ₹20,500.00 outstanding');
  });

  it('an agent cannot see or touch a debtor who is not theirs', async () => {
    const before = await snapshot();
    expect(await ask(db, RAVI, 'Gupta Stores')).toContain('Sorry, I didn\'t understand "Gupta Stores".');
    expect(await ask(db, RAVI, 'history Gupta')).toBe('I have no customer called "Gupta". Send "list" to see your customers\' invoices.');
    expect(await ask(db, RAVI, 'Gupta Stores paid 100')).toBe('I have no customer called "Gupta Stores". Send "list" to see your customers\' invoices.');
    expect(await ask(db, RAVI, 'edit G-1 amount 1')).toBe('I can\'t find invoice #G-1. Send "list" to see open invoices.');
    expect(await ask(db, RAVI, 'dispute G-1 wrong')).toBe('I can\'t find invoice #G-1. Send "list" to see open invoices.');
    expect(await ask(db, RAVI, 'pause Gupta until 5 Dec')).toBe('I have no customer called "Gupta". Send "list" to see your customers\' invoices.');
    expect(await ask(db, RAVI, 'stop reminders for G-1')).toMatch(/^(I can't find invoice #G-1\.|I have no customer called "G-1"\.)/);
    expect(await ask(db, RAVI, 'export')).toContain('Here are your 1 open invoice(s)');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    'set digest 7am',
    'set approval off',
    'weight amount 0',
    'cancel invoice A-102',
    'invite Sam',
    'assign Gupta to Ravi',
    'unassign Ramesh',
    'remove agent Tara',
    'import',
    'import\nNew Co, , N-1, 100',
  ])('an agent cannot "%s": only the owner can, and nothing changes', async (line) => {
    const before = await snapshot();
    expect(await ask(db, RAVI, line)).toBe('Only the owner can do that. Please ask them.');
    expect(await snapshot()).toEqual(before);
    expect(await ask(db, RAVI, 'yes')).toBe('There is nothing waiting for a yes or no. Send "help" to see what I can do.');
  });

  it('an agent records a payment from their own debtor, marked as from an agent, and can undo it', async () => {
    expect(await ask(db, RAVI, 'Ramesh Traders paid 500')).toBe(
      'Recorded ₹500.00 from Ramesh Traders:\n• #A-102: ₹500.00 — ₹12,000.00 still due\nMade a mistake? Send "undo".',
    );
    const payment = await db.prisma.payment.findFirstOrThrow({ where: { businessId } });
    expect(payment).toMatchObject({ source: 'agent', amountMinor: 50_000n });
    const ravi = await db.prisma.member.findUniqueOrThrow({ where: { channel_address: { channel: 'console', address: RAVI } } });
    expect(await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'payment.recorded', entityId: payment.id } })).toMatchObject({ actorType: 'member', actorId: ravi.id });
    expect(await ask(db, RAVI, 'undo')).toContain('Undo the payment of ₹500.00 from Ramesh Traders (Sat 21 Nov)?');
    expect(await ask(db, RAVI, 'yes')).toBe('Undone: ₹500.00 from Ramesh Traders. Their invoices are open again.');
    expect((await db.prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).reversedAt).not.toBeNull();
  });

  it('an agent adding an invoice for a new customer gets that customer assigned', async () => {
    expect(await ask(db, RAVI, 'add Verma Electronics 4000 due 5 Dec #V-1')).toContain('Verma Electronics (new customer) · ₹4,000.00 · due Sat 5 Dec · #V-1');
    expect(await ask(db, RAVI, 'yes')).toBe('Saved ✓ Verma Electronics · ₹4,000.00 · due Sat 5 Dec · #V-1');
    const ravi = await db.prisma.member.findUniqueOrThrow({ where: { channel_address: { channel: 'console', address: RAVI } } });
    expect((await debtor('verma electronics')).assignedAgentId).toBe(ravi.id);
  });

  it('"team" lists the owner and the agents with how many customers each has', async () => {
    const transcript = await chat(db, ['team']);
    expect(botLines(transcript)).toBe(
      [
        'bot → owner: Your team:',
        '  • Sharma Distributors — owner',
        '  • Ravi — agent, 2 customer(s)',
        '  • Tara — agent, 0 customer(s)',
        '  Add someone with: invite Ravi',
      ].join('\n'),
    );
    expect(await ask(db, RAVI, 'team')).toBe('Your team:\n• Sharma Distributors — owner\n• Ravi — agent, 2 customer(s)\n• Tara — agent, 0 customer(s)');
  });

  it('"unassign Ramesh" takes Ramesh back from Ravi', async () => {
    const transcript = await chat(db, ['unassign Ramesh']);
    expect(transcript).toContain('bot → owner: Ramesh Traders is no longer assigned to an agent.');
    const ramesh = await debtor('ramesh traders');
    expect(ramesh.assignedAgentId).toBeNull();
    expect(await db.prisma.auditEvent.count({ where: { businessId, action: 'debtor.unassigned', entityId: ramesh.id } })).toBe(1);
    expect(await ask(db, RAVI, 'list')).toBe('Open invoices: 1 · ₹4,000.00 outstanding\n1. Verma Electronics · #V-1 · ₹4,000.00 · due Sat 5 Dec (in 14 days)');
  });

  it('assigning to an unknown agent or an unknown customer is explained and changes nothing', async () => {
    const before = await snapshot();
    const transcript = await chat(db, ['assign Gupta to Nobody', 'assign Nobody Known to Ravi', 'assign Gupta']);
    expect(transcript).toContain('bot → owner: I have no agent called "Nobody". Send "team" to see your team.');
    expect(transcript).toContain('bot → owner: I have no customer called "Nobody Known". Send "list" to see your customers\' invoices.');
    expect(transcript).toContain('bot → owner: To give a customer to an agent: assign Ramesh to Ravi.');
    expect(await snapshot()).toEqual(before);
  });

  it('"remove agent Ravi" asks first, then deactivates Ravi and gives Ravi\'s customers back', async () => {
    await chat(db, ['assign Ramesh to Ravi', 'assign Gupta to Ravi']);
    const ravi = await db.prisma.member.findUniqueOrThrow({ where: { channel_address: { channel: 'console', address: RAVI } } });
    expect(await db.prisma.debtor.count({ where: { assignedAgentId: ravi.id } })).toBe(3);
    const asked = await chat(db, ['remove agent Ravi']);
    expect(asked).toContain('bot → owner: Remove Ravi from your team? Their customers come back to you.\n  [1] Remove  [2] No');
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: ravi.id } })).active).toBe(true);

    const transcript = await chat(db, ['yes', 'team']);
    expect(transcript).toContain('bot → owner: Ravi is removed. 3 customer(s) are back with you.');
    expect(transcript).toContain('bot → owner: Your team:\n  • Sharma Distributors — owner\n  • Tara — agent, 0 customer(s)\n  Add someone with: invite Ravi');
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: ravi.id } })).active).toBe(false);
    expect(await db.prisma.debtor.count({ where: { assignedAgentId: ravi.id } })).toBe(0);
    expect(await db.prisma.auditEvent.findFirstOrThrow({ where: { businessId, action: 'agent.removed', entityId: ravi.id } })).toMatchObject({ data: { unassigned: 3 } });
    expect(await chat(db, ['remove agent Ravi'])).toContain('bot → owner: I have no agent called "Ravi". Send "team" to see your team.');
    // Ravi's chat is no longer an agent's: the list is not shown.
    expect(await ask(db, RAVI, 'list')).not.toContain('Open invoices');
  });

  it('a removed agent can still set up a business of their own from the same chat', async () => {
    await db.prisma.conversation.deleteMany({ where: { channel: 'console', address: RAVI } }); // a fresh start, days later
    await ask(db, RAVI, 'hello');
    await ask(db, RAVI, 'Ravi Traders');
    await ask(db, RAVI, 'ok');
    expect(await ask(db, RAVI, 'ok')).toContain('All set: Ravi Traders · INR · Asia/Kolkata.');
    const member = await db.prisma.member.findUniqueOrThrow({ where: { channel_address: { channel: 'console', address: RAVI } }, include: { business: true } });
    expect(member).toMatchObject({ role: 'owner', active: true, business: { name: 'Ravi Traders' } });
  });

  it('"pause Ramesh until 5 Dec because cheque promised" pauses the debtor with the reason, listed in the summary', async () => {
    const transcript = await chat(db, ['pause Ramesh until 5 Dec because cheque promised', 'summary']);
    expect(transcript).toContain('bot → owner: Reminders for Ramesh Traders are paused until Sat 5 Dec. Reason noted: cheque promised.');
    expect(transcript).toContain('  Reminders paused:\n    Ramesh Traders: until Sat 5 Dec (cheque promised)');
    const ramesh = await debtor('ramesh traders');
    expect(ramesh).toMatchObject({ pausedIndefinitely: false, pauseReason: 'cheque promised' });
    expect(ramesh.pausedUntil?.toISOString().slice(0, 10)).toBe('2026-12-05');
    expect(await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'reminders.paused', entityId: ramesh.id } })).toMatchObject({
      entityType: 'debtor',
      actorType: 'member',
      data: { until: '2026-12-05', reason: 'cheque promised' },
    });
  });

  it('"stop reminders for A-102" stops that invoice\'s reminders until resumed', async () => {
    const transcript = await chat(db, ['stop reminders for A-102']);
    expect(transcript).toContain('bot → owner: Reminders for #A-102 are stopped until you send "resume".');
    const a102 = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'A-102' } });
    expect(a102).toMatchObject({ pausedIndefinitely: true, pausedUntil: null, pauseReason: null });
    expect(await db.prisma.auditEvent.count({ where: { action: 'reminders.paused', entityType: 'invoice', entityId: a102.id } })).toBe(1);
  });

  it('an invoice whose reminders are stopped is listed in the summary with the paused debtors', async () => {
    const transcript = await chat(db, ['summary']);
    expect(transcript).toContain('  Reminders paused:\n');
    expect(transcript.slice(transcript.indexOf('Reminders paused:'))).toContain('#A-102');
  });

  it('"resume Ramesh" and "resume A-102" turn reminders on again and drop them from the summary', async () => {
    const transcript = await chat(db, ['resume Ramesh', 'resume A-102', 'summary']);
    expect(transcript).toContain('bot → owner: Reminders for Ramesh Traders are on again.');
    expect(transcript).toContain('bot → owner: Reminders for #A-102 are on again.');
    expect(transcript).not.toContain('Reminders paused:');
    expect(await debtor('ramesh traders')).toMatchObject({ pausedUntil: null, pausedIndefinitely: false, pauseReason: null });
    expect(await db.prisma.invoice.findFirstOrThrow({ where: { number: 'A-102' } })).toMatchObject({ pausedUntil: null, pausedIndefinitely: false, pauseReason: null });
    expect(await db.prisma.auditEvent.count({ where: { businessId, action: 'reminders.resumed' } })).toBe(2);
  });

  it('pauses in Hindi for an owner who chose Hindi, "for 2 weeks" meaning until two weeks from today', async () => {
    const transcript = await chat(db, ['hindi', 'pause Gupta for 2 weeks', 'summary', 'resume Gupta', 'english']);
    expect(transcript).toContain('bot → owner: Gupta Stores के रिमाइंडर शनि 5 दिस॰ तक रोक दिए गए।');
    expect(transcript).toContain('  रोके गए रिमाइंडर:\n    Gupta Stores: शनि 5 दिस॰ तक');
    expect(transcript).toContain('bot → owner: Gupta Stores के रिमाइंडर फिर से चालू हैं।');
  });

  it('a pause with a past date or an unknown customer is explained and changes nothing', async () => {
    const before = await snapshot();
    const transcript = await chat(db, ['pause Ramesh until yesterday', 'pause Nobody Known until 5 Dec', 'resume Nobody Known', 'stop reminders for #ZZ-9']);
    expect(transcript).toContain('bot → owner: "yesterday" isn\'t a date I can use.');
    expect(transcript).toContain('bot → owner: I have no customer called "Nobody Known". Send "list" to see your customers\' invoices.');
    expect(transcript).toContain('bot → owner: I can\'t find invoice #ZZ-9. Send "list" to see open invoices.');
    expect(await snapshot()).toEqual(before);
  });

  it('"stop reminders for ZZ-9", an invoice number without "#", is answered as an unknown invoice', async () => {
    const before = await snapshot();
    const transcript = await chat(db, ['stop reminders for ZZ-9']);
    expect(transcript).toContain('bot → owner: I can\'t find invoice #ZZ-9. Send "list" to see open invoices.');
    expect(await snapshot()).toEqual(before);
  });

  it('every change by the owner and the agents left an audit row naming who made it', async () => {
    const events = await db.prisma.auditEvent.findMany({ where: { businessId } });
    expect(new Set(events.map((e) => e.action))).toEqual(
      new Set([
        'business.created',
        'debtor.created',
        'invoice.created',
        'agent.invited',
        'agent.joined',
        'debtor.assigned',
        'debtor.unassigned',
        'agent.removed',
        'payment.recorded',
        'payment.reversed',
        'reminders.paused',
        'reminders.resumed',
        'member.language_changed',
      ]),
    );
    const members = new Set((await db.prisma.member.findMany()).map((m) => m.id));
    for (const event of events) {
      expect(event.actorType).toBe('member');
      expect(members.has(event.actorId!)).toBe(true);
    }
  });
});

describe.each(testEngines)('"set language" on $name', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
    await chat(db, [...ONBOARD]);
  });
  afterAll(async () => db?.destroy());

  it('"set language hi" sets the customers\' language only: the owner\'s own chat stays in English', async () => {
    const transcript = await chat(db, ['set language hi', 'help']);
    expect(transcript).toContain('bot → owner: Reminders to your customers will now be in हिंदी. Our chat stays in English; send "hindi" or "english" to change that.');
    const help = transcript.slice(transcript.lastIndexOf('owner> help'));
    expect(help).toMatch(/[a-z]{4}/);
    expect(help).not.toMatch(/[\u0900-\u097F]/);
    expect((await db.prisma.business.findFirstOrThrow()).language).toBe('hi');
  });
});
