// Opens the store: embedded PGlite in DATA_DIR by default, PostgreSQL through `pg` when a URL is
// given. Both get the same migrations and the same Prisma client through a driver adapter.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR } from './migrate.ts';
import { pgliteRunner, pgRunner, type SqlRunner } from './sql.ts';

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
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const db = options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : await openPGlite(options.dataDir ?? './data');
  if (options.migrate ?? true) {
    try {
      await applyMigrations(db.sql, options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  return db;
}

function openPostgres(url: string, poolSize: number): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection (a database restart) must not crash the process.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    engine: 'postgres',
    prisma,
    sql: pgRunner(pool),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPGlite(dataDir: string): Promise<Database> {
  if (!dataDir.includes('://')) await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    engine: 'pglite',
    prisma,
    sql: pgliteRunner(pglite),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
