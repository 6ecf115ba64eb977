// Reads invoices an owner sends in bulk: a CSV file with a header row (as any spreadsheet or
// accounting package exports it), or lines pasted from a sheet without a header, in the fixed
// order debtor, phone, invoice number, amount, issue date, due date (commas or tabs). Pasted lines
// in another order are read by what their columns hold when that is clear (and the caller says
// which column was read as which), else in the fixed order, with a hint when a cell looks like
// it belongs in another column.
// Every good row comes back ready to save; every bad one as a structured problem with the line
// it is on in the original text, so the caller can answer in the owner's language.
// Pure: the caller passes today's date in the business's time zone.
import { parse as parseCsv } from 'csv-parse/sync';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { parseAmount, type ParseAmountFailure } from './amount.ts';
import { isValidCalendarDate, makeCalendarDate, type CalendarDate } from './calendar.ts';
import { toMinorUnits } from './money.ts';
import { cleanName, nameKey, resolveDueDate } from './owner-command.ts';

/** Rows read from one import at most; a larger file is refused whole. */
export const MAX_IMPORT_ROWS = 5000;
/** Invoice numbers longer than this are not invoice numbers. */
export const MAX_INVOICE_NUMBER_LENGTH = 64;
/** How many unclosed quotes one file may recover from before the rest of it is given up. */
const MAX_QUOTE_RECOVERIES = 100;

export type ImportColumn = 'debtor' | 'phone' | 'number' | 'amount' | 'issued' | 'due';

/** The column order of pasted lines without a header. */
export const PASTED_COLUMN_ORDER: readonly ImportColumn[] = ['debtor', 'phone', 'number', 'amount', 'issued', 'due'];
const REQUIRED_COLUMNS: readonly ImportColumn[] = ['debtor', 'number', 'amount'];
/** Pasted lines may leave out the trailing optional dates, not the amount. */
const MIN_PASTED_COLUMNS = 4;

export interface ImportRow {
  /** 1-based line of the original text the row starts on. */
  line: number;
  debtorName: string;
  debtorNameKey: string;
  /** E.164, or null when the row had none. */
  phone: string | null;
  number: string;
  amountMinor: number;
  issuedOn: CalendarDate;
  dueOn: CalendarDate | null;
}

export type ImportAmountFailure = ParseAmountFailure | 'too_many_decimals';

export type ImportProblem =
  | { code: 'missing_debtor' }
  | { code: 'bad_debtor'; got: string }
  | { code: 'bad_phone'; got: string }
  | { code: 'missing_number' }
  | { code: 'bad_number'; got: string }
  | { code: 'missing_amount' }
  | { code: 'bad_amount'; got: string; reason: ImportAmountFailure }
  | { code: 'bad_date'; field: 'issue' | 'due'; got: string }
  | { code: 'due_before_issue'; issuedOn: CalendarDate; dueOn: CalendarDate }
  | { code: 'duplicate_in_file'; firstLine: number }
  /** `withHeader`: counted against the header row (else against `order`, the columns read from what the lines hold, or the pasted order). */
  | { code: 'wrong_column_count'; expected: number; got: number; withHeader: boolean; order?: Array<ImportColumn | null> }
  | { code: 'missing_columns'; columns: ImportColumn[] }
  | { code: 'unclosed_quote' }
  | { code: 'too_many_rows'; max: number; got: number };

export type ImportProblemCode = ImportProblem['code'];

export interface ImportLineProblem {
  line: number;
  reason: ImportProblem;
}

export interface ImportContext {
  /** The business's ISO currency: amounts become its minor units. */
  currency: string;
  /** Two-letter country for reading local phone numbers ("98123 45678" in IN). */
  country: string;
  /** Today in the business's time zone: the issue date of a row that has none. */
  today: CalendarDate;
}

/**
 * How header-less lines were read: in the fixed pasted order (`misread`: a cell that failed looks
 * like it belongs in another column), or `detected` from what each column holds (null: a column
 * left empty on every line).
 */
export type PastedLayout =
  | { source: 'pasted'; columns: readonly ImportColumn[]; misread: boolean }
  | { source: 'detected'; columns: Array<ImportColumn | null> };

export interface ImportResult {
  rows: ImportRow[];
  problems: ImportLineProblem[];
  /** Only for lines without a header. */
  layout?: PastedLayout;
}

// ---------------------------------------------------------------------------------------------
// Header names

/** Header cells are compared lower-cased, without spaces or punctuation ("Invoice No." = "invoiceno"). */
export function headerKey(cell: string): string {
  return cell
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\u093c/g, '')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '');
}

const COLUMN_ALIASES: Record<ImportColumn, string[]> = {
  debtor: [
    'customer', 'customer name', 'debtor', 'debtor name', 'name', 'party', 'party name', 'client', 'client name', 'buyer', 'ledger', 'ledger name',
    'ग्राहक', 'ग्राहक का नाम', 'नाम', 'पार्टी', 'पार्टी का नाम', 'देनदार',
  ],
  phone: [
    'phone', 'phone no', 'phone number', 'mobile', 'mobile no', 'mobile number', 'mob', 'mob no', 'whatsapp', 'whatsapp no', 'whatsapp number', 'contact', 'contact no', 'contact number', 'cell',
    'फोन', 'फ़ोन', 'फोन नंबर', 'मोबाइल', 'मोबाइल नंबर', 'व्हाट्सएप', 'व्हाट्सऐप',
  ],
  number: [
    'invoice', 'invoice no', 'invoice number', 'invoice #', 'invoice id', 'inv', 'inv no', 'bill', 'bill no', 'bill number', 'bill #', 'number', 'no', 'vch no', 'voucher no', 'voucher number', 'ref no',
    'बिल', 'बिल नंबर', 'बिल नं', 'बिल संख्या', 'इनवॉइस', 'इनवॉइस नंबर', 'चालान', 'चालान नंबर',
  ],
  amount: [
    'amount', 'amt', 'total', 'value', 'invoice amount', 'invoice value', 'bill amount', 'bill value', 'total amount', 'amount due', 'net amount', 'grand total',
    'राशि', 'रकम', 'कुल', 'कुल राशि', 'बिल राशि',
  ],
  issued: [
    'issue date', 'date', 'invoice date', 'issued', 'issued on', 'bill date', 'inv date', 'vch date', 'voucher date',
    'तारीख', 'तारीख़', 'दिनांक', 'बिल तारीख', 'बिल की तारीख', 'बिल दिनांक',
  ],
  due: ['due date', 'due', 'due on', 'due by', 'payment due', 'देय तिथि', 'अंतिम तिथि', 'ड्यू डेट', 'भुगतान तिथि'],
};

const COLUMN_BY_HEADER = new Map<string, ImportColumn>();
for (const [column, aliases] of Object.entries(COLUMN_ALIASES) as Array<[ImportColumn, string[]]>) {
  for (const alias of aliases) COLUMN_BY_HEADER.set(headerKey(alias), column);
}

/** Which import column a header cell names, if any. */
export function columnForHeader(cell: string): ImportColumn | undefined {
  return COLUMN_BY_HEADER.get(headerKey(stripFormulaGuard(cell)));
}

/**
 * A first line is a header when two of its cells name known columns, or when one does and the line
 * has no digit at all (a data line always has an amount).
 */
function looksLikeHeader(cells: string[]): boolean {
  const known = cells.filter((cell) => columnForHeader(cell) !== undefined).length;
  return known >= 2 || (known === 1 && !cells.some((cell) => /\d/.test(cell)));
}

// ---------------------------------------------------------------------------------------------
// Cells

/** Spreadsheets protect text like "=1+1" or "+91…" with a leading apostrophe; it is not part of the value. */
function stripFormulaGuard(cell: string): string {
  return /^'[=+\-@]/.test(cell) ? cell.slice(1) : cell;
}

function cleanCell(cell: string | undefined): string {
  return stripFormulaGuard((cell ?? '').replace(/\s+/g, ' ').trim());
}

const MONTH_BY_NAME = new Map<string, number>();
['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].forEach((name, index) => MONTH_BY_NAME.set(name, index + 1));
['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].forEach((name, index) =>
  MONTH_BY_NAME.set(name, index + 1),
);
MONTH_BY_NAME.set('sept', 9);

const TIME_SUFFIX = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?(?:Z|[+-]\d{2}:?\d{2})?)?`;
const ISO_DATE = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TIME_SUFFIX}$`, 'i');
const DAY_FIRST_DATE = new RegExp(String.raw`^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})${TIME_SUFFIX}$`, 'i');
const DAY_MONTH_NAME_DATE = /^(\d{1,2})(?:st|nd|rd|th)?[-/. ]*([a-z]+)\.?[-/., ]*(\d{4}|\d{2})$/i;
const MONTH_NAME_DAY_DATE = /^([a-z]+)\.?[-/. ]*(\d{1,2})(?:st|nd|rd|th)?[-/., ]+(\d{4})$/i;
const EARLIEST_YEAR = 1900;
const LATEST_YEAR = 2200;

function fullYear(text: string): number {
  const year = Number(text);
  return text.length === 2 ? 2000 + year : year;
}

function calendarDateOrNull(year: number, month: number | undefined, day: number): CalendarDate | null {
  if (month === undefined || year < EARLIEST_YEAR || year > LATEST_YEAR || !isValidCalendarDate(year, month, day)) return null;
  return makeCalendarDate(year, month, day);
}

/**
 * A date as spreadsheets and people write it: 2026-11-30, 30/11/2026, 30-11-2026, 30.11.2026,
 * 30/11/26 (numeric dates are always day first), 30 Nov 2026, 30-Nov-2026, 30th November 2026,
 * Nov 30 2026, Nov 30, 2026; a time after a numeric date (as exports add) is ignored.
 * Impossible dates (31/02/2026) and years outside 1900–2200 are null.
 */
export function parseImportDate(text: string): CalendarDate | null {
  const value = text.replace(/\s+/g, ' ').trim();
  let match = ISO_DATE.exec(value);
  if (match) return calendarDateOrNull(Number(match[1]), Number(match[3]), Number(match[4]));
  match = DAY_FIRST_DATE.exec(value);
  if (match) return calendarDateOrNull(fullYear(match[4]!), Number(match[3]), Number(match[1]));
  match = DAY_MONTH_NAME_DATE.exec(value);
  if (match) return calendarDateOrNull(fullYear(match[3]!), MONTH_BY_NAME.get(match[2]!.toLowerCase()), Number(match[1]));
  match = MONTH_NAME_DAY_DATE.exec(value);
  if (match) return calendarDateOrNull(Number(match[3]), MONTH_BY_NAME.get(match[1]!.toLowerCase()), Number(match[2]));
  return null;
}

/**
 * A date cell: the spreadsheet forms above, else whatever the chat accepts ("30 Dec", "15 jan",
 * "next Friday"), read as the chat reads a due date. An issue date written without a year is
 * never in the future: "15 Dec" on 7 Dec is last year's.
 */
export function readImportDate(text: string, field: 'issue' | 'due', today: CalendarDate): CalendarDate | null {
  const strict = parseImportDate(text);
  if (strict !== null) return strict;
  const chat = resolveDueDate(text, today);
  if (chat === null) return null;
  if (field === 'issue' && chat > today && !/\b\d{4}\b/.test(text)) {
    const lastYear = `${Number(chat.slice(0, 4)) - 1}${chat.slice(4)}`;
    return isValidCalendarDate(Number(lastYear.slice(0, 4)), Number(lastYear.slice(5, 7)), Number(lastYear.slice(8, 10))) ? lastYear : null;
  }
  return chat;
}

// ---------------------------------------------------------------------------------------------
// Row validation (zod at the edge, the project's parsers inside)

type FieldResult<T> = { ok: true; value: T } | { ok: false; problem: ImportProblem };

/** A string cell read by `read`; a failure becomes a zod issue that carries the structured problem. */
function cellField<T>(read: (cell: string) => FieldResult<T>) {
  return z.string().transform((cell, ctx) => {
    const result = read(cell);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.problem.code, params: { problem: result.problem } });
    return z.NEVER;
  });
}

function readDebtor(cell: string): FieldResult<{ name: string; key: string }> {
  if (cell === '') return { ok: false, problem: { code: 'missing_debtor' } };
  const name = cleanName(cell);
  if (name === undefined) return { ok: false, problem: { code: 'bad_debtor', got: cell } };
  return { ok: true, value: { name, key: nameKey(name) } };
}

function readNumber(cell: string): FieldResult<string> {
  if (cell === '') return { ok: false, problem: { code: 'missing_number' } };
  if (cell.length > MAX_INVOICE_NUMBER_LENGTH || !/[\p{L}\p{N}]/u.test(cell)) return { ok: false, problem: { code: 'bad_number', got: cell } };
  return { ok: true, value: cell };
}

function rowSchema(ctx: ImportContext) {
  const readPhone = (cell: string): FieldResult<string | null> => {
    if (cell === '') return { ok: true, value: null };
    const parsed = parsePhoneNumberFromString(cell, ctx.country.toUpperCase() as CountryCode);
    if (!parsed?.isValid()) return { ok: false, problem: { code: 'bad_phone', got: cell } };
    return { ok: true, value: parsed.number };
  };
  const readAmount = (cell: string): FieldResult<number> => {
    if (cell === '') return { ok: false, problem: { code: 'missing_amount' } };
    const parsed = parseAmount(cell);
    if (!parsed.ok) return { ok: false, problem: { code: 'bad_amount', got: cell, reason: parsed.reason } };
    const minor = toMinorUnits(parsed.value, ctx.currency);
    if (!minor.ok) return { ok: false, problem: { code: 'bad_amount', got: cell, reason: minor.reason } };
    return { ok: true, value: minor.minor };
  };
  const dates = z.object({ issued: z.string(), due: z.string() }).transform((cells, zctx) => {
    const issued = cells.issued === '' ? null : readImportDate(cells.issued, 'issue', ctx.today);
    const due = cells.due === '' ? null : readImportDate(cells.due, 'due', ctx.today);
    const fail = (problem: ImportProblem) => zctx.addIssue({ code: 'custom', message: problem.code, params: { problem } });
    if (cells.issued !== '' && issued === null) fail({ code: 'bad_date', field: 'issue', got: cells.issued });
    if (cells.due !== '' && due === null) fail({ code: 'bad_date', field: 'due', got: cells.due });
    if (issued !== null && due !== null && due < issued) fail({ code: 'due_before_issue', issuedOn: issued, dueOn: due });
    if ((cells.issued !== '' && issued === null) || (cells.due !== '' && due === null) || (issued !== null && due !== null && due < issued)) return z.NEVER;
    // Without an issue date the invoice was issued today, or on its due date if that has passed
    // (an old invoice entered late is still overdue, not "due before issue").
    const issuedOn = issued ?? (due !== null && due < ctx.today ? due : ctx.today);
    return { issuedOn, dueOn: due };
  });
  return z.object({
    debtor: cellField(readDebtor),
    phone: cellField(readPhone),
    number: cellField(readNumber),
    amount: cellField(readAmount),
    dates,
  });
}

function problemsOf(error: z.ZodError): ImportProblem[] {
  return error.issues.map((issue) => {
    const problem = issue.code === 'custom' ? (issue.params as { problem?: ImportProblem } | undefined)?.problem : undefined;
    if (!problem) throw new Error(`unexpected validation issue: ${issue.message}`);
    return problem;
  });
}

// ---------------------------------------------------------------------------------------------
// Records with the lines they start on

interface SourceRecord {
  line: number;
  cells: string[];
}

function newlineCount(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** The line a record starts on, from the line it ends on and its raw text (which may begin with skipped blank lines). */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  return endLine - newlineCount(body);
}

/**
 * Splits the text into records (quoted fields may hold commas, tabs and newlines). A quote that is
 * never closed would swallow the rest of the file: its line is reported and reading resumes on
 * the next line.
 */
function readRecords(text: string, delimiter: string): { records: SourceRecord[]; unclosedQuoteLines: number[] } {
  const records: SourceRecord[] = [];
  const unclosedQuoteLines: number[] = [];
  let rest = text;
  let lineOffset = 0;
  for (;;) {
    let unclosedAt: number | null = null;
    const parsed = parseCsv(rest, {
      delimiter,
      info: true,
      raw: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err, raw) => {
        if (!err) return undefined;
        const line = startLine(Number(err.lines), raw ?? '');
        // With relaxed quotes and column counts, a quote never closed is the one error left; it ends
        // the parse, so reading resumes after it. Any other error skips only its own record.
        if (err.code === 'CSV_QUOTE_NOT_CLOSED') unclosedAt ??= line;
        else unclosedQuoteLines.push(lineOffset + line);
        return undefined;
      },
    }) as unknown as Array<{ record: string[]; info: { lines: number }; raw: string }>;
    for (const { record, info, raw } of parsed) {
      records.push({ line: lineOffset + startLine(info.lines, raw), cells: record });
    }
    if (unclosedAt === null) break;
    const badLine: number = unclosedAt;
    unclosedQuoteLines.push(lineOffset + badLine);
    if (unclosedQuoteLines.length >= MAX_QUOTE_RECOVERIES) break;
    // Resume on the line after the one the bad record started on.
    const next = nthLineStart(rest, badLine + 1);
    if (next < 0) break;
    rest = rest.slice(next);
    lineOffset += badLine;
  }
  return { records, unclosedQuoteLines };
}

/** Index in `text` where 1-based line `line` starts, or -1 when the text has fewer lines. */
function nthLineStart(text: string, line: number): number {
  let index = 0;
  for (let current = 1; current < line; current++) {
    const newline = text.indexOf('\n', index);
    if (newline < 0) return -1;
    index = newline + 1;
  }
  return index;
}

function detectDelimiter(firstLine: string): string {
  if (firstLine.includes('\t')) return '\t';
  if (firstLine.includes(';') && !firstLine.includes(',')) return ';';
  return ',';
}

// ---------------------------------------------------------------------------------------------
// The whole text

/**
 * Reads invoices from CSV text with a header row, or from header-less pasted lines in the order
 * debtor, phone, invoice number, amount, issue date, due date (commas or tabs; the dates may be
 * left out), or, when that order misreads them and what each column holds says clearly which is
 * which, in the order detected. Returns the good rows and, for every bad line, why, in line order.
 */
export function parseInvoiceRows(text: string, ctx: ImportContext): ImportResult {
  const normalized = text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  const firstLine = normalized.split('\n').find((line) => line.trim() !== '');
  if (firstLine === undefined) return { rows: [], problems: [] };

  const delimiter = detectDelimiter(firstLine);
  const { records: allRecords, unclosedQuoteLines } = readRecords(normalized, delimiter);
  const quoteProblems: ImportLineProblem[] = unclosedQuoteLines.map((line) => ({ line, reason: { code: 'unclosed_quote' } }));
  const records = allRecords
    .map((record) => ({ line: record.line, cells: record.cells.map(cleanCell) }))
    .filter((record) => record.cells.some((cell) => cell !== ''));

  const first = records[0];
  const withHeader = first !== undefined && looksLikeHeader(first.cells);
  const dataRecords = withHeader ? records.slice(1) : records;
  if (withHeader) {
    let columns: Array<ImportColumn | undefined> = first.cells.map((cell) => columnForHeader(cell));
    // A column named twice counts once, the first time.
    columns = columns.map((column, index) => (column !== undefined && columns.indexOf(column) !== index ? undefined : column));
    const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
    if (missing.length > 0) return { rows: [], problems: [{ line: first.line, reason: { code: 'missing_columns', columns: missing } }] };
    if (dataRecords.length > MAX_IMPORT_ROWS) return tooManyRows(dataRecords);
    return finish(readDataRecords(dataRecords, columns, { mode: 'header', delimiter, ctx }), quoteProblems);
  }

  if (dataRecords.length > MAX_IMPORT_ROWS) return tooManyRows(dataRecords);
  const pasted = readDataRecords(dataRecords, [...PASTED_COLUMN_ORDER], { mode: 'pasted', delimiter, ctx });
  if (pasted.problems.length === 0) return finish({ ...pasted, layout: { source: 'pasted', columns: PASTED_COLUMN_ORDER, misread: false } }, quoteProblems);
  const detected = detectColumns(dataRecords, ctx);
  if (detected && !agreesWithPastedOrder(detected)) {
    const byContent = readDataRecords(dataRecords, detected.map((c) => c ?? undefined), { mode: 'detected', delimiter, ctx });
    if (problemLineCount(byContent.problems) < problemLineCount(pasted.problems)) {
      return finish({ ...byContent, layout: { source: 'detected', columns: detected } }, quoteProblems);
    }
  }
  const misread = pasted.misread;
  return finish({ rows: pasted.rows, problems: pasted.problems, layout: { source: 'pasted', columns: PASTED_COLUMN_ORDER, misread } }, quoteProblems);
}

function tooManyRows(dataRecords: SourceRecord[]): ImportResult {
  const firstExcess = dataRecords[MAX_IMPORT_ROWS]!;
  return { rows: [], problems: [{ line: firstExcess.line, reason: { code: 'too_many_rows', max: MAX_IMPORT_ROWS, got: dataRecords.length } }] };
}

function finish(result: ImportResult, quoteProblems: ImportLineProblem[]): ImportResult {
  const problems = [...quoteProblems, ...result.problems].sort((a, b) => a.line - b.line);
  const { rows, layout } = result;
  return layout === undefined ? { rows, problems } : { rows, problems, layout };
}

function problemLineCount(problems: ImportLineProblem[]): number {
  return new Set(problems.map((p) => p.line)).size;
}

interface ReadOptions {
  /** Counted against a header row, the pasted order, or the columns detected. */
  mode: 'header' | 'pasted' | 'detected';
  delimiter: string;
  ctx: ImportContext;
}

/** The data lines read with the given columns; `misread`: a failed cell looks like another column's. */
function readDataRecords(dataRecords: SourceRecord[], columns: Array<ImportColumn | undefined>, options: ReadOptions): ImportResult & { misread: boolean } {
  const { delimiter, ctx, mode } = options;
  const problems: ImportLineProblem[] = [];
  const lastRequiredIndex = Math.max(...REQUIRED_COLUMNS.map((column) => columns.indexOf(column)));
  const minCells = mode === 'pasted' ? MIN_PASTED_COLUMNS : lastRequiredIndex + 1;
  const schema = rowSchema(ctx);
  const firstLineByNumber = new Map<string, number>();
  const rows: ImportRow[] = [];
  let misread = false;

  const amountIndex = columns.indexOf('amount');
  for (const record of dataRecords) {
    const cells = delimiter === ',' ? rejoinSplitAmount(record.cells, amountIndex, columns) : record.cells;
    const filled = lastFilledIndex(cells) + 1;
    if (filled > columns.length || cells.length < minCells) {
      const got = filled > columns.length ? filled : cells.length;
      const reason: ImportProblem =
        mode === 'detected'
          ? { code: 'wrong_column_count', expected: columns.length, got, withHeader: false, order: columns.map((c) => c ?? null) }
          : { code: 'wrong_column_count', expected: columns.length, got, withHeader: mode === 'header' };
      problems.push({ line: record.line, reason });
      continue;
    }
    const cell = (column: ImportColumn): string => {
      const index = columns.indexOf(column);
      return index < 0 ? '' : (cells[index] ?? '');
    };
    const lineProblems: ImportProblem[] = [];

    const number = cell('number');
    if (number !== '') {
      const key = invoiceNumberKey(number);
      const firstLine = firstLineByNumber.get(key);
      if (firstLine === undefined) firstLineByNumber.set(key, record.line);
      else lineProblems.push({ code: 'duplicate_in_file', firstLine });
    }

    const parsed = schema.safeParse({
      debtor: cell('debtor'),
      phone: cell('phone'),
      number,
      amount: cell('amount'),
      dates: { issued: cell('issued'), due: cell('due') },
    });
    if (!parsed.success) {
      const fieldProblems = problemsOf(parsed.error);
      lineProblems.unshift(...fieldProblems);
      if (!misread) misread = fieldProblems.some((problem) => looksMisplaced(problem, cell, ctx));
    }
    if (lineProblems.length > 0) {
      for (const reason of lineProblems) problems.push({ line: record.line, reason });
      continue;
    }
    if (!parsed.success) continue;
    const row = parsed.data;
    rows.push({
      line: record.line,
      debtorName: row.debtor.name,
      debtorNameKey: row.debtor.key,
      phone: row.phone,
      number: row.number,
      amountMinor: row.amount,
      issuedOn: row.dates.issuedOn,
      dueOn: row.dates.dueOn,
    });
  }
  return { rows, problems, misread };
}

// ---------------------------------------------------------------------------------------------
// Which column is which, from what the cells hold

type CellKind = 'name' | 'phone' | 'number' | 'amount' | 'date';

const SHORT_DAY_MONTH = /^\d{1,2}(?:st|nd|rd|th)?[-/. ]*([a-z]{3,9})\.?$/i;
const SHORT_MONTH_DAY = /^([a-z]{3,9})\.?[-/. ]*\d{1,2}(?:st|nd|rd|th)?$/i;

/** What a cell could be. A date or a phone number is only that; an amount is never a name. */
function cellKinds(cell: string, ctx: ImportContext): Set<CellKind> {
  const kinds = new Set<CellKind>();
  if (cell === '') return kinds;
  const shortDate = SHORT_DAY_MONTH.exec(cell) ?? SHORT_MONTH_DAY.exec(cell);
  if (parseImportDate(cell) !== null || (shortDate && MONTH_BY_NAME.has(shortDate[1]!.toLowerCase()) && readImportDate(cell, 'due', ctx.today) !== null)) {
    kinds.add('date');
    return kinds;
  }
  if ((cell.match(/\d/g)?.length ?? 0) >= 8 && parsePhoneNumberFromString(cell, ctx.country.toUpperCase() as CountryCode)?.isValid()) {
    kinds.add('phone');
    return kinds;
  }
  const amount = parseAmount(cell).ok;
  if (amount) kinds.add('amount');
  if (/\d/.test(cell) && !/\s/.test(cell) && cell.length <= MAX_INVOICE_NUMBER_LENGTH && /^[\p{L}\p{N}#\-/._]+$/u.test(cell)) kinds.add('number');
  if (!amount && /\p{L}/u.test(cell) && (/\s/.test(cell) || !/\d/.test(cell)) && cleanName(cell) !== undefined) kinds.add('name');
  return kinds;
}

/** The column a failed cell was read as holds what another column would: the order is likely wrong. */
function looksMisplaced(problem: ImportProblem, cell: (column: ImportColumn) => string, ctx: ImportContext): boolean {
  const failed: { column: ImportColumn; elsewhere: CellKind[] } | null =
    problem.code === 'bad_debtor' ? { column: 'debtor', elsewhere: ['phone', 'amount', 'date'] }
    : problem.code === 'bad_phone' ? { column: 'phone', elsewhere: ['name', 'number', 'amount', 'date'] }
    : problem.code === 'bad_amount' ? { column: 'amount', elsewhere: ['name', 'phone', 'date'] }
    : problem.code === 'bad_date' ? { column: problem.field === 'issue' ? 'issued' : 'due', elsewhere: ['name', 'phone', 'number', 'amount'] }
    : null;
  if (failed === null) return false;
  const kinds = cellKinds(cell(failed.column), ctx);
  return failed.elsewhere.some((kind) => kinds.has(kind));
}

/** A column is of a kind when this share of its filled cells are. */
const COLUMN_KIND_SHARE = 0.8;

/**
 * The columns of header-less lines, from what their cells hold: one column of names (the
 * customer), at most one of phone numbers, at most two of dates (issue, then due), and of the two
 * left one of amounts and one of invoice numbers, told apart because only one of them could be
 * the other. Null when any column is unclear.
 */
function detectColumns(records: SourceRecord[], ctx: ImportContext): Array<ImportColumn | null> | null {
  const width = Math.max(...records.map((r) => lastFilledIndex(r.cells) + 1));
  const profiles = Array.from({ length: width }, (_, index) => {
    const counts: Record<CellKind, number> = { name: 0, phone: 0, number: 0, amount: 0, date: 0 };
    let filled = 0;
    for (const record of records) {
      const value = record.cells[index] ?? '';
      if (value === '') continue;
      filled++;
      for (const kind of cellKinds(value, ctx)) counts[kind]++;
    }
    return { filled, is: (kind: CellKind) => filled > 0 && counts[kind] >= COLUMN_KIND_SHARE * filled };
  });
  const columns: Array<ImportColumn | null> = profiles.map(() => null);
  const open = (index: number) => profiles[index]!.filled > 0 && columns[index] === null;
  const indexes = profiles.map((_, index) => index);

  const names = indexes.filter((i) => open(i) && profiles[i]!.is('name'));
  if (names.length !== 1) return null;
  columns[names[0]!] = 'debtor';
  const phones = indexes.filter((i) => open(i) && profiles[i]!.is('phone'));
  if (phones.length > 1) return null;
  if (phones.length === 1) columns[phones[0]!] = 'phone';
  const dates = indexes.filter((i) => open(i) && profiles[i]!.is('date'));
  if (dates.length > 2) return null;
  dates.forEach((i, n) => (columns[i] = n === 0 ? 'issued' : 'due'));
  const rest = indexes.filter(open);
  if (rest.length !== 2) return null;
  const [a, b] = rest as [number, number];
  const amountOnly = (i: number) => profiles[i]!.is('amount') && !profiles[i]!.is('number');
  const numberOnly = (i: number) => profiles[i]!.is('number') && !profiles[i]!.is('amount');
  const pick = (amount: number, number: number) => profiles[amount]!.is('amount') && profiles[number]!.is('number') && (amountOnly(amount) || numberOnly(number));
  if (pick(a, b) && !pick(b, a)) [columns[a], columns[b]] = ['amount', 'number'];
  else if (pick(b, a) && !pick(a, b)) [columns[a], columns[b]] = ['number', 'amount'];
  else return null;
  return columns;
}

/** Columns detected in the pasted order (some left empty) read the same in that order. */
function agreesWithPastedOrder(columns: Array<ImportColumn | null>): boolean {
  return columns.every((column, index) => column === null || PASTED_COLUMN_ORDER[index] === column);
}

const GROUPED_AMOUNT = /^(?:\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})*,\d{3})(?:\.\d+)?$/;
const AMOUNT_PREFIX = /^(?:₹|rs\.?|inr)\s*/i;

/**
 * Typed lines often carry an unquoted grouped amount ("Ramesh, INV-7, 12,500, 1/11/2026"), which
 * the comma splits into "12" and "500". The pieces are put back together when they form a valid
 * Western or Indian grouping and the cells they came from are either surplus (the line has too
 * many cells) or would otherwise be dates, which a 2- or 3-digit group never is.
 */
function rejoinSplitAmount(cells: string[], amountIndex: number, columns: Array<ImportColumn | undefined>): string[] {
  const head = cells[amountIndex];
  if (head === undefined || !/^\d{1,3}$/.test(head.replace(AMOUNT_PREFIX, ''))) return cells;
  let end = amountIndex;
  while (end + 1 < cells.length && /^\d{2,3}$/.test(cells[end + 1]!)) end++;
  if (end + 1 < cells.length && /^\d{2,3}\.\d+$/.test(cells[end + 1]!)) end++;
  const surplus = lastFilledIndex(cells) + 1 - columns.length;
  for (; end > amountIndex; end--) {
    const absorbed = end - amountIndex;
    const datesOnly = columns.slice(amountIndex + 1, end + 1).every((column) => column === 'issued' || column === 'due') && end < columns.length;
    if (absorbed > surplus && !datesOnly) continue;
    const joined = cells.slice(amountIndex, end + 1).join(',');
    if (!GROUPED_AMOUNT.test(joined.replace(AMOUNT_PREFIX, ''))) continue;
    return [...cells.slice(0, amountIndex), joined, ...cells.slice(end + 1)];
  }
  return cells;
}

function lastFilledIndex(cells: string[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if (cells[i] !== '') return i;
  return -1;
}

/** Invoice numbers are one key whatever their case or spacing ("inv-7" is "INV-7"). */
export function invoiceNumberKey(number: string): string {
  return number.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Telling the owner

const COLUMN_NAMES: Record<'en' | 'hi', Record<ImportColumn, string>> = {
  en: { debtor: 'customer', phone: 'phone', number: 'invoice number', amount: 'amount', issued: 'issue date', due: 'due date' },
  hi: { debtor: 'ग्राहक', phone: 'फ़ोन', number: 'बिल नंबर', amount: 'राशि', issued: 'बिल की तारीख', due: 'देय तिथि' },
};

const AMOUNT_REASONS: Record<'en' | 'hi', Record<ImportAmountFailure, string>> = {
  en: {
    empty: 'it is empty',
    malformed: 'it is not a number',
    letters: 'it has letters in it',
    not_positive: 'it must be more than zero',
    too_large: 'it is too large',
    too_many_decimals: 'it has too many decimal places',
  },
  hi: {
    empty: 'खाली है',
    malformed: 'संख्या नहीं है',
    letters: 'इसमें अक्षर हैं',
    not_positive: 'शून्य से ज़्यादा होनी चाहिए',
    too_large: 'बहुत बड़ी है',
    too_many_decimals: 'दशमलव के बाद बहुत अंक हैं',
  },
};

/** Columns by name, in order ("customer, invoice number, amount"); a column left empty is "(empty)". */
export function describeColumns(columns: ReadonlyArray<ImportColumn | null>, lang: 'en' | 'hi'): string {
  return columns.map((column) => (column === null ? (lang === 'hi' ? '(खाली)' : '(empty)') : COLUMN_NAMES[lang][column])).join(', ');
}

/** A short, friendly sentence for one problem, in English or Hindi. */
export function describeImportProblem(problem: ImportProblem, lang: 'en' | 'hi'): string {
  const names = COLUMN_NAMES[lang];
  const hi = lang === 'hi';
  switch (problem.code) {
    case 'missing_debtor':
      return hi ? 'ग्राहक का नाम नहीं है।' : 'The customer name is missing.';
    case 'bad_debtor':
      return hi ? `"${problem.got}" ग्राहक का नाम नहीं लगता।` : `"${problem.got}" does not look like a customer name.`;
    case 'bad_phone':
      return hi ? `फ़ोन नंबर "${problem.got}" सही नहीं है।` : `The phone number "${problem.got}" is not valid.`;
    case 'missing_number':
      return hi ? 'बिल नंबर नहीं है।' : 'The invoice number is missing.';
    case 'bad_number':
      return hi
        ? `"${problem.got}" बिल नंबर नहीं लगता (${MAX_INVOICE_NUMBER_LENGTH} अक्षरों तक)।`
        : `"${problem.got}" does not look like an invoice number (up to ${MAX_INVOICE_NUMBER_LENGTH} characters).`;
    case 'missing_amount':
      return hi ? 'राशि नहीं है।' : 'The amount is missing.';
    case 'bad_amount':
      return hi
        ? `राशि "${problem.got}" समझ नहीं आई: ${AMOUNT_REASONS.hi[problem.reason]}।`
        : `The amount "${problem.got}" is not valid: ${AMOUNT_REASONS.en[problem.reason]}.`;
    case 'bad_date': {
      const field = problem.field === 'issue' ? names.issued : names.due;
      return hi
        ? `${field} "${problem.got}" समझ नहीं आई। 30/11/2026 या 2026-11-30 लिखें।`
        : `The ${field} "${problem.got}" is not a real date. Write it like 30/11/2026 or 2026-11-30.`;
    }
    case 'due_before_issue':
      return hi
        ? `देय तिथि (${problem.dueOn}) बिल की तारीख (${problem.issuedOn}) से पहले है।`
        : `The due date (${problem.dueOn}) is before the issue date (${problem.issuedOn}).`;
    case 'duplicate_in_file':
      return hi
        ? `यह बिल नंबर इस फ़ाइल में पहले भी है, लाइन ${problem.firstLine} पर।`
        : `Duplicate invoice number in this file, first on line ${problem.firstLine}.`;
    case 'wrong_column_count': {
      if (problem.withHeader) {
        return hi
          ? `इस लाइन में ${problem.got} कॉलम हैं, हेडर में ${problem.expected}।`
          : `This line has ${problem.got} columns; the header has ${problem.expected}.`;
      }
      if (problem.order) {
        const detected = describeColumns(problem.order, lang);
        return hi
          ? `बाकी लाइनों की तरह इस क्रम में ${problem.expected} कॉलम चाहिए: ${detected}; ${problem.got} मिले।`
          : `Expected ${problem.expected} columns in the order the other lines have: ${detected}; found ${problem.got}.`;
      }
      const order = describeColumns(PASTED_COLUMN_ORDER, lang);
      return hi
        ? `इस क्रम में ${problem.expected} कॉलम चाहिए: ${order} (तारीखें छोड़ सकते हैं); ${problem.got} मिले।`
        : `Expected ${problem.expected} columns in this order: ${order} (the dates may be left out); found ${problem.got}.`;
    }
    case 'missing_columns': {
      const list = problem.columns.map((column) => names[column]).join(', ');
      return hi ? `हेडर में ये कॉलम नहीं मिले: ${list}।` : `The header has no column for: ${list}.`;
    }
    case 'unclosed_quote':
      return hi ? 'इस लाइन में " खुला है पर बंद नहीं हुआ; यह लाइन छोड़ दी।' : 'A " on this line is never closed; the line was skipped.';
    case 'too_many_rows':
      return hi
        ? `एक बार में ${problem.max} बिल तक भेजें; इस फ़ाइल में ${problem.got} हैं। इसे हिस्सों में भेजें।`
        : `Send at most ${problem.max} invoices at a time; this file has ${problem.got}. Please split it.`;
  }
}
