// One interface for every chat channel (console, Telegram, WhatsApp). Handlers never know which
// channel they talk to; a channel never knows what the messages mean.
import type { Logger } from '../log.ts';

/** A quick reply offered with a message: a button on Telegram, a numbered option elsewhere. */
export interface Choice {
  label: string;
  /** What the bot receives as text when the person picks it. */
  data: string;
  /** Choices with the same row sit side by side where the channel can show it (Telegram). */
  row?: number;
}

export interface InboundText {
  channel: string;
  /** The sender's address on that channel: a chat id, a WhatsApp JID, a console name. */
  address: string;
  /** The provider's id for the message: the same id twice is one message. */
  providerMessageId: string;
  text: string;
  receivedAt: Date;
  /** The sender's display name, when the channel knows it. */
  senderName?: string;
  /** A text file sent with the message (a CSV to import). */
  attachment?: { fileName: string; text: string };
  /**
   * Called once the message is stored and its replies are queued, before they are sent: from then
   * on a crash loses nothing of it (the outbox recovers unsent replies), so the channel may stop
   * keeping it (see the Telegram channel's journal).
   */
  onStored?: () => void;
}

/** Which chat a message is from: its channel and address, as one key. */
export function chatOf(message: Pick<InboundText, 'channel' | 'address'>): string {
  return `${message.channel}\u0000${message.address}`;
}

/** A file sent with a message (a CSV export). */
export interface OutgoingAttachment {
  fileName: string;
  mimeType: string;
  content: string;
}

export interface OutgoingText {
  address: string;
  text: string;
  choices?: Choice[] | null;
  attachment?: OutgoingAttachment | null;
  /**
   * The providerMessageId of the inbound message this answers, when it goes back to the same chat
   * (a channel may then edit the message whose button was tapped instead of sending a new one).
   */
  inReplyTo?: string | null;
}

/**
 * A send that can never succeed (the person blocked the bot, their account is gone, the provider
 * refuses the message): the dispatcher gives up at once instead of retrying. With `optOut`, the
 * recipient has stopped the conversation: a debtor is treated as opted out and the owner told.
 */
export class UndeliverableError extends Error {
  constructor(
    message: string,
    readonly undeliverable: { reason: string; optOut: boolean },
  ) {
    super(message);
    this.name = 'UndeliverableError';
  }
}

/** An error a provider answered with "slow down": try again after `retryAfterMs`. */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

export interface SendResult {
  providerMessageId: string;
}

export type InboundHandler = (message: InboundText) => Promise<void>;

/**
 * Where a channel is: starting (not yet receiving), ready, needs_pairing (waiting for the owner
 * to link an account, e.g. a QR code), reconnecting (lost the provider, trying again), stopped.
 */
export type ChannelState = 'starting' | 'ready' | 'needs_pairing' | 'reconnecting' | 'stopped';

export interface ChannelStatus {
  state: ChannelState;
  /** Why it is not ready, in a few words (never a secret). */
  reason?: string;
}

/**
 * A channel's status as it changes: each change is logged once (a repeat of the same state and
 * reason is not a change), warn when the channel is cut off, info otherwise.
 */
export class ChannelStatusKeeper {
  private current: ChannelStatus = { state: 'starting' };

  constructor(
    private readonly channel: string,
    private readonly log: Pick<Logger, 'info' | 'warn'>,
  ) {}

  get(): ChannelStatus {
    return { ...this.current };
  }

  set(state: ChannelState, reason?: string): void {
    if (this.current.state === state && this.current.reason === reason) return;
    const previous = this.current.state;
    this.current = reason === undefined ? { state } : { state, reason };
    const fields = { channel: this.channel, state, previous, ...(reason === undefined ? {} : { reason }) };
    if (state === 'reconnecting' || state === 'needs_pairing') this.log.warn(fields, 'channel.state_changed');
    else this.log.info(fields, 'channel.state_changed');
  }
}

export interface Channel {
  readonly name: string;
  /** Where the channel is now (GET /readyz reports it). */
  status(): ChannelStatus;
  /** Starts receiving; each inbound message is passed to the handler. */
  start(onInbound: InboundHandler): Promise<void>;
  send(message: OutgoingText): Promise<SendResult>;
  stop(): Promise<void>;
}
