import { describe, expect, it } from 'vitest';
import {
  MAX_IMPORT_ROWS,
  columnForHeader,
  describeImportProblem,
  parseImportDate,
  parseInvoiceRows,
  type ImportColumn,
  type ImportContext,
  type ImportProblem,
  type ImportProblemCode,
} from '../../src/engine/invoice-import.ts';

const ctx: ImportContext = { currency: 'INR', country: 'IN', today: '2026-11-21' };
const HEADER = 'Customer,Phone,Invoice No,Amount,Invoice Date,Due Date';

function parse(text: string, context: ImportContext = ctx) {
  return parseInvoiceRows(text, context);
}

/** The problems as [line, code] pairs, for compact assertions. */
function codes(text: string, context: ImportContext = ctx): Array<[number, ImportProblemCode]> {
  return parse(text, context).problems.map((p) => [p.line, p.reason.code]);
}

describe('parseInvoiceRows: CSV with a header row', () => {
  it('reads every column of a well-formed file into minor units, E.164 phones and ISO dates', () => {
    const result = parse(`${HEADER}\nRamesh Traders,98123 45678,INV-1,12500,01/11/2026,30/11/2026\nGupta & Sons,+91 99887 76655,INV-2,4500.50,2026-11-02,2026-12-02`);
    expect(result.problems).toEqual([]);
    expect(result.rows).toEqual([
      { line: 2, debtorName: 'Ramesh Traders', debtorNameKey: 'ramesh traders', phone: '+919812345678', number: 'INV-1', amountMinor: 1_250_000, issuedOn: '2026-11-01', dueOn: '2026-11-30' },
      { line: 3, debtorName: 'Gupta & Sons', debtorNameKey: 'gupta & sons', phone: '+919988776655', number: 'INV-2', amountMinor: 450_050, issuedOn: '2026-11-02', dueOn: '2026-12-02' },
    ]);
  });

  const aliases: Array<[ImportColumn, string[]]> = [
    ['debtor', ['customer', 'Debtor', 'NAME', 'Party', 'Customer Name', 'party name', 'client']],
    ['phone', ['phone', 'Mobile', 'WhatsApp', 'Mobile No.', 'phone number', 'contact']],
    ['number', ['invoice', 'Invoice No', 'invoice number', 'Bill', 'Bill No.', 'number', 'Invoice #', 'Vch No.']],
    ['amount', ['amount', 'Total', 'VALUE', 'Invoice Amount', 'amt']],
    ['issued', ['issue date', 'Date', 'Invoice Date', 'issued', 'Bill Date']],
    ['due', ['due date', 'Due', 'DUE ON']],
  ];
  it.each(aliases)('matches the %s column by any of its names, whatever the case and spacing', (column, names) => {
    for (const name of names) expect(columnForHeader(name), name).toBe(column);
    expect(columnForHeader(`  ${names[1]!.toUpperCase().split('').join(' ')}  `)).toBe(column);
  });

  it('matches Hindi header names', () => {
    const result = parse('ग्राहक,फ़ोन,बिल नंबर,राशि,तारीख,देय तिथि\nरमेश ट्रेडर्स,9812345678,B-1,500,1/11/2026,30/11/2026');
    expect(result.problems).toEqual([]);
    expect(result.rows[0]).toMatchObject({ debtorName: 'रमेश ट्रेडर्स', number: 'B-1', amountMinor: 50_000, dueOn: '2026-11-30' });
  });

  it('takes columns in any order, ignores unknown ones and needs only debtor, number and amount', () => {
    const result = parse('Amount,Notes,Bill No.,Party\n"12,500",first order,77,Sharma Stores');
    expect(result.problems).toEqual([]);
    expect(result.rows).toEqual([
      { line: 2, debtorName: 'Sharma Stores', debtorNameKey: 'sharma stores', phone: null, number: '77', amountMinor: 1_250_000, issuedOn: '2026-11-21', dueOn: null },
    ]);
  });

  it('reads quoted fields holding commas: Western and Indian grouping, with decimals', () => {
    const result = parse(`${HEADER}\n"Sharma, Sons",,A-1,"12,500",,\nB,,A-2,"1,25,000.50",,\nC,,A-3,"₹ 2,50,000",,`);
    expect(result.problems).toEqual([]);
    expect(result.rows.map((r) => [r.debtorName, r.amountMinor])).toEqual([
      ['Sharma, Sons', 1_250_000],
      ['B', 12_500_050],
      ['C', 25_000_000],
    ]);
  });

  it('strips a byte-order mark, accepts CRLF and skips blank and whitespace-only lines, keeping line numbers', () => {
    const result = parse(`\ufeff${HEADER}\r\n\r\nA,,N-1,100,,\r\n   \r\n,,,,,\r\nB,,N-2,200,,\r\n`);
    expect(result.problems).toEqual([]);
    expect(result.rows.map((r) => [r.line, r.number])).toEqual([
      [3, 'N-1'],
      [6, 'N-2'],
    ]);
  });

  it('counts lines of the original text when a quoted cell spans lines', () => {
    const result = parse(`${HEADER}\n"Ramesh\nTraders",,N-1,100,,\nB,,N-2,abc,,`);
    expect(result.rows.map((r) => [r.line, r.debtorName])).toEqual([[2, 'Ramesh Traders']]);
    expect(result.problems.map((p) => p.line)).toEqual([4]);
  });

  it('reads a header with tabs (pasted from a spreadsheet) and semicolon-separated files', () => {
    const tabbed = parse('Customer\tInvoice\tAmount\nA\tT-1\t12,500\n');
    expect(tabbed.problems).toEqual([]);
    expect(tabbed.rows[0]).toMatchObject({ number: 'T-1', amountMinor: 1_250_000 });
    const semicolons = parse('Customer;Invoice;Amount\nA;S-1;12500\n');
    expect(semicolons.rows[0]).toMatchObject({ number: 'S-1', amountMinor: 1_250_000 });
  });

  it('uses the first of two columns with the same meaning', () => {
    const result = parse('Customer,Invoice,Amount,Total\nA,X-1,100,999');
    expect(result.rows[0]!.amountMinor).toBe(10_000);
  });

  it('drops the apostrophe spreadsheets put before text starting with = + - @', () => {
    const result = parse(`${HEADER}\n'=Weird Name,'+919812345678,'-7,100,,`);
    expect(result.problems).toEqual([]);
    expect(result.rows[0]).toMatchObject({ debtorName: '=Weird Name', phone: '+919812345678', number: '-7' });
  });

  it('reads a file written in another currency with its own decimals (OMR: 3)', () => {
    const result = parse('Customer,Invoice,Amount\nAl Noor,M-1,40.500', { currency: 'OMR', country: 'OM', today: '2026-11-21' });
    expect(result.rows[0]!.amountMinor).toBe(40_500);
  });
});

describe('parseInvoiceRows: pasted lines without a header', () => {
  it('reads comma-separated lines in the order debtor, phone, number, amount, issue date, due date', () => {
    const result = parse('Ramesh Traders, 9812345678, INV-7, 12500, 1/11/2026, 30/11/2026\nSuresh, , INV-8, 4500');
    expect(result.problems).toEqual([]);
    expect(result.rows).toEqual([
      { line: 1, debtorName: 'Ramesh Traders', debtorNameKey: 'ramesh traders', phone: '+919812345678', number: 'INV-7', amountMinor: 1_250_000, issuedOn: '2026-11-01', dueOn: '2026-11-30' },
      { line: 2, debtorName: 'Suresh', debtorNameKey: 'suresh', phone: null, number: 'INV-8', amountMinor: 450_000, issuedOn: '2026-11-21', dueOn: null },
    ]);
  });

  it('detects tabs (lines copied out of a spreadsheet), where amounts keep their commas', () => {
    const result = parse('Ramesh\t9812345678\tA-1\t12,500\t2026-11-01\t2026-11-30\nSuresh\t\tA-2\t1,25,000');
    expect(result.problems).toEqual([]);
    expect(result.rows.map((r) => [r.line, r.number, r.amountMinor])).toEqual([
      [1, 'A-1', 1_250_000],
      [2, 'A-2', 12_500_000],
    ]);
  });

  it('reads quoted amounts with commas in comma-separated lines', () => {
    expect(parse('Ramesh,,A-1,"12,500",,').rows[0]!.amountMinor).toBe(1_250_000);
  });

  it('puts back an unquoted grouped amount the commas split ("12,500", "1,25,000")', () => {
    const result = parse('Ramesh, 9812345678, A-1, 12,500, 1/11/2026\nSuresh, , A-2, 1,25,000, 1/11/2026, 30/11/2026\nMehta, , A-3, 2,500');
    expect(result.problems).toEqual([]);
    expect(result.rows.map((r) => [r.number, r.amountMinor, r.issuedOn, r.dueOn])).toEqual([
      ['A-1', 1_250_000, '2026-11-01', null],
      ['A-2', 12_500_000, '2026-11-01', '2026-11-30'],
      ['A-3', 250_000, '2026-11-21', null],
    ]);
  });

  it('takes a first line that names no columns as data, even when one cell is a column name', () => {
    const result = parse('Party,,P-1,500');
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]!.debtorName).toBe('Party');
  });
});

describe('parseInvoiceRows: pasted lines in another column order', () => {
  it('reads lines without a phone column by what each column holds: customer, invoice number, amount, issue and due date', () => {
    const result = parse('Ramesh Traders, INV-7, 12500, 1/11/2026, 30/11/2026\nSuresh Stores, INV-8, 4500.50, 2/11/2026, 2/12/2026');
    expect(result.problems).toEqual([]);
    expect(result.layout).toEqual({ source: 'detected', columns: ['debtor', 'number', 'amount', 'issued', 'due'] });
    expect(result.rows).toEqual([
      { line: 1, debtorName: 'Ramesh Traders', debtorNameKey: 'ramesh traders', phone: null, number: 'INV-7', amountMinor: 1_250_000, issuedOn: '2026-11-01', dueOn: '2026-11-30' },
      { line: 2, debtorName: 'Suresh Stores', debtorNameKey: 'suresh stores', phone: null, number: 'INV-8', amountMinor: 450_050, issuedOn: '2026-11-02', dueOn: '2026-12-02' },
    ]);
  });

  it('reads tab-separated lines with the amount first and the phone last, a plain-number invoice beside an amount with commas', () => {
    const result = parse('12,500\tRamesh Traders\t77\t1 Nov\t98123 45678\n₹4,000\tGupta Stores\t78\t5 Nov\t9823456781');
    expect(result.problems).toEqual([]);
    expect(result.layout).toEqual({ source: 'detected', columns: ['amount', 'debtor', 'number', 'issued', 'phone'] });
    expect(result.rows.map((r) => [r.debtorName, r.number, r.amountMinor, r.phone, r.issuedOn])).toEqual([
      ['Ramesh Traders', '77', 1_250_000, '+919812345678', '2026-11-01'],
      ['Gupta Stores', '78', 400_000, '+919823456781', '2026-11-05'],
    ]);
  });

  it('keeps the pasted order for lines that read well in it, and says nothing was misread', () => {
    const result = parse('Ramesh Traders, 9812345678, INV-7, 12500');
    expect(result.problems).toEqual([]);
    expect(result.layout).toEqual({ source: 'pasted', columns: ['debtor', 'phone', 'number', 'amount', 'issued', 'due'], misread: false });
  });

  it('keeps the pasted order, flagged as misread, when a cell that failed looks like another column and the columns cannot be told apart', () => {
    // 77 and 12500 could each be the invoice number or the amount: the order is not guessed.
    const result = parse('Ramesh Traders, 77, 12500, 1/11/2026');
    expect(result.rows).toEqual([]);
    expect(result.problems.map((p) => p.reason.code)).toContain('bad_phone');
    expect(result.layout).toEqual({ source: 'pasted', columns: ['debtor', 'phone', 'number', 'amount', 'issued', 'due'], misread: true });
  });

  it('does not flag a misread for a cell that is wrong in itself (an amount with letters, a negative amount)', () => {
    expect(parse('Meena Medical, , M-1, 12abc\nDas Textiles, , D-2, -5').layout).toEqual({ source: 'pasted', columns: ['debtor', 'phone', 'number', 'amount', 'issued', 'due'], misread: false });
  });

  it('counts a short line against the columns detected, naming them in their order', () => {
    const result = parse('Ramesh Traders, INV-7, 12500, 1/11/2026, 30/11/2026\nSuresh Stores, INV-8, 4500, 2/11/2026\nJust A Name');
    expect(result.layout?.source).toBe('detected');
    expect(result.rows.map((r) => r.number)).toEqual(['INV-7', 'INV-8']);
    const reason: ImportProblem = { code: 'wrong_column_count', expected: 5, got: 1, withHeader: false, order: ['debtor', 'number', 'amount', 'issued', 'due'] };
    expect(result.problems).toEqual([{ line: 3, reason }]);
    expect(describeImportProblem(reason, 'en')).toBe('Expected 5 columns in the order the other lines have: customer, invoice number, amount, issue date, due date; found 1.');
  });
});

describe('parseInvoiceRows: dates', () => {
  const formats: Array<[string, string]> = [
    ['2026-11-30', '2026-11-30'],
    ['2026/11/30', '2026-11-30'],
    ['30/11/2026', '2026-11-30'],
    ['30-11-2026', '2026-11-30'],
    ['30.11.2026', '2026-11-30'],
    ['1/2/2026', '2026-02-01'],
    ['30/11/26', '2026-11-30'],
    ['30 Nov 2026', '2026-11-30'],
    ['30-Nov-2026', '2026-11-30'],
    ['30-Nov-26', '2026-11-30'],
    ['30 November 2026', '2026-11-30'],
    ['30th Nov 2026', '2026-11-30'],
    ['Nov 30 2026', '2026-11-30'],
    ['Nov 30, 2026', '2026-11-30'],
    ['September 1, 2026', '2026-09-01'],
    ['Sept 1 2026', '2026-09-01'],
    ['2026-11-30 00:00:00', '2026-11-30'],
    ['2026-11-30T00:00:00Z', '2026-11-30'],
    ['30/11/2026 10:30', '2026-11-30'],
    ['29/02/2028', '2028-02-29'],
  ];
  it.each(formats)('reads %s as %s (numeric dates day first)', (text, expected) => {
    expect(parseImportDate(text)).toBe(expected);
    const result = parse(`${HEADER}\nA,,D-1,100,${text.includes(',') ? `"${text}"` : text},`);
    expect(result.problems).toEqual([]);
    expect(result.rows[0]!.issuedOn).toBe(expected);
  });

  it.each(['31/02/2026', '29/02/2026', '2026-13-01', '32/01/2026', '30/11', 'tomorrow', 'Foo 30 2026', '30/11/1850', '30/11-2026', '12345'])(
    'refuses %s',
    (text) => {
      expect(parseImportDate(text)).toBeNull();
    },
  );

  it('gives an invoice without an issue date today, and one whose only date is a past due date that date', () => {
    const result = parse(`${HEADER}\nA,,D-1,100,,\nB,,D-2,100,,1/12/2026\nC,,D-3,100,,1/10/2026`);
    expect(result.problems).toEqual([]);
    expect(result.rows.map((r) => [r.issuedOn, r.dueOn])).toEqual([
      ['2026-11-21', null],
      ['2026-11-21', '2026-12-01'],
      ['2026-10-01', '2026-10-01'],
    ]);
  });
});

describe('parseInvoiceRows: problems', () => {
  function only(text: string): ImportProblem {
    const result = parse(text);
    expect(result.problems).toHaveLength(1);
    return result.problems[0]!.reason;
  }

  it('missing_debtor and bad_debtor', () => {
    expect(only(`${HEADER}\n,,N-1,100,,`)).toEqual({ code: 'missing_debtor' });
    expect(only(`${HEADER}\n12345,,N-1,100,,`)).toEqual({ code: 'bad_debtor', got: '12345' });
  });

  it('bad_phone, and a missing phone is fine', () => {
    expect(only(`${HEADER}\nA,12345,N-1,100,,`)).toEqual({ code: 'bad_phone', got: '12345' });
    expect(only(`${HEADER}\nA,+1 234,N-1,100,,`)).toEqual({ code: 'bad_phone', got: '+1 234' });
    expect(parse(`${HEADER}\nA,,N-1,100,,`).rows[0]!.phone).toBeNull();
    expect(parse(`${HEADER}\nA,+1 415 555 2671,N-1,100,,`).rows[0]!.phone).toBe('+14155552671');
  });

  it('missing_number and bad_number', () => {
    expect(only(`${HEADER}\nA,,,100,,`)).toEqual({ code: 'missing_number' });
    expect(only(`${HEADER}\nA,,${'X'.repeat(65)},100,,`)).toEqual({ code: 'bad_number', got: 'X'.repeat(65) });
    expect(only(`${HEADER}\nA,,---,100,,`)).toEqual({ code: 'bad_number', got: '---' });
  });

  it('missing_amount and bad_amount with its reason', () => {
    expect(only(`${HEADER}\nA,,N-1,,,`)).toEqual({ code: 'missing_amount' });
    expect(only(`${HEADER}\nA,,N-1,abc,,`)).toEqual({ code: 'bad_amount', got: 'abc', reason: 'letters' });
    expect(only(`${HEADER}\nA,,N-1,"1,2,3",,`)).toEqual({ code: 'bad_amount', got: '1,2,3', reason: 'malformed' });
    expect(only(`${HEADER}\nA,,N-1,0,,`)).toEqual({ code: 'bad_amount', got: '0', reason: 'not_positive' });
    expect(only(`${HEADER}\nA,,N-1,-500,,`)).toEqual({ code: 'bad_amount', got: '-500', reason: 'not_positive' });
    expect(only(`${HEADER}\nA,,N-1,12.555,,`)).toEqual({ code: 'bad_amount', got: '12.555', reason: 'too_many_decimals' });
    expect(only(`${HEADER}\nA,,N-1,99999999999999,,`)).toEqual({ code: 'bad_amount', got: '99999999999999', reason: 'too_large' });
  });

  it('bad_date for the issue and the due date, and due_before_issue', () => {
    expect(only(`${HEADER}\nA,,N-1,100,31/02/2026,`)).toEqual({ code: 'bad_date', field: 'issue', got: '31/02/2026' });
    expect(only(`${HEADER}\nA,,N-1,100,,whenever`)).toEqual({ code: 'bad_date', field: 'due', got: 'whenever' });
    expect(only(`${HEADER}\nA,,N-1,100,30/11/2026,1/11/2026`)).toEqual({ code: 'due_before_issue', issuedOn: '2026-11-30', dueOn: '2026-11-01' });
  });

  it('duplicate_in_file: later lines with a number already used are problems, whatever the case', () => {
    const result = parse(`${HEADER}\nA,,N-1,100,,\nB,,N-2,100,,\nA,,N-1,100,,\nC,,n-1,300,,`);
    expect(result.rows.map((r) => r.line)).toEqual([2, 3]);
    expect(result.problems).toEqual([
      { line: 4, reason: { code: 'duplicate_in_file', firstLine: 2 } },
      { line: 5, reason: { code: 'duplicate_in_file', firstLine: 2 } },
    ]);
  });

  it('duplicate_in_file counts a first line that had other problems', () => {
    expect(codes(`${HEADER}\nA,,N-1,abc,,\nA,,N-1,100,,`)).toEqual([
      [2, 'bad_amount'],
      [3, 'duplicate_in_file'],
    ]);
  });

  it('wrong_column_count for pasted lines with too few or too many cells', () => {
    const result = parse('Ramesh, INV-1, 500\nA, , N-1, 100, 1/11/2026, 30/11/2026, extra');
    expect(result.problems).toEqual([
      { line: 1, reason: { code: 'wrong_column_count', expected: 6, got: 3, withHeader: false } },
      { line: 2, reason: { code: 'wrong_column_count', expected: 6, got: 7, withHeader: false } },
    ]);
  });

  it('wrong_column_count against the header; trailing empty cells are fine', () => {
    const result = parse('Customer,Invoice,Amount\nA,N-1,100,,,\nB,N-2,100,surprise\nC,N-3');
    expect(result.rows.map((r) => r.number)).toEqual(['N-1']);
    expect(result.problems).toEqual([
      { line: 3, reason: { code: 'wrong_column_count', expected: 3, got: 4, withHeader: true } },
      { line: 4, reason: { code: 'wrong_column_count', expected: 3, got: 2, withHeader: true } },
    ]);
  });

  it('missing_columns: a header without debtor, number or amount reads nothing', () => {
    expect(parse('Customer,Phone,Date\nA,9812345678,1/11/2026')).toEqual({
      rows: [],
      problems: [{ line: 1, reason: { code: 'missing_columns', columns: ['number', 'amount'] } }],
    });
  });

  it('unclosed_quote: the line is reported and reading resumes on the next line', () => {
    const result = parse(`${HEADER}\nA,,N-1,100,,\n"B,,N-2,100,,\nC,,N-3,100,,`);
    expect(result.rows.map((r) => [r.line, r.number])).toEqual([
      [2, 'N-1'],
      [4, 'N-3'],
    ]);
    expect(result.problems).toEqual([{ line: 3, reason: { code: 'unclosed_quote' } }]);
  });

  it('reports every problem of a line, in column order, and every bad line, in line order', () => {
    expect(codes(`${HEADER}\n,12345,,abc,x,y\nGood,,G-1,100,,\nA,,N-1,100,30/11/2026,1/11/2026`)).toEqual([
      [2, 'missing_debtor'],
      [2, 'bad_phone'],
      [2, 'missing_number'],
      [2, 'bad_amount'],
      [2, 'bad_date'],
      [2, 'bad_date'],
      [4, 'due_before_issue'],
    ]);
  });

  it(`too_many_rows: more than ${MAX_IMPORT_ROWS} data rows is one problem and no rows`, () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `Debtor ${i % 50},,N-${i},${100 + i},,`);
    const atCap = parse([HEADER, ...lines(MAX_IMPORT_ROWS)].join('\n'));
    expect(atCap.problems).toEqual([]);
    expect(atCap.rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(parse([HEADER, ...lines(MAX_IMPORT_ROWS + 1)].join('\n'))).toEqual({
      rows: [],
      problems: [{ line: MAX_IMPORT_ROWS + 2, reason: { code: 'too_many_rows', max: MAX_IMPORT_ROWS, got: MAX_IMPORT_ROWS + 1 } }],
    });
  });

  it('an empty text or a header alone has no rows and no problems', () => {
    expect(parse('')).toEqual({ rows: [], problems: [] });
    expect(parse('\n  \n')).toEqual({ rows: [], problems: [] });
    expect(parse(`${HEADER}\n`)).toEqual({ rows: [], problems: [] });
  });
});

describe('describeImportProblem', () => {
  const every: ImportProblem[] = [
    { code: 'missing_debtor' },
    { code: 'bad_debtor', got: '123' },
    { code: 'bad_phone', got: '12345' },
    { code: 'missing_number' },
    { code: 'bad_number', got: '---' },
    { code: 'missing_amount' },
    { code: 'bad_amount', got: 'abc', reason: 'letters' },
    { code: 'bad_date', field: 'issue', got: '31/02/2026' },
    { code: 'bad_date', field: 'due', got: 'soon' },
    { code: 'due_before_issue', issuedOn: '2026-11-30', dueOn: '2026-11-01' },
    { code: 'duplicate_in_file', firstLine: 4 },
    { code: 'wrong_column_count', expected: 6, got: 3, withHeader: false },
    { code: 'wrong_column_count', expected: 3, got: 4, withHeader: true },
    { code: 'wrong_column_count', expected: 3, got: 1, withHeader: false, order: ['amount', 'debtor', 'number'] },
    { code: 'missing_columns', columns: ['number', 'amount'] },
    { code: 'unclosed_quote' },
    { code: 'too_many_rows', max: 5000, got: 6000 },
  ];

  it.each(['en', 'hi'] as const)('has a distinct sentence for every problem in %s', (lang) => {
    const texts = every.map((problem) => describeImportProblem(problem, lang));
    for (const text of texts) expect(text.length).toBeGreaterThan(10);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('says what was wrong and where to look', () => {
    expect(describeImportProblem({ code: 'duplicate_in_file', firstLine: 4 }, 'en')).toBe('Duplicate invoice number in this file, first on line 4.');
    expect(describeImportProblem({ code: 'bad_amount', got: 'abc', reason: 'letters' }, 'en')).toBe('The amount "abc" is not valid: it has letters in it.');
    expect(describeImportProblem({ code: 'missing_columns', columns: ['number', 'amount'] }, 'en')).toBe('The header has no column for: invoice number, amount.');
    expect(describeImportProblem({ code: 'duplicate_in_file', firstLine: 4 }, 'hi')).toContain('लाइन 4');
    expect(describeImportProblem({ code: 'bad_date', field: 'due', got: 'soon' }, 'hi')).toContain('देय तिथि');
  });
});
