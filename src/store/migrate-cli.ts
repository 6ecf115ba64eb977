// `npm run db:migrate`: applies pending migrations to the configured database and says what it did.
import { ConfigError, loadConfig } from '../config.ts';
import { DataFolderError } from './data-folder.ts';
import { databaseOptionsFrom, openDatabase } from './database.ts';
import { applyMigrations } from './migrate.ts';

try {
  const config = loadConfig();
  const db = await openDatabase({ ...databaseOptionsFrom(config), migrate: false, holder: 'npm run db:migrate' });
  try {
    const applied = await applyMigrations(db.sql);
    const where = db.engine === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}` : 'PostgreSQL';
    console.log(applied.length ? `Applied ${applied.length} migration(s) to ${where}: ${applied.join(', ')}` : `${where}: already up to date.`);
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof DataFolderError ? err.message : `Migration failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
