// A throwaway PostgreSQL database beside BENCH_DATABASE_URL's (default: the local server), for
// a benchmark to fill and measure. BENCH_KEEP=1 keeps it (its name is printed) for EXPLAIN.
import pg from 'pg';

export const BENCH_BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function createScratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `paynudge_bench_${prefix}_${process.pid}_${Date.now() % 100_000}`;
  const admin = new pg.Client({ connectionString: BENCH_BASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(BENCH_BASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      if (process.env.BENCH_KEEP) {
        console.log(`kept database ${name}`);
        return;
      }
      const client = new pg.Client({ connectionString: BENCH_BASE_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** DATABASE_STATEMENT_CACHE from the environment, to compare with statements prepared (default) or not (0). */
export function statementCacheFromEnv(): number | undefined {
  const value = process.env.DATABASE_STATEMENT_CACHE;
  return value === undefined || value === '' ? undefined : Number(value);
}
