// Payments: recorded with their allocations in one go, closing invoices that reach zero and
// keeping promises they cover; undone by reversing (never deleting) so history stays whole.
import { applyCredit } from '../engine/allocation.ts';
import type { CalendarDate } from '../engine/calendar.ts';
import { recordAudit } from './audit.ts';
import { invoiceBalances, type InvoiceBalance } from './invoices.ts';
import { fromDbDate, toDbDate, toMinor, type Tx } from './types.ts';

export interface NewPayment {
  businessId: string;
  debtorId: string;
  currency: string;
  amountMinor: number;
  receivedOn: CalendarDate;
  method: string | null;
  reference: string | null;
  source: 'owner' | 'agent' | 'webhook' | 'debtor';
  externalId?: string | null;
  allocations: Array<{ invoiceId: string; amountMinor: number }>;
  /** Invoices whose balance this payment brings to zero. */
  closesInvoiceIds: string[];
  actor: { type: 'member' | 'system' | 'debtor'; id?: string | null };
  now: Date;
}

export interface RecordedPayment {
  paymentId: string;
  keptPromiseIds: string[];
}

export async function recordPayment(tx: Tx, input: NewPayment): Promise<RecordedPayment> {
  const payment = await tx.payment.create({
    data: {
      businessId: input.businessId,
      debtorId: input.debtorId,
      amountMinor: BigInt(input.amountMinor),
      currency: input.currency,
      receivedOn: toDbDate(input.receivedOn),
      method: input.method,
      reference: input.reference,
      source: input.source,
      externalId: input.externalId ?? null,
      createdAt: input.now,
    },
  });
  if (input.allocations.length) {
    await tx.paymentAllocation.createMany({
      data: input.allocations.map((a) => ({ paymentId: payment.id, invoiceId: a.invoiceId, amountMinor: BigInt(a.amountMinor) })),
    });
  }
  if (input.closesInvoiceIds.length) {
    await tx.invoice.updateMany({ where: { id: { in: input.closesInvoiceIds }, status: 'open' }, data: { status: 'paid', closedAt: input.now, updatedAt: input.now } });
  }
  const keptPromiseIds = await keepCoveredPromises(tx, input.debtorId, payment.id, input.now);
  // The debtor's "paid already" is answered by the payment itself, however it was recorded.
  const settledClaims = await tx.$executeRaw`
    UPDATE payment_claim SET status = 'confirmed', payment_id = ${payment.id}::uuid, resolved_at = ${input.now},
           resolved_by = ${input.actor.type === 'member' ? (input.actor.id ?? null) : null}::uuid
     WHERE debtor_id = ${input.debtorId}::uuid AND status = 'open'`;
  await recordAudit(tx, {
    businessId: input.businessId,
    actor: input.actor,
    action: 'payment.recorded',
    entityType: 'payment',
    entityId: payment.id,
    data: {
      debtorId: input.debtorId,
      amountMinor: input.amountMinor,
      allocations: input.allocations,
      closed: input.closesInvoiceIds,
      keptPromiseIds,
      settledClaims,
      method: input.method,
      reference: input.reference,
      // The clock's instant it was recorded at: "undo" reaches back a fixed time by it.
      recordedAt: input.now.toISOString(),
    },
    now: input.now,
  });
  return { paymentId: payment.id, keptPromiseIds };
}

/**
 * An open promise is kept when the payments made since it was given reach its amount, or,
 * for a promise without an amount, when the invoice it was about (or every open invoice of the
 * debtor, if it named none) is paid.
 */
async function keepCoveredPromises(tx: Tx, debtorId: string, paymentId: string, now: Date): Promise<string[]> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    UPDATE payment_promise pp SET status = 'kept', resolved_at = ${now}, kept_by_payment_id = ${paymentId}::uuid
     WHERE pp.debtor_id = ${debtorId}::uuid AND pp.status = 'open'
       AND (
         (pp.amount_minor IS NOT NULL AND pp.amount_minor <= (
            SELECT COALESCE(SUM(p.amount_minor), 0) FROM payment p
             WHERE p.debtor_id = pp.debtor_id AND p.reversed_at IS NULL AND p.created_at >= pp.created_at))
         OR (pp.amount_minor IS NULL AND pp.invoice_id IS NOT NULL
             AND EXISTS (SELECT 1 FROM invoice i WHERE i.id = pp.invoice_id AND i.status <> 'open'))
         OR (pp.amount_minor IS NULL AND pp.invoice_id IS NULL
             AND NOT EXISTS (SELECT 1 FROM invoice i WHERE i.debtor_id = pp.debtor_id AND i.status = 'open'))
       )
    RETURNING pp.id`;
  return rows.map((r) => r.id);
}

/**
 * The payment "undo" takes back: the newest one this member recorded themselves (by message or by
 * confirming a claim) at or after `since`, and not reversed yet. Payments others recorded, or
 * from a payment provider, or older ones, are never reached.
 */
export async function lastPaymentToUndo(tx: Tx, businessId: string, memberId: string, since: Date) {
  const [row] = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT p.id
      FROM payment p
      JOIN audit_event a ON a.business_id = p.business_id AND a.entity_type = 'payment' AND a.entity_id = p.id::text
     WHERE p.business_id = ${businessId}::uuid AND p.reversed_at IS NULL
       AND a.action = 'payment.recorded' AND a.actor_type = 'member' AND a.actor_id = ${memberId}
       AND (a.data->>'recordedAt')::timestamptz >= ${since}
     ORDER BY a.seq DESC
     LIMIT 1`;
  if (!row) return null;
  return tx.payment.findUniqueOrThrow({
    where: { id: row.id },
    include: { debtor: { select: { name: true } }, allocations: { include: { invoice: { select: { number: true } } } } },
  });
}

/** Reverses a payment: its invoices reopen, the promises it kept are open again. */
export async function reversePayment(tx: Tx, paymentId: string, businessId: string, actorMemberId: string, now: Date): Promise<void> {
  const payment = await tx.payment.update({ where: { id: paymentId }, data: { reversedAt: now }, include: { allocations: true } });
  const invoiceIds = payment.allocations.map((a) => a.invoiceId);
  if (invoiceIds.length) {
    await tx.invoice.updateMany({ where: { id: { in: invoiceIds }, status: 'paid' }, data: { status: 'open', closedAt: null, updatedAt: now } });
  }
  await tx.paymentPromise.updateMany({ where: { keptByPaymentId: paymentId }, data: { status: 'open', resolvedAt: null, keptByPaymentId: null } });
  await recordAudit(tx, {
    businessId,
    actor: { type: 'member', id: actorMemberId },
    action: 'payment.reversed',
    entityType: 'payment',
    entityId: paymentId,
    data: { amountMinor: toMinor(payment.amountMinor), reopened: invoiceIds },
    now,
  });
}

export interface AppliedCredit {
  /** What the credit paid, per invoice, in the order applied (several payments' credit merged). */
  invoices: Array<{ invoice: InvoiceBalance; amountMinor: number; closed: boolean }>;
  creditBeforeMinor: number;
  appliedMinor: number;
  creditLeftMinor: number;
}

/** Of the given debtors, those whose payments (not reversed) hold credit, with their names, sorted by id. */
export async function debtorsWithCredit(tx: Tx, debtorIds: readonly string[]): Promise<Array<{ id: string; name: string }>> {
  if (debtorIds.length === 0) return [];
  return tx.$queryRaw<Array<{ id: string; name: string }>>`
    SELECT d.id, d.name
      FROM debtor d
     WHERE d.id = ANY(${[...debtorIds]}::uuid[])
       AND EXISTS (SELECT 1 FROM payment p
                    WHERE p.debtor_id = d.id AND p.reversed_at IS NULL
                      AND p.amount_minor > COALESCE((SELECT SUM(a.amount_minor) FROM payment_allocation a WHERE a.payment_id = p.id), 0))
     ORDER BY d.id`;
}

/** What a debtor's payments (not reversed) hold beyond what is allocated to invoices. */
export async function debtorCreditMinor(tx: Tx, debtorId: string): Promise<number> {
  const [row] = await tx.$queryRaw<Array<{ credit: bigint | number | null }>>`
    SELECT COALESCE(SUM(p.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM payment_allocation a WHERE a.payment_id = p.id), 0)), 0) AS credit
      FROM payment p WHERE p.debtor_id = ${debtorId}::uuid AND p.reversed_at IS NULL`;
  return row?.credit == null ? 0 : toMinor(row.credit);
}

/**
 * Applies the credit a debtor holds (earlier payments' unallocated rest) to their open invoices:
 * oldest credit first, oldest effective due date first, written as allocations of those payments,
 * closing the invoices it pays in full. Idempotent: once applied, the same credit is gone, so a
 * second call finds nothing to do (and writes nothing). The debtor row is locked first, so two
 * transactions never spend the same credit twice.
 */
export async function applyDebtorCredit(
  tx: Tx,
  input: { businessId: string; debtorId: string; termsDays: number; actor: { type: 'member' | 'system' | 'debtor'; id?: string | null }; now: Date },
): Promise<AppliedCredit> {
  await tx.$queryRaw`SELECT id FROM debtor WHERE id = ${input.debtorId}::uuid AND business_id = ${input.businessId}::uuid FOR UPDATE`;
  const credits = await tx.$queryRaw<Array<{ id: string; received_on: Date; available: bigint }>>`
    SELECT p.id, p.received_on, p.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM payment_allocation a WHERE a.payment_id = p.id), 0) AS available
      FROM payment p
     WHERE p.debtor_id = ${input.debtorId}::uuid AND p.business_id = ${input.businessId}::uuid AND p.reversed_at IS NULL
     ORDER BY p.received_on, p.created_at, p.id`;
  const withCredit = credits.filter((c) => toMinor(c.available) > 0);
  const creditBeforeMinor = withCredit.reduce((sum, c) => sum + toMinor(c.available), 0);
  const none: AppliedCredit = { invoices: [], creditBeforeMinor, appliedMinor: 0, creditLeftMinor: creditBeforeMinor };
  if (withCredit.length === 0) return none;
  const open = (await invoiceBalances(tx, { debtorId: input.debtorId, termsDays: input.termsDays })).filter((i) => i.balanceMinor > 0);
  if (open.length === 0) return none;
  const result = applyCredit({
    credits: withCredit.map((c) => ({ paymentId: c.id, receivedOn: fromDbDate(c.received_on), availableMinor: toMinor(c.available) })),
    openInvoices: open,
  });
  if (result.allocations.length === 0) return none;
  // A payment may already hold an allocation to the invoice (an undo reopened it): add to it.
  await tx.$executeRaw`
    INSERT INTO payment_allocation (payment_id, invoice_id, amount_minor)
    SELECT v.payment_id, v.invoice_id, v.amount_minor
      FROM unnest(${result.allocations.map((a) => a.paymentId)}::uuid[], ${result.allocations.map((a) => a.invoiceId)}::uuid[],
                  ${result.allocations.map((a) => String(a.amountMinor))}::bigint[]) AS v(payment_id, invoice_id, amount_minor)
    ON CONFLICT (payment_id, invoice_id) DO UPDATE SET amount_minor = payment_allocation.amount_minor + EXCLUDED.amount_minor`;
  if (result.closedInvoiceIds.length) {
    await tx.invoice.updateMany({ where: { id: { in: result.closedInvoiceIds }, status: 'open' }, data: { status: 'paid', closedAt: input.now } });
  }
  const byId = new Map(open.map((i) => [i.id, i]));
  const perInvoice = new Map<string, number>();
  for (const a of result.allocations) perInvoice.set(a.invoiceId, (perInvoice.get(a.invoiceId) ?? 0) + a.amountMinor);
  const closed = new Set(result.closedInvoiceIds);
  await recordAudit(tx, {
    now: input.now,
    businessId: input.businessId,
    actor: input.actor,
    action: 'credit.applied',
    entityType: 'debtor',
    entityId: input.debtorId,
    data: { allocations: result.allocations, closed: result.closedInvoiceIds, creditBeforeMinor: result.creditBeforeMinor, creditLeftMinor: result.creditLeftMinor },
  });
  return {
    invoices: [...perInvoice].map(([id, amountMinor]) => ({ invoice: byId.get(id)!, amountMinor, closed: closed.has(id) })),
    creditBeforeMinor: result.creditBeforeMinor,
    appliedMinor: result.appliedMinor,
    creditLeftMinor: result.creditLeftMinor,
  };
}
