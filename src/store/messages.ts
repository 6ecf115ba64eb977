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
}

export interface QueuedMessage {
  id: string;
  channel: string;
  recipient: string;
  body: string;
  choices: Array<{ label: string; data: string }> | null;
  attachment: { fileName: string; mimeType: string; content: string } | null;
}

/** Queues messages in the outbox (once per idempotency key) and returns the rows to send. */
export async function queueOutgoing(tx: Tx, drafts: OutgoingDraft[]): Promise<QueuedMessage[]> {
  if (drafts.length === 0) return [];
  await tx.outboundMessage.createMany({
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
      status: 'queued' as const,
    })),
    skipDuplicates: true,
  });
  const rows = await tx.outboundMessage.findMany({
    where: { idempotencyKey: { in: drafts.map((d) => d.idempotencyKey) }, status: 'queued' },
    select: { id: true, channel: true, recipient: true, body: true, choices: true, attachment: true, idempotencyKey: true },
  });
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
    }));
}

/**
 * Takes a queued reply for sending now (status 'sending', the attempt counted). False when it is
 * no longer queued: the dispatcher claimed it first, and sends it itself.
 */
export async function claimForDelivery(tx: Tx, id: string, now: Date): Promise<boolean> {
  const { count } = await tx.outboundMessage.updateMany({
    where: { id, status: 'queued' },
    data: { status: 'sending', attempts: { increment: 1 }, updatedAt: now },
  });
  return count === 1;
}

/** Records a claimed reply as sent. */
export async function markSent(tx: Tx, id: string, providerMessageId: string, sentAt: Date): Promise<void> {
  await tx.outboundMessage.updateMany({
    where: { id, status: 'sending' },
    data: { status: 'sent', providerMessageId, sentAt, updatedAt: sentAt },
  });
}

/** A claimed reply that could not be sent goes back to the queue: the dispatcher retries it at `retryAt`. */
export async function markSendFailed(tx: Tx, id: string, error: string, retryAt: Date, now: Date): Promise<void> {
  await tx.outboundMessage.updateMany({
    where: { id, status: 'sending' },
    data: { status: 'queued', scheduledAt: retryAt, lastError: error.slice(0, 500), updatedAt: now },
  });
}
