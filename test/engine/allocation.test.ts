import { describe, it, expect } from 'vitest';
import { allocatePayment, applyCredit, type CreditSource, type OpenInvoiceForAllocation } from '../../src/engine/allocation.ts';

function invoice(
  id: string,
  effectiveDueOn: string,
  balanceMinor: number,
  extra: Partial<OpenInvoiceForAllocation> = {},
): OpenInvoiceForAllocation {
  return { id, number: id.toUpperCase(), effectiveDueOn, issuedOn: '2025-01-01', balanceMinor, ...extra };
}

describe('allocatePayment', () => {
  it('pays the invoice with the oldest effective due date first', () => {
    const result = allocatePayment({
      amountMinor: 500,
      // Ids and numbers run against the due dates, so only the due date can pick the oldest.
      openInvoices: [invoice('b', '2025-03-01', 1000), invoice('z', '2025-02-01', 1000), invoice('a', '2025-04-01', 1000)],
    });
    expect(result.allocations).toEqual([{ invoiceId: 'z', amountMinor: 500 }]);
  });

  it('spills over into the next oldest invoice once the oldest is paid, closing the one it cleared', () => {
    const result = allocatePayment({
      amountMinor: 1500,
      openInvoices: [invoice('newer', '2025-03-01', 1000), invoice('older', '2025-02-01', 1000)],
    });
    expect(result).toEqual({
      allocations: [
        { invoiceId: 'older', amountMinor: 1000 },
        { invoiceId: 'newer', amountMinor: 500 },
      ],
      creditMinor: 0,
      closedInvoiceIds: ['older'],
    });
  });

  it('on the same due date pays the invoice issued earlier first', () => {
    const result = allocatePayment({
      amountMinor: 100,
      openInvoices: [
        invoice('late-issue', '2025-03-01', 1000, { issuedOn: '2025-02-10', number: 'INV-1' }),
        invoice('early-issue', '2025-03-01', 1000, { issuedOn: '2025-02-01', number: 'INV-2' }),
      ],
    });
    expect(result.allocations[0]?.invoiceId).toBe('early-issue');
  });

  it('on the same due and issue dates pays the lower invoice number first, comparing numbers naturally', () => {
    const result = allocatePayment({
      amountMinor: 1500,
      openInvoices: [
        invoice('x', '2025-03-01', 1000, { number: 'INV-10' }),
        invoice('y', '2025-03-01', 1000, { number: 'INV-9' }),
      ],
    });
    expect(result.allocations.map((a) => a.invoiceId)).toEqual(['y', 'x']);
  });

  it('pays a named invoice first, then the rest oldest-first', () => {
    const result = allocatePayment({
      amountMinor: 2500,
      invoiceId: 'newest',
      openInvoices: [
        invoice('middle', '2025-02-01', 1000),
        invoice('newest', '2025-05-01', 1000),
        invoice('oldest', '2025-01-01', 1000),
      ],
    });
    expect(result.allocations).toEqual([
      { invoiceId: 'newest', amountMinor: 1000 },
      { invoiceId: 'oldest', amountMinor: 1000 },
      { invoiceId: 'middle', amountMinor: 500 },
    ]);
    expect(result.closedInvoiceIds).toEqual(['newest', 'oldest']);
  });

  it('an overpayment naming one invoice pays the other open invoices, oldest due first, before any credit is left', () => {
    const result = allocatePayment({
      amountMinor: 4500,
      invoiceId: 'named',
      openInvoices: [invoice('later', '2025-03-01', 1000), invoice('named', '2025-05-01', 2000), invoice('earlier', '2025-02-01', 1000)],
    });
    expect(result).toEqual({
      allocations: [
        { invoiceId: 'named', amountMinor: 2000 },
        { invoiceId: 'earlier', amountMinor: 1000 },
        { invoiceId: 'later', amountMinor: 1000 },
      ],
      creditMinor: 500,
      closedInvoiceIds: ['named', 'earlier', 'later'],
    });
  });

  it('a partial payment leaves a balance and closes nothing', () => {
    const result = allocatePayment({ amountMinor: 999, openInvoices: [invoice('a', '2025-01-01', 1000)] });
    expect(result).toEqual({ allocations: [{ invoiceId: 'a', amountMinor: 999 }], creditMinor: 0, closedInvoiceIds: [] });
  });

  it('a payment of exactly the total closes every invoice and leaves no credit', () => {
    const result = allocatePayment({
      amountMinor: 3000,
      openInvoices: [invoice('a', '2025-01-01', 1000), invoice('b', '2025-02-01', 2000)],
    });
    expect(result.creditMinor).toBe(0);
    expect(result.closedInvoiceIds).toEqual(['a', 'b']);
  });

  it('a payment larger than all balances leaves the rest as credit', () => {
    const result = allocatePayment({
      amountMinor: 5000,
      openInvoices: [invoice('a', '2025-01-01', 1000), invoice('b', '2025-02-01', 2000)],
    });
    expect(result.allocations).toEqual([
      { invoiceId: 'a', amountMinor: 1000 },
      { invoiceId: 'b', amountMinor: 2000 },
    ]);
    expect(result.creditMinor).toBe(2000);
  });

  it('a payment with no open invoices is all credit', () => {
    expect(allocatePayment({ amountMinor: 700, openInvoices: [] })).toEqual({
      allocations: [],
      creditMinor: 700,
      closedInvoiceIds: [],
    });
  });

  it('never allocates to a zero balance, even the oldest or the named one', () => {
    const result = allocatePayment({
      amountMinor: 800,
      invoiceId: 'paid-named',
      openInvoices: [
        invoice('paid-oldest', '2024-12-01', 0),
        invoice('paid-named', '2025-06-01', 0),
        invoice('open', '2025-02-01', 500),
      ],
    });
    expect(result.allocations).toEqual([{ invoiceId: 'open', amountMinor: 500 }]);
    expect(result.closedInvoiceIds).toEqual(['open']);
    expect(result.creditMinor).toBe(300);
  });

  it('allocations plus credit always add up to the payment', () => {
    const openInvoices = [invoice('a', '2025-01-01', 1234), invoice('b', '2025-02-01', 1), invoice('c', '2025-03-01', 98765)];
    for (const amountMinor of [1, 1234, 1235, 1236, 50_000, 99_999, 100_000, 1_000_000]) {
      const result = allocatePayment({ amountMinor, openInvoices });
      const allocated = result.allocations.reduce((sum, a) => sum + a.amountMinor, 0);
      expect(allocated + result.creditMinor).toBe(amountMinor);
      for (const a of result.allocations) expect(a.amountMinor).toBeGreaterThan(0);
    }
  });

  it('leaves the caller’s invoice list in its original order', () => {
    const openInvoices = [invoice('b', '2025-03-01', 1000), invoice('a', '2025-02-01', 1000)];
    allocatePayment({ amountMinor: 1500, openInvoices });
    expect(openInvoices.map((i) => i.id)).toEqual(['b', 'a']);
  });

  it.each([0, -100, 10.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a payment amount of %s', (amountMinor) => {
    expect(() => allocatePayment({ amountMinor, openInvoices: [invoice('a', '2025-01-01', 1000)] })).toThrow(RangeError);
  });

  it('refuses a named invoice that is not among the open invoices', () => {
    expect(() =>
      allocatePayment({ amountMinor: 100, invoiceId: 'missing', openInvoices: [invoice('a', '2025-01-01', 1000)] }),
    ).toThrow(/missing/);
  });

  it('refuses an invoice listed twice', () => {
    expect(() =>
      allocatePayment({ amountMinor: 100, openInvoices: [invoice('a', '2025-01-01', 1000), invoice('a', '2025-02-01', 1000)] }),
    ).toThrow(RangeError);
  });

  it('refuses a balance that is not whole minor units', () => {
    expect(() => allocatePayment({ amountMinor: 100, openInvoices: [invoice('a', '2025-01-01', 10.5)] })).toThrow(RangeError);
  });
});

function credit(paymentId: string, receivedOn: string, availableMinor: number): CreditSource {
  return { paymentId, receivedOn, availableMinor };
}

describe('applyCredit', () => {
  it('pays a new invoice from credit in full and says how much credit is left', () => {
    expect(applyCredit({ credits: [credit('p1', '2025-01-05', 7_860_000)], openInvoices: [invoice('new', '2025-03-01', 500_000)] })).toEqual({
      allocations: [{ paymentId: 'p1', invoiceId: 'new', amountMinor: 500_000 }],
      closedInvoiceIds: ['new'],
      creditBeforeMinor: 7_860_000,
      appliedMinor: 500_000,
      creditLeftMinor: 7_360_000,
    });
  });

  it('uses the oldest credit first, whatever order the payments come in', () => {
    const result = applyCredit({
      credits: [credit('newer', '2025-02-01', 1000), credit('older', '2025-01-01', 1000)],
      openInvoices: [invoice('a', '2025-03-01', 1500)],
    });
    expect(result.allocations).toEqual([
      { paymentId: 'older', invoiceId: 'a', amountMinor: 1000 },
      { paymentId: 'newer', invoiceId: 'a', amountMinor: 500 },
    ]);
    expect(result.creditLeftMinor).toBe(500);
  });

  it('pays the oldest due invoice first and leaves a balance on the next when the credit runs out', () => {
    const result = applyCredit({
      credits: [credit('p', '2025-01-01', 1500)],
      openInvoices: [invoice('newer', '2025-04-01', 1000), invoice('older', '2025-03-01', 1000)],
    });
    expect(result).toEqual({
      allocations: [
        { paymentId: 'p', invoiceId: 'older', amountMinor: 1000 },
        { paymentId: 'p', invoiceId: 'newer', amountMinor: 500 },
      ],
      closedInvoiceIds: ['older'],
      creditBeforeMinor: 1500,
      appliedMinor: 1500,
      creditLeftMinor: 0,
    });
  });

  it('applies nothing when there is no credit, or nothing owed', () => {
    const none = { allocations: [], closedInvoiceIds: [], appliedMinor: 0 };
    expect(applyCredit({ credits: [credit('p', '2025-01-01', 0)], openInvoices: [invoice('a', '2025-03-01', 1000)] })).toEqual({ ...none, creditBeforeMinor: 0, creditLeftMinor: 0 });
    expect(applyCredit({ credits: [credit('p', '2025-01-01', 700)], openInvoices: [invoice('paid', '2025-03-01', 0)] })).toEqual({ ...none, creditBeforeMinor: 700, creditLeftMinor: 700 });
  });

  it('refuses a payment listed twice and amounts that are not whole minor units', () => {
    expect(() => applyCredit({ credits: [credit('p', '2025-01-01', 1), credit('p', '2025-01-02', 1)], openInvoices: [] })).toThrow(RangeError);
    expect(() => applyCredit({ credits: [credit('p', '2025-01-01', 1.5)], openInvoices: [] })).toThrow(RangeError);
    expect(() => applyCredit({ credits: [], openInvoices: [invoice('a', '2025-01-01', 2.5)] })).toThrow(RangeError);
  });
});
