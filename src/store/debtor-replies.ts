// What a debtor's reply changes: promises, "paid already" claims, opt-outs, and the reminders
// still waiting in the outbox that a reply makes pointless. Each is one or two statements.
import type { CalendarDate } from '../engine/calendar.ts';
import { recordAudit } from './audit.ts';
import { toDbDate, toMinor, type Tx } from './types.ts';

export interface NewPromise {
  businessId: string;
  debtorId: string;
  amountMinor: number | null;
  promisedOn: CalendarDate;
  dateGiven: boolean;
  sourceMessageId: string;
  now: Date;
  /** When given, the debtor's pending reminders are withdrawn in the same statement, for this reason (as withdrawPendingReminders). */
  withdrawReason?: string;
}

/**
 * Records a promise; it replaces the debtor's earlier open promises (the newest word counts). One
 * statement: the older promises cancelled, the new one written, its audit row, and (with
 * `withdrawReason`) the debtor's pending reminders withdrawn.
 */
export async function recordPromise(tx: Tx, input: NewPromise): Promise<{ id: string; replaced: number }> {
  const createdAt = input.now;
  const [row] = await tx.$queryRaw<Array<{ id: string; replaced: number }>>`
    WITH replaced AS (
      UPDATE payment_promise SET status = 'cancelled', resolved_at = ${input.now}::timestamptz
       WHERE debtor_id = ${input.debtorId}::uuid AND status = 'open'
      RETURNING id
    ), made AS (
      INSERT INTO payment_promise (business_id, debtor_id, amount_minor, promised_on, date_given, status, source_message_id, created_at)
      VALUES (${input.businessId}::uuid, ${input.debtorId}::uuid, ${input.amountMinor}::bigint, ${input.promisedOn}::date, ${input.dateGiven}, 'open',
              ${input.sourceMessageId}::uuid, ${createdAt}::timestamptz)
      RETURNING id
    ), audited AS (
      INSERT INTO audit_event (business_id, actor_type, actor_id, action, entity_type, entity_id, data, created_at)
      SELECT ${input.businessId}::uuid, 'debtor'::"ActorType", ${input.debtorId}, 'promise.made', 'debtor', ${input.debtorId},
             jsonb_build_object('promiseId', made.id, 'amountMinor', ${input.amountMinor}::bigint, 'promisedOn', ${input.promisedOn}::text,
                                'dateGiven', ${input.dateGiven}::boolean, 'replaced', (SELECT count(*) FROM replaced)),
             ${createdAt}::timestamptz
        FROM made
    ), withdrawn AS (
      UPDATE outbound_message SET status = 'cancelled', last_error = ${input.withdrawReason ?? null}, updated_at = ${input.now}::timestamptz
       WHERE ${input.withdrawReason !== undefined} AND debtor_id = ${input.debtorId}::uuid AND kind = 'reminder' AND status IN ('queued', 'awaiting_approval')
    )
    SELECT made.id, (SELECT count(*) FROM replaced)::int AS replaced FROM made`;
  return { id: row!.id, replaced: row!.replaced };
}

/** Gives a dateless promise the date the debtor named later. False when it is no longer open. */
export async function datePromise(tx: Tx, promiseId: string, debtorId: string, promisedOn: CalendarDate, now: Date): Promise<boolean> {
  const { count } = await tx.paymentPromise.updateMany({
    where: { id: promiseId, debtorId, status: 'open' },
    data: { promisedOn: toDbDate(promisedOn), dateGiven: true },
  });
  if (count > 0) {
    const promise = await tx.paymentPromise.findUniqueOrThrow({ where: { id: promiseId }, select: { businessId: true } });
    await recordAudit(tx, { businessId: promise.businessId, actor: { type: 'debtor', id: debtorId }, action: 'promise.dated', entityType: 'debtor', entityId: debtorId, data: { promiseId, promisedOn }, now });
  }
  return count > 0;
}

/**
 * Withdraws the debtor's reminders not yet sent (queued or awaiting approval): after a promise, a
 * payment claim or an opt-out they would only annoy. With `invoiceIds`, only reminders about any
 * of those invoices (a dispute). Returns how many were withdrawn.
 */
export async function withdrawPendingReminders(tx: Tx, debtorId: string, reason: string, now: Date, invoiceIds?: readonly string[]): Promise<number> {
  return tx.$executeRaw`
    UPDATE outbound_message SET status = 'cancelled', last_error = ${reason}, updated_at = ${now}::timestamptz
     WHERE debtor_id = ${debtorId}::uuid AND kind = 'reminder' AND status IN ('queued', 'awaiting_approval')
       AND (${invoiceIds === undefined} OR invoice_ids && ${[...(invoiceIds ?? [])]}::uuid[])`;
}

/** The invoices of the last reminder this debtor was sent (what "wrong amount" is most likely about). */
export async function lastRemindedInvoiceIds(tx: Tx, debtorId: string): Promise<string[]> {
  const last = await tx.outboundMessage.findFirst({
    where: { debtorId, kind: 'reminder', status: 'sent' },
    orderBy: [{ sentAt: 'desc' }, { createdAt: 'desc' }],
    select: { invoiceIds: true },
  });
  return last?.invoiceIds ?? [];
}

export interface OpenClaim {
  id: string;
  number: number;
  amountMinor: number | null;
  created: boolean;
}

/**
 * Records "paid already" as a claim for the owner to confirm. A debtor who says it again while a
 * claim is open updates that claim (with the amount, if this time they named one).
 */
export async function recordPaymentClaim(
  tx: Tx,
  input: { businessId: string; debtorId: string; amountMinor: number | null; sourceMessageId: string; now: Date },
): Promise<OpenClaim> {
  const open = await tx.paymentClaim.findFirst({ where: { debtorId: input.debtorId, status: 'open' }, orderBy: { number: 'desc' } });
  if (open) {
    const amountMinor = input.amountMinor ?? (open.amountMinor === null ? null : toMinor(open.amountMinor));
    if (input.amountMinor !== null) await tx.paymentClaim.update({ where: { id: open.id }, data: { amountMinor: BigInt(input.amountMinor) } });
    return { id: open.id, number: open.number, amountMinor, created: false };
  }
  // Numbers are per business; the lock keeps two replies at once from taking the same one.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('payment_claim:' || ${input.businessId}))`;
  const [row] = await tx.$queryRaw<Array<{ id: string; number: number }>>`
    INSERT INTO payment_claim (business_id, debtor_id, number, amount_minor, source_message_id, created_at)
    SELECT ${input.businessId}::uuid, ${input.debtorId}::uuid, COALESCE(MAX(number), 0) + 1, ${input.amountMinor === null ? null : BigInt(input.amountMinor)}::bigint, ${input.sourceMessageId}::uuid, ${input.now}::timestamptz
      FROM payment_claim WHERE business_id = ${input.businessId}::uuid
    RETURNING id, number`;
  await recordAudit(tx, {
    businessId: input.businessId,
    actor: { type: 'debtor', id: input.debtorId },
    action: 'payment.claimed',
    entityType: 'debtor',
    entityId: input.debtorId,
    data: { claimId: row!.id, number: row!.number, amountMinor: input.amountMinor },
    now: input.now,
  });
  return { id: row!.id, number: row!.number, amountMinor: input.amountMinor, created: true };
}

export interface ClaimDetails {
  id: string;
  number: number;
  status: 'open' | 'confirmed' | 'rejected';
  amountMinor: number | null;
  claimedOn: Date;
  debtor: { id: string; name: string; assignedAgentId: string | null };
}

const claimInclude = { debtor: { select: { id: true, name: true, assignedAgentId: true } } } as const;

function toClaimDetails(claim: {
  id: string;
  number: number;
  status: ClaimDetails['status'];
  amountMinor: bigint | null;
  createdAt: Date;
  debtor: ClaimDetails['debtor'];
}): ClaimDetails {
  return {
    id: claim.id,
    number: claim.number,
    status: claim.status,
    amountMinor: claim.amountMinor === null ? null : toMinor(claim.amountMinor),
    claimedOn: claim.createdAt,
    debtor: claim.debtor,
  };
}

export async function findClaim(tx: Tx, businessId: string, number: number, agentId: string | null): Promise<ClaimDetails | null> {
  const claim = await tx.paymentClaim.findFirst({
    where: { businessId, number, ...(agentId ? { debtor: { assignedAgentId: agentId } } : {}) },
    include: claimInclude,
  });
  return claim ? toClaimDetails(claim) : null;
}

export async function listOpenClaims(tx: Tx, businessId: string, agentId: string | null): Promise<ClaimDetails[]> {
  const claims = await tx.paymentClaim.findMany({
    where: { businessId, status: 'open', ...(agentId ? { debtor: { assignedAgentId: agentId } } : {}) },
    include: claimInclude,
    orderBy: { number: 'asc' },
  });
  return claims.map(toClaimDetails);
}

/** Closes an open claim. False when it was no longer open (answered twice, or by someone else). */
export async function resolveClaim(
  tx: Tx,
  input: { claimId: string; businessId: string; status: 'confirmed' | 'rejected'; memberId: string; paymentId: string | null; now: Date },
): Promise<boolean> {
  const { count } = await tx.paymentClaim.updateMany({
    where: { id: input.claimId, status: 'open' },
    data: { status: input.status, resolvedBy: input.memberId, resolvedAt: input.now, ...(input.paymentId ? { paymentId: input.paymentId } : {}) },
  });
  if (count > 0) {
    await recordAudit(tx, {
      businessId: input.businessId,
      actor: { type: 'member', id: input.memberId },
      action: input.status === 'confirmed' ? 'payment.claim_confirmed' : 'payment.claim_rejected',
      entityType: 'payment_claim',
      entityId: input.claimId,
      data: { paymentId: input.paymentId },
      now: input.now,
    });
  }
  return count > 0;
}

/** The debtor asked for no more messages: nothing goes to them until the owner allows it again. */
export async function optOutDebtor(tx: Tx, input: { businessId: string; debtorId: string; now: Date; sourceMessageId: string }): Promise<void> {
  await tx.debtor.update({ where: { id: input.debtorId }, data: { optedOut: true, optedOutAt: input.now, updatedAt: input.now } });
  await recordAudit(tx, {
    businessId: input.businessId,
    actor: { type: 'debtor', id: input.debtorId },
    action: 'debtor.opted_out',
    entityType: 'debtor',
    entityId: input.debtorId,
    data: { sourceMessageId: input.sourceMessageId },
    now: input.now,
  });
}

/** The owner allows messages to a debtor who had opted out. */
export async function optInDebtor(tx: Tx, input: { businessId: string; debtorId: string; memberId: string; now: Date }): Promise<void> {
  await tx.debtor.update({ where: { id: input.debtorId }, data: { optedOut: false, optedOutAt: null, updatedAt: input.now } });
  await recordAudit(tx, {
    businessId: input.businessId,
    actor: { type: 'member', id: input.memberId },
    action: 'debtor.opted_in',
    entityType: 'debtor',
    entityId: input.debtorId,
    data: {},
    now: input.now,
  });
}
