// The owner's assistant, invoices: added in the owner's own words, confirmed before saving, edited,
// cancelled, disputed, imported in bulk and exported, through the console chat on each engine.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultsFrom } from '../../src/app.ts';
import { handleInbound } from '../../src/bot/conversation.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { botLines, chat, ONBOARD, TEST_NOW } from '../support/transcript.ts';

async function dataCounts(db: TestDatabase) {
  const p = db.prisma;
  return {
    debtors: await p.debtor.count(),
    invoices: await p.invoice.count(),
    payments: await p.payment.count(),
    disputes: await p.dispute.count(),
    audit: await p.auditEvent.count(),
  };
}

/** One message from the console owner as a single inbound text (a multi-line paste), answered without the console. */
async function sendAsOwner(db: TestDatabase, text: string): Promise<string[]> {
  return (await answersToOwner(db, text)).map((o) => o.body);
}

/** The answers, attachments included, to one message from the console owner. */
async function answersToOwner(db: TestDatabase, text: string) {
  const clock = new ManualClock(TEST_NOW);
  const result = await handleInbound(
    { prisma: db.prisma, clock, defaults: defaultsFrom(loadConfig({})) },
    { channel: 'console', address: 'owner', providerMessageId: randomUUID(), text, receivedAt: clock.now() },
  );
  return result.outgoing;
}

function day(date: Date | null): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

describe.each(testEngines)('invoices in the owner\'s own words on $name', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
    await chat(db, ONBOARD);
  });
  afterAll(async () => db?.destroy());

  it('reads "add 12500 Ramesh due 30 Nov" with the amount first, shows it back and saves it on "yes"', async () => {
    const transcript = await chat(db, ['add 12500 Ramesh due 30 Nov', 'yes']);
    expect(transcript).toContain(
      'bot → owner: Ramesh (new customer) · ₹12,500.00 · due Mon 30 Nov · #number given on saving\n  Save this invoice? Reply "yes" to save or "no" to drop it.\n  [1] Save  [2] No',
    );
    expect(transcript).toContain('bot → owner: Saved ✓ Ramesh · ₹12,500.00 · due Mon 30 Nov · #INV-0001');
    const invoice = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'INV-0001' }, include: { debtor: true } });
    expect(invoice.debtor.name).toBe('Ramesh');
    expect(invoice.amountMinor).toBe(1_250_000n);
    expect(day(invoice.dueOn)).toBe('2026-11-30');
  });

  it('reads "Ramesh Traders owes 12,500 for bill A-102, due next Friday" as customer, amount, bill number and due date', async () => {
    const before = await dataCounts(db);
    const transcript = await chat(db, ['Ramesh Traders owes 12,500 for bill A-102, due next Friday', 'yes']);
    expect(transcript).toContain(
      'bot → owner: Ramesh Traders (new customer) · ₹12,500.00 · due Fri 27 Nov · #A-102\n  Save this invoice? Reply "yes" to save or "no" to drop it.',
    );
    expect(transcript).toContain('bot → owner: Saved ✓ Ramesh Traders · ₹12,500.00 · due Fri 27 Nov · #A-102');
    const invoice = await db.prisma.invoice.findFirst({ where: { number: 'A-102' }, include: { debtor: true } });
    expect(invoice?.debtor.name).toBe('Ramesh Traders');
    expect(invoice?.amountMinor).toBe(1_250_000n);
    expect(day(invoice?.dueOn ?? null)).toBe('2026-11-27');
    expect((await dataCounts(db)).invoices).toBe(before.invoices + 1);
  });

  it('reads "Sharma medical 1.2 lakh due in 15 days", and "no" drops it without saving anything', async () => {
    const before = await dataCounts(db);
    const transcript = await chat(db, ['Sharma medical 1.2 lakh due in 15 days', 'no']);
    expect(transcript).toContain(
      'bot → owner: Sharma medical (new customer) · ₹1,20,000.00 · due Sun 6 Dec · #number given on saving\n  Save this invoice? Reply "yes" to save or "no" to drop it.\n  [1] Save  [2] No',
    );
    expect(transcript).toContain('bot → owner: Okay, I left everything as it was.');
    expect(await dataCounts(db)).toEqual(before);
    expect(await db.prisma.debtor.findFirst({ where: { nameKey: 'sharma medical' } })).toBeNull();
  });

  it('shows a natural-language invoice back in Hindi to an owner who chose Hindi, and saves it on "हाँ"', async () => {
    const transcript = await chat(db, ['hindi', 'Sharma medical 1.2 lakh due in 15 days', 'हाँ', 'english']);
    expect(transcript).toContain(
      'bot → owner: Sharma medical (नया ग्राहक) · ₹1,20,000.00 · देय रवि 6 दिस॰ · #नंबर सेव करते समय मिलेगा\n  यह बिल सेव करूँ? सेव करने के लिए "yes", छोड़ने के लिए "no" भेजें।\n  [1] सेव करें  [2] नहीं',
    );
    expect(transcript).toMatch(/bot → owner: सेव हो गया ✓ Sharma medical · ₹1,20,000\.00 · देय रवि 6 दिस॰ · #INV-\d{4}/);
    const invoice = await db.prisma.invoice.findFirstOrThrow({ where: { debtor: { nameKey: 'sharma medical' } } });
    expect(invoice.amountMinor).toBe(12_000_000n);
    expect(day(invoice.dueOn)).toBe('2026-12-06');
  });
});

describe.each(testEngines)('the owner\'s invoices on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  beforeAll(async () => {
    db = await engine.open();
    await chat(db, [...ONBOARD, 'add Ramesh Traders 12500 due 30 Nov #A-102', 'yes', 'add Ramesh Traders 8000 due 10 Dec #A-103', 'yes']);
    businessId = (await db.prisma.business.findFirstOrThrow()).id;
  });
  afterAll(async () => db?.destroy());

  it('stores "+91 98123 45678" and "9812345678" as E.164 phone numbers on new debtors', async () => {
    const transcript = await chat(db, ['add Ramdev Stores 5000 +91 98123 45678 #R-1', 'yes', 'add Gupta Stores 2000 9812345679 #G-1', 'yes']);
    expect(transcript).toContain('bot → owner: Saved ✓ Ramdev Stores · ₹5,000.00 · due Mon 21 Dec (30-day terms) · #R-1');
    expect(transcript).toContain('bot → owner: Saved ✓ Gupta Stores · ₹2,000.00 · due Mon 21 Dec (30-day terms) · #G-1');
    expect(await db.prisma.debtor.findFirstOrThrow({ where: { nameKey: 'ramdev stores' } })).toMatchObject({ phone: '+919812345678' });
    expect(await db.prisma.debtor.findFirstOrThrow({ where: { nameKey: 'gupta stores' } })).toMatchObject({ phone: '+919812345679' });
    const r1 = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'R-1' } });
    expect(day(r1.dueOn)).toBeNull(); // no due date given: the 30-day terms apply, nothing is stored
  });

  it('asks which customer "Ram" means, and picking 1 adds the invoice to that existing debtor', async () => {
    const ramdev = await db.prisma.debtor.findFirstOrThrow({ where: { nameKey: 'ramdev stores' } });
    const before = await dataCounts(db);
    const transcript = await chat(db, ['Ram owes 700 #R-3']);
    expect(transcript).toContain(
      'bot → owner: Which customer do you mean by "Ram"? Reply with the number.\n  [1] Ramdev Stores  [2] Ramesh Traders  [3] a new customer "Ram"',
    );
    expect(await dataCounts(db)).toEqual(before);
    const picked = await chat(db, ['1', 'yes']);
    expect(picked).toContain('bot → owner: Ramdev Stores · ₹700.00 · due Mon 21 Dec (30-day terms) · #R-3\n  Save this invoice?');
    expect(picked).toContain('bot → owner: Saved ✓ Ramdev Stores · ₹700.00 · due Mon 21 Dec (30-day terms) · #R-3');
    const r3 = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'R-3' } });
    expect(r3.debtorId).toBe(ramdev.id);
    expect(await db.prisma.debtor.count()).toBe(before.debtors);
  });

  it('picking "a new customer" creates a debtor named as the owner typed it', async () => {
    const before = await dataCounts(db);
    const transcript = await chat(db, ['add Ram 800 #R-4', '3', 'yes']);
    expect(transcript).toContain('[1] Ramdev Stores  [2] Ramesh Traders  [3] a new customer "Ram"');
    expect(transcript).toContain('bot → owner: Ram (new customer) · ₹800.00 · due Mon 21 Dec (30-day terms) · #R-4');
    expect(transcript).toContain('bot → owner: Saved ✓ Ram · ₹800.00 · due Mon 21 Dec (30-day terms) · #R-4');
    const r4 = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'R-4' }, include: { debtor: true } });
    expect(r4.debtor).toMatchObject({ name: 'Ram', nameKey: 'ram', businessId });
    expect(await db.prisma.debtor.count()).toBe(before.debtors + 1);
  });

  it('a number out of range while choosing a customer is asked again, and nothing is saved', async () => {
    const before = await dataCounts(db);
    const transcript = await chat(db, ['add Gup 100 #G-9', '7', 'cancel']);
    // "Gup" matches one debtor only, but a new customer is always offered when adding.
    expect(transcript).toContain('bot → owner: Which customer do you mean by "Gup"? Reply with the number.\n  [1] Gupta Stores  [2] a new customer "Gup"');
    expect(transcript).toContain('bot → owner: Please reply with a number from 1 to 2, or "cancel".');
    expect(await dataCounts(db)).toEqual(before);
  });

  it('edits the amount and the due date, each change with an audit row', async () => {
    const transcript = await chat(db, ['edit A-103 amount 9000', 'edit A-103 due 15 Dec']);
    expect(transcript).toContain('bot → owner: Updated #A-103: amount ₹9,000.00 (was ₹8,000.00).');
    expect(transcript).toContain('bot → owner: Updated #A-103: now due Tue 15 Dec.');
    const a103 = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'A-103' } });
    expect(a103.amountMinor).toBe(900_000n);
    expect(day(a103.dueOn)).toBe('2026-12-15');
    const edits = await db.prisma.auditEvent.findMany({ where: { action: 'invoice.edited', entityId: a103.id }, orderBy: { createdAt: 'asc' } });
    expect(edits.map((e) => e.data)).toEqual([
      { before: { amountMinor: 800_000 }, after: { amountMinor: 900_000 } },
      { before: { dueOn: '2026-12-10' }, after: { dueOn: '2026-12-15' } },
    ]);
  });

  it('refuses to lower an amount below what was already paid, and changes nothing', async () => {
    const paid = await chat(db, ['Ramesh Traders paid 5000']);
    expect(paid).toContain('• #A-102: ₹5,000.00 — ₹7,500.00 still due');
    const before = await dataCounts(db);
    const transcript = await chat(db, ['edit A-102 amount 4000', 'hindi', 'edit A-102 amount 4,999.99', 'english']);
    expect(transcript).toContain("bot → owner: ₹5,000.00 has already been paid on #A-102, so the amount can't be less than that.");
    expect(transcript).toContain('bot → owner: #A-102 पर ₹5,000.00 पहले ही मिल चुका है, इसलिए रकम उससे कम नहीं हो सकती।');
    const a102 = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'A-102' } });
    expect(a102.amountMinor).toBe(1_250_000n);
    expect(a102.status).toBe('open');
    // The two language switches are audited; no invoice edit is.
    expect(await dataCounts(db)).toEqual({ ...before, audit: before.audit + 2 });
  });

  it('an edit without a field or with a bad amount explains the form and changes nothing', async () => {
    const before = await dataCounts(db);
    const transcript = botLines(await chat(db, ['edit A-102', 'edit A-102 amount 12.555', 'edit A-102 due 31 Feb']));
    expect(transcript).toContain('bot → owner: To change an invoice: edit A-102 amount 13000, or edit A-102 due 5 Dec.');
    expect(transcript).toContain('bot → owner: INR amounts have at most 2 decimal places ("12.555"). For example: 12500.50.');
    expect(transcript).toContain('bot → owner: "31 Feb" isn\'t a date I can use.');
    expect(await dataCounts(db)).toEqual(before);
  });

  it('cancels an invoice only after asking, and a cancelled invoice leaves the list', async () => {
    const asked = await chat(db, ['cancel invoice A-103']);
    expect(asked).toContain(
      'bot → owner: Cancel invoice #A-103 (Ramesh Traders, ₹9,000.00)? No more reminders will go for it.\n  [1] Cancel invoice  [2] No',
    );
    expect(await db.prisma.invoice.findFirstOrThrow({ where: { number: 'A-103' } })).toMatchObject({ status: 'open', closedAt: null });
    const transcript = await chat(db, ['yes', 'list']);
    expect(transcript).toContain('bot → owner: Invoice #A-103 is cancelled.');
    expect(transcript.slice(transcript.indexOf('owner> list'))).not.toContain('#A-103');
    const a103 = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'A-103' } });
    expect(a103.status).toBe('cancelled');
    expect(a103.closedAt).not.toBeNull();
    expect(await db.prisma.auditEvent.count({ where: { action: 'invoice.cancelled', entityId: a103.id } })).toBe(1);
    const list = await chat(db, ['list']);
    expect(list).toContain('bot → owner: Open invoices: 5 · ');
    expect(list).not.toContain('A-103');
    expect(await chat(db, ['cancel invoice A-103'])).toContain('bot → owner: Invoice #A-103 is already closed, so I left it as it is.');
  });

  it('keeps the invoice when the owner answers "no" to cancelling it, in Hindi too', async () => {
    const before = await dataCounts(db);
    const transcript = await chat(db, ['hindi', 'cancel invoice R-1', 'नहीं', 'english']);
    expect(transcript).toContain(
      'bot → owner: बिल #R-1 (Ramdev Stores, ₹5,000.00) रद्द करूँ? इसके लिए कोई रिमाइंडर नहीं जाएगा।\n  [1] बिल रद्द करें  [2] नहीं',
    );
    expect(transcript).toContain('bot → owner: ठीक है, मैंने कुछ नहीं बदला।');
    expect(await db.prisma.invoice.findFirstOrThrow({ where: { number: 'R-1' } })).toMatchObject({ status: 'open', closedAt: null });
    expect(await dataCounts(db)).toEqual({ ...before, audit: before.audit + 2 });
  });

  it('marks an invoice disputed, shows it on the statement, and resolves it', async () => {
    const a102 = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'A-102' } });
    const transcript = await chat(db, ['dispute A-102 wrong amount', 'dispute A-102', 'Ramesh Traders']);
    expect(transcript).toContain('bot → owner: Marked #A-102 as disputed. No reminders will go for it until you send "resolve A-102".');
    expect(transcript).toContain('bot → owner: #A-102 is already marked as disputed.');
    expect(transcript).toContain('• #A-102: ₹7,500.00 of ₹12,500.00 · due Mon 30 Nov (in 9 days) · disputed');
    expect(await db.prisma.dispute.findMany({ where: { invoiceId: a102.id } })).toMatchObject([{ status: 'open', reason: 'wrong amount', businessId }]);

    const resolved = await chat(db, ['resolve A-102', 'resolve A-102']);
    expect(resolved).toContain('bot → owner: The dispute on #A-102 is resolved; reminders can go again.');
    expect(resolved).toContain('bot → owner: #A-102 has no open dispute.');
    const disputes = await db.prisma.dispute.findMany({ where: { invoiceId: a102.id } });
    expect(disputes).toHaveLength(1);
    expect(disputes[0]!.status).toBe('resolved');
    expect(disputes[0]!.resolvedAt).not.toBeNull();
    const actions = (await db.prisma.auditEvent.findMany({ where: { entityId: a102.id }, orderBy: { createdAt: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['dispute.opened', 'dispute.resolved']));
    expect(actions.filter((a) => a === 'dispute.opened')).toHaveLength(1);
  });

  it.each([
    ['edit ZZ-9 amount 100'],
    ['edit ZZ-9 due 5 Dec'],
    ['cancel invoice ZZ-9'],
    ['dispute ZZ-9 wrong amount'],
    ['resolve ZZ-9'],
  ])('"%s" names an unknown invoice: it says so and changes nothing', async (line) => {
    const before = await dataCounts(db);
    const transcript = await chat(db, [line]);
    expect(transcript).toContain('bot → owner: I can\'t find invoice #ZZ-9. Send "list" to see open invoices.');
    expect(await dataCounts(db)).toEqual(before);
    expect(await chat(db, ['yes'])).toContain('There is nothing waiting for a yes or no.');
  });

  const pasted = [
    'Patel Kirana, +91 98123 45671, P-1, 7500, 2026-11-01, 2026-12-01',
    'Bad Line Only',
    'Meena Medical, , M-1, 12abc',
    'Khan Auto Parts, 9812345672, K-1, 3000',
  ];

  it('imports lines pasted after "import" on "done": good rows saved, bad rows reported by line', async () => {
    const before = await dataCounts(db);
    const transcript = await chat(db, ['import', ...pasted, 'done']);
    expect(transcript).toContain(
      'bot → owner: Send the CSV file, or paste the lines (customer, phone, invoice no., amount, issue date, due date). Send "done" when finished, or "cancel".',
    );
    expect(transcript).toContain(
      [
        'bot → owner: Import done: 2 invoice(s) saved (2 new customer(s)), 0 already here, 0 conflicting, 2 with problems.',
        '  • line 2: Expected 6 columns in this order: customer, phone, invoice number, amount, issue date, due date (the dates may be left out); found 1.',
        '  • line 3: The amount "12abc" is not valid: it has letters in it.',
      ].join('\n'),
    );
    // The pasted lines themselves get no answer until "done".
    expect(botLines(transcript).split('\n').filter((l) => l.startsWith('bot → ')).length).toBe(2);
    const p1 = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'P-1' }, include: { debtor: true } });
    expect(p1).toMatchObject({ amountMinor: 750_000n, businessId });
    expect(day(p1.issuedOn)).toBe('2026-11-01');
    expect(day(p1.dueOn)).toBe('2026-12-01');
    expect(p1.debtor).toMatchObject({ name: 'Patel Kirana', phone: '+919812345671' });
    const k1 = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'K-1' }, include: { debtor: true } });
    expect(k1.debtor.phone).toBe('+919812345672');
    expect(day(k1.issuedOn)).toBe('2026-11-21');
    expect(await db.prisma.invoice.findFirst({ where: { number: 'M-1' } })).toBeNull();
    const after = await dataCounts(db);
    expect(after.invoices).toBe(before.invoices + 2);
    expect(after.debtors).toBe(before.debtors + 2);
    expect(await db.prisma.auditEvent.count({ where: { action: 'invoice.imported' } })).toBe(1);
  });

  it('re-sending the same pasted lines creates nothing', async () => {
    const before = await dataCounts(db);
    const transcript = await chat(db, ['import', ...pasted, 'done']);
    expect(transcript).toContain('bot → owner: Import done: 0 invoice(s) saved (0 new customer(s)), 2 already here, 0 conflicting, 2 with problems.');
    const after = await dataCounts(db);
    expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
  });

  it('"cancel" during an import saves none of the lines pasted so far', async () => {
    const before = await dataCounts(db);
    const transcript = await chat(db, ['import', 'Verma Electronics, , V-1, 4000', 'cancel']);
    expect(transcript).toContain('bot → owner: Okay, cancelled. Nothing was saved.');
    expect(await dataCounts(db)).toEqual(before);
  });

  it('imports a multi-line "import" message at once, reporting a conflicting number and a duplicate line', async () => {
    const before = await dataCounts(db);
    const replies = await sendAsOwner(
      db,
      ['import', 'Das Textiles, , D-1, 2500, 2026-10-01, 2026-10-31', 'Das Textiles, , D-1, 2500', 'Ramesh Traders, , A-102, 99999', 'Das Textiles, , D-2, -5'].join('\n'),
    );
    expect(replies).toEqual([
      [
        'Import done: 1 invoice(s) saved (1 new customer(s)), 0 already here, 1 conflicting, 2 with problems.',
        '• line 2: Duplicate invoice number in this file, first on line 1.',
        '• line 3: #A-102 already exists with a different amount; I kept the one I have',
        '• line 4: The amount "-5" is not valid: it must be more than zero.',
      ].join('\n'),
    ]);
    const d1 = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'D-1' } });
    expect(d1.amountMinor).toBe(250_000n);
    expect(day(d1.dueOn)).toBe('2026-10-31');
    expect((await db.prisma.invoice.findFirstOrThrow({ where: { number: 'A-102' } })).amountMinor).toBe(1_250_000n);
    const after = await dataCounts(db);
    expect(after.invoices).toBe(before.invoices + 1);
    expect(after.debtors).toBe(before.debtors + 1);
    // The same message again: already here, nothing new.
    const again = await sendAsOwner(db, ['import', 'Das Textiles, , D-1, 2500, 2026-10-01, 2026-10-31'].join('\n'));
    expect(again[0]).toContain('Import done: 0 invoice(s) saved (0 new customer(s)), 1 already here, 0 conflicting, 0 with problems.');
    expect((await dataCounts(db)).invoices).toBe(after.invoices);
  });

  it('reports import problems in Hindi to an owner who chose Hindi', async () => {
    const before = await dataCounts(db);
    const replies = await sendAsOwner(db, 'hindi');
    expect(replies).toEqual(['ठीक है, अब से मैं हिंदी में लिखूँगा।']);
    const report = await sendAsOwner(db, 'import\nMeena Medical, , M-1, 12abc');
    expect(report[0]).toContain('इम्पोर्ट पूरा: 0 बिल सेव (0 नए ग्राहक), 0 पहले से थे, 0 टकराव, 1 में समस्या।');
    expect(report[0]).toContain('• लाइन 1: राशि "12abc" समझ नहीं आई');
    await sendAsOwner(db, 'english');
    expect({ ...(await dataCounts(db)), audit: 0 }).toEqual({ ...before, audit: 0 });
  });

  it('"export" prints the open invoices as CSV, without cancelled ones', async () => {
    const transcript = await chat(db, ['export']);
    const lines = transcript.split('\n');
    const at = lines.findIndex((l) => l.startsWith('bot → owner: Here are your '));
    expect(lines[at]).toBe('bot → owner: Here are your 8 open invoice(s): open-invoices-2026-11-21.csv');
    expect(lines[at + 1]).toBe('  📎 open-invoices-2026-11-21.csv:');
    expect(lines[at + 2]).toBe('  Debtor,Phone,Invoice number,Issue date,Due date,Amount,Paid,Balance,Currency,Days overdue');
    const rows = lines.slice(at + 3).filter((l) => l.startsWith('  ')).map((l) => l.slice(2));
    expect(rows).toHaveLength(8);
    expect(rows).toContain('Ramesh Traders,,A-102,2026-11-21,2026-11-30,12500.00,5000.00,7500.00,INR,0');
    expect(rows).toContain('Ramdev Stores,+919812345678,R-1,2026-11-21,,5000.00,0.00,5000.00,INR,0');
    expect(rows).toContain('Das Textiles,,D-1,2026-10-01,2026-10-31,2500.00,0.00,2500.00,INR,21');
    expect(rows.some((r) => r.includes('A-103'))).toBe(false);
  });

  it('"export Ramesh" prints that customer\'s statement as CSV', async () => {
    const transcript = await chat(db, ['export Ramesh']);
    expect(transcript).toContain('bot → owner: Statement of Ramesh Traders: statement-ramesh-traders-2026-11-21.csv\n  📎 statement-ramesh-traders-2026-11-21.csv:\n  Date,Entry,Reference,Due date,Invoiced,Received,Balance,Status,Details');
    expect(transcript).toContain('2026-11-21,Invoice,A-102,2026-11-30,12500.00,,');
    expect(transcript).toMatch(/\n {2}2026-11-21,Payment,[^\n]*,5000\.00,/);
    expect(transcript).toContain(',Balance due,,,,,7500.00,,');
    expect(transcript).not.toContain('Ramdev');
    expect(await chat(db, ['export Nobody'])).toContain('bot → owner: I have no customer called "Nobody". Send "list" to see your customers\' invoices.');
  });
});

describe.each(testEngines)('customer names, years and Hinglish commands on $name', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
    await chat(db, [...ONBOARD, 'add Ramesh Traders 12500 due 30 Nov #A-102', 'yes']);
  });
  afterAll(async () => db?.destroy());

  it('"add Shop 24 Traders 500 due 30 Dec" saves "Shop 24 Traders" with ₹500.00, and its name works for statement, link and payment', async () => {
    const added = await chat(db, ['add Shop 24 Traders 500 due 30 Dec #S-1', 'yes']);
    expect(added).toContain('bot → owner: Shop 24 Traders (new customer) · ₹500.00 · due Wed 30 Dec · #S-1');
    expect(added).toContain('bot → owner: Saved ✓ Shop 24 Traders · ₹500.00 · due Wed 30 Dec · #S-1');
    const statement = await chat(db, ['Shop 24 Traders', 'statement Shop 24 Traders']);
    expect(statement).not.toContain("didn't understand");
    expect(statement.match(/Shop 24 Traders/g)?.length).toBeGreaterThanOrEqual(2);
    const link = await chat(db, ['link Shop 24 Traders']);
    expect(link).not.toContain("didn't understand");
    expect(link).toContain('Shop 24 Traders');
    await chat(db, ['Shop 24 Traders paid 200', 'yes']);
    const debtor = await db.prisma.debtor.findFirstOrThrow({ where: { nameKey: 'shop 24 traders' } });
    expect((await db.prisma.payment.findFirstOrThrow({ where: { debtorId: debtor.id } })).amountMinor).toBe(20_000n);
  });

  it('a due date in another year is confirmed and listed with its year', async () => {
    const transcript = await chat(db, ['add Old Bill Co 700 due 5 Dec 2025 #O-1', 'yes', 'add Far Back Co 900 due 5 Dec 2024 #F-1', 'list']);
    expect(transcript).toContain('bot → owner: Old Bill Co (new customer) · ₹700.00 · due Fri 5 Dec 2025 · #O-1');
    expect(transcript).toContain('bot → owner: Far Back Co (new customer) · ₹900.00 · due Thu 5 Dec 2024 · #F-1');
    expect(transcript).toMatch(/Old Bill Co · #O-1 · ₹700\.00 · due Fri 5 Dec 2025[^\n]*351 days/);
    expect(transcript).toContain('due Mon 30 Nov'); // this year's dates stay short
  });

  it('"Ramesh Traders ne 500 diye" records a payment, and "सूची" and "kisko call karu aaj" are understood', async () => {
    const transcript = await chat(db, ['Ramesh Traders ne 500 diye', 'yes', 'सूची', 'kisko call karu aaj']);
    expect(transcript).not.toContain("didn't understand");
    const debtor = await db.prisma.debtor.findFirstOrThrow({ where: { nameKey: 'ramesh traders' } });
    expect((await db.prisma.payment.findFirstOrThrow({ where: { debtorId: debtor.id } })).amountMinor).toBe(50_000n);
    expect(transcript).toMatch(/Open invoices: \d+/);
  });

  it('"Agarwal Steel ko 2,35,000 dena hai 15 jan tak" offers an invoice of ₹2,35,000.00 due 15 Jan next year', async () => {
    const transcript = await chat(db, ['Agarwal Steel ko 2,35,000 dena hai 15 jan tak', 'no']);
    expect(transcript).toContain('bot → owner: Agarwal Steel (new customer) · ₹2,35,000.00 · due Fri 15 Jan 2027 ·');
  });

  it('a name typed with zero-width or direction marks is the existing customer, not a new one', async () => {
    const before = await db.prisma.debtor.count();
    const transcript = await chat(db, ['add \u202aRamesh\u200b Tra\u2066ders\u202c 100 due 30 Dec #Z-1', 'yes']);
    expect(transcript).toContain('bot → owner: Ramesh Traders · ₹100.00 · due Wed 30 Dec · #Z-1');
    expect(transcript).not.toContain('new customer');
    expect(await db.prisma.debtor.count()).toBe(before);
  });

  it('warns, naming the customer, when a customer is given a phone number another customer has', async () => {
    await chat(db, ['add Sharma Stores 500 9812345670 #P-1', 'yes']);
    const transcript = await chat(db, ['add Verma Stores 600 9812345670 #P-2', 'yes']);
    expect(transcript).toContain('bot → owner: Note: +919812345670 is already the phone number of Sharma Stores. Check it before saving.');
    // A customer's own number is no warning.
    const own = await chat(db, ['add Gupta Stores 300 9812345671 #P-3', 'yes', 'add Gupta Stores 200 9812345671 #P-4', 'no']);
    expect(own).toContain('bot → owner: Gupta Stores · ₹200.00');
    expect(own).not.toContain('already the phone number');
  });
});

describe.each(testEngines)('import answers on $name', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
    await chat(db, ONBOARD);
  });
  afterAll(async () => db?.destroy());

  it('reads pasted lines in another column order by what their columns hold, and says which column was read as which', async () => {
    const replies = await sendAsOwner(db, 'import\nSharma Stores, S-1, 4000, 1/11/2026, 30/11/2026\nVerma Stores, S-2, 2500, 2/11/2026, 2/12/2026');
    expect(replies).toEqual([
      [
        'Import done: 2 invoice(s) saved (2 new customer(s)), 0 already here, 0 conflicting, 0 with problems.',
        'Your lines have no header line, so I went by what each column holds and read them in this order: customer, invoice number, amount, issue date, due date. If that is wrong, put a header line first, for example: customer, invoice no, amount, due date.',
      ].join('\n'),
    ]);
    const s1 = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'S-1' }, include: { debtor: true } });
    expect(s1).toMatchObject({ amountMinor: 400_000n, debtor: { name: 'Sharma Stores', phone: null } });
    expect(day(s1.dueOn)).toBe('2026-11-30');
  });

  it('answers pasted lines the fixed order misreads, and whose columns cannot be told apart, with the order they were read in, in English and Hindi', async () => {
    const [english] = await sendAsOwner(db, 'import\nMehta Foods, 77, 12500, 1/11/2026');
    expect(english!.split('\n').slice(0, 3)).toEqual([
      'Import done: 0 invoice(s) saved (0 new customer(s)), 0 already here, 0 conflicting, 2 with problems.',
      'Without a header line I read the columns in this order: customer, phone, invoice number, amount, issue date, due date. If yours are in another order, put a header line first, for example: customer, invoice no, amount, due date.',
      '• line 1: The phone number "77" is not valid.',
    ]);
    await sendAsOwner(db, 'hindi');
    const [hindi] = await sendAsOwner(db, 'import\nMehta Foods, 77, 12500, 1/11/2026');
    await sendAsOwner(db, 'english');
    expect(hindi).toContain('हेडर लाइन न होने पर मैंने कॉलम इस क्रम में पढ़े: ग्राहक, फ़ोन, बिल नंबर, राशि, बिल की तारीख, देय तिथि.');
    // With the header line the note suggests, the same line is read.
    const [fixed] = await sendAsOwner(db, 'import\ncustomer, invoice no, amount, date\nMehta Foods, 77, 12500, 1/11/2026');
    expect(fixed).toBe('Import done: 1 invoice(s) saved (1 new customer(s)), 0 already here, 0 conflicting, 0 with problems.');
  });

  it('an imported customer given the phone number of another customer is saved, and the owner is told to check it', async () => {
    await sendAsOwner(db, 'import\ncustomer, phone, invoice no, amount, due date\nKapoor Sweets, 9812345678, K-1, 1500, 30/12/2026');
    const [answer] = await sendAsOwner(db, 'import\ncustomer, phone, invoice no, amount, due date\nKapur Sweets, 9812345678, K-2, 900, 30/12/2026');
    expect(answer).toContain('Note: +919812345678 is now the phone number of both Kapur Sweets and Kapoor Sweets. Check which is right.');
    expect(await db.prisma.debtor.count({ where: { phone: '+919812345678' } })).toBe(2);
  });

  it('with more than 10 problems shows the first 10 and attaches a CSV file holding every problem row', async () => {
    const bad = Array.from({ length: 12 }, (_, i) => `Bad Co ${i + 1}, , B-${i + 1}, abc`);
    const [answer] = await answersToOwner(db, ['import', ...bad].join('\n'));
    const shown = answer!.body.split('\n');
    expect(shown[0]).toBe('Import done: 0 invoice(s) saved (0 new customer(s)), 0 already here, 0 conflicting, 12 with problems.');
    expect(shown.filter((l) => l.startsWith('• line '))).toHaveLength(10);
    expect(shown.at(-1)).toBe('…and 2 more. Every problem is listed in the file import-problems-2026-11-21.csv.');
    const rows = bad.map((_, i) => `${i + 1},"line ${i + 1}: The amount ""abc"" is not valid: it has letters in it."`);
    expect(answer!.attachment).toEqual({ fileName: 'import-problems-2026-11-21.csv', mimeType: 'text/csv', content: ['line,problem', ...rows].join('\n') + '\n' });
    // Ten problems or fewer: no file.
    const [few] = await answersToOwner(db, ['import', ...bad.slice(0, 10)].join('\n'));
    expect(few!.attachment).toBeNull();
  });
});
