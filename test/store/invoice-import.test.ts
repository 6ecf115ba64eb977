// Bulk import and export of invoices against a real database, on each engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debtorStatementCsv, openInvoicesCsv } from '../../src/engine/invoice-export.ts';
import { parseInvoiceRows, type ImportContext, type ImportRow } from '../../src/engine/invoice-import.ts';
import { loadDebtorStatement, loadOpenInvoicesForExport } from '../../src/store/invoice-export.ts';
import { importInvoices } from '../../src/store/invoice-import.ts';
import { listOpenInvoices } from '../../src/store/invoices.ts';
import { fromDbDate, toDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';

const IMPORTED_AT = new Date('2026-03-02T10:00:00.000Z');

const ctx: ImportContext = { currency: 'INR', country: 'IN', today: '2026-11-21' };
const HEADER = 'Customer,Phone,Invoice No,Amount,Invoice Date,Due Date';

describe.each(testEngines)('bulk invoice import and export on $name', (engine) => {
  let db: TestDatabase;
  let businessCount = 0;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(async () => db?.destroy());

  async function newBusiness() {
    businessCount++;
    const business = await db.prisma.business.create({ data: { name: `Shop ${businessCount}`, currency: 'INR', timeZone: 'Asia/Kolkata', ladder: [] } });
    const owner = await db.prisma.member.create({
      data: { businessId: business.id, role: 'owner', name: 'Anil', channel: 'console', address: `owner-${engine.name}-${businessCount}` },
    });
    return { businessId: business.id, ownerId: owner.id };
  }

  function rowsOf(text: string): ImportRow[] {
    const parsed = parseInvoiceRows(text, ctx);
    expect(parsed.problems).toEqual([]);
    return parsed.rows;
  }

  async function runImport(shop: { businessId: string; ownerId: string }, rows: ImportRow[]) {
    return db.prisma.$transaction((tx) => importInvoices(tx, { businessId: shop.businessId, currency: 'INR', actorMemberId: shop.ownerId, rows, now: IMPORTED_AT }));
  }

  async function storedInvoices(businessId: string) {
    const invoices = await db.prisma.invoice.findMany({ where: { businessId }, include: { debtor: true }, orderBy: { number: 'asc' } });
    return invoices.map((i) => ({
      number: i.number,
      debtor: i.debtor.name,
      phone: i.debtor.phone,
      amountMinor: Number(i.amountMinor),
      currency: i.currency,
      issuedOn: fromDbDate(i.issuedOn),
      dueOn: i.dueOn ? fromDbDate(i.dueOn) : null,
    }));
  }

  it('saves every good row, reports every bad one, and leaves one audit row', async () => {
    const shop = await newBusiness();
    const parsed = parseInvoiceRows(
      [
        HEADER,
        'Ramesh Traders,98123 45678,INV-1,"12,500",01/11/2026,30/11/2026',
        'Ramesh Traders,,INV-2,4500,02/11/2026,',
        'Gupta & Sons,,INV-3,abc,,',
        'Gupta & Sons,+91 99887 76655,INV-4,"1,25,000",30 Oct 2026,29-Nov-2026',
        ',,INV-5,100,,',
      ].join('\n'),
      ctx,
    );
    expect(parsed.problems.map((p) => [p.line, p.reason.code])).toEqual([
      [4, 'bad_amount'],
      [6, 'missing_debtor'],
    ]);

    const result = await runImport(shop, parsed.rows);
    expect({ ...result, createdDebtorIds: result.createdDebtorIds.length }).toEqual({ created: 3, alreadyPresent: [], conflicts: [], debtorsCreated: 2, phonesAdded: 0, createdDebtorIds: 2, sharedPhones: [] });
    expect(await storedInvoices(shop.businessId)).toEqual([
      { number: 'INV-1', debtor: 'Ramesh Traders', phone: '+919812345678', amountMinor: 1_250_000, currency: 'INR', issuedOn: '2026-11-01', dueOn: '2026-11-30' },
      { number: 'INV-2', debtor: 'Ramesh Traders', phone: '+919812345678', amountMinor: 450_000, currency: 'INR', issuedOn: '2026-11-02', dueOn: null },
      { number: 'INV-4', debtor: 'Gupta & Sons', phone: '+919988776655', amountMinor: 12_500_000, currency: 'INR', issuedOn: '2026-10-30', dueOn: '2026-11-29' },
    ]);
    const audit = await db.prisma.auditEvent.findMany({ where: { businessId: shop.businessId } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'invoice.imported', actorType: 'member', actorId: shop.ownerId });
    expect(audit[0]!.data).toMatchObject({ rows: 3, created: 3, alreadyPresent: 0, conflicts: 0, debtorsCreated: 2 });
  });

  it('creates nothing when the same file is sent again', async () => {
    const shop = await newBusiness();
    const rows = rowsOf(`${HEADER}\nA,,R-1,100,,\nB,9812345678,R-2,200,,\nA,,R-3,300,,`);
    expect((await runImport(shop, rows)).created).toBe(3);
    const before = await storedInvoices(shop.businessId);

    const again = await runImport(shop, rows);
    expect(again).toEqual({
      created: 0,
      alreadyPresent: [
        { line: 2, number: 'R-1' },
        { line: 3, number: 'R-2' },
        { line: 4, number: 'R-3' },
      ],
      conflicts: [],
      debtorsCreated: 0,
      phonesAdded: 0,
      createdDebtorIds: [],
      sharedPhones: [],
    });
    expect(await storedInvoices(shop.businessId)).toEqual(before);
    expect(await db.prisma.debtor.count({ where: { businessId: shop.businessId } })).toBe(2);
  });

  it('reports a changed amount or debtor as a conflict and leaves the stored invoice as it was', async () => {
    const shop = await newBusiness();
    await runImport(shop, rowsOf(`${HEADER}\nA,,C-1,100,,\nA,,C-2,200,,\nA,,C-3,300,,`));
    const before = await storedInvoices(shop.businessId);

    const result = await runImport(shop, rowsOf(`${HEADER}\nA,,C-1,150,,\nB,,C-2,200,,\nA,,c-3,300,,\nA,,C-4,400,,`));
    expect(result.created).toBe(1);
    expect(result.conflicts).toEqual([
      { line: 2, number: 'C-1', reason: 'different_amount' },
      { line: 3, number: 'C-2', reason: 'different_debtor' },
    ]);
    expect(result.alreadyPresent).toEqual([{ line: 4, number: 'c-3' }]);
    const after = await storedInvoices(shop.businessId);
    expect(after.filter((i) => i.number !== 'C-4')).toEqual(before);
    expect(after.find((i) => i.number === 'C-1')!.amountMinor).toBe(10_000);
  });

  it('reuses debtors by name, fills a missing phone and keeps a phone already known', async () => {
    const shop = await newBusiness();
    const noPhone = await db.prisma.debtor.create({ data: { businessId: shop.businessId, name: 'Ramesh Traders', nameKey: 'ramesh traders' } });
    const withPhone = await db.prisma.debtor.create({ data: { businessId: shop.businessId, name: 'Gupta', nameKey: 'gupta', phone: '+919000000001' } });

    const result = await runImport(shop, rowsOf(`${HEADER}\nramesh   TRADERS,9812345678,D-1,100,,\nGupta,9812345679,D-2,100,,\nNew Party,,D-3,100,,`));
    expect(result).toMatchObject({ created: 3, debtorsCreated: 1, phonesAdded: 1 });
    const debtors = await db.prisma.debtor.findMany({ where: { businessId: shop.businessId }, orderBy: { name: 'asc' } });
    expect(debtors.map((d) => [d.name, d.phone])).toEqual([
      ['Gupta', '+919000000001'],
      ['New Party', null],
      ['Ramesh Traders', '+919812345678'],
    ]);
    const invoices = await db.prisma.invoice.findMany({ where: { businessId: shop.businessId }, orderBy: { number: 'asc' } });
    expect(invoices.map((i) => i.debtorId)).toEqual([noPhone.id, withPhone.id, debtors[1]!.id]);
  });

  it('compares a number repeated within the rows with its first row', async () => {
    const shop = await newBusiness();
    const [first] = rowsOf(`${HEADER}\nA,,X-1,100,,`);
    const rows = [first!, { ...first!, line: 3 }, { ...first!, line: 4, amountMinor: 999 }];
    expect(await runImport(shop, rows)).toMatchObject({
      created: 1,
      alreadyPresent: [{ line: 3, number: 'X-1' }],
      conflicts: [{ line: 4, number: 'X-1', reason: 'different_amount' }],
    });
  });

  it('is safe when the same file is imported twice at once', async () => {
    const shop = await newBusiness();
    const rows = rowsOf([HEADER, ...Array.from({ length: 200 }, (_, i) => `Debtor ${i % 17},,K-${i},${100 + i},,`)].join('\n'));
    const results = await Promise.all([runImport(shop, rows), runImport(shop, rows)]);
    expect(results[0]!.created + results[1]!.created).toBe(200);
    expect(results[0]!.alreadyPresent.length + results[1]!.alreadyPresent.length).toBe(200);
    expect(results.flatMap((r) => r.conflicts)).toEqual([]);
    expect(results[0]!.debtorsCreated + results[1]!.debtorsCreated).toBe(17);
    expect(await db.prisma.invoice.count({ where: { businessId: shop.businessId } })).toBe(200);
    expect(await db.prisma.debtor.count({ where: { businessId: shop.businessId } })).toBe(17);
  });

  // Only PostgreSQL has a second connection to hold a transaction open with; the test is not
  // defined at all on PGlite (rather than reported as skipped).
  if (engine.name === 'postgres') it('compares an invoice another transaction stores while the import runs, instead of failing', async () => {
    const shop = await newBusiness();
    const rows = rowsOf(`${HEADER}\nA,,Z-1,100,,\nA,,Z-2,200,,`);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let stored!: () => void;
    const storedSignal = new Promise<void>((resolve) => (stored = resolve));
    const debtor = await db.prisma.debtor.create({ data: { businessId: shop.businessId, name: 'A', nameKey: 'a' } });
    // Another writer inserts Z-1 with another amount and holds its transaction open: the import
    // does not see it when it looks, then waits on it when it inserts, and its insert skips Z-1.
    const other = db.prisma.$transaction(
      async (tx) => {
        await tx.invoice.create({ data: { businessId: shop.businessId, debtorId: debtor.id, number: 'Z-1', amountMinor: 99_900n, currency: 'INR', issuedOn: toDbDate('2026-11-01') } });
        stored();
        await released;
      },
      { timeout: 20_000 },
    );
    await storedSignal;
    const importing = runImport(shop, rows);
    setTimeout(release, 300);
    await other;
    expect(await importing).toMatchObject({ created: 1, debtorsCreated: 0, conflicts: [{ line: 2, number: 'Z-1', reason: 'different_amount' }] });
    expect((await storedInvoices(shop.businessId)).map((i) => [i.number, i.amountMinor])).toEqual([
      ['Z-1', 99_900],
      ['Z-2', 20_000],
    ]);
  });

  it('does nothing, not even an audit row, for no rows', async () => {
    const shop = await newBusiness();
    expect(await runImport(shop, [])).toEqual({ created: 0, alreadyPresent: [], conflicts: [], debtorsCreated: 0, phonesAdded: 0, createdDebtorIds: [], sharedPhones: [] });
    expect(await db.prisma.auditEvent.count({ where: { businessId: shop.businessId } })).toBe(0);
  });

  /** A business with open, part-paid, paid and cancelled invoices, a reversed payment and promises. */
  async function businessWithHistory() {
    const shop = await newBusiness();
    await runImport(
      shop,
      rowsOf(
        [
          HEADER,
          'Ramesh Traders,9812345678,H-1,10000,01/10/2026,31/10/2026',
          'Ramesh Traders,9812345678,H-2,5000,15/10/2026,',
          'Ramesh Traders,9812345678,H-3,2000,01/11/2026,30/11/2026',
          '"Sharma, Sons",,H-4,"1,25,000.50",05/11/2026,20/11/2026',
          'Sharma; Sons,,H-5,700,05/11/2026,',
        ].join('\n'),
      ),
    );
    const p = db.prisma;
    const invoice = async (number: string) => p.invoice.findUniqueOrThrow({ where: { businessId_number: { businessId: shop.businessId, number } } });
    const [h1, h2, h3, h5] = [await invoice('H-1'), await invoice('H-2'), await invoice('H-3'), await invoice('H-5')];
    const payment = (amountMinor: bigint, receivedOn: string, extra: { reversedAt?: Date; reference?: string } = {}) =>
      p.payment.create({
        data: { businessId: shop.businessId, debtorId: h1.debtorId, amountMinor, currency: 'INR', receivedOn: toDbDate(receivedOn), method: 'upi', source: 'owner', ...extra },
      });
    // H-1 paid in full (and closed), H-2 part paid; a reversed payment counts for nothing.
    const paid = await payment(1_200_000n, '2026-11-05', { reference: 'UTR 1' });
    await p.paymentAllocation.createMany({
      data: [
        { paymentId: paid.id, invoiceId: h1.id, amountMinor: 1_000_000n },
        { paymentId: paid.id, invoiceId: h2.id, amountMinor: 200_000n },
      ],
    });
    await p.invoice.update({ where: { id: h1.id }, data: { status: 'paid' } });
    const reversed = await payment(200_000n, '2026-11-06', { reversedAt: new Date('2026-11-07T00:00:00Z') });
    await p.paymentAllocation.create({ data: { paymentId: reversed.id, invoiceId: h3.id, amountMinor: 200_000n } });
    await p.invoice.update({ where: { id: h5.id }, data: { status: 'cancelled' } });
    for (const [status, promisedOn] of [
      ['broken', '2026-11-01'],
      ['kept', '2026-11-05'],
      ['open', '2026-11-25'],
      ['cancelled', '2026-11-26'],
    ] as const) {
      await p.paymentPromise.create({
        data: { businessId: shop.businessId, debtorId: h1.debtorId, invoiceId: h2.id, amountMinor: 100_000n, promisedOn: toDbDate(promisedOn), status, createdAt: new Date('2026-10-30T20:00:00Z') },
      });
    }
    return { ...shop, ramesh: h1.debtorId };
  }

  it('loads the open invoices with their balances, as listOpenInvoices counts them', async () => {
    const shop = await businessWithHistory();
    const lines = await loadOpenInvoicesForExport(db.prisma, shop.businessId, { termsDays: 30 });
    expect(lines.map((l) => [l.number, l.debtorName, l.phone, l.amountMinor, l.paidMinor, l.balanceMinor, l.effectiveDueOn])).toEqual([
      ['H-2', 'Ramesh Traders', '+919812345678', 500_000, 200_000, 300_000, '2026-11-14'],
      ['H-4', 'Sharma, Sons', null, 12_500_050, 0, 12_500_050, '2026-11-20'],
      ['H-3', 'Ramesh Traders', '+919812345678', 200_000, 0, 200_000, '2026-11-30'],
    ]);
    const page = await listOpenInvoices(db.prisma, shop.businessId, { limit: 100, termsDays: 30 });
    // Number(): listOpenInvoices's balance is bigint minus numeric (SUM), which the driver returns as text.
    expect(page.lines.map((l) => [l.number, Number(l.balanceMinor)])).toEqual(lines.map((l) => [l.number, l.balanceMinor]));
  });

  it('gives an agent only the open invoices of debtors assigned to them', async () => {
    const shop = await businessWithHistory();
    const agent = await db.prisma.member.create({ data: { businessId: shop.businessId, role: 'agent', name: 'Ravi', channel: 'console', address: `agent-${engine.name}-${businessCount}` } });
    await db.prisma.debtor.update({ where: { id: shop.ramesh }, data: { assignedAgentId: agent.id } });
    const lines = await loadOpenInvoicesForExport(db.prisma, shop.businessId, { termsDays: 30, agentId: agent.id });
    expect(lines.map((l) => l.number)).toEqual(['H-2', 'H-3']);
  });

  it('round-trips: export, parse and import into a fresh business give the same open invoices; back into the same one, nothing', async () => {
    const shop = await businessWithHistory();
    const exported = await loadOpenInvoicesForExport(db.prisma, shop.businessId, { termsDays: 30 });
    const csv = openInvoicesCsv(exported, { currency: 'INR', today: '2026-11-21' });
    const parsed = parseInvoiceRows(csv, ctx);
    expect(parsed.problems).toEqual([]);

    const fresh = await newBusiness();
    expect(await runImport(fresh, parsed.rows)).toMatchObject({ created: 3, debtorsCreated: 2, conflicts: [] });
    const reimported = await loadOpenInvoicesForExport(db.prisma, fresh.businessId, { termsDays: 30 });
    const invoiceFields = ({ debtorName, phone, number, issuedOn, dueOn, effectiveDueOn, amountMinor }: (typeof exported)[number]) => ({
      debtorName,
      phone,
      number,
      issuedOn,
      dueOn,
      effectiveDueOn,
      amountMinor,
    });
    expect(reimported.map(invoiceFields)).toEqual(exported.map(invoiceFields));
    // Payments are not part of the file: the fresh business owes the full amounts.
    expect(reimported.map((l) => l.balanceMinor)).toEqual(exported.map((l) => l.amountMinor));

    const again = await runImport(shop, parsed.rows);
    expect(again).toMatchObject({ created: 0, conflicts: [], debtorsCreated: 0 });
    expect(again.alreadyPresent.map((a) => a.number)).toEqual(['H-2', 'H-4', 'H-3']);
  });

  it("loads a debtor's statement: invoices with balances, payments with allocations, promises, nothing cancelled or reversed", async () => {
    const shop = await businessWithHistory();
    const statement = await loadDebtorStatement(db.prisma, shop.businessId, shop.ramesh);
    expect(statement).toEqual({
      debtor: { id: shop.ramesh, name: 'Ramesh Traders', phone: '+919812345678' },
      invoices: [
        { number: 'H-1', issuedOn: '2026-10-01', dueOn: '2026-10-31', amountMinor: 1_000_000, paidMinor: 1_000_000, balanceMinor: 0, status: 'paid' },
        { number: 'H-2', issuedOn: '2026-10-15', dueOn: null, amountMinor: 500_000, paidMinor: 200_000, balanceMinor: 300_000, status: 'open' },
        { number: 'H-3', issuedOn: '2026-11-01', dueOn: '2026-11-30', amountMinor: 200_000, paidMinor: 0, balanceMinor: 200_000, status: 'open' },
      ],
      payments: [
        {
          receivedOn: '2026-11-05',
          amountMinor: 1_200_000,
          method: 'upi',
          reference: 'UTR 1',
          allocations: [
            { invoiceNumber: 'H-1', amountMinor: 1_000_000 },
            { invoiceNumber: 'H-2', amountMinor: 200_000 },
          ],
        },
      ],
      promises: [
        // Made at 01:30 on 31 October in Kolkata (20:00 UTC the day before).
        { promisedOn: '2026-11-01', madeOn: '2026-10-31', amountMinor: 100_000, invoiceNumber: 'H-2', status: 'broken' },
        { promisedOn: '2026-11-05', madeOn: '2026-10-31', amountMinor: 100_000, invoiceNumber: 'H-2', status: 'kept' },
        { promisedOn: '2026-11-25', madeOn: '2026-10-31', amountMinor: 100_000, invoiceNumber: 'H-2', status: 'open' },
      ],
    });
    const csv = debtorStatementCsv(statement!, { currency: 'INR', bom: false });
    expect(csv.trimEnd().split('\n').at(-1)).toBe(',Balance due,,,,,5000.00,,');
  });

  it("has no statement for another business's debtor", async () => {
    const shop = await businessWithHistory();
    const other = await newBusiness();
    expect(await loadDebtorStatement(db.prisma, other.businessId, shop.ramesh)).toBeNull();
  });
});
