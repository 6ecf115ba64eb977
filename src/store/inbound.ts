// The hot path of every inbound message, in as few statements as the flow allows: one to store
// the message (once per provider id) and say who sent it (a member and their business, or a
// debtor, their business, who hears about them and their open invoices) with the chat's
// conversation state; one, at
// the end, to record who it was and queue the replies. Raw SQL: the ORM's per-query cost is most
// of a message's handling time under load.
import type { Business, Debtor, Member, Prisma, Tx } from './types.ts';
import { queueOutgoing, type InboundRecord, type OutgoingDraft, type QueuedMessage } from './messages.ts';
import { Prisma as P } from './types.ts';
import type { ReplyUnderstanding } from '../engine/reply.ts';
import { invoiceBalancesFromJson, openInvoiceBalancesJson, type InvoiceBalance } from './invoices.ts';

export interface InboundSender {
  /** The active member writing from this chat, with their business. */
  member: (Member & { business: Business }) | null;
  /** When no member: the debtor linked to this chat most recently, with their business. */
  debtor: (Debtor & { business: Business }) | null;
  /** The debtor's owners and assigned agent (active), oldest first: who hears about them. */
  debtorRecipients: Member[];
  /** The debtor's open invoices and what is left to pay on each (as invoiceBalances reads them). */
  debtorOpenInvoices: InvoiceBalance[];
  /** The chat's conversation state, null when none. */
  state: unknown;
}

type JsonRow = Record<string, unknown>;

const date = (value: unknown): Date => new Date(value as string);
const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(value as string));

function businessFrom(b: JsonRow): Business {
  return {
    id: b.id as string,
    name: b.name as string,
    currency: b.currency as string,
    timeZone: b.time_zone as string,
    language: b.language as string,
    country: b.country as string,
    upiId: (b.upi_id as string | null) ?? null,
    paymentDetails: (b.payment_details as string | null) ?? null,
    digestHour: b.digest_hour as number,
    quietStartHour: b.quiet_start_hour as number,
    quietEndHour: b.quiet_end_hour as number,
    approvalMode: b.approval_mode as Business['approvalMode'],
    ladder: b.ladder as Prisma.JsonValue,
    defaultTermsDays: b.default_terms_days as number,
    sendDays: b.send_days as number[],
    thankYouEnabled: b.thank_you_enabled as boolean,
    rankingWeights: b.ranking_weights as Prisma.JsonValue,
    templates: b.templates as Prisma.JsonValue,
    createdAt: date(b.created_at),
    updatedAt: date(b.updated_at),
  };
}

function memberFrom(m: JsonRow): Member {
  return {
    id: m.id as string,
    businessId: m.business_id as string,
    role: m.role as Member['role'],
    name: m.name as string,
    channel: m.channel as string,
    address: m.address as string,
    language: (m.language as string | null) ?? null,
    digestHour: (m.digest_hour as number | null) ?? null,
    active: m.active as boolean,
    createdAt: date(m.created_at),
  };
}

function debtorFrom(d: JsonRow): Debtor {
  return {
    id: d.id as string,
    businessId: d.business_id as string,
    name: d.name as string,
    nameKey: d.name_key as string,
    phone: (d.phone as string | null) ?? null,
    language: (d.language as string | null) ?? null,
    optedOut: d.opted_out as boolean,
    optedOutAt: dateOrNull(d.opted_out_at),
    // A DATE: Prisma's UTC midnight.
    pausedUntil: d.paused_until ? new Date(`${d.paused_until as string}T00:00:00.000Z`) : null,
    pausedIndefinitely: d.paused_indefinitely as boolean,
    pauseReason: (d.pause_reason as string | null) ?? null,
    assignedAgentId: (d.assigned_agent_id as string | null) ?? null,
    notes: (d.notes as string | null) ?? null,
    createdAt: date(d.created_at),
    updatedAt: date(d.updated_at),
  };
}

/**
 * Stores an inbound message and says who sent it, in one statement; null when that (channel,
 * provider id) was stored before (a redelivery: nothing else is to be done).
 */
export async function receiveInbound(tx: Tx, msg: InboundRecord): Promise<InboundSender | null> {
  const [row] = await tx.$queryRaw<Array<{ stored: boolean; member: JsonRow | null; member_business: JsonRow | null; debtor: JsonRow | null; debtor_business: JsonRow | null; recipients: JsonRow[] | null; open_invoices: JsonRow[] | null; state: unknown }>>`
    WITH stored AS (
      INSERT INTO inbound_message (id, channel, provider_message_id, sender, text, received_at, created_at)
      VALUES (${msg.id}::uuid, ${msg.channel}, ${msg.providerMessageId}, ${msg.sender}, ${msg.text}, ${msg.receivedAt}::timestamptz, ${new Date()}::timestamptz)
      ON CONFLICT DO NOTHING
      RETURNING id
    ), sender_member AS (
      SELECT to_jsonb(m) AS member, to_jsonb(b) AS business
        FROM member m JOIN business b ON b.id = m.business_id
       WHERE m.channel = ${msg.channel} AND m.address = ${msg.sender} AND m.active
       LIMIT 1
    ), sender_debtor AS (
      SELECT d AS debtor_row, b AS business_row
        FROM debtor_identity di JOIN debtor d ON d.id = di.debtor_id JOIN business b ON b.id = d.business_id
       WHERE di.channel = ${msg.channel} AND di.address = ${msg.sender} AND NOT EXISTS (SELECT 1 FROM sender_member)
       ORDER BY di.created_at DESC
       LIMIT 1
    )
    SELECT EXISTS (SELECT 1 FROM stored) AS stored,
           (SELECT member FROM sender_member) AS member,
           (SELECT business FROM sender_member) AS member_business,
           (SELECT to_jsonb(debtor_row) FROM sender_debtor) AS debtor,
           (SELECT to_jsonb(business_row) FROM sender_debtor) AS debtor_business,
           (SELECT jsonb_agg(to_jsonb(r) ORDER BY r.created_at)
              FROM sender_debtor sd, member r
             WHERE r.business_id = (sd.debtor_row).business_id AND r.active
               AND (r.role = 'owner' OR r.id = (sd.debtor_row).assigned_agent_id)) AS recipients,
           (SELECT ${openInvoiceBalancesJson(P.sql`(sd.debtor_row).id`, P.sql`(sd.business_row).default_terms_days`)} FROM sender_debtor sd) AS open_invoices,
           (SELECT c.state FROM conversation c WHERE c.channel = ${msg.channel} AND c.address = ${msg.sender}) AS state`;
  if (!row?.stored) return null;
  return {
    member: row.member && row.member_business ? { ...memberFrom(row.member), business: businessFrom(row.member_business) } : null,
    debtor: row.debtor && row.debtor_business ? { ...debtorFrom(row.debtor), business: businessFrom(row.debtor_business) } : null,
    debtorRecipients: (row.recipients ?? []).map(memberFrom),
    debtorOpenInvoices: invoiceBalancesFromJson(row.open_invoices ?? []),
    state: row.state ?? null,
  };
}

/**
 * Records who an inbound message was from, what was understood of it (when given) and that it
 * was handled, and queues its replies (queueOutgoing, once per idempotency key), in one statement.
 * Returns the rows to send.
 */
export async function finishInbound(
  tx: Tx,
  inboundId: string,
  who: { businessId?: string | null; memberId?: string | null; debtorId?: string | null },
  handledAt: Date,
  drafts: OutgoingDraft[],
  understanding: ReplyUnderstanding | null = null,
): Promise<QueuedMessage[]> {
  const understood = understanding ? P.sql`intent = ${understanding.intent}, parsed = ${JSON.stringify(understanding)}::jsonb, ` : P.empty;
  const markHandled = P.sql`
    UPDATE inbound_message
       SET ${understood}business_id = ${who.businessId ?? null}::uuid, member_id = ${who.memberId ?? null}::uuid, debtor_id = ${who.debtorId ?? null}::uuid, handled_at = ${handledAt}::timestamptz
     WHERE id = ${inboundId}::uuid`;
  return queueOutgoing(tx, drafts, { alongWith: markHandled });
}
