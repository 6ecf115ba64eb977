// Inbound messages are stored once per (channel, provider id); replies go through the outbox.
import type { Prisma, Tx } from './types.ts';

export interface InboundRecord {
  id: string;
  channel: string;
  providerMessageId: string;
  sender: string;
  text: string;
  receivedAt: Date;
}

/** Stores an inbound message; false when that (channel, provider id) was already stored. */
export async function recordInbound(tx: Tx, msg: InboundRecord): Promise<boolean> {
  const { count } = await tx.inboundMessage.createMany({ data: [msg], skipDuplicates: true });
  return count === 1;
}

export async function markInboundHandled(
  tx: Tx,
  id: string,
  who: { businessId?: string | null; memberId?: string | null; debtorId?: string | null },
  handledAt: Date,
): Promise<void> {
  await tx.inboundMessage.update({
    where: { id },
    data: { businessId: who.businessId ?? null, memberId: who.memberId ?? null, debtorId: who.debtorId ?? null, handledAt },
  });
}

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
  channel: string;
  recipient: string;
  body: string;
  choices: Array<{ label: string; data: string }> | null;
  attachment: { fileName: string; mimeType: string; content: string } | null;
  status: 'queued' | 'sending';
}

const QUEUED_FIELDS = { id: true, channel: true, recipient: true, body: true, choices: true, attachment: true, idempotencyKey: true, status: true } as const;

/**
 * Queues messages in the outbox (once per idempotency key) and returns the rows to send: those it
 * wrote, and those already there with the same key and still waiting. One statement when every
 * key is new (the usual case).
 */
export async function queueOutgoing(tx: Tx, drafts: OutgoingDraft[]): Promise<QueuedMessage[]> {
  if (drafts.length === 0) return [];
  const written = await tx.outboundMessage.createManyAndReturn({
    data: drafts.map((d) => ({
      kind: d.kind,
      channel: d.channel,
      recipient: d.recipient,
      body: d.body,
      choices: (d.choices ?? undefined) as Prisma.InputJsonValue | undefined,
      attachment: (d.attachment ?? undefined) as Prisma.InputJsonValue | undefined,
      businessId: d.businessId ?? null,
      memberId: d.memberId ?? null,
      debtorId: d.debtorId ?? null,
      idempotencyKey: d.idempotencyKey,
      scheduledAt: d.scheduledAt,
      status: d.status ?? 'queued',
      attempts: d.status === 'sending' ? 1 : 0,
      ...(d.status === 'sending' ? { updatedAt: d.scheduledAt } : {}),
    })),
    skipDuplicates: true,
    select: QUEUED_FIELDS,
  });
  let rows = written;
  if (written.length < drafts.length) {
    const seen = new Set(written.map((r) => r.idempotencyKey));
    const earlier = await tx.outboundMessage.findMany({
      where: { idempotencyKey: { in: drafts.map((d) => d.idempotencyKey).filter((k) => !seen.has(k)) }, status: 'queued' },
      select: QUEUED_FIELDS,
    });
    rows = [...written, ...earlier];
  }
  const order = new Map(drafts.map((d, i) => [d.idempotencyKey, i]));
  return rows
    .sort((a, b) => order.get(a.idempotencyKey)! - order.get(b.idempotencyKey)!)
    .map((r) => ({
      id: r.id,
      channel: r.channel,
      recipient: r.recipient,
      body: r.body,
      choices: (r.choices as QueuedMessage['choices']) ?? null,
      attachment: (r.attachment as QueuedMessage['attachment']) ?? null,
      status: r.status === 'sending' ? 'sending' : 'queued',
    }));
}

/** Records a claimed reply as sent. */
export async function markSent(tx: Tx, id: string, providerMessageId: string, sentAt: Date): Promise<void> {
  await tx.$executeRaw`
    UPDATE outbound_message SET status = 'sent', provider_message_id = ${providerMessageId}, sent_at = ${sentAt}::timestamptz, updated_at = ${sentAt}::timestamptz
     WHERE id = ${id}::uuid AND status = 'sending'`;
}

/** A claimed reply that could not be sent goes back to the queue: the dispatcher retries it at `retryAt`. */
export async function markSendFailed(tx: Tx, id: string, error: string, retryAt: Date, now: Date): Promise<void> {
  await tx.outboundMessage.updateMany({
    where: { id, status: 'sending' },
    data: { status: 'queued', scheduledAt: retryAt, lastError: error.slice(0, 500), updatedAt: now },
  });
}
