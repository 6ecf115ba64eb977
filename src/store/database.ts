// Opens the store: embedded PGlite in DATA_DIR by default, PostgreSQL through `pg` when a URL is
// given. Both get the same migrations and the same Prisma client through a driver adapter.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../log.ts';
import { lockDataFolder } from './data-folder.ts';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR } from './migrate.ts';
import { pgliteRunner, pgRunner, type SqlRunner } from './sql.ts';
import { startAnalyzing } from './statistics.ts';
import { preparingPGlite } from './pglite-prepared.ts';
import { StatementNames } from './statement-names.ts';

export type { PrismaClient };
export type Engine = 'pglite' | 'postgres';

export interface Database {
  engine: Engine;
  prisma: PrismaClient;
  /** The raw driver, for migrations and advisory locks. */
  sql: SqlRunner;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… to use PostgreSQL; absent for embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite's directory, or "memory://" for a throwaway in-memory database. */
  dataDir?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  migrationsDir?: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number | undefined;
  /** How many statement texts to prepare once per connection (PostgreSQL) or session (PGlite); default 300, 0: none. */
  statementCache?: number | undefined;
  /** How the lock on a PGlite folder names this process to a second opener, e.g. "npm start" (src/store/data-folder.ts). */
  holder?: string;
  /** Told when a PGlite folder's lock is taken over from a process that is no longer running. */
  logger?: Pick<Logger, 'info'>;
}

/** The options the environment sets (src/config.ts): where the data is, and PostgreSQL's pool and statement cache. */
export function databaseOptionsFrom(config: { DATABASE_URL?: string | undefined; DATA_DIR: string; DATABASE_POOL_SIZE: number; DATABASE_STATEMENT_CACHE: number }): OpenOptions {
  return { databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE, statementCache: config.DATABASE_STATEMENT_CACHE };
}

export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_STATEMENT_CACHE = 300;

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const db = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? DEFAULT_POOL_SIZE, options.statementCache ?? DEFAULT_STATEMENT_CACHE)
    : await openPGlite(options.dataDir ?? './data', options.statementCache ?? DEFAULT_STATEMENT_CACHE, options);
  if (options.migrate ?? true) {
    try {
      await applyMigrations(db.sql, options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  // Planner statistics refreshed as tables grow (src/store/statistics.ts): PGlite has no
  // autovacuum, and PostgreSQL's looks once a minute.
  const analyzing = startAnalyzing(db);
  return {
    ...db,
    async close() {
      await analyzing.stop();
      await db.close();
    },
  };
}

function openPostgres(url: string, poolSize: number, statementCache: number): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection (a database restart) must not crash the process.
  pool.on('error', () => undefined);
  // Prisma's queries and the raw driver's share one set of names (every connection agrees on them).
  const names = new StatementNames(statementCache);
  // The adapter passes the name on to pg; undefined (not prepared) is what it sends without a generator.
  const statementNameGenerator = (query: { sql: string; args: unknown[] }) => names.nameFor(query.sql, query.args.length) as string;
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { statementNameGenerator }) });
  return {
    engine: 'postgres',
    prisma,
    sql: pgRunner(pool, names),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPGlite(dataDir: string, statementCache: number, options: Pick<OpenOptions, 'holder' | 'logger'>): Promise<Database> {
  // A folder on disk is created if missing and held by this process alone until close (memory:// needs neither).
  const lock = dataDir.includes('://') ? undefined : await lockDataFolder(dataDir, options.holder);
  if (lock?.tookOverFrom) {
    const { pid, command } = lock.tookOverFrom;
    options.logger?.info({ dataDir: lock.dir, pid, command }, 'took over the data folder from a process that is no longer running');
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir);
  } catch (err) {
    await lock?.release();
    throw err;
  }
  // Repeated statements are prepared once for the session, as on PostgreSQL.
  const preparing = preparingPGlite(pglite, new StatementNames(statementCache));
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(preparing) });
  return {
    engine: 'pglite',
    prisma,
    sql: pgliteRunner(preparing),
    async close() {
      try {
        await prisma.$disconnect();
        await pglite.close();
      } finally {
        await lock?.release();
      }
    },
  };
}
