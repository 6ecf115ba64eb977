// A terminal chat: you are the owner, and can speak as any debtor to see how the bot answers
// whom. Piped input works too: each line is handled in order and the transcript goes to stdout,
// so scripts and tests can drive it.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Clock } from '../clock.ts';
import type { Channel, ChannelStatus, InboundHandler, OutgoingText, SendResult } from './channel.ts';

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
  /** Where files the bot sends (CSV exports) are written; without it they are printed. */
  fileDir?: string;
  /** The name to show for an address the console has not labelled yet (a debtor's chat). */
  nameOf?: (address: string) => Promise<string | undefined>;
  /** Extra console commands (the demo's clock): name without the slash → handler returning a note. */
  extraCommands?: Record<string, { help: string; run(args: string[]): Promise<string> }>;
  /** Run after each message is handled: the console app sends what became due (an approved reminder), as the service's dispatcher would. */
  afterMessage?: () => Promise<void>;
}

const CONSOLE_HELP = [
  'Console commands:',
  '  /as <debtor name>  speak as that debtor',
  '  /owner             speak as the owner again',
  '  /file <path>       send a file (a CSV to import)',
  '  /quit              leave (Ctrl-D works too)',
  'Anything else is a chat message to the bot.',
].join('\n');

export class ConsoleChannel implements Channel {
  readonly name = 'console';
  private speaker = { address: CONSOLE_OWNER_ADDRESS, label: CONSOLE_OWNER_ADDRESS };
  private readonly labels = new Map<string, string>([[CONSOLE_OWNER_ADDRESS, CONSOLE_OWNER_ADDRESS]]);
  private sent = 0;
  /** The choices last offered to each address: typing "1" picks the first, as on a phone. */
  private readonly offered = new Map<string, Array<{ label: string; data: string }>>();
  private resolveClosed!: () => void;
  /** Resolves when the input ends or the user types /quit. */
  readonly closed = new Promise<void>((resolve) => (this.resolveClosed = resolve));
  private rl: ReturnType<typeof createInterface> | undefined;
  private current: ChannelStatus = { state: 'starting' };

  constructor(private readonly options: ConsoleOptions) {}

  /** starting, ready once reading, stopped when the input ends, on /quit or stop(). */
  status(): ChannelStatus {
    return { ...this.current };
  }

  async start(onInbound: InboundHandler): Promise<void> {
    const { input, output, interactive } = this.options;
    this.rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
    this.current = { state: 'ready' };
    void this.readLoop(onInbound);
  }

  private async readLoop(onInbound: InboundHandler): Promise<void> {
    this.handler = onInbound;
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
      const picked = /^\d{1,2}$/.test(line.trim()) ? this.offered.get(this.speaker.address)?.[Number(line.trim()) - 1] : undefined;
      this.offered.delete(this.speaker.address);
      await onInbound({
        channel: this.name,
        address: this.speaker.address,
        providerMessageId: `console-${randomUUID()}`,
        text: picked ? picked.data : line,
        receivedAt: this.options.clock.now(),
        senderName: this.speaker.label === CONSOLE_OWNER_ADDRESS ? undefined : this.speaker.label,
      });
      await this.options.afterMessage?.();
      this.prompt();
    }
    rl.close();
    this.current = { state: 'stopped', reason: 'the input ended' };
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
      case '/file': {
        const path = args.join(' ');
        let text: string;
        try {
          text = await readFile(path, 'utf8');
        } catch {
          out.write(`(cannot read ${path || 'that file'})\n`);
          return false;
        }
        await this.sendFile({ path, text });
        return false;
      }
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
      default: {
        const extra = this.options.extraCommands?.[command!.slice(1)];
        if (extra) {
          out.write(`(${await extra.run(args)})\n`);
          return false;
        }
        const extras = Object.entries(this.options.extraCommands ?? {}).map(([name, c]) => `  /${name.padEnd(17)} ${c.help}`);
        out.write(`${[CONSOLE_HELP, ...extras].join('\n')}\n`);
        return false;
      }
    }
  }

  /** Set while reading, so /file can hand its message to the same handler. */
  private handler: InboundHandler | undefined;

  private async sendFile(file: { path: string; text: string }): Promise<void> {
    await this.handler?.({
      channel: this.name,
      address: this.speaker.address,
      providerMessageId: `console-${randomUUID()}`,
      text: '',
      receivedAt: this.options.clock.now(),
      attachment: { fileName: basename(file.path), text: file.text },
    });
  }

  private prompt(): void {
    if (this.options.interactive) {
      this.rl?.setPrompt(`${this.speaker.label}> `);
      this.rl?.prompt();
    }
  }

  async send(message: OutgoingText): Promise<SendResult> {
    let to = this.labels.get(message.address);
    if (!to) {
      to = (await this.options.nameOf?.(message.address)) ?? message.address;
      this.labels.set(message.address, to);
    }
    const choices = message.choices?.length ? `\n  ${message.choices.map((c, i) => `[${i + 1}] ${c.label}`).join('  ')}` : '';
    if (message.choices?.length) this.offered.set(message.address, message.choices);
    const body = message.text.replace(/\n/g, '\n  ');
    let file = '';
    if (message.attachment) {
      if (this.options.fileDir) {
        await mkdir(this.options.fileDir, { recursive: true });
        const path = join(this.options.fileDir, message.attachment.fileName);
        await writeFile(path, message.attachment.content);
        file = `\n  📎 saved to ${path}`;
      } else {
        file = `\n  📎 ${message.attachment.fileName}:\n  ${message.attachment.content.replace(/^\uFEFF/, '').trimEnd().replace(/\r?\n/g, '\n  ')}`;
      }
    }
    this.options.output.write(`bot → ${to}: ${body}${choices}${file}\n`);
    this.sent += 1;
    return { providerMessageId: `console-out-${this.sent}-${randomUUID().slice(0, 8)}` };
  }

  async stop(): Promise<void> {
    this.current = { state: 'stopped' };
    this.rl?.close();
  }
}
