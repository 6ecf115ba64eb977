// The owner's assistant, reports: who to follow up today and why, the business summary (aging,
// DSO, CEI, promises, expected cash, pauses), a debtor's statement and history, and tuning the
// follow-up ranking by message, on data set up directly in the database, on each engine.
//
// Today is Sat 21 Nov 2026; this week is Mon 16 – Sun 22 Nov, next week 23 – 29 Nov; the month
// began on 1 Nov; 90 days ago was 23 Aug. Balances (₹) and days overdue:
//   Anand Agencies   AN-1 1,00,000 − 10,000 paid 10 Nov = 90,000, due 27 Oct: 25 days  (kept promise)
//   Bharat Bazaar    BB-1   20,000 −  5,000 paid 15 Oct = 15,000, due 22 Sep: 60 days
//   Chopra Chemists  CC-1    5,000, due 13 Aug: 100 days                               (broken promises)
//   Desai Dairy      DD-1    8,000, due 16 Nov: 5 days                                  (promise due today)
//   Eastern Exports  EE-1   50,000, due 1 Nov: 20 days                                  (promise 28 Nov)
//   Fresh Foods      FF-1   30,000, due 5 Dec: current                                  (paused until 5 Dec)
//   Ganesh General   GG-1 4,000 due 1 Jul: 143 days · GG-2 3,000 due today · GG-3 2,000 due 23 Aug: 90 days (paused)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { botLines, chat, ONBOARD } from '../support/transcript.ts';

const date = (s: string) => new Date(`${s}T00:00:00.000Z`);

async function seedReceivables(db: TestDatabase): Promise<{ businessId: string; debtorIds: Record<string, string> }> {
  const p = db.prisma;
  const businessId = (await p.business.findFirstOrThrow()).id;
  const debtorIds: Record<string, string> = {};
  for (const name of ['Anand Agencies', 'Bharat Bazaar', 'Chopra Chemists', 'Desai Dairy', 'Eastern Exports', 'Fresh Foods', 'Ganesh General']) {
    debtorIds[name] = (await p.debtor.create({ data: { businessId, name, nameKey: name.toLowerCase() } })).id;
  }
  const invoiceIds: Record<string, string> = {};
  const invoice = async (debtor: string, number: string, rupees: number, issued: string, due: string) => {
    const row = await p.invoice.create({
      data: { businessId, debtorId: debtorIds[debtor]!, number, amountMinor: BigInt(rupees * 100), currency: 'INR', issuedOn: date(issued), dueOn: date(due) },
    });
    invoiceIds[number] = row.id;
  };
  await invoice('Anand Agencies', 'AN-1', 100_000, '2026-09-27', '2026-10-27');
  await invoice('Bharat Bazaar', 'BB-1', 20_000, '2026-08-01', '2026-09-22');
  await invoice('Chopra Chemists', 'CC-1', 5_000, '2026-07-01', '2026-08-13');
  await invoice('Desai Dairy', 'DD-1', 8_000, '2026-11-01', '2026-11-16');
  await invoice('Eastern Exports', 'EE-1', 50_000, '2026-10-02', '2026-11-01');
  await invoice('Fresh Foods', 'FF-1', 30_000, '2026-11-05', '2026-12-05');
  await invoice('Ganesh General', 'GG-1', 4_000, '2026-06-01', '2026-07-01');
  await invoice('Ganesh General', 'GG-2', 3_000, '2026-11-21', '2026-11-21');
  await invoice('Ganesh General', 'GG-3', 2_000, '2026-08-01', '2026-08-23');
  // A cancelled invoice counts nowhere.
  await p.invoice.create({
    data: { businessId, debtorId: debtorIds['Anand Agencies']!, number: 'AN-0', amountMinor: 99_999_00n, currency: 'INR', issuedOn: date('2026-11-02'), dueOn: date('2026-11-03'), status: 'cancelled' },
  });
  const pay = async (debtor: string, number: string, rupees: number, on: string) => {
    const payment = await p.payment.create({
      data: { businessId, debtorId: debtorIds[debtor]!, amountMinor: BigInt(rupees * 100), currency: 'INR', receivedOn: date(on), source: 'owner' },
    });
    await p.paymentAllocation.create({ data: { paymentId: payment.id, invoiceId: invoiceIds[number]!, amountMinor: BigInt(rupees * 100) } });
  };
  await pay('Bharat Bazaar', 'BB-1', 5_000, '2026-10-15');
  await pay('Anand Agencies', 'AN-1', 10_000, '2026-11-10');
  const promise = (debtor: string, promisedOn: string, rupees: number | null, status: 'open' | 'kept' | 'broken' = 'open') =>
    p.paymentPromise.create({
      data: { businessId, debtorId: debtorIds[debtor]!, promisedOn: date(promisedOn), amountMinor: rupees === null ? null : BigInt(rupees * 100), status },
    });
  await promise('Desai Dairy', '2026-11-21', 8_000);
  await promise('Eastern Exports', '2026-11-28', 20_000);
  await promise('Chopra Chemists', '2026-11-10', null, 'broken');
  await promise('Chopra Chemists', '2026-06-01', null, 'broken'); // more than 90 days ago: not in the ranking's broken-promise count, but in the risk engine's year
  await promise('Anand Agencies', '2026-11-10', 10_000, 'kept');
  await p.debtor.update({ where: { id: debtorIds['Ganesh General']! }, data: { pausedIndefinitely: true, pauseReason: 'family wedding' } });
  await p.debtor.update({ where: { id: debtorIds['Fresh Foods']! }, data: { pausedUntil: date('2026-12-05') } });
  await p.debtor.update({ where: { id: debtorIds['Anand Agencies']! }, data: { pausedUntil: date('2026-11-01') } }); // over already
  return { businessId, debtorIds };
}

/** The names in a follow-up list, in order. */
function followUpOrder(transcript: string): string[] {
  return [...transcript.matchAll(/^ {2}\d+\. (.+?) — /gm)].map((m) => m[1]!);
}

describe.each(testEngines)('the owner\'s reports on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  beforeAll(async () => {
    db = await engine.open();
    await chat(db, ONBOARD);
    ({ businessId } = await seedReceivables(db));
  });
  afterAll(async () => db?.destroy());

  it('"follow up" puts the promise due today first, explains each with reasons and a risk tag, and leaves out who owes nothing overdue', async () => {
    const transcript = await chat(db, ['follow up']);
    expect(botLines(transcript)).toBe(
      [
        'bot → owner: Follow up today (6):',
        '  1. Desai Dairy — ₹8,000.00 overdue, 5 days late · promised Sat 21 Nov · safe',
        '     why: promise due today, 5 days overdue, never contacted',
        '  2. Chopra Chemists — ₹5,000.00 overdue, 100 days late · risky',
        '     why: 100 days overdue, 1 broken promise, never contacted',
        '  3. Anand Agencies — ₹90,000.00 overdue, 25 days late · watch',
        '     why: 25 days overdue, never contacted, one of your biggest customers',
        // Nothing paid in full yet and a bill 60 or 143 days overdue: the risk engine says risky.
        '  4. Bharat Bazaar — ₹15,000.00 overdue, 60 days late · risky',
        '     why: 60 days overdue, never contacted',
        '  5. Ganesh General — ₹6,000.00 overdue, 143 days late · risky',
        '     why: 143 days overdue, never contacted, no payment yet',
        '  6. Eastern Exports — ₹50,000.00 overdue, 20 days late · promised Sat 28 Nov · watch',
        '     why: promised for Sat 28 Nov, 20 days overdue, never contacted',
      ].join('\n'),
    );
    expect(transcript).not.toContain('Fresh Foods');
  });

  it('"follow up" answers in Hindi to an owner who chose Hindi', async () => {
    const transcript = await chat(db, ['hindi', 'follow up', 'english']);
    expect(transcript).toContain('bot → owner: आज फॉलो-अप करें (6):\n  1. Desai Dairy — ₹8,000.00 बकाया, 5 दिन देर · शनि 21 नव॰ का वादा · सुरक्षित\n     क्यों: वादा आज का है');
    expect(transcript).toContain('  2. Chopra Chemists — ₹5,000.00 बकाया, 100 दिन देर · जोखिम');
  });

  it('"summary" gives outstanding, overdue, the six aging buckets, DSO, CEI, promises kept, expected cash and paused debtors', async () => {
    const transcript = await chat(db, ['summary']);
    expect(botLines(transcript)).toBe(
      [
        'bot → owner: Sharma Distributors — summary for Sat 21 Nov',
        '  Outstanding: ₹2,07,000.00 in 9 invoice(s)',
        '  Overdue: ₹1,74,000.00',
        '  By age:',
        '    Current: ₹33,000.00',
        '    1–30 days: ₹1,48,000.00',
        '    31–60 days: ₹15,000.00',
        '    61–90 days: ₹2,000.00',
        '    91–120 days: ₹5,000.00',
        '    120+ days: ₹4,000.00',
        // 2,07,000 outstanding ÷ 1,91,000 invoiced since 23 Aug × 90 days = 97.5
        '  DSO (days sales outstanding, 90 days): 98',
        // (1,76,000 owed on 1 Nov + 41,000 invoiced since − 2,07,000 owed now) ÷ (1,76,000 + 41,000 − 33,000 current) = 5.4%
        '  Collection effectiveness this month (CEI): 5%',
        '  Promises kept (90 days): 50% (1 kept, 1 broken)',
        // From each bill's predicted payment date. This week: Desai's promise for today (8,000);
        // next week: Eastern's promise of 20,000 for Sat 28 Nov (the rest of its bill, 30,000, is
        // 20 days overdue with no history to go by: expected in 14 days, Sat 5 Dec). GG-2, due
        // today, belongs to Ganesh, who is 143 days behind on another bill: not before April.
        '  Cash expected: ₹8,000.00 this week, ₹20,000.00 next week',
        '  Received this month: ₹10,000.00',
        '  Reminders paused:',
        '    Fresh Foods: until Sat 5 Dec',
        '    Ganesh General: until resumed (family wedding)',
      ].join('\n'),
    );
  });

  it('"हिसाब" gives the summary in Hindi to an owner who chose Hindi', async () => {
    const transcript = await chat(db, ['hindi', 'हिसाब', 'english']);
    expect(transcript).toContain('bot → owner: Sharma Distributors — शनि 21 नव॰ का सारांश\n  कुल बकाया: ₹2,07,000.00, 9 बिल\n  देय तारीख निकल चुकी: ₹1,74,000.00');
    expect(transcript).toContain('    61–90 दिन: ₹2,000.00\n    91–120 दिन: ₹5,000.00\n    120+ दिन: ₹4,000.00');
    expect(transcript).toContain('  पूरे हुए वादे (90 दिन): 50% (1 पूरे, 1 टूटे)');
    expect(transcript).toContain('  रोके गए रिमाइंडर:\n    Fresh Foods: शनि 5 दिस॰ तक\n    Ganesh General: resume तक (family wedding)');
  });

  it('a debtor\'s name alone, in any case, gives their statement with balances, promises and risk', async () => {
    const transcript = await chat(db, ['Chopra Chemists', 'desai dairy']);
    expect(botLines(transcript)).toContain(
      [
        'bot → owner: Chopra Chemists · —',
        '  Owes ₹5,000.00 on 1 open invoice(s):',
        '  • #CC-1: ₹5,000.00 of ₹5,000.00 · due Thu 13 Aug (100 days overdue) · expected Sat 5 Dec',
        '  Promises: Mon 1 Jun (broken), Tue 10 Nov (broken)',
        '  Reminders sent: 0',
        '  Risk: risky (94/100) — a bill 100 days overdue, 2 of 2 promises broken in the last year, no payment yet',
      ].join('\n'),
    );
    expect(transcript).toContain(
      [
        'bot → owner: Desai Dairy · —',
        '  Owes ₹8,000.00 on 1 open invoice(s):',
        '  • #DD-1: ₹8,000.00 of ₹8,000.00 · due Mon 16 Nov (5 days overdue) · expected Sat 21 Nov',
        '  Promises: Sat 21 Nov ₹8,000.00 (open)',
        '  Reminders sent: 0',
        '  Risk: safe (6/100) — little payment history yet',
      ].join('\n'),
    );
    const fuzzy = await chat(db, ['statement of Bharat']);
    expect(fuzzy).toContain('bot → owner: Bharat Bazaar · —\n  Owes ₹15,000.00 on 1 open invoice(s):\n  • #BB-1: ₹15,000.00 of ₹20,000.00 · due Tue 22 Sep (60 days overdue)');
    expect(fuzzy).toContain('  Recent payments: Thu 15 Oct ₹5,000.00');
  });

  it('a statement shows a pause that is still running, and not one that ended before today', async () => {
    const transcript = await chat(db, ['Ganesh General', 'Fresh Foods', 'Anand Agencies']);
    expect(transcript).toContain('  Reminders paused until resumed (family wedding)');
    expect(transcript).toContain('  Reminders paused until Sat 5 Dec');
    // Anand's pause ran until Sun 1 Nov: reminders go again, as the summary above says.
    const anand = transcript.slice(transcript.indexOf('bot → owner: Anand Agencies'));
    expect(anand).toContain('  • #AN-1: ₹90,000.00 of ₹1,00,000.00 · due Tue 27 Oct (25 days overdue)');
    expect(anand).not.toContain('Reminders paused');
  });

  it('"history Ramesh" lists what was done to the debtor, its invoices and payments, newest first', async () => {
    await chat(db, [
      'add Ramesh Traders 3000 due 10 Dec #R-9',
      'yes',
      'edit R-9 amount 3500',
      'Ramesh Traders paid 2000',
      'dispute R-9 wrong rate',
      'pause Ramesh until 5 Dec',
    ]);
    const transcript = await chat(db, ['history Ramesh']);
    const lines = botLines(transcript).split('\n');
    expect(lines[0]).toBe('bot → owner: History of Ramesh Traders (newest first):');
    const entries = lines.slice(1);
    for (const entry of entries) expect(entry).toMatch(/^ {2}• \w{3} \d{1,2} \w{3}(?: \d{4})?, \d{2}:\d{2} · Sharma Distributors · /);
    const what = entries.map((e) => e.replace(/^ {2}• [^·]+ · [^·]+ · /, ''));
    expect(what).toHaveLength(6);
    // Each message is its own transaction; the two rows of the first (debtor and invoice) share a time.
    expect(what.slice(0, 4)).toEqual(['reminders paused', 'invoice #R-9 disputed', 'payment ₹2,000.00 recorded', 'invoice #R-9 changed']);
    expect(what.slice(4).sort()).toEqual(['added as a customer', 'invoice #R-9 added']);
    const ramesh = await db.prisma.debtor.findFirstOrThrow({ where: { nameKey: 'ramesh traders' } });
    expect(await db.prisma.auditEvent.count({ where: { businessId, entityType: 'debtor', entityId: ramesh.id } })).toBe(2);
  });

  it('"history" in Hindi, for an unknown name, and for a debtor with nothing recorded', async () => {
    const transcript = await chat(db, ['hindi', 'history Ramesh', 'english', 'history Nobody Known', 'history Fresh Foods']);
    expect(transcript).toContain('bot → owner: Ramesh Traders का इतिहास (नया पहले):');
    expect(transcript).toMatch(/ · Sharma Distributors · रिमाइंडर रोके गए\n/);
    expect(transcript).toContain('भुगतान ₹2,000.00 दर्ज');
    expect(transcript).toContain('bot → owner: I have no customer called "Nobody Known". Send "list" to see your customers\' invoices.');
    // Fresh Foods was written straight into the database: no one did anything to it by message.
    expect(transcript).toContain('bot → owner: Nothing has been recorded for Fresh Foods yet.');
  });

  it('"weight amount 0" and then "weight promiseDue 10" change the follow-up order and are saved on the business', async () => {
    const before = followUpOrder(await chat(db, ['follow up']));
    expect(before).toEqual(['Desai Dairy', 'Chopra Chemists', 'Anand Agencies', 'Bharat Bazaar', 'Ganesh General', 'Eastern Exports']);

    const noAmount = await chat(db, ['weight amount 0', 'follow up']);
    expect(noAmount).toContain('bot → owner: Follow-up weight amount set to 0.');
    // Without the amount, Anand's 90,000 no longer lifts it; Chopra's long overdue and broken promise lead.
    expect(followUpOrder(noAmount)).toEqual(['Chopra Chemists', 'Desai Dairy', 'Ganesh General', 'Bharat Bazaar', 'Anand Agencies', 'Eastern Exports']);
    expect(noAmount).toContain('  5. Anand Agencies — ₹90,000.00 overdue, 25 days late · watch\n     why: never contacted, one of your biggest customers, 25 days overdue');

    const promiseFirst = await chat(db, ['weight promiseDue 10', 'follow up']);
    expect(promiseFirst).toContain('bot → owner: Follow-up weight promiseDue set to 10.');
    expect(followUpOrder(promiseFirst)).toEqual(['Desai Dairy', 'Chopra Chemists', 'Ganesh General', 'Bharat Bazaar', 'Anand Agencies', 'Eastern Exports']);

    const business = await db.prisma.business.findUniqueOrThrow({ where: { id: businessId } });
    expect(business.rankingWeights).toEqual({ amount: 0, promiseDue: 10 });
    expect(await db.prisma.auditEvent.count({ where: { businessId, action: 'settings.changed' } })).toBe(2);
  });

  it('a weight out of range or with an unknown name is explained and not saved', async () => {
    const transcript = await chat(db, ['weight amount 11', 'weight charm 3', 'weight amount']);
    expect(transcript).toContain(
      'bot → owner: Weights go from 0 to 10, and at least one must be above 0. Names: amount, daysOverdue, paymentHistory, brokenPromises, relationshipValue, recentContact, promiseDue.',
    );
    expect(transcript).toContain('bot → owner: To tune the follow-up ranking: weight amount 5 (0 to 10).');
    expect((await db.prisma.business.findUniqueOrThrow({ where: { id: businessId } })).rankingWeights).toEqual({ amount: 0, promiseDue: 10 });
  });

  it('a statement shows a disputed bill, an unapplied credit, payment methods, reminders sent, the agent and an opt-out', async () => {
    const p = db.prisma;
    const agent = await p.member.create({ data: { businessId, role: 'agent', name: 'Vikram', channel: 'console', address: 'vikram' } });
    const debtor = await p.debtor.create({ data: { businessId, name: 'Kapoor Kirana', nameKey: 'kapoor kirana', phone: '+919800000001', assignedAgentId: agent.id, optedOut: true } });
    const bill = (number: string, rupees: number, due: string, status: 'open' | 'paid' = 'open') =>
      p.invoice.create({ data: { businessId, debtorId: debtor.id, number, amountMinor: BigInt(rupees * 100), paidMinor: status === 'paid' ? BigInt(rupees * 100) : 0n, currency: 'INR', issuedOn: date('2026-10-01'), dueOn: date(due), status } });
    const open = await bill('KK-2', 7_000, '2026-11-11');
    const paid = await bill('KK-1', 2_000, '2026-10-20', 'paid');
    await p.dispute.create({ data: { businessId, debtorId: debtor.id, invoiceId: open.id, reason: 'wrong rate' } });
    // ₹2,500 by UPI against a ₹2,000 bill: ₹500 is left as credit.
    const payment = await p.payment.create({ data: { businessId, debtorId: debtor.id, amountMinor: 2_500_00n, currency: 'INR', receivedOn: date('2026-10-25'), method: 'upi', source: 'owner' } });
    await p.paymentAllocation.create({ data: { paymentId: payment.id, invoiceId: paid.id, amountMinor: 2_000_00n } });
    // A reversed payment is not listed.
    await p.payment.create({ data: { businessId, debtorId: debtor.id, amountMinor: 1_000_00n, currency: 'INR', receivedOn: date('2026-11-02'), source: 'owner', reversedAt: date('2026-11-03') } });
    for (const [i, status] of (['sent', 'sent', 'failed'] as const).entries()) {
      await p.outboundMessage.create({ data: { businessId, debtorId: debtor.id, kind: 'reminder', channel: 'console', recipient: 'kapoor', body: 'Reminder', status, idempotencyKey: `kk-reminder-${i}` } });
    }
    const transcript = await chat(db, ['Kapoor Kirana']);
    const lines = botLines(transcript).split('\n');
    expect(lines[0]).toBe('bot → owner: Kapoor Kirana · +919800000001');
    expect(lines).toContain('  Owes ₹7,000.00 on 1 open invoice(s):');
    expect(lines.find((l) => l.startsWith('  • #KK-2'))).toMatch(/^ {2}• #KK-2: ₹7,000\.00 of ₹7,000\.00 · due Wed 11 Nov \(10 days overdue\) · disputed/);
    expect(transcript).not.toContain('#KK-1');
    expect(lines).toContain('  Credit: ₹500.00');
    expect(lines).toContain('  Recent payments: Sun 25 Oct ₹2,500.00 (UPI)');
    expect(lines).toContain('  Reminders sent: 2');
    expect(lines).toContain('  Has asked not to get messages.');
    expect(lines).toContain('  Agent: Vikram');
  });
});
