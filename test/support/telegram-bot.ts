// The real bot (Bot runtime + TelegramChannel on grammY + the dispatcher) on a test database,
// pointed at a FakeTelegram, as `npm start` wires it.
import { defaultsFrom } from '../../src/app.ts';
import { Bot, transactionsInFlightFor } from '../../src/bot/runtime.ts';
import { TelegramChannel, type TelegramChannelOptions } from '../../src/bot/telegram/channel.ts';
import type { Clock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { Dispatcher, type DispatcherDeps } from '../../src/scheduler/dispatch.ts';
import { saveChannelProfile } from '../../src/store/channel-profile.ts';
import type { Database } from '../../src/store/database.ts';
import { DatabaseUpdateJournal, type DatabaseUpdateJournalOptions, type UpdateJournal } from '../../src/store/update-journal.ts';
import type { FakeTelegram } from './fake-telegram.ts';

export interface RunningTelegramBot {
  channel: TelegramChannel;
  bot: Bot;
  dispatcher: Dispatcher;
  stop(): Promise<void>;
}

export async function startTelegramBot(
  db: Database,
  fake: FakeTelegram,
  options: {
    clock: Clock;
    logger?: Logger;
    webhook?: TelegramChannelOptions['webhook'];
    dispatcher?: Partial<DispatcherDeps>;
    start?: boolean;
    journal?: DatabaseUpdateJournalOptions;
    /** Replaces some of the journal's methods (a test's failures); the others stay the journal's own. */
    overrideJournal?: (journal: UpdateJournal) => Partial<UpdateJournal>;
    replayEveryMs?: number;
  },
): Promise<RunningTelegramBot> {
  const logger = options.logger ?? createLogger('silent');
  const channel = new TelegramChannel({
    token: fake.token,
    apiRoot: fake.apiRoot,
    webhook: options.webhook,
    logger,
    clock: options.clock,
    pollTimeoutSeconds: 1,
    requestTimeoutMs: 10_000,
    onProfile: (profile) => saveChannelProfile(db.prisma, 'telegram', profile, options.clock.now()),
    journal: withOverrides(new DatabaseUpdateJournal(db.prisma, 'telegram', options.clock, options.journal), options.overrideJournal),
    replayEveryMs: options.replayEveryMs,
  });
  const bot = new Bot({ prisma: db.prisma, clock: options.clock, defaults: defaultsFrom(loadConfig({})), logger, transactionsInFlight: transactionsInFlightFor(db.engine) }, [channel]);
  const dispatcher = new Dispatcher({ db, channels: new Map([[channel.name, channel]]), clock: options.clock, logger, ...options.dispatcher });
  if (options.start ?? true) await bot.start();
  return {
    channel,
    bot,
    dispatcher,
    async stop() {
      await dispatcher.stop();
      await bot.stop();
    },
  };
}

function withOverrides(journal: UpdateJournal, override: ((journal: UpdateJournal) => Partial<UpdateJournal>) | undefined): UpdateJournal {
  if (!override) return journal;
  return { keep: (u) => journal.keep(u), finish: (k) => journal.finish(k), takeUp: (o) => journal.takeUp(o), flushed: () => journal.flushed(), ...override(journal) };
}

/** Runs the dispatcher until nothing due is left. */
export async function drainOutbox(dispatcher: Dispatcher, rounds = 20): Promise<number> {
  let sent = 0;
  for (let i = 0; i < rounds; i++) {
    const result = await dispatcher.runOnce();
    sent += result.sent;
    if (result.claimed === 0) return sent;
  }
  throw new Error('the outbox did not drain');
}
