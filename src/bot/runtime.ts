// Wires channels to the conversation: each inbound message is handled (stored, answered, replies
// queued in the outbox, in one transaction), then the replies are sent at once and marked sent.
// A reply whose channel is not connected here stays queued for the dispatcher. A reply this
// process sends is written already claimed ('sending'), so a dispatcher running beside the bot
// never sends it too; one that cannot be sent goes back to the queue, and the dispatcher's retry,
// rate-limit and give-up rules take over (a crash mid-send leaves it to stale-claim recovery).
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import { maskAddress } from '../log.ts';
import { messagesFor } from '../engine/messages.ts';
import { markSendFailed, SentMarker, type QueuedMessage } from '../store/messages.ts';
import type { Engine } from '../store/database.ts';
import type { PrismaClient } from '../store/types.ts';
import { chatOf, type Channel, type InboundText } from './channel.ts';
import { handleInboundBatch, type ConversationDeps, type Defaults, type HandleResult } from './conversation.ts';

export interface BotDeps {
  prisma: PrismaClient;
  clock: Clock;
  defaults: Defaults;
  logger: Logger;
  /**
   * Transactions of messages in flight at once; the messages that come meanwhile wait and go
   * together in the next (transactionsInFlightFor gives the default for an engine).
   */
  transactionsInFlight?: number;
}

/** Messages waiting for a transaction: at most this many share one. */
const MAX_BATCH = 16;

/**
 * How many transactions of messages to have in flight: embedded PGlite is one session that runs
 * one transaction at a time (a second would only wait, while the messages it holds could have
 * joined the next batch); PostgreSQL overlaps two, so one's round trips hide the other's.
 */
export function transactionsInFlightFor(engine: Engine): number {
  return engine === 'pglite' ? 1 : 2;
}

export class Bot {
  private readonly channels = new Map<string, Channel>();
  /** Messages received while every transaction in flight was busy: they go together in the next. */
  private waiting: Array<{ message: InboundText; settle: (result: PromiseSettledResult<HandleResult>) => void }> = [];
  private batchesInFlight = 0;
  /** Each chat's last message in hand (the next one waits for it). */
  private readonly chats = new Map<string, Promise<void>>();
  /** Sent replies are recorded in batches (one statement for those sent within 20 ms). */
  private readonly sentMarks: SentMarker;
  /** What the conversation is given: replies on a channel this bot sends on are sent at once. */
  private readonly conversation: ConversationDeps;

  constructor(
    private readonly deps: BotDeps,
    channels: Channel[],
  ) {
    for (const channel of channels) this.channels.set(channel.name, channel);
    this.sentMarks = new SentMarker(deps.prisma);
    this.conversation = { ...deps, sendsNow: (channel) => this.channels.has(channel) };
  }

  async start(): Promise<void> {
    for (const channel of this.channels.values()) {
      await channel.start((message) => this.receive(message));
    }
  }

  async stop(): Promise<void> {
    for (const channel of this.channels.values()) await channel.stop();
    await this.sentMarks.flushed();
  }

  /**
   * Handles one inbound message end to end. Never throws: a failure is logged and apologised for.
   * A chat's messages are handled one after another, in the order they came (each after the
   * previous one's replies went out), whatever the channel does; different chats go at once.
   */
  receive(message: InboundText): Promise<void> {
    const chat = chatOf(message);
    const previous = this.chats.get(chat);
    const turn = (previous ?? Promise.resolve()).catch(() => undefined).then(() => this.receiveNow(message));
    this.chats.set(chat, turn);
    return turn.finally(() => {
      if (this.chats.get(chat) === turn) this.chats.delete(chat);
    });
  }

  private async receiveNow(message: InboundText): Promise<void> {
    const { logger } = this.deps;
    const log = logger.child({ channel: message.channel, from: maskAddress(message.address), providerMessageId: message.providerMessageId });
    try {
      const result = await this.handle(message);
      message.onStored?.();
      if (result.duplicate) {
        log.info('inbound.duplicate');
        return;
      }
      log.info({ replies: result.outgoing.length }, 'inbound.handled');
      // Sent one after another, in order; their "sent" marks are written meanwhile.
      const marks: Array<Promise<void>> = [];
      for (const outgoing of result.outgoing) {
        const answersSender = outgoing.channel === message.channel && outgoing.recipient === message.address;
        await this.deliver(outgoing, answersSender ? message.providerMessageId : null, marks);
      }
      await Promise.all(marks);
    } catch (err) {
      log.error({ err }, 'inbound.failed');
      const channel = this.channels.get(message.channel);
      await channel
        ?.send({ address: message.address, text: messagesFor(this.deps.defaults.language).somethingWentWrong() })
        .catch((sendErr: unknown) => log.error({ err: sendErr }, 'inbound.apology_failed'));
    }
  }

  /**
   * Handles a message (stores it, answers it, queues its replies) in a transaction: its own when
   * the bot is idle, or, under load, one it shares with the messages that came in meanwhile
   * (handleInboundBatch), so that a transaction's fixed cost is paid once for several.
   */
  private handle(message: InboundText): Promise<HandleResult> {
    const settled = new Promise<PromiseSettledResult<HandleResult>>((settle) => this.waiting.push({ message, settle }));
    this.startBatches();
    return settled.then((r) => (r.status === 'fulfilled' ? r.value : Promise.reject(r.reason as Error)));
  }

  private startBatches(): void {
    while (this.batchesInFlight < (this.deps.transactionsInFlight ?? 2) && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      this.batchesInFlight += 1;
      void handleInboundBatch(this.conversation, batch.map((b) => b.message), (err) => this.deps.logger.warn({ err, messages: batch.length }, 'inbound.batch_retried_alone'))
        .then(
          (results) => batch.forEach((b, i) => b.settle(results[i]!)),
          (err: unknown) => batch.forEach((b) => b.settle({ status: 'rejected', reason: err })),
        )
        .finally(() => {
          this.batchesInFlight -= 1;
          this.startBatches();
        });
    }
  }

  /** Sends one reply; once sent, the promise of its "sent" mark is added to `marks` (it never rejects). */
  private async deliver(outgoing: QueuedMessage, inReplyTo: string | null, marks: Array<Promise<void>>): Promise<void> {
    const channel = this.channels.get(outgoing.channel);
    if (!channel || outgoing.status !== 'sending') return;
    const { prisma, clock, logger } = this.deps;
    let sent: { providerMessageId: string };
    try {
      sent = await channel.send({ address: outgoing.recipient, text: outgoing.body, choices: outgoing.choices, attachment: outgoing.attachment, inReplyTo });
    } catch (err) {
      logger.warn({ err: { name: (err as Error).name, message: (err as Error).message }, outbound: outgoing.id, to: maskAddress(outgoing.recipient) }, 'outbound.send_failed');
      const now = clock.now();
      const retryAfterMs = (err as { retryAfterMs?: unknown }).retryAfterMs;
      const retryAt = new Date(now.getTime() + (typeof retryAfterMs === 'number' && retryAfterMs > 0 ? retryAfterMs : 0));
      await markSendFailed(prisma, outgoing.id, (err as Error).message ?? String(err), retryAt, now).catch((dbErr: unknown) =>
        logger.error({ err: dbErr, outbound: outgoing.id }, 'outbound.settle_failed'),
      );
      return;
    }
    // Sent: if recording that fails, the row stays claimed and stale-claim recovery settles it.
    marks.push(this.sentMarks.mark(outgoing.id, sent.providerMessageId, clock.now()).catch((dbErr: unknown) => logger.error({ err: dbErr, outbound: outgoing.id }, 'outbound.settle_failed')));
  }
}
