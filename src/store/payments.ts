// Payments: recorded with their allocations in one go, closing invoices that reach zero and
// keeping promises they cover; undone by reversing (never deleting) so history stays whole.
import type { CalendarDate } from '../engine/calendar.ts';
import { recordAudit } from './audit.ts';
import { toDbDate, toMinor, type Tx } from './types.ts';

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
