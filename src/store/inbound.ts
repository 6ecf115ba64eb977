// The hot path of every inbound message, in as few statements as the flow allows, for a batch of
// messages at once: one to store them (once per provider id) and say who sent each (a member and
// their business, or a debtor, their business, who hears about them and their open invoices)
// with the chat's conversation state; one, at the end, to record who each was from and queue all
// the replies. Raw SQL: the ORM's per-query cost is most of a message's handling time under load.
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
 * Stores inbound messages and says who sent each, in one statement; null for a message whose
 * (channel, provider id) was stored before (a redelivery: nothing else is to be done). The messages
 * must come from different chats (what one chat says next depends on what this one changes).
 */
export async function receiveInbound(tx: Tx, messages: InboundRecord[], now: Date): Promise<Array<InboundSender | null>> {
  if (messages.length === 0) return [];
  const input = messages.map((m, ord) => ({ ord, id: m.id, channel: m.channel, provider_message_id: m.providerMessageId, sender: m.sender, text: m.text, received_at: m.receivedAt.toISOString() }));
  const rows = await tx.$queryRaw<Array<{ ord: number; stored: boolean; member: JsonRow | null; member_business: JsonRow | null; debtor: JsonRow | null; debtor_business: JsonRow | null; recipients: JsonRow[] | null; open_invoices: JsonRow[] | null; state: unknown }>>`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
        AS i(ord int, id uuid, channel text, provider_message_id text, sender text, text text, received_at timestamptz)
    ), stored AS (
      INSERT INTO inbound_message (id, channel, provider_message_id, sender, text, received_at, created_at)
      SELECT id, channel, provider_message_id, sender, text, received_at, ${now}::timestamptz FROM input ORDER BY ord
      ON CONFLICT DO NOTHING
      RETURNING id
    )
    SELECT i.ord,
           EXISTS (SELECT 1 FROM stored s WHERE s.id = i.id) AS stored,
           sm.member, sm.business AS member_business,
           to_jsonb(sd.debtor_row) AS debtor, to_jsonb(sd.business_row) AS debtor_business,
           -- By the business's index (a join with the debtor's row read every member).
           (SELECT jsonb_agg(to_jsonb(r) ORDER BY r.created_at)
              FROM member r
             WHERE r.business_id = (sd.debtor_row).business_id AND r.active
               AND (r.role = 'owner' OR r.id = (sd.debtor_row).assigned_agent_id)) AS recipients,
           ${openInvoiceBalancesJson(P.sql`(sd.debtor_row).id`, P.sql`(sd.business_row).default_terms_days`)} AS open_invoices,
           (SELECT c.state FROM conversation c WHERE c.channel = i.channel AND c.address = i.sender) AS state
      FROM input i
      LEFT JOIN LATERAL (
        SELECT to_jsonb(m) AS member, to_jsonb(b) AS business
          FROM member m JOIN business b ON b.id = m.business_id
         WHERE m.channel = i.channel AND m.address = i.sender AND m.active
         LIMIT 1
      ) sm ON true
      LEFT JOIN LATERAL (
        SELECT d AS debtor_row, b AS business_row
          FROM debtor_identity di JOIN debtor d ON d.id = di.debtor_id JOIN business b ON b.id = d.business_id
         WHERE di.channel = i.channel AND di.address = i.sender AND sm.member IS NULL
         ORDER BY di.created_at DESC
         LIMIT 1
      ) sd ON true
     ORDER BY i.ord`;
  return rows.map((row) =>
    row.stored
      ? {
          member: row.member && row.member_business ? { ...memberFrom(row.member), business: businessFrom(row.member_business) } : null,
          debtor: row.debtor && row.debtor_business ? { ...debtorFrom(row.debtor), business: businessFrom(row.debtor_business) } : null,
          debtorRecipients: (row.recipients ?? []).map(memberFrom),
          debtorOpenInvoices: invoiceBalancesFromJson(row.open_invoices ?? []),
          state: row.state ?? null,
        }
      : null,
  );
}

/** What was made of one inbound message, for finishInbound. */
export interface InboundOutcome {
  inboundId: string;
  who: { businessId?: string | null; memberId?: string | null; debtorId?: string | null };
  handledAt: Date;
  understanding: ReplyUnderstanding | null;
  /** Its replies, each with an idempotency key of its own. */
  drafts: OutgoingDraft[];
}

/**
 * Records who each inbound message was from, what was understood of it and that it was handled,
 * and queues all their replies (queueOutgoing, once per idempotency key), in one statement.
 * Returns the rows to send, per message, in the order of `outcomes`.
 */
export async function finishInbound(tx: Tx, outcomes: InboundOutcome[], now: Date): Promise<QueuedMessage[][]> {
  if (outcomes.length === 0) return [];
  const rows = outcomes.map((o) => ({
    id: o.inboundId,
    business_id: o.who.businessId ?? null,
    member_id: o.who.memberId ?? null,
    debtor_id: o.who.debtorId ?? null,
    handled_at: o.handledAt.toISOString(),
    intent: o.understanding?.intent ?? null,
    parsed: o.understanding ?? null,
  }));
  // The id list lets the planner probe the primary key: it takes a recordset function for 100
  // rows, and with the join alone it read the whole inbox each time.
  const markHandled = P.sql`
    UPDATE inbound_message m
       SET intent = COALESCE(r.intent, m.intent), parsed = COALESCE(r.parsed, m.parsed),
           business_id = r.business_id, member_id = r.member_id, debtor_id = r.debtor_id, handled_at = r.handled_at
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS r(id uuid, business_id uuid, member_id uuid, debtor_id uuid, handled_at timestamptz, intent text, parsed jsonb)
     WHERE m.id = r.id AND m.id = ANY(${rows.map((r) => r.id)}::uuid[])`;
  const queued = await queueOutgoing(tx, outcomes.flatMap((o) => o.drafts), { now, alongWith: markHandled });
  const byKey = new Map(queued.map((q) => [q.idempotencyKey, q]));
  return outcomes.map((o) => o.drafts.flatMap((d) => byKey.get(d.idempotencyKey) ?? []));
}
