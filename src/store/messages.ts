// Inbound messages are stored once per (channel, provider id); replies go through the outbox.
import { Prisma, type Tx } from './types.ts';
import { WriteBehind } from './write-behind.ts';

export interface InboundRecord {
  id: string;
  channel: string;
  providerMessageId: string;
  sender: string;
  text: string;
  receivedAt: Date;
}

/** Stores an inbound message; false when that (channel, provider id) was already stored. */
export interface OutgoingDraft {
  kind: string;
  channel: string;
  recipient: string;
  body: string;
  choices?: Array<{ label: string; data: string }> | undefined;
  attachment?: { fileName: string; mimeType: string; content: string } | undefined;
  businessId?: string | null;
  memberId?: string | null;
  debtorId?: string | null;
  idempotencyKey: string;
  scheduledAt: Date;
  /**
   * 'sending' when the caller sends it at once itself (the row is claimed as it is written, its
   * first attempt counted, so no dispatcher takes it too); default 'queued', for the dispatcher.
   */
  status?: 'queued' | 'sending';
}

export interface QueuedMessage {
  id: string;
  idempotencyKey: string;
  channel: string;
  recipient: string;
  body: string;
  choices: Array<{ label: string; data: string }> | null;
  attachment: { fileName: string; mimeType: string; content: string } | null;
  status: 'queued' | 'sending';
}

/**
 * Queues messages in the outbox (once per idempotency key) and returns the rows to send: those it
 * wrote, and those already there with the same key and still waiting. One statement when every
 * key is new (the usual case). `alongWith`, a data-modifying statement, runs in that same
 * statement (the inbound hot path records its message as handled this way).
 */
export async function queueOutgoing(tx: Tx, drafts: OutgoingDraft[], options: { now: Date; alongWith?: Prisma.Sql }): Promise<QueuedMessage[]> {
  const { alongWith } = options;
  if (drafts.length === 0) {
    if (alongWith) await tx.$executeRaw`${alongWith}`;
    return [];
  }
  const createdAt = options.now;
  const rows = drafts.map((d) => ({
    business_id: d.businessId ?? null,
    kind: d.kind,
    channel: d.channel,
    recipient: d.recipient,
    debtor_id: d.debtorId ?? null,
    member_id: d.memberId ?? null,
    body: d.body,
    choices: d.choices ?? null,
    attachment: d.attachment ?? null,
    status: d.status ?? 'queued',
    scheduled_at: d.scheduledAt.toISOString(),
    idempotency_key: d.idempotencyKey,
    attempts: d.status === 'sending' ? 1 : 0,
    updated_at: (d.status === 'sending' ? d.scheduledAt : createdAt).toISOString(),
  }));
  const written = await tx.$queryRaw<QueuedRow[]>`
    ${alongWith ? Prisma.sql`WITH along_with AS (${alongWith})` : Prisma.empty}
    INSERT INTO outbound_message (business_id, kind, channel, recipient, debtor_id, member_id, body, choices, attachment, status, scheduled_at, idempotency_key, attempts, created_at, updated_at)
    SELECT r.business_id, r.kind, r.channel, r.recipient, r.debtor_id, r.member_id, r.body, r.choices, r.attachment, r.status::"OutboundStatus", r.scheduled_at, r.idempotency_key, r.attempts, ${createdAt}::timestamptz, r.updated_at
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(business_id uuid, kind text, channel text, recipient text, debtor_id uuid, member_id uuid, body text, choices jsonb, attachment jsonb, status text, scheduled_at timestamptz, idempotency_key text, attempts int, updated_at timestamptz)
    ON CONFLICT DO NOTHING
    RETURNING id, channel, recipient, body, choices, attachment, idempotency_key, status::text AS status`;
  let found = written;
  if (written.length < drafts.length) {
    const seen = new Set(written.map((r) => r.idempotency_key));
    const missing = drafts.map((d) => d.idempotencyKey).filter((k) => !seen.has(k));
    const earlier = await tx.$queryRaw<QueuedRow[]>`
      SELECT id, channel, recipient, body, choices, attachment, idempotency_key, status::text AS status
        FROM outbound_message WHERE idempotency_key = ANY(${missing}::text[]) AND status = 'queued'`;
    found = [...written, ...earlier];
  }
  const order = new Map(drafts.map((d, i) => [d.idempotencyKey, i]));
  return found
    .sort((a, b) => order.get(a.idempotency_key)! - order.get(b.idempotency_key)!)
    .map((r) => ({
      id: r.id,
      idempotencyKey: r.idempotency_key,
      channel: r.channel,
      recipient: r.recipient,
      body: r.body,
      choices: (r.choices as QueuedMessage['choices']) ?? null,
      attachment: (r.attachment as QueuedMessage['attachment']) ?? null,
      status: r.status === 'sending' ? 'sending' : 'queued',
    }));
}

interface QueuedRow {
  id: string;
  channel: string;
  recipient: string;
  body: string;
  choices: unknown;
  attachment: unknown;
  idempotency_key: string;
  status: string;
}

export interface SentMark {
  id: string;
  providerMessageId: string;
  sentAt: Date;
}

/** Records claimed replies as sent, in one statement (by primary key: see finishInbound). */
export async function markSent(tx: Tx, marks: SentMark[]): Promise<void> {
  if (marks.length === 0) return;
  const rows = marks.map((m) => ({ id: m.id, provider_message_id: m.providerMessageId, sent_at: m.sentAt.toISOString() }));
  await tx.$executeRaw`
    UPDATE outbound_message o
       SET status = 'sent', provider_message_id = r.provider_message_id, sent_at = r.sent_at, updated_at = r.sent_at
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id uuid, provider_message_id text, sent_at timestamptz)
     WHERE o.id = r.id AND o.id = ANY(${rows.map((r) => r.id)}::uuid[]) AND o.status = 'sending'`;
}

/**
 * Marks replies sent in batches (WriteBehind): a mark waits `delayMs` (20 ms by default) for others
 * to join it, so under load one statement records many replies, while a reply itself is never
 * delayed: it was sent before it is marked. Each mark's promise settles when its row is written.
 * A crash before the write leaves the row claimed ('sending'), which the dispatcher's stale-claim
 * recovery handles as it does a crash between send and mark.
 */
export class SentMarker {
  private readonly marks: WriteBehind<SentMark>;

  constructor(db: Tx, delayMs = 20) {
    this.marks = new WriteBehind((marks) => markSent(db, marks), delayMs);
  }

  mark(id: string, providerMessageId: string, sentAt: Date): Promise<void> {
    return this.marks.add({ id, providerMessageId, sentAt });
  }

  /** Resolves once every mark made so far is written (or has failed). */
  flushed(): Promise<void> {
    return this.marks.flushed();
  }
}

/** A claimed reply that could not be sent goes back to the queue: the dispatcher retries it at `retryAt`. */
export async function markSendFailed(tx: Tx, id: string, error: string, retryAt: Date, now: Date): Promise<void> {
  await tx.outboundMessage.updateMany({
    where: { id, status: 'sending' },
    data: { status: 'queued', scheduledAt: retryAt, lastError: error.slice(0, 500), updatedAt: now },
  });
}
