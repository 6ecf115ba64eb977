// `npm run demo`: a realistic demo business in a throwaway embedded database, and the console
// chat as its owner. No accounts, no database server, nothing left behind.
import { runConsoleChat } from './app.ts';
import { ManualClock, systemClock } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { openDatabase } from './store/database.ts';
import { seedDemoBusiness } from './store/demo-seed.ts';

try {
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn', process.stderr);
  const interactive = Boolean(process.stdin.isTTY);
  if (interactive) process.stdout.write('Setting up the demo business…\n');
  const db = await openDatabase({ dataDir: 'memory://' });
  // The demo's clock starts now and moves only when asked (/advance 1d, /next).
  const clock = new ManualClock(systemClock.now());
  const seeded = await db.prisma.$transaction((tx) => seedDemoBusiness(tx, clock.now()), { timeout: 60_000 });
  if (interactive) {
    console.log(
      [
        `Demo: Sharma Distributors, ${seeded.debtors} customers, ${seeded.invoices} invoices and ${seeded.payments} payments over six months.`,
        'You are the owner. Try: list · help · add Ramesh Traders 12500 due 30 Nov #A-102',
        'Speak as a customer with /as Ramesh, back with /owner, leave with /quit. Nothing is saved.',
        'Move time with /next (tomorrow 10:00) or /advance 3h: reminders, approvals and the digest appear.',
      ].join('\n'),
    );
  }
  await runConsoleChat({ db, clock, movableClock: clock, config, logger, input: process.stdin, output: process.stdout, interactive, fileDir: './exports' });
  await db.close();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Could not start the demo: ${(err as Error).message}`);
  process.exitCode = 1;
}
