// Composition shared by `npm start`, `npm run chat` and `npm run demo`: config -> store -> bot.
import type { Config } from './config.ts';
import type { Clock } from './clock.ts';
import type { Defaults } from './bot/conversation.ts';
import { ConsoleChannel, CONSOLE_OWNER_ADDRESS } from './bot/console.ts';
import { Bot } from './bot/runtime.ts';
import type { Logger } from './log.ts';
import type { Database } from './store/database.ts';
import { findDebtorByName, linkDebtorIdentity } from './store/debtors.ts';

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
}): Promise<void> {
  const { db } = options;
  const channel = new ConsoleChannel({
    input: options.input,
    output: options.output,
    clock: options.clock,
    interactive: options.interactive,
    ...(options.fileDir ? { fileDir: options.fileDir } : {}),
    resolveSpeaker: async (name) => {
      const owner = await db.prisma.member.findFirst({ where: { channel: 'console', address: CONSOLE_OWNER_ADDRESS } });
      if (!owner) return { error: 'set up your business first: say hello as the owner' };
      const found = await findDebtorByName(db.prisma, owner.businessId, name);
      if (!found.ok) {
        return { error: found.reason === 'none' ? `no customer called "${name}"` : `which one? ${found.names.join(', ')}` };
      }
      const address = `debtor:${found.debtor.id}`;
      await linkDebtorIdentity(db.prisma, found.debtor.id, 'console', address);
      return { address, label: found.debtor.name };
    },
  });
  const bot = new Bot({ prisma: db.prisma, clock: options.clock, defaults: defaultsFrom(options.config), logger: options.logger }, [channel]);
  await bot.start();
  await channel.closed;
  await bot.stop();
}
