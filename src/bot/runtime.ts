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
import { markSendFailed, markSent, type QueuedMessage } from '../store/messages.ts';
import type { PrismaClient } from '../store/types.ts';
import type { Channel, InboundText } from './channel.ts';
import { handleInbound, type Defaults } from './conversation.ts';

export interface BotDeps {
  prisma: PrismaClient;
  clock: Clock;
  defaults: Defaults;
  logger: Logger;
}

export class Bot {
  private readonly channels = new Map<string, Channel>();

  constructor(
    private readonly deps: BotDeps,
    channels: Channel[],
  ) {
    for (const channel of channels) this.channels.set(channel.name, channel);
  }

  async start(): Promise<void> {
    for (const channel of this.channels.values()) {
      await channel.start((message) => this.receive(message));
    }
  }

  async stop(): Promise<void> {
    for (const channel of this.channels.values()) await channel.stop();
  }

  /** Handles one inbound message end to end. Never throws: a failure is logged and apologised for. */
  async receive(message: InboundText): Promise<void> {
    const { logger } = this.deps;
    const log = logger.child({ channel: message.channel, from: maskAddress(message.address), providerMessageId: message.providerMessageId });
    try {
      const result = await handleInbound({ ...this.deps, sendsNow: (channel) => this.channels.has(channel) }, message);
      if (result.duplicate) {
        log.info('inbound.duplicate');
        return;
      }
      log.info({ replies: result.outgoing.length }, 'inbound.handled');
      for (const outgoing of result.outgoing) {
        const answersSender = outgoing.channel === message.channel && outgoing.recipient === message.address;
        await this.deliver(outgoing, answersSender ? message.providerMessageId : null);
      }
    } catch (err) {
      log.error({ err }, 'inbound.failed');
      const channel = this.channels.get(message.channel);
      await channel
        ?.send({ address: message.address, text: messagesFor(this.deps.defaults.language).somethingWentWrong() })
        .catch((sendErr: unknown) => log.error({ err: sendErr }, 'inbound.apology_failed'));
    }
  }

  private async deliver(outgoing: QueuedMessage, inReplyTo: string | null): Promise<void> {
    const channel = this.channels.get(outgoing.channel);
    if (!channel || outgoing.status !== 'sending') return;
    const { prisma, clock, logger } = this.deps;
    try {
      const sent = await channel.send({ address: outgoing.recipient, text: outgoing.body, choices: outgoing.choices, attachment: outgoing.attachment, inReplyTo });
      await markSent(prisma, outgoing.id, sent.providerMessageId, clock.now());
    } catch (err) {
      logger.warn({ err: { name: (err as Error).name, message: (err as Error).message }, outbound: outgoing.id, to: maskAddress(outgoing.recipient) }, 'outbound.send_failed');
      const now = clock.now();
      const retryAfterMs = (err as { retryAfterMs?: unknown }).retryAfterMs;
      const retryAt = new Date(now.getTime() + (typeof retryAfterMs === 'number' && retryAfterMs > 0 ? retryAfterMs : 0));
      await markSendFailed(prisma, outgoing.id, (err as Error).message ?? String(err), retryAt, now).catch((dbErr: unknown) =>
        logger.error({ err: dbErr, outbound: outgoing.id }, 'outbound.settle_failed'),
      );
    }
  }
}
