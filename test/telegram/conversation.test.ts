// Whole conversations over Telegram, as Telegram would play them: the real bot (grammY, long
// polling through @grammyjs/runner) talks to a fake Bot API server on 127.0.0.1. An owner sets up
// their business, adds an invoice with a button, imports a CSV file, gets a customer's link; the
// customer opens it, the owner approves the reminder with a button, the customer receives it and
// answers, and the owner reads the morning digest. On PGlite, and on PostgreSQL with
// TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { runDayJobs } from '../../src/scheduler/index.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { FakeTelegram, type BotMessage, type FakeUser } from '../support/fake-telegram.ts';
import { drainOutbox, startTelegramBot, type RunningTelegramBot } from '../support/telegram-bot.ts';

/** Saturday 21 Nov 2026, 10:00 in India. */
const NOW = new Date('2026-11-21T04:30:00Z');
/** Friday 4 Dec 2026, 10:00 in India: A-102 (due 30 Nov) is 4 days late. */
const LATER = new Date('2026-12-04T04:30:00Z');

const owner: FakeUser = { id: 1001, first_name: 'Anil', last_name: 'Sharma' };
const debtor: FakeUser = { id: 2002, first_name: 'Ramesh' };
const stranger: FakeUser = { id: 3003, first_name: 'Someone' };

describe.each(testEngines)('a Telegram conversation on $name', (engine) => {
  let db: TestDatabase;
  let fake: FakeTelegram;
  let running: RunningTelegramBot;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    db = await engine.open();
    fake = await FakeTelegram.start();
    running = await startTelegramBot(db, fake, { clock });
  });
  afterAll(async () => {
    await running?.stop();
    await fake?.stop();
    await db?.destroy();
  });

  const say = (user: FakeUser, text: string): Promise<BotMessage> => fake.say(user, text);

  it('on start-up, sets the command menu in English and Hindi and long-polls with no webhook', async () => {
    expect(fake.callsOf('getMe')).toHaveLength(1);
    expect(fake.callsOf('deleteWebhook')).toEqual([{ drop_pending_updates: false }]);
    const english = fake.commands.get('')!;
    const hindi = fake.commands.get('hi')!;
    expect(english.map((c) => c.command)).toEqual(expect.arrayContaining(['help', 'list', 'followup', 'summary', 'reminders', 'link', 'import']));
    expect(hindi.map((c) => c.command)).toEqual(english.map((c) => c.command).map((c) => (c === 'hindi' ? 'english' : c)));
    expect(english.find((c) => c.command === 'list')!.description).toBe('Open invoices');
    expect(hindi.find((c) => c.command === 'list')!.description).toBe('खुले बिल');
    await fake.waitFor(() => fake.callsOf('getUpdates').length > 0);
    expect(fake.callsOf('getUpdates')[0]).toMatchObject({ allowed_updates: ['message', 'callback_query'] });
  });

  it('an owner sets up their business, starting from /start', async () => {
    expect((await say(owner, '/start')).text).toMatch(/^👋 Welcome to Paynudge!/);
    expect((await say(owner, 'Sharma Distributors')).text).toContain('Which currency do you bill in?');
    expect((await say(owner, 'ok')).text).toContain('Which time zone are you in?');
    expect((await say(owner, 'ok')).text).toMatch(/^All set: Sharma Distributors · INR · Asia\/Kolkata/);
    const member = await db.prisma.member.findFirstOrThrow({ where: { channel: 'telegram', address: String(owner.id) } });
    expect(member).toMatchObject({ role: 'owner', name: 'Anil Sharma' });
  });

  it('commands from the menu are the owner\'s words: /help is help, /start again is help too', async () => {
    expect((await say(owner, '/help')).text).toMatch(/^Here is what I can do:/);
    expect((await say(owner, '/start')).text).toMatch(/^Here is what I can do:/);
    expect((await say(owner, '/list')).text).toMatch(/^No open invoices/);
  });

  it('an invoice is confirmed with a button, and the answer replaces the question in place', async () => {
    const question = await say(owner, 'Ramesh Traders owes 12,500 for bill A-102, due 30 Nov');
    expect(question.text).toContain('Ramesh Traders (new customer) · ₹12,500.00 · due Mon 30 Nov · #A-102');
    expect(question.buttons).toEqual([[{ text: 'Save', callback_data: 'yes' }, { text: 'No', callback_data: 'no' }]]);

    const sentBefore = fake.messages.length;
    const tap = fake.tap(owner, question, 'Save');
    await fake.waitFor(() => question.edits.length > 0, 5_000, 'the question to be edited');
    expect(question.text).toBe(`${question.text.split('\n\n')[0]}\n\nSaved ✓ Ramesh Traders · ₹12,500.00 · due Mon 30 Nov · #A-102`);
    expect(question.buttons).toEqual([]);
    expect(fake.messages.length).toBe(sentBefore);
    expect(fake.callsOf('answerCallbackQuery').map((c) => c.callback_query_id)).toContain((tap.callback_query as { id: string }).id);
    const invoice = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'A-102' }, include: { debtor: true } });
    expect(invoice).toMatchObject({ amountMinor: 1_250_000n, debtor: { name: 'Ramesh Traders' } });
  });

  it('a tapped button that no longer means anything is answered and its keyboard removed', async () => {
    const question = await say(owner, 'cancel invoice A-102');
    expect(question.buttons.flat().map((b) => b.text)).toEqual(['Cancel invoice', 'No']);
    await say(owner, 'list');
    // The question was left behind: "No" now answers "nothing waiting for a yes or no".
    fake.tap(owner, question, 'No');
    await fake.waitFor(() => question.edits.length > 0);
    expect(question.text).toContain('There is nothing waiting for a yes or no.');
    expect(question.buttons).toEqual([]);
    expect((await db.prisma.invoice.findFirstOrThrow({ where: { number: 'A-102' } })).status).toBe('open');
  });

  it('invoices are imported from a CSV document, once however often it is sent', async () => {
    const csv = 'Customer,Phone,Invoice No,Amount,Invoice Date,Due Date\nVerma Electronics,9812345678,V-1,38900,2026-11-01,2026-11-15\nPatel Kirana,,P-7,10550,2026-11-02,2026-12-02\n';
    let before = fake.messagesTo(owner.id).length;
    fake.document(owner, 'invoices.csv', csv);
    expect((await fake.nextMessage(owner.id, before)).text).toMatch(/^Import done: 2 invoice\(s\) saved \(2 new customer\(s\)\), 0 already here/);
    before = fake.messagesTo(owner.id).length;
    fake.document(owner, 'invoices.csv', csv);
    expect((await fake.nextMessage(owner.id, before)).text).toMatch(/^Import done: 0 invoice\(s\) saved \(0 new customer\(s\)\), 2 already here/);
    expect(fake.callsOf('getFile')).toHaveLength(2);
    expect(await db.prisma.invoice.count()).toBe(3);
  });

  it('"export" answers with a CSV document', async () => {
    const file = await say(owner, '/export');
    expect(file.document?.fileName).toBe('open-invoices-2026-11-21.csv');
    expect(file.document?.content).toContain('A-102');
    expect(file.document?.content).toContain('Verma Electronics');
    expect(file.text).toBe('Here are your 3 open invoice(s): open-invoices-2026-11-21.csv');
  });

  let link = '';

  it('"link Ramesh" gives the customer\'s personal t.me link; opening it connects their chat', async () => {
    const answer = await say(owner, 'link Ramesh');
    const found = /https:\/\/t\.me\/paynudge_test_bot\?start=([A-Za-z0-9_-]+)/.exec(answer.text);
    expect(answer.text).toMatch(/^Send this link to Ramesh Traders\./);
    expect(found).not.toBeNull();
    link = found![1]!;
    expect(link).toHaveLength(24);
    // Only a hash is kept, and the audit trail does not carry the token either.
    expect(await db.prisma.accessToken.count({ where: { token: link } })).toBe(0);
    expect(JSON.stringify((await db.prisma.auditEvent.findMany()).map((a) => a.data))).not.toContain(link);

    const ownerBefore = fake.messagesTo(owner.id).length;
    const welcome = await say(debtor, `/start ${link}`);
    expect(welcome.text).toBe('Hello Ramesh Traders! This chat is now connected to Sharma Distributors: their payment reminders will come here, and you can reply to them any time.');
    expect((await fake.nextMessage(owner.id, ownerBefore)).text).toBe('Ramesh Traders opened your link: their reminders now go to them on Telegram.');
    const identity = await db.prisma.debtorIdentity.findFirstOrThrow({ where: { channel: 'telegram', address: String(debtor.id) }, include: { debtor: true } });
    expect(identity.debtor.name).toBe('Ramesh Traders');
  });

  it('a link works once, and a guessed one not at all; neither changes anything', async () => {
    const invalid = "This link doesn't work any more: it was already used or has expired. Please ask the business that sent it for a new one.";
    // The customer tapping it again is greeted again; the owner is not told twice.
    const ownerBefore = fake.messagesTo(owner.id).length;
    expect((await say(debtor, `/start ${link}`)).text).toMatch(/^Hello Ramesh Traders! This chat is now connected to Sharma Distributors/);
    expect(fake.messagesTo(owner.id).length).toBe(ownerBefore);
    expect((await say(stranger, `/start ${link}`)).text).toBe(invalid);
    expect((await say(stranger, '/start AAAAAAAAAAAAAAAAAAAAAAAA')).text).toBe(invalid);
    expect(await db.prisma.debtorIdentity.count({ where: { address: String(stranger.id) } })).toBe(0);
    expect(await db.prisma.member.count({ where: { address: String(stranger.id) } })).toBe(0);
  });

  it('the reminder is approved with a button, reaches the customer on Telegram, and the digest arrives', async () => {
    clock.set(LATER);
    const ownerBefore = fake.messagesTo(owner.id).length;
    const jobs = await runDayJobs(db, clock.now());
    expect(jobs).toMatchObject({ approvalRequests: 1, digests: 1 });
    await drainOutbox(running.dispatcher);
    const toOwner = fake.messagesTo(owner.id).slice(ownerBefore);
    const request = toOwner.find((m) => /reminders? ready/.test(m.text))!;
    expect(request.text).toContain('Ramesh Traders');
    expect(request.buttons.flat().map((b) => b.text)).toEqual(['Approve all', 'Show list']);
    const digest = toOwner.find((m) => m.text.startsWith('Good morning! Sharma Distributors'));
    expect(digest?.text).toContain('Overdue');
    expect(fake.messagesTo(debtor.id).some((m) => m.text.includes('₹12,500.00'))).toBe(false);

    // "Show list": the list, with approve and skip buttons for each reminder, takes the message's place.
    fake.tap(owner, request, 'Show list');
    await fake.waitFor(() => request.edits.length > 0);
    expect(request.text).toMatch(/^1 reminder\(s\) waiting for your approval:\n1\. Ramesh Traders · polite · /);
    expect(request.buttons).toEqual([
      [{ text: '✓ 1. Ramesh Traders', callback_data: 'approve 1' }, { text: '✗ Skip 1', callback_data: 'skip 1' }],
      [{ text: 'Approve all', callback_data: 'approve all' }],
    ]);
    // Approving it: the answer goes under the list, and the buttons are gone.
    const list = request.text;
    fake.tap(owner, request, '✓ 1. Ramesh Traders');
    await fake.waitFor(() => request.edits.length > 1);
    expect(request.text).toBe(`${list}\n\nApproved 1; they will go out now (quiet hours permitting).`);
    expect(request.buttons).toEqual([]);

    const debtorBefore = fake.messagesTo(debtor.id).length;
    await drainOutbox(running.dispatcher);
    const reminder = await fake.nextMessage(debtor.id, debtorBefore);
    expect(reminder.text).toContain('Hello Ramesh Traders, this is Sharma Distributors.');
    expect(reminder.text).toContain('#A-102 for ₹12,500.00');
  });

  it('the customer answers the reminder with a promise: it is restated to them and the owner is told', async () => {
    const ownerBefore = fake.messagesTo(owner.id).length;
    const reply = await say(debtor, 'kal tak kar dunga');
    expect(reply.text).toBe('Noted: ₹12,500.00 (the full balance) by Sat 5 Dec. Thank you!');
    const told = await fake.nextMessage(owner.id, ownerBefore);
    expect(told.text).toBe('Ramesh Traders promised ₹12,500.00 (the full balance) by Sat 5 Dec:\n"kal tak kar dunga"\nI\'ll hold their reminders until then.');
  });

  it('the customer says they paid: the owner confirms it with a button and it becomes a payment', async () => {
    const ownerBefore = fake.messagesTo(owner.id).length;
    const reply = await say(debtor, 'UPI kar diya');
    expect(reply.text).toMatch(/^Thank you! I've asked Sharma Distributors to confirm your payment of ₹12,500\.00\./);
    const claim = await fake.nextMessage(owner.id, ownerBefore);
    expect(claim.text).toMatch(/^Ramesh Traders says they have paid ₹12,500\.00:/);
    expect(claim.buttons.flat().map((b) => b.text)).toEqual(['✓ Received', '✗ Not received']);
    const debtorBefore = fake.messagesTo(debtor.id).length;
    fake.tap(owner, claim, '✓ Received');
    await fake.waitFor(() => claim.edits.length > 0, 5_000, 'the answer to the tap');
    expect(claim.text).toContain('Recorded ₹12,500.00 from Ramesh Traders');
    expect(await db.prisma.payment.count({ where: { amountMinor: 1250000n } })).toBe(1);
    await drainOutbox(running.dispatcher);
    const thanks = await fake.nextMessage(debtor.id, debtorBefore);
    expect(thanks.text).toContain('#A-102');
    expect(await db.prisma.paymentClaim.findFirstOrThrow()).toMatchObject({ status: 'confirmed' });
  });

  it('an update delivered twice is handled once', async () => {
    const before = fake.messagesTo(owner.id).length;
    const update = fake.text(owner, 'summary');
    await fake.nextMessage(owner.id, before);
    fake.redeliver(update);
    await fake.waitFor(() => fake.deliveries.get(update.update_id) === 2, 5_000, 'the redelivery');
    // The redelivered update went through the bot (a later message is answered after it) without a second answer.
    const sentinel = await say(owner, 'list');
    expect(sentinel.text).toMatch(/^Open invoices: 2/);
    expect(fake.messagesTo(owner.id).slice(before).filter((m) => m.text.includes('summary for'))).toHaveLength(1);
    expect(await db.prisma.inboundMessage.count({ where: { providerMessageId: `tg:update:${update.update_id}` } })).toBe(1);
  });
});
