// Bad input gets a short, friendly explanation with an example, and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { botLines, chat, ONBOARD } from '../support/transcript.ts';

async function dataCounts(db: TestDatabase) {
  const p = db.prisma;
  return {
    businesses: await p.business.count(),
    debtors: await p.debtor.count(),
    invoices: await p.invoice.count(),
    payments: await p.payment.count(),
    audit: await p.auditEvent.count(),
  };
}

const cases: Array<{ name: string; line: string; reply: string }> = [
  { name: 'an unknown command', line: 'send money pls', reply: 'Sorry, I didn\'t understand "send money pls". Try:\n  add Ramesh Traders 12500 due 30 Nov #A-102' },
  { name: 'a malformed number with stray commas', line: 'add Ramesh Traders 1,2,3', reply: '"1,2,3" doesn\'t look like an amount. Write it like 12500, 12,500, 12,50,000 or 12.5k.' },
  { name: 'a malformed number with two dots', line: 'add Ramesh Traders 12..500', reply: '"12..500" doesn\'t look like an amount.' },
  { name: 'a negative amount', line: 'add Ramesh Traders -500', reply: 'The amount must be more than zero ("-500"). For example: 12500.' },
  { name: 'a zero amount', line: 'add Ramesh Traders 0 due 30 Nov', reply: 'The amount must be more than zero ("0"). For example: 12500.' },
  { name: 'an amount with letters', line: 'add Ramesh Traders 12abc', reply: '"12abc" doesn\'t look like an amount.' },
  { name: 'an impossible date', line: 'add Ramesh Traders 5000 due 31 Feb', reply: '"31 Feb" isn\'t a date I can use. Try for example: due 30 Nov, due next Friday, or due in 15 days.' },
  { name: 'a due word without a date', line: 'add Ramesh Traders 5000 due someday', reply: '"someday" isn\'t a date I can use.' },
  { name: 'more decimals than the currency has', line: 'add Ramesh Traders 12500.555', reply: 'INR amounts have at most 2 decimal places ("12500.555"). For example: 12500.50.' },
  { name: 'a phone number that is not one', line: 'add Ramesh Traders 5000 +12', reply: '"+12" doesn\'t look like a phone number.' },
  { name: 'an emoji-only message', line: '🙏🙏🎉', reply: 'I can only read words and numbers. Try "help", or add Ramesh Traders 12500 due 30 Nov #A-102' },
  { name: 'a 5,000-character message', line: `add Ramesh Traders 5000 ${'x'.repeat(4976)}`, reply: 'That message is too long for me (5000 characters). Please keep it under 1000 characters' },
];

describe.each(testEngines)('bad input on $name', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
    await chat(db, [...ONBOARD, 'add Ramesh Traders 12500 due 30 Nov #A-102', 'yes']);
  });
  afterAll(async () => db?.destroy());

  it.each(cases)('$name gets a friendly explanation and writes nothing', async ({ line, reply }) => {
    const before = await dataCounts(db);
    const transcript = botLines(await chat(db, [line]));
    expect(transcript).toContain(reply);
    expect(await dataCounts(db)).toEqual(before);
    // …and the next message is handled normally: no half-finished form was left behind.
    expect(await chat(db, ['list'])).toContain('Open invoices: 1');
  });

  it('a missing amount is asked for with an example, and nothing is saved until it comes', async () => {
    const before = await dataCounts(db);
    const transcript = await chat(db, ['add Ramesh Traders due 30 Nov']);
    expect(transcript).toContain('bot → owner: How much does Ramesh Traders owe? For example: 12500, 12,500 or 12.5k. Or "cancel" to stop.');
    expect(await dataCounts(db)).toEqual(before);
    await chat(db, ['cancel']);
  });

  it('a duplicate invoice number is refused, naming the invoice that has it', async () => {
    const before = await dataCounts(db);
    const transcript = await chat(db, ['add Someone Else 999 #a-102']);
    expect(transcript).toContain('Invoice #A-102 already exists (Ramesh Traders, ₹12,500.00). Please use another number, e.g. #A-102-2.');
    expect(await dataCounts(db)).toEqual(before);
  });

  it('Indian digit grouping and 12.5k are amounts, not errors', async () => {
    const transcript = await chat(db, ['add Big Buyer 12,50,000 #BB-1', 'yes', 'add Small Buyer 12.5k #SB-1', 'yes', 'add Lakh Buyer 1.2 lakh #LB-1', 'yes']);
    expect(transcript).toContain('Saved ✓ Big Buyer · ₹12,50,000.00');
    expect(transcript).toContain('Saved ✓ Small Buyer · ₹12,500.00');
    expect(transcript).toContain('Saved ✓ Lakh Buyer · ₹1,20,000.00');
  });

  it('explains bad input in Hindi to an owner who chose Hindi', async () => {
    const transcript = await chat(db, ['hindi', 'add Ramesh Traders 1,2,3', 'english']);
    expect(transcript).toContain('bot → owner: "1,2,3" रकम जैसा नहीं लगता। ऐसे लिखें: 12500, 12,500, 12,50,000 या 12.5k.');
  });
});

describe.each(testEngines)('bad answers during onboarding on $name', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(async () => db?.destroy());

  it('re-asks for a name, a currency and a time zone it cannot use, and creates the business only at the end', async () => {
    const transcript = botLines(await chat(db, ['hi', '🎉', 'Al Noor Trading', 'dinars', 'OMR', 'Mars/Olympus']));
    expect(transcript).toContain('Please send your business name in words, for example: Sharma Distributors.');
    expect(transcript).toContain('"dinars" isn\'t a currency code I know. Send three letters such as INR, OMR or USD, or "ok" for INR.');
    expect(transcript).toContain('Which time zone are you in? Send one such as Asia/Kolkata or Asia/Muscat, or "ok" for Asia/Muscat.');
    expect(transcript).toContain('"Mars/Olympus" isn\'t a time zone I know.');
    expect(await db.prisma.business.count()).toBe(0);
    const done = await chat(db, ['muscat', 'add Khalid 40.5 #K-1', 'yes']);
    expect(done).toContain('All set: Al Noor Trading · OMR · Asia/Muscat.');
    expect(done).toContain('Saved ✓ Khalid · OMR\u00a040.500'); // Intl puts a no-break space after the code
    expect(await db.prisma.business.findFirstOrThrow()).toMatchObject({ currency: 'OMR', timeZone: 'Asia/Muscat', country: 'OM' });
  });

  it('greets a first message in Devanagari in Hindi', async () => {
    const fresh = await engine.open();
    try {
      const transcript = await chat(fresh, ['नमस्ते']);
      expect(transcript).toContain('bot → owner: 👋 Paynudge में आपका स्वागत है!');
    } finally {
      await fresh.destroy();
    }
  });
});
