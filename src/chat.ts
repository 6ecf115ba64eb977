// `npm run chat`: the console chat on the configured database (PGlite in DATA_DIR by default).
import { runConsoleChat } from './app.ts';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { DataFolderError } from './store/data-folder.ts';
import { databaseOptionsFrom, openDatabase } from './store/database.ts';

try {
  const config = loadConfig();
  // Logs go to stderr at warn and above, so the transcript on stdout stays clean.
  const logger = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn', process.stderr);
  const db = await openDatabase({ ...databaseOptionsFrom(config), holder: 'npm run chat', logger });
  const interactive = Boolean(process.stdin.isTTY);
  if (interactive) console.log('Paynudge console chat. You are the owner; /as <name> speaks as a customer, /quit leaves.');
  await runConsoleChat({ db, clock: systemClock, config, logger, input: process.stdin, output: process.stdout, interactive, fileDir: './exports' });
  await db.close();
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof DataFolderError ? err.message : `Could not start the chat: ${(err as Error).message}`);
  process.exitCode = 1;
}
