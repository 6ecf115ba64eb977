// The walking skeleton of the owner conversation, through the console channel, on each engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { chat, ONBOARD } from '../support/transcript.ts';

describe.each(testEngines)('the owner conversation on $name', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(async () => db?.destroy());

  it('onboards a first-time sender as the owner of a new business, with defaults', async () => {
    const transcript = await chat(db, ONBOARD);
    expect(transcript).toBe(
      [
        'owner> hello',
        "bot → owner: 👋 Welcome to Paynudge! I help you get paid on time: add invoices here, and I'll remind your customers politely.",
        '  First, what is your business called?',
        'owner> Sharma Distributors',
        'bot → owner: Nice to meet you, Sharma Distributors! Which currency do you bill in? Send a code such as INR, OMR or USD, or "ok" for INR.',
        'owner> ok',
        'bot → owner: Which time zone are you in? Send one such as Asia/Kolkata or Asia/Muscat, or "ok" for Asia/Kolkata.',
        'owner> ok',
        'bot → owner: All set: Sharma Distributors · INR · Asia/Kolkata.',
        '  Add your first invoice like this:',
        '  add Ramesh Traders 12500 due 30 Nov #A-102',
        '  Send "help" any time to see what I can do.',
        '',
      ].join('\n'),
    );
    const business = await db.prisma.business.findFirstOrThrow({ include: { members: true } });
    expect(business).toMatchObject({ name: 'Sharma Distributors', currency: 'INR', timeZone: 'Asia/Kolkata', country: 'IN' });
    expect(business.members).toMatchObject([{ role: 'owner', channel: 'console', address: 'owner' }]);
  });

  it('adds an invoice in one line, shows what it understood, and saves it on "yes" with a new debtor', async () => {
    const transcript = await chat(db, ['add Ramesh Traders 12500 due 30 Nov #A-102', 'yes']);
    expect(transcript).toContain(
      'bot → owner: Ramesh Traders (new customer) · ₹12,500.00 · due Mon 30 Nov · #A-102\n  Save this invoice? Reply "yes" to save or "no" to drop it.\n  [1] Save  [2] No',
    );
    expect(transcript).toContain('bot → owner: Saved ✓ Ramesh Traders · ₹12,500.00 · due Mon 30 Nov · #A-102');
    const invoice = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'A-102' }, include: { debtor: true } });
    expect(invoice.amountMinor).toBe(1_250_000n);
    expect(invoice.dueOn?.toISOString().slice(0, 10)).toBe('2026-11-30');
    expect(invoice.issuedOn.toISOString().slice(0, 10)).toBe('2026-11-21');
    expect(invoice.debtor.name).toBe('Ramesh Traders');
  });

  it('guides the owner through missing fields, keeping the form across a bad answer', async () => {
    const transcript = await chat(db, ['add', 'Gupta Stores', '12..500', '12,50,000', '1']);
    expect(transcript).toContain('bot → owner: Who is the customer? Send their name, for example: Ramesh Traders.');
    expect(transcript).toContain('bot → owner: How much does Gupta Stores owe? For example: 12500, 12,500 or 12.5k. Or "cancel" to stop.');
    expect(transcript).toContain('bot → owner: "12..500" doesn\'t look like an amount. Write it like 12500, 12,500, 12,50,000 or 12.5k.');
    expect(transcript).toContain('bot → owner: Saved ✓ Gupta Stores · ₹12,50,000.00 · due Mon 21 Dec (30-day terms) · #INV-0001');
  });

  it('asks only for the amount when the name was given, and numbers invoices without a number', async () => {
    const transcript = await chat(db, ['add Meena Medical due in 15 days', '12.5k', 'haan']);
    expect(transcript).toContain('bot → owner: How much does Meena Medical owe?');
    expect(transcript).toContain('bot → owner: Saved ✓ Meena Medical · ₹12,500.00 · due Sun 6 Dec · #INV-0002');
  });

  it('lists open invoices with balances, oldest due first, and how late each is', async () => {
    const transcript = await chat(db, ['list']);
    expect(transcript).toContain(
      [
        'bot → owner: Open invoices: 3 · ₹12,75,000.00 outstanding',
        '  1. Ramesh Traders · #A-102 · ₹12,500.00 · due Mon 30 Nov (in 9 days)',
        '  2. Meena Medical · #INV-0002 · ₹12,500.00 · due Sun 6 Dec (in 15 days)',
        '  3. Gupta Stores · #INV-0001 · ₹12,50,000.00 · due Mon 21 Dec (in 30 days)',
      ].join('\n'),
    );
  });

  it('cancels a guided form and saves nothing', async () => {
    const before = await db.prisma.invoice.count();
    const transcript = await chat(db, ['add Late Payer Co', 'cancel']);
    expect(transcript).toContain('bot → owner: Okay, cancelled. Nothing was saved.');
    expect(await db.prisma.invoice.count()).toBe(before);
  });

  it('explains itself on help and answers in Hindi after "hindi"', async () => {
    const transcript = await chat(db, ['help', 'hindi', 'list', 'english']);
    expect(transcript).toContain('bot → owner: Here is what I can do:');
    expect(transcript).toContain('bot → owner: ठीक है, अब से मैं हिंदी में लिखूँगा।');
    expect(transcript).toContain('bot → owner: खुले बिल: 3 · ₹12,75,000.00 बकाया');
    expect(transcript).toContain("bot → owner: Okay, I'll write in English from now on.");
  });

  it('lets the console user speak as a debtor, whose reply is understood and reported to the owner', async () => {
    const transcript = await chat(db, ['/as ramesh', 'will pay friday', '/owner']);
    expect(transcript).toContain('(you are Ramesh Traders; /owner to switch back)');
    expect(transcript).toContain('bot → Ramesh Traders: Noted: ₹12,500.00 (the full balance) by Fri 27 Nov. Thank you!');
    expect(transcript).toContain('bot → owner: Ramesh Traders promised ₹12,500.00 (the full balance) by Fri 27 Nov:\n  "will pay friday"');
  });

  it('records every change in the audit log and every reply in the outbox as sent', async () => {
    const actions = (await db.prisma.auditEvent.findMany({ orderBy: { createdAt: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['business.created', 'debtor.created', 'invoice.created', 'member.language_changed']));
    const unsent = await db.prisma.outboundMessage.count({ where: { status: { not: 'sent' } } });
    expect(unsent).toBe(0);
    expect(await db.prisma.outboundMessage.count()).toBeGreaterThan(10);
  });
});
