// Allocating a payment to a debtor's open invoices: the invoice the payer named first (if any),
// then the oldest effective due date first. Whatever is left beyond every open balance is credit.
// Pure: amounts are integer minor units, dates are calendar dates.
import type { CalendarDate } from './calendar.ts';
import { compareCalendarDates } from './calendar.ts';

export interface OpenInvoiceForAllocation {
  id: string;
  number: string;
  /** The due date after any extension (what the ladder and aging use). */
  effectiveDueOn: CalendarDate;
  issuedOn: CalendarDate;
  /** What is still owed, in minor units. A zero (or negative) balance never receives money. */
  balanceMinor: number;
}

export interface AllocatePaymentInput {
  amountMinor: number;
  openInvoices: readonly OpenInvoiceForAllocation[];
  /** The invoice the payer named ("paid INV-12"): it is paid first, the rest oldest-first. */
  invoiceId?: string;
}

export interface PaymentAllocation {
  invoiceId: string;
  amountMinor: number;
}

export interface AllocationResult {
  /** In the order the money was applied; only invoices that received something. */
  allocations: PaymentAllocation[];
  /** What is left after every open balance is paid: an overpayment credit for the debtor. */
  creditMinor: number;
  /** Invoices this payment brought to a zero balance, in allocation order. */
  closedInvoiceIds: string[];
}

// Invoice numbers compare naturally, so INV-9 comes before INV-10.
const invoiceNumberCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Oldest effective due date first; ties by issue date, then invoice number, then id. */
export function compareForAllocation(a: OpenInvoiceForAllocation, b: OpenInvoiceForAllocation): number {
  return (
    compareCalendarDates(a.effectiveDueOn, b.effectiveDueOn) ||
    compareCalendarDates(a.issuedOn, b.issuedOn) ||
    invoiceNumberCollator.compare(a.number, b.number) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Splits a payment over open invoices. Throws a RangeError on a non-positive or non-integer
 * amount, on a balance that is not an integer, on duplicate invoice ids, and when `invoiceId`
 * names an invoice that is not among `openInvoices` (the caller resolves what the payer named
 * before allocating, and tells them when it is unknown).
 */
export function allocatePayment(input: AllocatePaymentInput): AllocationResult {
  const { amountMinor, openInvoices, invoiceId } = input;
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    throw new RangeError(`payment amount must be a positive whole number of minor units: ${amountMinor}`);
  }
  const seen = new Set<string>();
  for (const invoice of openInvoices) {
    if (!Number.isSafeInteger(invoice.balanceMinor)) {
      throw new RangeError(`invoice ${invoice.number} has a balance that is not whole minor units: ${invoice.balanceMinor}`);
    }
    if (seen.has(invoice.id)) throw new RangeError(`invoice ${invoice.id} is listed twice`);
    seen.add(invoice.id);
  }
  if (invoiceId !== undefined && !seen.has(invoiceId)) {
    throw new RangeError(`invoice ${invoiceId} is not among the debtor's open invoices`);
  }

  const ordered = [...openInvoices].sort((a, b) => {
    if (invoiceId !== undefined && a.id !== b.id) {
      if (a.id === invoiceId) return -1;
      if (b.id === invoiceId) return 1;
    }
    return compareForAllocation(a, b);
  });

  const allocations: PaymentAllocation[] = [];
  const closedInvoiceIds: string[] = [];
  let remaining = amountMinor;
  for (const invoice of ordered) {
    if (remaining === 0) break;
    if (invoice.balanceMinor <= 0) continue;
    const applied = Math.min(remaining, invoice.balanceMinor);
    allocations.push({ invoiceId: invoice.id, amountMinor: applied });
    remaining -= applied;
    if (applied === invoice.balanceMinor) closedInvoiceIds.push(invoice.id);
  }
  return { allocations, creditMinor: remaining, closedInvoiceIds };
}

// ---------------------------------------------------------------------------------------------
// Credit: what earlier payments hold beyond what they were allocated to. It pays open invoices,
// the oldest credit first and the oldest effective due date first, as allocations of those
// payments (so undoing a payment takes back what its credit paid, too).

export interface CreditSource {
  paymentId: string;
  receivedOn: CalendarDate;
  /** Not yet allocated to any invoice, in minor units. Zero (or less) gives nothing. */
  availableMinor: number;
}

export interface CreditAllocation {
  paymentId: string;
  invoiceId: string;
  amountMinor: number;
}

export interface CreditApplication {
  /** In the order the credit was applied; one per (payment, invoice) pair. */
  allocations: CreditAllocation[];
  /** Invoices the credit brought to a zero balance, in allocation order. */
  closedInvoiceIds: string[];
  /** All the credit there was, before any was applied. */
  creditBeforeMinor: number;
  appliedMinor: number;
  creditLeftMinor: number;
}

/**
 * Applies credit to open invoices: the payment received earliest first (ties in the order given),
 * each invoice oldest effective due date first. Throws a RangeError on amounts that are not whole
 * minor units and on a payment or invoice listed twice.
 */
export function applyCredit(input: { credits: readonly CreditSource[]; openInvoices: readonly OpenInvoiceForAllocation[] }): CreditApplication {
  const seenPayments = new Set<string>();
  for (const credit of input.credits) {
    if (!Number.isSafeInteger(credit.availableMinor)) throw new RangeError(`credit of payment ${credit.paymentId} is not whole minor units: ${credit.availableMinor}`);
    if (seenPayments.has(credit.paymentId)) throw new RangeError(`payment ${credit.paymentId} is listed twice`);
    seenPayments.add(credit.paymentId);
  }
  const seenInvoices = new Set<string>();
  for (const invoice of input.openInvoices) {
    if (!Number.isSafeInteger(invoice.balanceMinor)) throw new RangeError(`invoice ${invoice.number} has a balance that is not whole minor units: ${invoice.balanceMinor}`);
    if (seenInvoices.has(invoice.id)) throw new RangeError(`invoice ${invoice.id} is listed twice`);
    seenInvoices.add(invoice.id);
  }
  const credits = input.credits
    .map((credit, index) => ({ ...credit, index, left: Math.max(0, credit.availableMinor) }))
    .sort((a, b) => compareCalendarDates(a.receivedOn, b.receivedOn) || a.index - b.index);
  const invoices = [...input.openInvoices].sort(compareForAllocation);
  const creditBeforeMinor = credits.reduce((sum, credit) => sum + credit.left, 0);

  const allocations: CreditAllocation[] = [];
  const closedInvoiceIds: string[] = [];
  let c = 0;
  for (const invoice of invoices) {
    let owed = invoice.balanceMinor;
    if (owed <= 0) continue;
    while (owed > 0 && c < credits.length) {
      const credit = credits[c]!;
      if (credit.left === 0) {
        c += 1;
        continue;
      }
      const applied = Math.min(owed, credit.left);
      allocations.push({ paymentId: credit.paymentId, invoiceId: invoice.id, amountMinor: applied });
      credit.left -= applied;
      owed -= applied;
    }
    if (owed === 0) closedInvoiceIds.push(invoice.id);
    if (c >= credits.length) break;
  }
  const appliedMinor = allocations.reduce((sum, a) => sum + a.amountMinor, 0);
  return { allocations, closedInvoiceIds, creditBeforeMinor, appliedMinor, creditLeftMinor: creditBeforeMinor - appliedMinor };
}
