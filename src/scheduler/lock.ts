// One instance at a time per job: a PostgreSQL advisory lock held by a transaction for as long as
// the job runs. Another instance that tries meanwhile skips the run (the next tick catches up).
// Embedded PGlite is a single process, so there is nothing to coordinate.
import type { Database } from '../store/database.ts';

export async function runExclusive<T>(db: Pick<Database, 'engine' | 'sql'>, job: string, fn: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false }> {
  if (db.engine === 'pglite') return { ran: true, result: await fn() };
  return db.sql.transaction(async (tx) => {
    const [row] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [`paynudge:${job}`]);
    if (!row?.locked) return { ran: false as const };
    return { ran: true as const, result: await fn() };
  });
}
