// What the CSV exports read: every open invoice of a business with its balance (one statement),
// and one debtor's statement (invoices with balances, payments with their allocations, promises).
// A balance is the amount less the allocations of payments that were not reversed.
import type { DebtorStatement, OpenInvoiceExportLine, StatementPromise } from '../engine/invoice-export.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { fromDbDate, toMinor, type Tx } from './types.ts';

/**
 * All open invoices with something left to pay, oldest effective due date first, in one
 * statement. An agent (agentId) gets only the invoices of debtors assigned to them.
 */
export async function loadOpenInvoicesForExport(
  tx: Tx,
  businessId: string,
  options: { termsDays: number; agentId?: string | null },
): Promise<OpenInvoiceExportLine[]> {
  const agentFilter = options.agentId ? Prisma.sql`AND d.assigned_agent_id = ${options.agentId}::uuid` : Prisma.empty;
  const rows = await tx.$queryRaw<
    Array<{ number: string; debtor_name: string; phone: string | null; amount_minor: bigint; paid: bigint; issued_on: Date; due_on: Date | null; effective_due: Date }>
  >`
    SELECT i.number, d.name AS debtor_name, d.phone, i.amount_minor, i.issued_on, i.due_on,
           i.paid_minor AS paid,
           COALESCE(i.due_on, i.issued_on + ${options.termsDays}::int) AS effective_due
      FROM invoice i
      JOIN debtor d ON d.id = i.debtor_id
     WHERE i.business_id = ${businessId}::uuid AND i.status = 'open' ${agentFilter}
       AND i.amount_minor > i.paid_minor
     ORDER BY effective_due, i.number`;
  return rows.map((r) => {
    const amountMinor = toMinor(r.amount_minor);
    const paidMinor = toMinor(r.paid);
    return {
      debtorName: r.debtor_name,
      phone: r.phone,
      number: r.number,
      issuedOn: fromDbDate(r.issued_on),
      dueOn: r.due_on ? fromDbDate(r.due_on) : null,
      effectiveDueOn: fromDbDate(r.effective_due),
      amountMinor,
      paidMinor,
      balanceMinor: amountMinor - paidMinor,
    };
  });
}

/**
 * One debtor's statement, or null when the debtor is not the business's. Cancelled invoices,
 * reversed payments and cancelled promises are left out. Four statements whatever the history.
 */
export async function loadDebtorStatement(tx: Tx, businessId: string, debtorId: string): Promise<DebtorStatement | null> {
  const debtor = await tx.debtor.findFirst({ where: { id: debtorId, businessId }, select: { id: true, name: true, phone: true } });
  if (!debtor) return null;

  const invoices = await tx.$queryRaw<Array<{ number: string; issued_on: Date; due_on: Date | null; amount_minor: bigint; paid: bigint; status: 'open' | 'paid' }>>`
    SELECT i.number, i.issued_on, i.due_on, i.amount_minor, i.status::text AS status,
           i.paid_minor AS paid
      FROM invoice i
     WHERE i.business_id = ${businessId}::uuid AND i.debtor_id = ${debtorId}::uuid AND i.status <> 'cancelled'
     ORDER BY i.issued_on, i.number`;

  const payments = await tx.$queryRaw<
    Array<{ received_on: Date; amount_minor: bigint; method: string | null; reference: string | null; allocations: Array<{ number: string; amount: number | string }> }>
  >`
    SELECT p.received_on, p.amount_minor, p.method, p.reference,
           COALESCE(
             json_agg(json_build_object('number', i.number, 'amount', pa.amount_minor) ORDER BY i.issued_on, i.number)
               FILTER (WHERE pa.id IS NOT NULL),
             '[]'::json
           ) AS allocations
      FROM payment p
      LEFT JOIN payment_allocation pa ON pa.payment_id = p.id
      LEFT JOIN invoice i ON i.id = pa.invoice_id
     WHERE p.business_id = ${businessId}::uuid AND p.debtor_id = ${debtorId}::uuid AND p.reversed_at IS NULL
     GROUP BY p.id
     ORDER BY p.received_on, p.created_at`;

  const promises = await tx.$queryRaw<
    Array<{ promised_on: Date | null; made_on: Date; amount_minor: bigint | null; invoice_number: string | null; status: StatementPromise['status'] }>
  >`
    SELECT pp.promised_on, (pp.created_at AT TIME ZONE b.time_zone)::date AS made_on, pp.amount_minor,
           i.number AS invoice_number, pp.status::text AS status
      FROM payment_promise pp
      JOIN business b ON b.id = pp.business_id
      LEFT JOIN invoice i ON i.id = pp.invoice_id
     WHERE pp.business_id = ${businessId}::uuid AND pp.debtor_id = ${debtorId}::uuid AND pp.status IN ('open', 'kept', 'broken')
     ORDER BY pp.promised_on NULLS LAST, pp.created_at`;

  return {
    debtor,
    invoices: invoices.map((r) => {
      const amountMinor = toMinor(r.amount_minor);
      const paidMinor = toMinor(r.paid);
      return {
        number: r.number,
        issuedOn: fromDbDate(r.issued_on),
        dueOn: r.due_on ? fromDbDate(r.due_on) : null,
        amountMinor,
        paidMinor,
        balanceMinor: amountMinor - paidMinor,
        status: r.status,
      };
    }),
    payments: payments.map((r) => ({
      receivedOn: fromDbDate(r.received_on),
      amountMinor: toMinor(r.amount_minor),
      method: r.method,
      reference: r.reference,
      allocations: r.allocations.map((a) => ({ invoiceNumber: a.number, amountMinor: Number(a.amount) })),
    })),
    promises: promises.map((r) => ({
      promisedOn: r.promised_on ? fromDbDate(r.promised_on) : null,
      madeOn: fromDbDate(r.made_on),
      amountMinor: r.amount_minor === null ? null : toMinor(r.amount_minor),
      invoiceNumber: r.invoice_number,
      status: r.status,
    })),
  };
}
