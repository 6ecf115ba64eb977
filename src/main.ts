// `npm start`: the service. Reads config, opens the store (migrating it), serves HTTP, runs the bot.
import { performance } from 'node:perf_hooks';
import { defaultsFrom } from './app.ts';
import type { Channel } from './bot/channel.ts';
import { Bot, transactionsInFlightFor } from './bot/runtime.ts';
import { TelegramChannel } from './bot/telegram/channel.ts';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { buildHttpServer } from './http/server.ts';
import { deriveWebhookSecret, registerTelegramWebhook } from './http/telegram-webhook.ts';
import { createLogger } from './log.ts';
import { saveChannelProfile } from './store/channel-profile.ts';
import { DataFolderError } from './store/data-folder.ts';
import { databaseOptionsFrom, openDatabase } from './store/database.ts';
import { DatabaseUpdateJournal } from './store/update-journal.ts';
import { Dispatcher } from './scheduler/dispatch.ts';
import { Scheduler } from './scheduler/index.ts';

const startedAt = performance.now();
let config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const logger = createLogger(config.LOG_LEVEL);
try {
  const db = await openDatabase({ ...databaseOptionsFrom(config), holder: 'npm start', logger });
  // Chat channels plug in here as they are configured; GET /readyz reports each one's status.
  const channels = new Map<string, Channel>();
  const http = buildHttpServer({ db, logger, channels });
  let telegram: TelegramChannel | undefined;
  if (config.TELEGRAM_BOT_TOKEN) {
    const token = config.TELEGRAM_BOT_TOKEN;
    const webhook = config.TELEGRAM_WEBHOOK_URL ? { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET ?? deriveWebhookSecret(token) } : undefined;
    telegram = new TelegramChannel({
      token,
      apiRoot: config.TELEGRAM_API_ROOT,
      webhook,
      logger,
      clock: systemClock,
      onProfile: (profile) => saveChannelProfile(db.prisma, 'telegram', profile, systemClock.now()),
      journal: new DatabaseUpdateJournal(db.prisma, 'telegram', systemClock),
    });
    channels.set(telegram.name, telegram);
    if (webhook) registerTelegramWebhook(http, { path: new URL(webhook.url).pathname, secret: webhook.secret, receiver: telegram, logger });
  }
  await http.listen({ port: config.PORT, host: config.HOST });
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const bot = new Bot({ prisma: db.prisma, clock: systemClock, defaults: defaultsFrom(config), logger, transactionsInFlight: transactionsInFlightFor(db.engine) }, [...channels.values()]);
  await bot.start();
  // The day's jobs (plan, approvals, promise watch, digests) and the outbox, on every instance:
  // jobs take an advisory lock, claims use SKIP LOCKED, so several instances do the work once.
  const scheduler = new Scheduler({ db, clock: systemClock, logger });
  // The day's jobs run once before "ready": what a crash or a deploy left unfinished is done now.
  const firstRun = scheduler.start();
  const dispatcher = new Dispatcher({ db, channels, clock: systemClock, logger });
  dispatcher.start(2_000);
  // Stoppable before it says ready: a signal sent on seeing "ready" must find the handlers in place.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await scheduler.stop();
    await dispatcher.stop();
    await bot.stop();
    await http.close();
    await db.close();
    logger.info('stopped');
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(signal));
  await firstRun;
  logger.info({ port, host: config.HOST, database: db.engine, telegram: telegram ? telegram.mode : 'off', startupMs: Math.round(performance.now() - startedAt) }, 'ready');
} catch (err) {
  // A data folder in use or unusable is the person's to fix, like a bad variable: one line, nothing yet open.
  if (err instanceof DataFolderError) {
    console.error(err.message);
    process.exit(1);
  }
  logger.fatal({ err: { message: (err as Error).message } }, 'startup failed');
  process.exitCode = 1;
  // The HTTP server or the database may already be open: leave anyway, once the log line is out.
  setTimeout(() => process.exit(1), 200);
}
