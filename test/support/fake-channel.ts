// A channel that records what it is asked to send, for dispatcher tests and benchmarks. Its
// behaviour hook can fail a send (throw), slow it down (await) or hang it until released; it
// counts sends per text and notices two sends to one chat at the same time.
import { performance } from 'node:perf_hooks';
import type { Channel, ChannelStatus, OutgoingText, SendResult } from '../../src/bot/channel.ts';

export interface FakeSend {
  address: string;
  text: string;
  providerMessageId: string;
  /** performance.now() when the send reached the channel (as a provider counts it against its limits). */
  at: number;
}

/** Decides one send: throw to fail it, await to slow it; `attempt` counts tries of this text, from 1. */
export type FakeBehaviour = (message: OutgoingText, attempt: number) => void | Promise<void>;

/** An error like a provider's 429: the dispatcher waits `retryAfterMs` before trying again. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`Too Many Requests: retry after ${retryAfterMs} ms`);
    this.name = 'RateLimitedError';
  }
}

let instances = 0;

export class FakeChannel implements Channel {
  /** Successful sends, in the order they completed. */
  readonly sent: FakeSend[] = [];
  /** Every try per text, successful or not. */
  readonly tries = new Map<string, number>();
  /** The most sends one chat ever had in flight at once (1 when sends to a chat never overlap). */
  maxInFlightPerChat = 0;
  /** What status() answers: ready unless a test says otherwise. */
  currentStatus: ChannelStatus = { state: 'ready' };
  private readonly inFlight = new Map<string, number>();
  private readonly prefix: string;
  private seq = 0;

  constructor(
    readonly name: string,
    public behaviour: FakeBehaviour = () => undefined,
    /** Sent texts shared between several fake channels (two instances of one channel). */
    readonly sharedCounts: Map<string, number> = new Map(),
  ) {
    this.prefix = `${name}-${++instances}`;
  }

  async start(): Promise<void> {}

  status(): ChannelStatus {
    return this.currentStatus;
  }

  async stop(): Promise<void> {}

  async send(message: OutgoingText): Promise<SendResult> {
    const at = performance.now();
    const attempt = (this.tries.get(message.text) ?? 0) + 1;
    this.tries.set(message.text, attempt);
    const inFlight = (this.inFlight.get(message.address) ?? 0) + 1;
    this.inFlight.set(message.address, inFlight);
    this.maxInFlightPerChat = Math.max(this.maxInFlightPerChat, inFlight);
    try {
      await this.behaviour(message, attempt);
    } finally {
      this.inFlight.set(message.address, (this.inFlight.get(message.address) ?? 1) - 1);
    }
    const providerMessageId = `${this.prefix}-${++this.seq}`;
    this.sent.push({ address: message.address, text: message.text, providerMessageId, at });
    this.sharedCounts.set(message.text, (this.sharedCounts.get(message.text) ?? 0) + 1);
    return { providerMessageId };
  }

  /** Successful sends of this text. */
  sentCount(text: string): number {
    return this.sent.filter((s) => s.text === text).length;
  }
}

/** A promise with its resolve handle: `await gate.promise` in a behaviour, `gate.open()` from the test. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
