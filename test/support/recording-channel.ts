// A console channel that records what it sends and when (by the test's clock), for suites that
// read every message a debtor got.
import type { Channel, OutgoingText } from '../../src/bot/channel.ts';
import type { ManualClock } from '../../src/clock.ts';

export class RecordingChannel implements Channel {
  readonly name = 'console';
  readonly sent: Array<{ address: string; text: string; at: Date }> = [];
  constructor(private readonly clock: ManualClock) {}
  async start() {}
  async stop() {}
  status() {
    return { state: 'ready' as const };
  }
  async send(message: OutgoingText) {
    this.sent.push({ address: message.address, text: message.text, at: this.clock.now() });
    return { providerMessageId: `rec-${this.sent.length}` };
  }
}
