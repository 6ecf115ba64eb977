import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { debtorStatementCsv, openInvoicesCsv, plainAmount, type DebtorStatement, type OpenInvoiceExportLine } from '../../src/engine/invoice-export.ts';
import { parseInvoiceRows } from '../../src/engine/invoice-import.ts';

const BOM = '\ufeff';

function table(csv: string): string[][] {
  return parse(csv, { bom: true }) as string[][];
}

const lines: OpenInvoiceExportLine[] = [
  {
    debtorName: 'Ramesh Traders',
    phone: '+919812345678',
    number: 'INV-1',
    issuedOn: '2026-10-01',
    dueOn: '2026-10-31',
    effectiveDueOn: '2026-10-31',
    amountMinor: 1_250_000,
    paidMinor: 250_000,
    balanceMinor: 1_000_000,
  },
  {
    debtorName: 'Sharma, Sons & "Co"',
    phone: null,
    number: 'INV-2',
    issuedOn: '2026-11-10',
    dueOn: null,
    effectiveDueOn: '2026-12-10',
    amountMinor: 4_550,
    paidMinor: 0,
    balanceMinor: 4_550,
  },
];

describe('plainAmount', () => {
  it.each([
    [1_250_000, 'INR', '12500.00'],
    [1_250_050, 'INR', '12500.50'],
    [5, 'INR', '0.05'],
    [0, 'INR', '0.00'],
    [-250_000, 'INR', '-2500.00'],
    [40_500, 'OMR', '40.500'],
    [7, 'OMR', '0.007'],
    [1500, 'JPY', '1500'],
    [1_000_000_000_000_00, 'INR', '1000000000000.00'],
  ])('%i minor %s is %s', (minor, currency, expected) => {
    expect(plainAmount(minor, currency)).toBe(expected);
  });

  it('refuses a fractional number of minor units', () => {
    expect(() => plainAmount(1.5, 'INR')).toThrow(RangeError);
  });
});

describe('openInvoicesCsv', () => {
  it('writes a header row and one row per invoice: plain decimal amounts, ISO dates, quoted where needed', () => {
    const csv = openInvoicesCsv(lines, { currency: 'INR', bom: false });
    expect(csv).toBe(
      [
        'Debtor,Phone,Invoice number,Issue date,Due date,Amount,Paid,Balance,Currency',
        'Ramesh Traders,+919812345678,INV-1,2026-10-01,2026-10-31,12500.00,2500.00,10000.00,INR',
        '"Sharma, Sons & ""Co""",,INV-2,2026-11-10,,45.50,0.00,45.50,INR',
        '',
      ].join('\n'),
    );
  });

  it('starts with a byte-order mark by default so Excel reads UTF-8', () => {
    expect(openInvoicesCsv([], { currency: 'INR' }).startsWith(BOM)).toBe(true);
  });

  it('writes amounts with the currency digits (OMR 40.500)', () => {
    const csv = openInvoicesCsv([{ ...lines[0]!, amountMinor: 40_500, paidMinor: 0, balanceMinor: 40_500 }], { currency: 'OMR' });
    expect(table(csv)[1]!.slice(5)).toEqual(['40.500', '0.000', '40.500', 'OMR']);
  });

  it('adds days overdue, counted from the effective due date, when given today', () => {
    const rows = table(openInvoicesCsv(lines, { currency: 'INR', today: '2026-11-21' }));
    expect(rows[0]!.at(-1)).toBe('Days overdue');
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual(['21', '0']);
  });

  it('writes Hindi headers for a Hindi locale', () => {
    expect(table(openInvoicesCsv(lines, { currency: 'INR', locale: 'hi-IN' }))[0]).toEqual(['ग्राहक', 'फ़ोन', 'बिल नंबर', 'बिल की तारीख', 'देय तिथि', 'राशि', 'भुगतान हुआ', 'बाकी', 'मुद्रा']);
  });

  it('guards text a spreadsheet would run as a formula', () => {
    const csv = openInvoicesCsv([{ ...lines[0]!, debtorName: '=HYPERLINK("x")', number: '@SUM(1)' }], { currency: 'INR' });
    expect(table(csv)[1]!.slice(0, 3)).toEqual(['\'=HYPERLINK("x")', '+919812345678', "'@SUM(1)"]);
  });

  it.each(['en-IN', 'hi-IN'])('reads back through the importer as the same invoices (%s)', (locale) => {
    const guarded = [...lines, { ...lines[1]!, debtorName: '=Odd', number: '-9' }];
    const parsed = parseInvoiceRows(openInvoicesCsv(guarded, { currency: 'INR', locale }), { currency: 'INR', country: 'IN', today: '2026-11-21' });
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows.map((r) => [r.debtorName, r.phone, r.number, r.amountMinor, r.issuedOn, r.dueOn])).toEqual(
      guarded.map((l) => [l.debtorName, l.phone, l.number, l.amountMinor, l.issuedOn, l.dueOn]),
    );
  });
});

describe('debtorStatementCsv', () => {
  const statement: DebtorStatement = {
    debtor: { id: 'd1', name: 'Ramesh Traders', phone: '+919812345678' },
    invoices: [
      { number: 'INV-1', issuedOn: '2026-10-01', dueOn: '2026-10-31', amountMinor: 1_000_000, paidMinor: 1_000_000, balanceMinor: 0, status: 'paid' },
      { number: 'INV-2', issuedOn: '2026-10-15', dueOn: null, amountMinor: 500_000, paidMinor: 200_000, balanceMinor: 300_000, status: 'open' },
    ],
    payments: [
      {
        receivedOn: '2026-11-05',
        amountMinor: 1_250_000,
        method: 'upi',
        reference: 'UTR 4417',
        allocations: [
          { invoiceNumber: 'INV-1', amountMinor: 1_000_000 },
          { invoiceNumber: 'INV-2', amountMinor: 200_000 },
        ],
      },
    ],
    promises: [
      { promisedOn: '2026-11-01', madeOn: '2026-10-28', amountMinor: 1_000_000, invoiceNumber: 'INV-1', status: 'broken' },
      { promisedOn: '2026-11-25', madeOn: '2026-11-20', amountMinor: null, invoiceNumber: null, status: 'open' },
    ],
  };

  it('lists invoices, payments and promises by date with a running balance and the balance due', () => {
    expect(table(debtorStatementCsv(statement, { currency: 'INR' }))).toEqual([
      ['Date', 'Entry', 'Reference', 'Due date', 'Invoiced', 'Received', 'Balance', 'Status', 'Details'],
      ['2026-10-01', 'Invoice', 'INV-1', '2026-10-31', '10000.00', '', '10000.00', 'paid', ''],
      ['2026-10-15', 'Invoice', 'INV-2', '', '5000.00', '', '15000.00', 'open', 'paid 2000.00; outstanding 3000.00'],
      ['2026-11-01', 'Promise', 'INV-1', '', '', '', '', 'broken', 'promised 10000.00; for INV-1; made on 2026-10-28'],
      ['2026-11-05', 'Payment', 'UTR 4417', '', '', '12500.00', '2500.00', '', 'upi; for INV-1 10000.00, INV-2 2000.00; unapplied 500.00'],
      ['2026-11-25', 'Promise', '', '', '', '', '', 'open', 'made on 2026-11-20'],
      ['', 'Balance due', '', '', '', '', '2500.00', '', ''],
    ]);
  });

  it('puts invoices before payments before promises on the same day', () => {
    const sameDay: DebtorStatement = {
      ...statement,
      invoices: [{ ...statement.invoices[1]!, issuedOn: '2026-11-05' }],
      promises: [{ ...statement.promises[1]!, promisedOn: '2026-11-05' }],
    };
    expect(table(debtorStatementCsv(sameDay, { currency: 'INR' })).map((r) => r[1])).toEqual(['Entry', 'Invoice', 'Payment', 'Promise', 'Balance due']);
  });

  it('is a header and a zero balance for a debtor with no history', () => {
    const empty: DebtorStatement = { ...statement, invoices: [], payments: [], promises: [] };
    expect(table(debtorStatementCsv(empty, { currency: 'OMR' })).slice(1)).toEqual([['', 'Balance due', '', '', '', '', '0.000', '', '']]);
  });

  it('writes Hindi labels for a Hindi locale', () => {
    const rows = table(debtorStatementCsv(statement, { currency: 'INR', locale: 'hi' }));
    expect(rows[0]![0]).toBe('तारीख');
    expect(rows.map((r) => r[1])).toContain('भुगतान');
    expect(rows.at(-1)![1]).toBe('कुल बाकी');
  });
});
