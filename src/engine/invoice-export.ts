// Invoices out as CSV: the open invoices of a business, and one debtor's statement.
// Amounts are plain decimals in major units with the currency's digits (12500.00, OMR 40.500),
// dates are ISO, so the files read back into any spreadsheet, and the open-invoices file reads
// back into the importer (its headers are the importer's column names). Pure.
import { stringify } from 'csv-stringify/sync';
import { daysBetween, type CalendarDate } from './calendar.ts';
import { minorDigits } from './money.ts';

export interface ExportOptions {
  /** The business's ISO currency: decides the decimals of every amount. */
  currency: string;
  /** Header and label language: "hi…" gives Hindi, anything else English. Numbers and dates stay machine-readable. */
  locale?: string;
  /** Start with a UTF-8 byte-order mark so Excel shows Hindi names right (default true). */
  bom?: boolean;
}

export interface OpenInvoiceExportLine {
  debtorName: string;
  /** E.164, or null. */
  phone: string | null;
  number: string;
  issuedOn: CalendarDate;
  dueOn: CalendarDate | null;
  /** The due date, or the issue date plus the business's terms when the invoice has none. */
  effectiveDueOn: CalendarDate;
  amountMinor: number;
  paidMinor: number;
  balanceMinor: number;
}

export interface StatementInvoice {
  number: string;
  issuedOn: CalendarDate;
  dueOn: CalendarDate | null;
  amountMinor: number;
  paidMinor: number;
  balanceMinor: number;
  status: 'open' | 'paid';
}

export interface StatementPayment {
  receivedOn: CalendarDate;
  amountMinor: number;
  method: string | null;
  reference: string | null;
  /** How the payment was applied, oldest invoice first. */
  allocations: Array<{ invoiceNumber: string; amountMinor: number }>;
}

export interface StatementPromise {
  /** The day promised, or null for a promise without a date. */
  promisedOn: CalendarDate | null;
  /** The day the promise was made. */
  madeOn: CalendarDate;
  amountMinor: number | null;
  invoiceNumber: string | null;
  status: 'open' | 'kept' | 'broken';
}

export interface DebtorStatement {
  debtor: { id: string; name: string; phone: string | null };
  invoices: StatementInvoice[];
  payments: StatementPayment[];
  promises: StatementPromise[];
}

type Lang = 'en' | 'hi';

function languageOf(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith('hi') ? 'hi' : 'en';
}

/** 1250050 minor INR → "12500.50"; 40500 OMR → "40.500"; 1500 JPY → "1500". Exact: no floating point. */
export function plainAmount(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not a whole number of minor units: ${minor}`);
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const magnitude = String(Math.abs(minor));
  if (digits === 0) return `${sign}${magnitude}`;
  const padded = magnitude.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/**
 * Text a spreadsheet would run as a formula ("=HYPERLINK(…)", "+1+1", "@SUM(…)") gets a leading
 * apostrophe; the importer drops it again.
 */
function safeText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function toCsv(rows: string[][], options: ExportOptions): string {
  return stringify(rows, { bom: options.bom ?? true, record_delimiter: 'unix' });
}

// ---------------------------------------------------------------------------------------------
// Open invoices

const OPEN_INVOICE_HEADERS: Record<Lang, { base: string[]; overdue: string }> = {
  en: { base: ['Debtor', 'Phone', 'Invoice number', 'Issue date', 'Due date', 'Amount', 'Paid', 'Balance', 'Currency'], overdue: 'Days overdue' },
  hi: { base: ['ग्राहक', 'फ़ोन', 'बिल नंबर', 'बिल की तारीख', 'देय तिथि', 'राशि', 'भुगतान हुआ', 'बाकी', 'मुद्रा'], overdue: 'दिन देरी' },
};

/**
 * One row per open invoice, in the order given, with a header row. "Amount" is the invoice's
 * amount and "Balance" what is still owed, so sending the file back to the importer changes
 * nothing. With `today`, a "Days overdue" column counts from the effective due date.
 */
export function openInvoicesCsv(lines: readonly OpenInvoiceExportLine[], options: ExportOptions & { today?: CalendarDate }): string {
  const headers = OPEN_INVOICE_HEADERS[languageOf(options.locale)];
  const today = options.today;
  const rows: string[][] = [today === undefined ? headers.base : [...headers.base, headers.overdue]];
  for (const line of lines) {
    const row = [
      safeText(line.debtorName),
      line.phone ?? '',
      safeText(line.number),
      line.issuedOn,
      line.dueOn ?? '',
      plainAmount(line.amountMinor, options.currency),
      plainAmount(line.paidMinor, options.currency),
      plainAmount(line.balanceMinor, options.currency),
      options.currency,
    ];
    if (today !== undefined) row.push(String(Math.max(0, daysBetween(line.effectiveDueOn, today))));
    rows.push(row);
  }
  return toCsv(rows, options);
}

// ---------------------------------------------------------------------------------------------
// A debtor's statement

const STATEMENT_LABELS = {
  en: {
    headers: ['Date', 'Entry', 'Reference', 'Due date', 'Invoiced', 'Received', 'Balance', 'Status', 'Details'],
    invoice: 'Invoice',
    payment: 'Payment',
    promise: 'Promise',
    closing: 'Balance due',
    status: { open: 'open', paid: 'paid', kept: 'kept', broken: 'broken' },
    outstanding: (amount: string) => `outstanding ${amount}`,
    paidSoFar: (amount: string) => `paid ${amount}`,
    appliedTo: (list: string) => `for ${list}`,
    unapplied: (amount: string) => `unapplied ${amount}`,
    promised: (amount: string) => `promised ${amount}`,
    forInvoice: (number: string) => `for ${number}`,
    madeOn: (date: CalendarDate) => `made on ${date}`,
    noDate: 'no date given',
  },
  hi: {
    headers: ['तारीख', 'प्रविष्टि', 'संदर्भ', 'देय तिथि', 'बिल राशि', 'प्राप्त', 'बाकी', 'स्थिति', 'विवरण'],
    invoice: 'बिल',
    payment: 'भुगतान',
    promise: 'वादा',
    closing: 'कुल बाकी',
    status: { open: 'बकाया', paid: 'चुकता', kept: 'निभाया', broken: 'टूटा' },
    outstanding: (amount: string) => `बाकी ${amount}`,
    paidSoFar: (amount: string) => `चुकाया ${amount}`,
    appliedTo: (list: string) => `इन बिलों में: ${list}`,
    unapplied: (amount: string) => `बिना बिल ${amount}`,
    promised: (amount: string) => `वादा ${amount}`,
    forInvoice: (number: string) => `बिल ${number}`,
    madeOn: (date: CalendarDate) => `${date} को किया`,
    noDate: 'तारीख नहीं दी',
  },
} as const;

interface LedgerEntry {
  date: CalendarDate;
  /** Invoices, then payments, then promises on the same day. */
  order: 0 | 1 | 2;
  reference: string;
  cells: (running: number) => string[];
}

/**
 * A debtor's statement: invoices, payments and promises by date with a running balance
 * (invoiced minus received; promises do not move it), and a closing "Balance due" row.
 */
export function debtorStatementCsv(statement: DebtorStatement, options: ExportOptions): string {
  const lang = languageOf(options.locale);
  const labels = STATEMENT_LABELS[lang];
  const money = (minor: number) => plainAmount(minor, options.currency);
  const entries: Array<LedgerEntry & { delta: number }> = [];

  for (const invoice of statement.invoices) {
    const details: string[] = [];
    if (invoice.status === 'open' && invoice.paidMinor > 0) details.push(labels.paidSoFar(money(invoice.paidMinor)));
    if (invoice.status === 'open') details.push(labels.outstanding(money(invoice.balanceMinor)));
    entries.push({
      date: invoice.issuedOn,
      order: 0,
      reference: invoice.number,
      delta: invoice.amountMinor,
      cells: (running) => [invoice.issuedOn, labels.invoice, safeText(invoice.number), invoice.dueOn ?? '', money(invoice.amountMinor), '', money(running), labels.status[invoice.status], safeText(details.join('; '))],
    });
  }

  for (const payment of statement.payments) {
    const details: string[] = [];
    if (payment.method) details.push(payment.method);
    const applied = payment.allocations.reduce((sum, a) => sum + a.amountMinor, 0);
    if (payment.allocations.length > 0) {
      details.push(labels.appliedTo(payment.allocations.map((a) => `${a.invoiceNumber} ${money(a.amountMinor)}`).join(', ')));
    }
    if (applied < payment.amountMinor) details.push(labels.unapplied(money(payment.amountMinor - applied)));
    const reference = payment.reference ?? '';
    entries.push({
      date: payment.receivedOn,
      order: 1,
      reference,
      delta: -payment.amountMinor,
      cells: (running) => [payment.receivedOn, labels.payment, safeText(reference), '', '', money(payment.amountMinor), money(running), '', safeText(details.join('; '))],
    });
  }

  for (const promise of statement.promises) {
    const details: string[] = [];
    if (promise.amountMinor !== null) details.push(labels.promised(money(promise.amountMinor)));
    if (promise.invoiceNumber !== null) details.push(labels.forInvoice(promise.invoiceNumber));
    if (promise.promisedOn === null) details.push(labels.noDate);
    details.push(labels.madeOn(promise.madeOn));
    const reference = promise.invoiceNumber ?? '';
    entries.push({
      date: promise.promisedOn ?? promise.madeOn,
      order: 2,
      reference,
      delta: 0,
      cells: () => [promise.promisedOn ?? promise.madeOn, labels.promise, safeText(reference), '', '', '', '', labels.status[promise.status], safeText(details.join('; '))],
    });
  }

  entries.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order || (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0)));

  const rows: string[][] = [[...labels.headers]];
  let running = 0;
  for (const entry of entries) {
    running += entry.delta;
    rows.push(entry.cells(running));
  }
  rows.push(['', labels.closing, '', '', '', '', money(running), '', '']);
  return toCsv(rows, options);
}
