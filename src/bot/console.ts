// A terminal chat: you are the owner, and can speak as any debtor to see how the bot answers
// whom. Piped input works too: each line is handled in order and the transcript goes to stdout,
// so scripts and tests can drive it.
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Clock } from '../clock.ts';
import type { Channel, InboundHandler, OutgoingText, SendResult } from './channel.ts';

export const CONSOLE_OWNER_ADDRESS = 'owner';

/** Finds the debtor a console user wants to speak as; returns their console address and name. */
export type SpeakerResolver = (name: string) => Promise<{ address: string; label: string } | { error: string }>;

export interface ConsoleOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  clock: Clock;
  /** Show a prompt and no echo (a person at a terminal) or echo each line (a transcript). */
  interactive: boolean;
  resolveSpeaker?: SpeakerResolver;
}

const CONSOLE_HELP = [
  'Console commands:',
  '  /as <debtor name>  speak as that debtor',
  '  /owner             speak as the owner again',
  '  /quit              leave (Ctrl-D works too)',
  'Anything else is a chat message to the bot.',
].join('\n');

export class ConsoleChannel implements Channel {
  readonly name = 'console';
  private speaker = { address: CONSOLE_OWNER_ADDRESS, label: CONSOLE_OWNER_ADDRESS };
  private readonly labels = new Map<string, string>([[CONSOLE_OWNER_ADDRESS, CONSOLE_OWNER_ADDRESS]]);
  private sent = 0;
  private resolveClosed!: () => void;
  /** Resolves when the input ends or the user types /quit. */
  readonly closed = new Promise<void>((resolve) => (this.resolveClosed = resolve));
  private rl: ReturnType<typeof createInterface> | undefined;

  constructor(private readonly options: ConsoleOptions) {}

  async start(onInbound: InboundHandler): Promise<void> {
    const { input, output, interactive } = this.options;
    this.rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
    void this.readLoop(onInbound);
  }

  private async readLoop(onInbound: InboundHandler): Promise<void> {
    const rl = this.rl!;
    const { output, interactive } = this.options;
    this.prompt();
    for await (const raw of rl) {
      const line = raw.replace(/\r$/, '');
      if (!interactive) output.write(`${this.speaker.label}> ${line}\n`);
      if (line.trim() === '') {
        this.prompt();
        continue;
      }
      if (line.startsWith('/')) {
        if (await this.runConsoleCommand(line.trim())) break;
        this.prompt();
        continue;
      }
      await onInbound({
        channel: this.name,
        address: this.speaker.address,
        providerMessageId: `console-${randomUUID()}`,
        text: line,
        receivedAt: this.options.clock.now(),
        senderName: this.speaker.label === CONSOLE_OWNER_ADDRESS ? undefined : this.speaker.label,
      });
      this.prompt();
    }
    rl.close();
    this.resolveClosed();
  }

  /** Returns true when the console should close. */
  private async runConsoleCommand(line: string): Promise<boolean> {
    const [command, ...args] = line.split(/\s+/);
    const out = this.options.output;
    switch (command) {
      case '/quit':
      case '/exit':
        return true;
      case '/owner':
        this.speaker = { address: CONSOLE_OWNER_ADDRESS, label: CONSOLE_OWNER_ADDRESS };
        out.write('(you are the owner)\n');
        return false;
      case '/as': {
        const name = args.join(' ');
        if (!name || !this.options.resolveSpeaker) {
          out.write('(usage: /as <debtor name>, e.g. /as Ramesh Traders)\n');
          return false;
        }
        const found = await this.options.resolveSpeaker(name);
        if ('error' in found) {
          out.write(`(${found.error})\n`);
          return false;
        }
        this.speaker = found;
        this.labels.set(found.address, found.label);
        out.write(`(you are ${found.label}; /owner to switch back)\n`);
        return false;
      }
      default:
        out.write(`${CONSOLE_HELP}\n`);
        return false;
    }
  }

  private prompt(): void {
    if (this.options.interactive) {
      this.rl?.setPrompt(`${this.speaker.label}> `);
      this.rl?.prompt();
    }
  }

  async send(message: OutgoingText): Promise<SendResult> {
    const to = this.labels.get(message.address) ?? message.address;
    const choices = message.choices?.length ? `\n${message.choices.map((c, i) => `  [${i + 1}] ${c.label}`).join('\n')}` : '';
    const body = message.text.replace(/\n/g, '\n  ');
    this.options.output.write(`bot → ${to}: ${body}${choices}\n`);
    this.sent += 1;
    return { providerMessageId: `console-out-${this.sent}-${randomUUID().slice(0, 8)}` };
  }

  async stop(): Promise<void> {
    this.rl?.close();
  }
}
