// The owner's assistant, payments: "Ramesh Traders paid 5000" recorded and allocated oldest first
// (or to the invoice named), partial and over-payments, promises kept, a guessed name confirmed
// first, and "undo" taking a payment back, through the console chat on each engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { ManualClock } from '../../src/clock.ts';
import { planReminders } from '../../src/scheduler/plan.ts';
import { applyDebtorCredit, reversePayment } from '../../src/store/payments.ts';
import { botLines, chat, ONBOARD, TEST_NOW } from '../support/transcript.ts';

async function dataCounts(db: TestDatabase) {
  const p = db.prisma;
  return {
    payments: await p.payment.count(),
    reversed: await p.payment.count({ where: { reversedAt: { not: null } } }),
    allocations: await p.paymentAllocation.count(),
    openInvoices: await p.invoice.count({ where: { status: 'open' } }),
    keptPromises: await p.paymentPromise.count({ where: { status: 'kept' } }),
    audit: await p.auditEvent.count(),
  };
}

function day(date: Date | null): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

describe.each(testEngines)('payments by message on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  const invoiceIds: Record<string, string> = {};

  async function invoiceState(number: string) {
    const invoice = await db.prisma.invoice.findFirstOrThrow({ where: { number } });
    return { status: invoice.status, closed: invoice.closedAt !== null };
  }

  beforeAll(async () => {
    db = await engine.open();
    await chat(db, [
      ...ONBOARD,
      'add Ramesh Traders 5000 due 1 Nov #A-101',
      'yes',
      'add Ramesh Traders 12500 due 30 Nov #A-102',
      'yes',
      'add Ramesh Traders 8000 due 10 Dec #A-103',
      'yes',
      'add Sharma Medical 12500 due 5 Nov #S-1',
      'yes',
    ]);
    businessId = (await db.prisma.business.findFirstOrThrow()).id;
    for (const invoice of await db.prisma.invoice.findMany()) invoiceIds[invoice.number] = invoice.id;
    expect(Object.keys(invoiceIds).sort()).toEqual(['A-101', 'A-102', 'A-103', 'S-1']);
  });
  afterAll(async () => db?.destroy());

  it('"Ramesh Traders paid 7000" (the exact name) is recorded at once, oldest invoice first, leaving a balance on the next', async () => {
    const transcript = await chat(db, ['Ramesh Traders paid 7000']);
    expect(transcript).toContain(
      [
        'bot → owner: Recorded ₹7,000.00 from Ramesh Traders:',
        '  • #A-101: ₹5,000.00 — paid in full ✓',
        '  • #A-102: ₹2,000.00 — ₹10,500.00 still due',
        '  Made a mistake? Send "undo".',
      ].join('\n'),
    );
    const payment = await db.prisma.payment.findFirstOrThrow({ include: { allocations: true, debtor: true } });
    expect(payment).toMatchObject({ businessId, amountMinor: 700_000n, currency: 'INR', method: null, reference: null, source: 'owner', reversedAt: null });
    expect(payment.debtor.name).toBe('Ramesh Traders');
    expect(day(payment.receivedOn)).toBe('2026-11-21');
    expect(payment.allocations.map((a) => [a.invoiceId, a.amountMinor]).sort()).toEqual(
      [
        [invoiceIds['A-101'], 500_000n],
        [invoiceIds['A-102'], 200_000n],
      ].sort(),
    );
    expect(await invoiceState('A-101')).toEqual({ status: 'paid', closed: true });
    expect(await invoiceState('A-102')).toEqual({ status: 'open', closed: false });
    expect(await db.prisma.auditEvent.count({ where: { action: 'payment.recorded', entityId: payment.id } })).toBe(1);
    const list = await chat(db, ['list']);
    expect(list).toContain('  1. Sharma Medical · #S-1 · ₹12,500.00 · due Thu 5 Nov (16 days overdue)');
    expect(list).toContain('  2. Ramesh Traders · #A-102 · ₹10,500.00 · due Mon 30 Nov (in 9 days)');
    expect(list).not.toContain('#A-101');
  });

  it('"paid 1000 for bill A-103" pays the named invoice first, though an older one is open', async () => {
    const transcript = await chat(db, ['Ramesh Traders paid 1000 for bill A-103']);
    expect(transcript).toContain(
      'bot → owner: Recorded ₹1,000.00 from Ramesh Traders:\n  • #A-103: ₹1,000.00 — ₹7,000.00 still due\n  Made a mistake? Send "undo".',
    );
    const payment = await db.prisma.payment.findFirstOrThrow({ where: { amountMinor: 100_000n }, include: { allocations: true } });
    expect(payment.allocations.map((a) => [a.invoiceId, a.amountMinor])).toEqual([[invoiceIds['A-103'], 100_000n]]);
  });

  it('a payment naming another customer\'s invoice is refused, and nothing is written', async () => {
    const before = await dataCounts(db);
    const transcript = await chat(db, ['Ramesh Traders paid 1000 for bill S-1']);
    expect(transcript).toContain('bot → owner: Invoice #S-1 isn\'t one of Ramesh Traders\'. Check the number with "Ramesh Traders".');
    expect(await dataCounts(db)).toEqual(before);
  });

  it('an overpayment closes every open invoice and keeps the rest as credit', async () => {
    const transcript = await chat(db, ['Ramesh Traders paid 20000', 'Ramesh Traders']);
    expect(transcript).toContain(
      [
        'bot → owner: Recorded ₹20,000.00 from Ramesh Traders:',
        '  • #A-102: ₹10,500.00 — paid in full ✓',
        '  • #A-103: ₹7,000.00 — paid in full ✓',
        '  • ₹2,500.00 more than was owed, kept as credit.',
        '  Made a mistake? Send "undo".',
      ].join('\n'),
    );
    expect(transcript).toContain('  Credit: ₹2,500.00');
    for (const number of ['A-101', 'A-102', 'A-103']) expect(await invoiceState(number)).toEqual({ status: 'paid', closed: true });
    const payment = await db.prisma.payment.findFirstOrThrow({ where: { amountMinor: 2_000_000n }, include: { allocations: true } });
    expect(payment.allocations.reduce((sum, a) => sum + a.amountMinor, 0n)).toBe(1_750_000n);
  });

  it('a name that is only a guess ("Ramesh") asks before recording, and "no" writes nothing', async () => {
    const before = await dataCounts(db);
    const transcript = await chat(db, ['Ramesh paid 100']);
    expect(transcript).toContain('bot → owner: Record ₹100.00 received from Ramesh Traders?\n  [1] Record it  [2] No');
    expect(await dataCounts(db)).toEqual(before);
    expect(await chat(db, ['no'])).toContain('bot → owner: Okay, I left everything as it was.');
    expect(await dataCounts(db)).toEqual(before);
  });

  it('"received 12,500 from Sharma by UPI ref 4417" confirms the guessed name, stores UPI and the reference, and keeps the open promise', async () => {
    const sharma = await db.prisma.debtor.findFirstOrThrow({ where: { nameKey: 'sharma medical' } });
    const promise = await db.prisma.paymentPromise.create({
      data: { businessId, debtorId: sharma.id, invoiceId: invoiceIds['S-1']!, amountMinor: 1_250_000n, promisedOn: new Date('2026-11-25T00:00:00Z'), createdAt: TEST_NOW },
    });
    const asked = await chat(db, ['received 12,500 from Sharma by UPI ref 4417']);
    expect(asked).toContain('bot → owner: Record ₹12,500.00 received from Sharma Medical?\n  [1] Record it  [2] No');
    expect(await db.prisma.payment.count({ where: { debtorId: sharma.id } })).toBe(0);

    const transcript = await chat(db, ['yes']);
    expect(transcript).toContain(
      [
        'bot → owner: Recorded ₹12,500.00 from Sharma Medical (UPI, ref 4417):',
        '  • #S-1: ₹12,500.00 — paid in full ✓',
        '  Their promise is marked kept.',
        '  Made a mistake? Send "undo".',
      ].join('\n'),
    );
    const payment = await db.prisma.payment.findFirstOrThrow({ where: { debtorId: sharma.id } });
    expect(payment).toMatchObject({ amountMinor: 1_250_000n, method: 'upi', reference: '4417', source: 'owner' });
    expect(await invoiceState('S-1')).toEqual({ status: 'paid', closed: true });
    const kept = await db.prisma.paymentPromise.findUniqueOrThrow({ where: { id: promise.id } });
    expect(kept).toMatchObject({ status: 'kept', keptByPaymentId: payment.id });
    expect(kept.resolvedAt).not.toBeNull();
  });

  it('"undo" asks, then reverses the last payment: invoice open again, promise open again', async () => {
    const sharma = await db.prisma.debtor.findFirstOrThrow({ where: { nameKey: 'sharma medical' } });
    const payment = await db.prisma.payment.findFirstOrThrow({ where: { debtorId: sharma.id } });
    const asked = await chat(db, ['undo']);
    expect(asked).toContain(
      'bot → owner: Undo the payment of ₹12,500.00 from Sharma Medical (Sat 21 Nov)? Its invoices will be open again.\n  [1] Undo it  [2] No',
    );
    expect((await db.prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).reversedAt).toBeNull();

    const transcript = await chat(db, ['yes', 'list']);
    expect(transcript).toContain('bot → owner: Undone: ₹12,500.00 from Sharma Medical. Their invoices are open again.');
    expect(transcript).toContain('  1. Sharma Medical · #S-1 · ₹12,500.00 · due Thu 5 Nov (16 days overdue)');
    const reversed = await db.prisma.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(reversed.reversedAt).not.toBeNull();
    expect(await invoiceState('S-1')).toEqual({ status: 'open', closed: false });
    const promise = await db.prisma.paymentPromise.findFirstOrThrow({ where: { debtorId: sharma.id } });
    expect(promise).toMatchObject({ status: 'open', keptByPaymentId: null, resolvedAt: null });
    expect(await db.prisma.auditEvent.count({ where: { action: 'payment.reversed', entityId: payment.id } })).toBe(1);
  });

  it('"no" to an undo keeps the payment', async () => {
    const before = await dataCounts(db);
    const transcript = await chat(db, ['undo', 'no']);
    expect(transcript).toContain('bot → owner: Undo the payment of ₹20,000.00 from Ramesh Traders (Sat 21 Nov)?');
    expect(transcript).toContain('bot → owner: Okay, I left everything as it was.');
    expect(await dataCounts(db)).toEqual(before);
  });

  it('undoing every payment, newest first, reopens every invoice at its full amount; then there is nothing to undo', async () => {
    const transcript = await chat(db, ['undo', 'yes', 'undo', 'yes', 'undo', 'yes', 'undo', 'list']);
    expect(transcript).toContain('bot → owner: Undone: ₹20,000.00 from Ramesh Traders. Their invoices are open again.');
    expect(transcript).toContain('bot → owner: Undone: ₹1,000.00 from Ramesh Traders. Their invoices are open again.');
    expect(transcript).toContain('bot → owner: Undone: ₹7,000.00 from Ramesh Traders. Their invoices are open again.');
    expect(transcript.indexOf('Undone: ₹20,000.00')).toBeLessThan(transcript.indexOf('Undone: ₹1,000.00'));
    expect(transcript.indexOf('Undone: ₹1,000.00')).toBeLessThan(transcript.indexOf('Undone: ₹7,000.00'));
    expect(transcript).toContain('bot → owner: There is no payment you recorded in the last 24 hours to undo. Payments recorded by others, or earlier, stay as they are.');
    expect(transcript).toContain('bot → owner: Open invoices: 4 · ₹38,000.00 outstanding');
    expect(await db.prisma.payment.count({ where: { reversedAt: null } })).toBe(0);
    expect(await db.prisma.invoice.count({ where: { status: 'open', closedAt: null } })).toBe(4);
    expect(await chat(db, ['yes'])).toContain('There is nothing waiting for a yes or no.');
  });

  it('records and undoes a payment in Hindi for an owner who chose Hindi', async () => {
    const transcript = await chat(db, ['hindi', 'Ramesh Traders paid 100', 'undo', 'हाँ', 'english']);
    expect(transcript).toContain('bot → owner: Ramesh Traders से ₹100.00 दर्ज किया:\n  • #A-101: ₹100.00 — ₹4,900.00 बाकी\n  गलती हुई? "undo" भेजें।');
    expect(transcript).toContain('bot → owner: Ramesh Traders से ₹100.00 (शनि 21 नव॰) का भुगतान वापस लूँ? उनके बिल फिर से खुल जाएँगे।\n  [1] वापस लें  [2] नहीं');
    expect(transcript).toContain('bot → owner: वापस लिया: Ramesh Traders से ₹100.00. उनके बिल फिर से खुले हैं।');
    expect(await db.prisma.payment.count({ where: { reversedAt: null } })).toBe(0);
  });

  it.each([
    { line: 'Ramesh Traders paid 1,2,3', reply: '"1,2,3" doesn\'t look like an amount. Write it like 12500, 12,500, 12,50,000 or 12.5k.' },
    { line: 'Ramesh Traders paid 12..500', reply: '"12..500" doesn\'t look like an amount.' },
    { line: 'Ramesh Traders paid 0', reply: 'The amount must be more than zero ("0"). For example: 12500.' },
    { line: 'received 0.00 from Sharma Medical', reply: 'The amount must be more than zero ("0.00"). For example: 12500.' },
    { line: 'Ramesh Traders paid 12.555', reply: 'INR amounts have at most 2 decimal places ("12.555"). For example: 12500.50.' },
    { line: 'Nobody Known paid 500', reply: 'I have no customer called "Nobody Known". Send "list" to see your customers\' invoices.' },
  ])('$line is refused with an explanation, and nothing is written', async ({ line, reply }) => {
    const before = await dataCounts(db);
    const transcript = botLines(await chat(db, [line]));
    expect(transcript).toContain(reply);
    expect(await dataCounts(db)).toEqual(before);
    expect(await chat(db, ['yes'])).toContain('There is nothing waiting for a yes or no.');
  });

  // Last in the file: it records a payment the tests above do not expect.
  it('"Ramesh Traders paid 5000 for A-103" pays the named invoice first', async () => {
    const before = await dataCounts(db);
    const transcript = await chat(db, ['Ramesh Traders paid 5000 for A-103']);
    expect(transcript).toContain(
      'bot → owner: Recorded ₹5,000.00 from Ramesh Traders:\n  • #A-103: ₹5,000.00 — ₹3,000.00 still due\n  Made a mistake? Send "undo".',
    );
    const payment = await db.prisma.payment.findFirst({ where: { amountMinor: 500_000n, reversedAt: null }, include: { allocations: true } });
    expect(payment?.allocations.map((a) => [a.invoiceId, a.amountMinor])).toEqual([[invoiceIds['A-103'], 500_000n]]);
    expect((await dataCounts(db)).payments).toBe(before.payments + 1);
  });

  // Also last: the conversation state is kept in the database "so that a restart or another
  // instance continues where the person left off", and the owner was shown "[1] Record it  [2] No".
  it('"1" still answers a pending confirmation in a new console session (after a restart)', async () => {
    const asked = await chat(db, ['Ramesh paid 100']);
    expect(asked).toContain('bot → owner: Record ₹100.00 received from Ramesh Traders?\n  [1] Record it  [2] No');
    const before = await dataCounts(db);
    const transcript = await chat(db, ['1']);
    expect(transcript).toContain('bot → owner: Recorded ₹100.00 from Ramesh Traders:');
    expect((await dataCounts(db)).payments).toBe(before.payments + 1);
  });
});

describe.each(testEngines)('what "undo" may reach on $name', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
    await chat(db, [...ONBOARD, 'add Ramesh Traders 5000 due 1 Nov #A-101', 'yes']);
  });
  afterAll(async () => db?.destroy());

  it('a payment recorded more than 24 hours ago is not undone, and the owner is told why', async () => {
    await chat(db, ['Ramesh Traders paid 1000']);
    const later = new ManualClock(new Date(TEST_NOW.getTime() + 25 * 3_600_000));
    const transcript = await chat(db, ['undo'], later);
    expect(transcript).toContain('bot → owner: There is no payment you recorded in the last 24 hours to undo. Payments recorded by others, or earlier, stay as they are.');
    expect(await db.prisma.payment.count({ where: { reversedAt: null } })).toBe(1);
  });

  it('a payment this owner never recorded in chat (written by another hand) is not undone', async () => {
    // A day later, a payment arrives that nobody typed in this chat (a provider's, say).
    const later = new Date(TEST_NOW.getTime() + 25 * 3_600_000);
    const invoice = await db.prisma.invoice.findFirstOrThrow({ where: { number: 'A-101' } });
    await db.prisma.payment.create({
      data: { businessId: invoice.businessId, debtorId: invoice.debtorId, amountMinor: 50_000n, currency: 'INR', receivedOn: later, source: 'webhook', createdAt: later },
    });
    const transcript = await chat(db, ['undo'], new ManualClock(later));
    expect(transcript).toContain('bot → owner: There is no payment you recorded in the last 24 hours to undo.');
    expect(await db.prisma.payment.count({ where: { reversedAt: null } })).toBe(2);
  });
});

describe.each(testEngines)('credit on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;

  async function invoice(number: string) {
    const row = await db.prisma.invoice.findFirstOrThrow({ where: { number } });
    return { status: row.status, paid: row.paidMinor };
  }

  /** A debtor reachable on the console, so thank-yous to them are queued. */
  async function reachable(name: string) {
    const debtor = await db.prisma.debtor.findFirstOrThrow({ where: { name } });
    await db.prisma.debtorIdentity.create({ data: { debtorId: debtor.id, channel: 'console', address: `debtor:${debtor.id}` } });
    return debtor;
  }

  /** A payment nobody typed in this chat (a provider's, or from before credit was applied), left unallocated. */
  async function unallocatedPayment(debtorId: string, amountMinor: bigint) {
    await db.prisma.payment.create({ data: { businessId, debtorId, amountMinor, currency: 'INR', receivedOn: new Date('2026-11-20T00:00:00Z'), source: 'webhook', createdAt: TEST_NOW } });
  }

  beforeAll(async () => {
    db = await engine.open();
    await chat(db, [...ONBOARD, 'add Ramesh Traders 5000 due 1 Nov #A-101', 'yes', 'add Ramesh Traders 12500 due 30 Nov #A-102', 'yes']);
    businessId = (await db.prisma.business.findFirstOrThrow()).id;
    await reachable('Ramesh Traders');
  });
  afterAll(async () => db?.destroy());

  it('an overpayment naming one invoice pays the other open invoices, oldest due first, before keeping the rest as credit', async () => {
    const transcript = await chat(db, ['Ramesh Traders paid 96100 for A-102']);
    expect(transcript).toContain(
      [
        'bot → owner: Recorded ₹96,100.00 from Ramesh Traders:',
        '  • #A-102: ₹12,500.00 — paid in full ✓',
        '  • #A-101: ₹5,000.00 — paid in full ✓',
        '  • ₹78,600.00 more than was owed, kept as credit.',
        '  Made a mistake? Send "undo".',
      ].join('\n'),
    );
    expect(await invoice('A-101')).toEqual({ status: 'paid', paid: 500_000n });
    expect(await invoice('A-102')).toEqual({ status: 'paid', paid: 1_250_000n });
  });

  it('an invoice added for a customer holding credit is paid from it at once: the owner is told, the customer thanked', async () => {
    const transcript = await chat(db, ['add Ramesh Traders 5000 #A-201', 'yes', 'Ramesh Traders']);
    expect(transcript).toContain(
      'bot → owner: Saved ✓ Ramesh Traders · ₹5,000.00 · due Mon 21 Dec (30-day terms) · #A-201 · ₹5,000.00 paid from their credit of ₹78,600.00 (₹73,600.00 credit left). It is paid in full, so no reminders will go for it.',
    );
    const thanks = 'Thank you, Ramesh Traders! Invoice #A-201 (₹5,000.00) is now paid in full from your credit with us. You still have ₹73,600.00 of credit. We appreciate it.';
    expect(transcript).toContain(`bot → Ramesh Traders: ${thanks}`);
    expect(transcript).toContain('  Credit: ₹73,600.00');
    expect(await invoice('A-201')).toEqual({ status: 'paid', paid: 500_000n });
    // The credit is spent as an allocation of the payment that overpaid, so undoing that payment takes it back.
    const paid = await db.prisma.paymentAllocation.findFirstOrThrow({ where: { invoice: { number: 'A-201' } }, include: { payment: true } });
    expect([paid.amountMinor, paid.payment.amountMinor]).toEqual([500_000n, 9_610_000n]);
    const queued = await db.prisma.outboundMessage.findMany({ where: { kind: 'thanks' }, orderBy: { createdAt: 'asc' } });
    expect(queued.at(-1)?.body.startsWith(thanks)).toBe(true);
    expect(await db.prisma.auditEvent.count({ where: { action: 'credit.applied' } })).toBe(1);
  });

  it('applying the same credit a second time changes nothing', async () => {
    const allocations = await db.prisma.paymentAllocation.count();
    const ramesh = await db.prisma.debtor.findFirstOrThrow({ where: { name: 'Ramesh Traders' } });
    const again = await db.prisma.$transaction((tx) =>
      applyDebtorCredit(tx, { businessId, debtorId: ramesh.id, termsDays: 30, actor: { type: 'system' }, now: TEST_NOW }),
    );
    expect(again).toEqual({ invoices: [], creditBeforeMinor: 7_360_000, appliedMinor: 0, creditLeftMinor: 7_360_000 });
    expect(await db.prisma.paymentAllocation.count()).toBe(allocations);
    expect(await invoice('A-201')).toEqual({ status: 'paid', paid: 500_000n });
  });

  it('an invoice larger than the credit takes all of it; reminders then ask only for the rest, and never for the invoice credit paid', async () => {
    const transcript = await chat(db, ['add Ramesh Traders 80000 due 1 Dec #A-202', 'yes']);
    expect(transcript).toContain(
      'bot → owner: Saved ✓ Ramesh Traders · ₹80,000.00 · due Tue 1 Dec · #A-202 · ₹73,600.00 paid from their credit of ₹73,600.00 (no credit left). ₹6,400.00 is still due.',
    );
    expect(transcript).not.toContain('bot → Ramesh Traders:');
    expect(await invoice('A-202')).toEqual({ status: 'open', paid: 7_360_000n });
    const ids = Object.fromEntries((await db.prisma.invoice.findMany()).map((i) => [i.number, i.id]));
    // Every day to the end of the year: a reminder plans for A-202's balance, none for A-201.
    for (let day = 0; day <= 40; day += 1) await planReminders(db, { now: new Date(TEST_NOW.getTime() + day * 86_400_000) });
    const reminders = await db.prisma.outboundMessage.findMany({ where: { kind: 'reminder' } });
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.every((r) => r.invoiceIds.includes(ids['A-202']!) && !r.invoiceIds.includes(ids['A-201']!))).toBe(true);
    expect(reminders.some((r) => r.body.includes('₹6,400.00'))).toBe(true);
  });

  it('undoing the payment that held the credit opens again every invoice its credit paid', async () => {
    const transcript = await chat(db, ['undo', 'yes']);
    expect(transcript).toContain('bot → owner: Undone: ₹96,100.00 from Ramesh Traders. Their invoices are open again.');
    for (const number of ['A-101', 'A-102', 'A-201']) expect(await invoice(number)).toEqual({ status: 'open', paid: 0n });
    expect(await invoice('A-202')).toEqual({ status: 'open', paid: 0n });
  });

  it('credit already held pays open invoices, oldest due first, before a new payment does; the customer is thanked for what it paid', async () => {
    const ramesh = await db.prisma.debtor.findFirstOrThrow({ where: { name: 'Ramesh Traders' } });
    await unallocatedPayment(ramesh.id, 2_000_000n);
    const transcript = await chat(db, ['Ramesh Traders paid 1000']);
    expect(transcript).toContain(
      [
        'bot → owner: Recorded ₹1,000.00 from Ramesh Traders:',
        '  • #A-101: ₹5,000.00 from their credit — paid in full ✓',
        '  • #A-102: ₹12,500.00 from their credit — paid in full ✓',
        '  • #A-202: ₹2,500.00 from their credit — ₹77,500.00 still due',
        '  • #A-202: ₹1,000.00 — ₹76,500.00 still due',
        '  Made a mistake? Send "undo".',
      ].join('\n'),
    );
    expect(transcript).toContain(
      'bot → Ramesh Traders: Thank you, Ramesh Traders! Invoices #A-101, #A-102 (₹17,500.00) are now paid in full from your credit with us. We appreciate it.',
    );
    expect(await invoice('A-202')).toEqual({ status: 'open', paid: 350_000n });
    expect(await invoice('A-201')).toEqual({ status: 'open', paid: 0n });
  });

  it('an overpayment on top of credit already held says what the credit is now', async () => {
    const sharma = await db.prisma.debtor.create({ data: { businessId, name: 'Sharma Medical', nameKey: 'sharma medical' } });
    await unallocatedPayment(sharma.id, 300_000n);
    const transcript = await chat(db, ['Sharma Medical paid 2000']);
    expect(transcript).toContain(
      [
        'bot → owner: Recorded ₹2,000.00 from Sharma Medical:',
        '  • ₹2,000.00 more than was owed, kept as credit.',
        '  • Their credit is now ₹5,000.00.',
        '  Made a mistake? Send "undo".',
      ].join('\n'),
    );
  });

  it('tells a Hindi-speaking owner, in Hindi, what the credit paid of a new invoice', async () => {
    const transcript = await chat(db, ['hindi', 'add Sharma Medical 1000 #S-5', 'हाँ', 'english']);
    expect(transcript).toContain('· #S-5 · ₹1,000.00 उनके ₹5,000.00 के क्रेडिट से चुकाया (₹4,000.00 क्रेडिट बचा)। यह पूरा चुकता है, इसलिए इसके लिए कोई रिमाइंडर नहीं जाएगा।');
    expect(await invoice('S-5')).toEqual({ status: 'paid', paid: 100_000n });
  });

  it('undoing a payment pays the invoices it opens again from credit another payment still holds', async () => {
    await chat(db, ['add Gupta Stores 5000 due 1 Nov #G-1', 'yes', 'Gupta Stores paid 5000']);
    const gupta = await db.prisma.debtor.findFirstOrThrow({ where: { name: 'Gupta Stores' } });
    await unallocatedPayment(gupta.id, 200_000n);
    const transcript = await chat(db, ['undo', 'yes']);
    expect(transcript).toContain('bot → owner: Undone: ₹5,000.00 from Gupta Stores. Their invoices are open again.\n  • #G-1: ₹2,000.00 from their credit — ₹3,000.00 still due');
    expect(await invoice('G-1')).toEqual({ status: 'open', paid: 200_000n });
  });

  it('credit of a payment that already paid part of a reopened invoice is added to that allocation', async () => {
    const joshi = await db.prisma.debtor.create({ data: { businessId, name: 'Joshi Sweets', nameKey: 'joshi sweets' } });
    const bill = await db.prisma.invoice.create({ data: { businessId, debtorId: joshi.id, number: 'J-1', amountMinor: 500_000n, currency: 'INR', issuedOn: new Date('2026-11-01T00:00:00Z') } });
    const pay = (amountMinor: bigint, allocated: bigint) =>
      db.prisma.payment.create({
        data: { businessId, debtorId: joshi.id, amountMinor, currency: 'INR', receivedOn: new Date('2026-11-20T00:00:00Z'), source: 'owner', allocations: { create: { invoiceId: bill.id, amountMinor: allocated } } },
      });
    const first = await pay(300_000n, 300_000n);
    const second = await pay(400_000n, 200_000n); // closes J-1, keeps 2,000 as credit
    const owner = await db.prisma.member.findFirstOrThrow();
    const applied = await db.prisma.$transaction(async (tx) => {
      await reversePayment(tx, first.id, businessId, owner.id, TEST_NOW);
      return applyDebtorCredit(tx, { businessId, debtorId: joshi.id, termsDays: 30, actor: { type: 'system' }, now: TEST_NOW });
    });
    expect(applied.appliedMinor).toBe(200_000);
    expect((await db.prisma.paymentAllocation.findMany({ where: { paymentId: second.id } })).map((a) => a.amountMinor)).toEqual([400_000n]);
    expect(await invoice('J-1')).toEqual({ status: 'open', paid: 400_000n });
  });

  it('a CSV import pays the new invoices of customers holding credit, says so, and thanks them for what it paid in full', async () => {
    const khan = await db.prisma.debtor.create({ data: { businessId, name: 'Khan Auto', nameKey: 'khan auto' } });
    await db.prisma.debtorIdentity.create({ data: { debtorId: khan.id, channel: 'console', address: `debtor:${khan.id}` } });
    await unallocatedPayment(khan.id, 1_000_000n);
    const transcript = await chat(db, ['import', 'Khan Auto, , K-2, 8000, 2026-11-10, 2026-12-10', 'Khan Auto, , K-1, 4000, 2026-11-01, 2026-12-01', 'Verma Electronics, , V-1, 4000', 'done']);
    expect(transcript).toContain(
      [
        'bot → owner: Import done: 3 invoice(s) saved (1 new customer(s)), 0 already here, 0 conflicting, 0 with problems.',
        '  • Khan Auto: ₹10,000.00 paid from their credit of ₹10,000.00 (no credit left) — #K-1 paid in full ✓, #K-2: ₹2,000.00 still due',
      ].join('\n'),
    );
    expect(transcript).toContain('bot → Khan Auto: Thank you, Khan Auto! Invoice #K-1 (₹4,000.00) is now paid in full from your credit with us. We appreciate it.');
    expect(await invoice('K-1')).toEqual({ status: 'paid', paid: 400_000n });
    expect(await invoice('K-2')).toEqual({ status: 'open', paid: 600_000n });
    expect(await invoice('V-1')).toEqual({ status: 'open', paid: 0n });
  });
});
