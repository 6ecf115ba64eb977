// Fresh planner statistics as tables grow. A prepared statement (src/store/statement-names.ts)
// keeps the plan PostgreSQL made for it until the statistics of a table it reads change; a table
// analyzed while small (a new install, a benchmark's empty outbox) looks small to that plan, which
// keeps scanning it whole as it grows. In the Telegram benchmark that was most of PostgreSQL's
// work after 15 s (the outbox, the inbox and the promises read row by row), and a debtor's
// promise went from 0.8 to 1.7 ms on PGlite.
//
// PGlite runs PostgreSQL in single-user mode, with no autovacuum at all; PostgreSQL's autovacuum
// looks at each database once a minute. So every few seconds this analyzes the tables that grew
// by a fifth (and 8 pages) since they were last analyzed, which also makes PostgreSQL plan the
// statements that read them afresh. The check is one catalog query; analyzing samples at most
// 30,000 rows. On PostgreSQL one instance at a time does it (an advisory lock; the others skip).
import type { SqlRunner, SqlTx } from './sql.ts';

/** How often the tables are checked for growth. */
export const ANALYZE_CHECK_MS = 5_000;

async function analyzeGrown(tx: SqlTx): Promise<string[]> {
  const grown = await tx.query<{ name: string }>(
    `SELECT quote_ident(c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r'
        AND pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.2 + 8`,
  );
  if (grown.length > 0) await tx.exec(`ANALYZE ${grown.map((t) => t.name).join(', ')}`);
  return grown.map((t) => t.name);
}

/** Analyzes the tables that grew since they were last analyzed; returns their names. */
export async function analyzeGrownTables(db: { engine: 'pglite' | 'postgres'; sql: SqlRunner }): Promise<string[]> {
  if (db.engine === 'pglite') return analyzeGrown(db.sql);
  return db.sql.transaction(async (tx) => {
    const [row] = await tx.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext('paynudge:analyze')) AS locked`);
    return row?.locked ? analyzeGrown(tx) : [];
  });
}

/** Checks every `everyMs` until stopped; a failed check is tried again at the next one. */
export function startAnalyzing(db: { engine: 'pglite' | 'postgres'; sql: SqlRunner }, everyMs = ANALYZE_CHECK_MS): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    running ??= analyzeGrownTables(db)
      .catch(() => undefined)
      .finally(() => (running = null));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
