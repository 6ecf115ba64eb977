// Composition shared by `npm start`, `npm run chat` and `npm run demo`: config -> store -> bot.
import type { Config } from './config.ts';
import { DateTime } from 'luxon';
import type { Clock, ManualClock } from './clock.ts';
import type { Defaults } from './bot/conversation.ts';
import { ConsoleChannel, CONSOLE_OWNER_ADDRESS } from './bot/console.ts';
import { Bot, transactionsInFlightFor } from './bot/runtime.ts';
import type { Logger } from './log.ts';
import type { Database } from './store/database.ts';
import { findDebtorByName, linkDebtorIdentity } from './store/debtors.ts';
import { Dispatcher } from './scheduler/dispatch.ts';
import { runDayJobs } from './scheduler/index.ts';

export function defaultsFrom(config: Config): Defaults {
  return { currency: config.DEFAULT_CURRENCY, timeZone: config.DEFAULT_TIME_ZONE, language: config.DEFAULT_LANGUAGE, country: config.DEFAULT_COUNTRY };
}

/**
 * Runs the console chat on a database until its input ends: the console user is the owner of the
 * business they set up (or the demo's), and `/as <name>` speaks as one of its debtors.
 */
export async function runConsoleChat(options: {
  db: Database;
  clock: Clock;
  config: Config;
  logger: Logger;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  interactive: boolean;
  /** Where CSV exports are written (printed into the transcript when absent). */
  fileDir?: string;
  /** A clock the console user may move (the demo): enables /advance and /next. */
  movableClock?: ManualClock;
}): Promise<void> {
  const { db } = options;
  const movable = options.movableClock;
  /** Sends everything due now; how many went. */
  const drain = async (): Promise<number> => {
    let sent = 0;
    for (let round = 0; round < 50; round++) {
      const result = await dispatcher.runOnce();
      sent += result.sent;
      if (result.claimed === 0) break;
    }
    return sent;
  };
  /** After the clock moves: the day's jobs, then everything due goes out, as the service would. */
  const catchUp = async (): Promise<string> => {
    const now = options.clock.now();
    // What was already due (reminders approved since the last run) goes first, as the service's
    // dispatcher would have sent it at once; then the day's jobs, and what they queued.
    let sent = await drain();
    const jobs = await runDayJobs(db, now);
    sent += await drain();
    const owner = await db.prisma.member.findFirst({ where: { channel: 'console', address: CONSOLE_OWNER_ADDRESS }, include: { business: true } });
    const zone = owner?.business.timeZone ?? options.config.DEFAULT_TIME_ZONE;
    const when = DateTime.fromJSDate(now, { zone }).toFormat('ccc d LLL yyyy, HH:mm');
    return `it is now ${when}: ${jobs.planned} reminder(s) planned, ${jobs.brokenPromises} promise(s) broken, ${jobs.digests} digest(s), ${sent} message(s) sent`;
  };
  const extraCommands = movable
    ? {
        advance: {
          help: 'move the clock on, e.g. /advance 1d or /advance 3h, and run the day',
          async run(args: string[]) {
            const m = /^(\d{1,3})([dh])$/.exec(args[0] ?? '1d');
            if (!m) return 'usage: /advance 1d or /advance 3h';
            movable.advance(Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000));
            return catchUp();
          },
        },
        next: {
          help: 'jump to 10:00 tomorrow and run the day',
          async run() {
            const owner = await db.prisma.member.findFirst({ where: { channel: 'console', address: CONSOLE_OWNER_ADDRESS }, include: { business: true } });
            const zone = owner?.business.timeZone ?? options.config.DEFAULT_TIME_ZONE;
            movable.set(DateTime.fromJSDate(movable.now(), { zone }).plus({ days: 1 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 }).toJSDate());
            return catchUp();
          },
        },
        run: {
          help: 'run the day\'s jobs now and send what is due (after approving reminders)',
          run: () => catchUp(),
        },
      }
    : undefined;
  const channel = new ConsoleChannel({
    input: options.input,
    output: options.output,
    clock: options.clock,
    interactive: options.interactive,
    ...(options.fileDir ? { fileDir: options.fileDir } : {}),
    ...(extraCommands ? { extraCommands } : {}),
    // In the demo, what a message made due (an approved reminder, a thank-you) goes at once, as
    // the service's dispatcher would send it.
    ...(movable
      ? {
          afterMessage: async () => {
            await drain();
          },
        }
      : {}),
    nameOf: async (address) => {
      const identity = await db.prisma.debtorIdentity.findFirst({ where: { channel: 'console', address }, include: { debtor: { select: { name: true } } } });
      return identity?.debtor.name;
    },
    resolveSpeaker: async (name) => {
      const owner = await db.prisma.member.findFirst({ where: { channel: 'console', address: CONSOLE_OWNER_ADDRESS } });
      if (!owner) return { error: 'set up your business first: say hello as the owner' };
      const found = await findDebtorByName(db.prisma, owner.businessId, name);
      if (!found.ok) {
        return { error: found.reason === 'none' ? `no customer called "${name}"` : `which one? ${found.names.join(', ')}` };
      }
      const address = `debtor:${found.debtor.id}`;
      await linkDebtorIdentity(db.prisma, found.debtor.id, 'console', address, options.clock.now());
      return { address, label: found.debtor.name };
    },
  });
  // Built once the console channel exists: the dispatcher sets up its rate limits per channel.
  const dispatcher = new Dispatcher({ db, channels: new Map([[channel.name, channel]]), clock: options.clock, logger: options.logger });
  const bot = new Bot({ prisma: db.prisma, clock: options.clock, defaults: defaultsFrom(options.config), logger: options.logger, transactionsInFlight: transactionsInFlightFor(db.engine) }, [channel]);
  await bot.start();
  await channel.closed;
  await bot.stop();
}
