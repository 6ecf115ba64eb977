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
