// The engines every integration test runs on: embedded PGlite always, and PostgreSQL when
// TEST_DATABASE_URL is set. Each test suite gets a database of its own (a fresh in-memory PGlite,
// or a scratch PostgreSQL database created beside TEST_DATABASE_URL's and dropped afterwards).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type Engine, type OpenOptions } from '../../src/store/database.ts';

export interface TestDatabase extends Database {
  /** The PostgreSQL URL of this scratch database (undefined on PGlite). */
  url?: string;
  /** Closes the connections and drops the scratch database. */
  destroy(): Promise<void>;
}

export interface TestEngine {
  name: Engine;
  open(options?: Omit<OpenOptions, 'databaseUrl' | 'dataDir'>): Promise<TestDatabase>;
  /** A fresh empty database's URL (PostgreSQL) or data dir (PGlite), and how to drop it. */
  scratch(): Promise<{ databaseUrl?: string; dataDir?: string; drop(): Promise<void> }>;
}

const baseUrl = process.env.TEST_DATABASE_URL;

async function createScratchPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `paynudge_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

const pgliteEngine: TestEngine = {
  name: 'pglite',
  async open(options = {}) {
    const db = await openDatabase({ ...options, dataDir: 'memory://' });
    return { ...db, destroy: () => db.close() };
  },
  async scratch() {
    return { dataDir: 'memory://', drop: async () => undefined };
  },
};

const postgresEngine: TestEngine = {
  name: 'postgres',
  async open(options = {}) {
    const scratch = await createScratchPostgres();
    try {
      const db = await openDatabase({ ...options, databaseUrl: scratch.url, poolSize: 5 });
      return {
        ...db,
        url: scratch.url,
        async destroy() {
          await db.close();
          await scratch.drop();
        },
      };
    } catch (err) {
      await scratch.drop();
      throw err;
    }
  },
  async scratch() {
    const scratch = await createScratchPostgres();
    return { databaseUrl: scratch.url, drop: scratch.drop };
  },
};

export const testEngines: TestEngine[] = baseUrl ? [pgliteEngine, postgresEngine] : [pgliteEngine];
