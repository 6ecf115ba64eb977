// The raw driver underneath Prisma, for what Prisma does not do: multi-statement migration
// scripts and transaction-scoped advisory locks. One interface over pg and PGlite.
import type { PGlite, Transaction as PGliteTx } from '@electric-sql/pglite';
import type { StatementNames } from './statement-names.ts';
import type pg from 'pg';

export interface SqlTx {
  /** Runs a script of one or more statements (no parameters). */
  exec(script: string): Promise<void>;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface SqlRunner extends SqlTx {
  /** Runs fn in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
}

function pgliteTx(db: PGlite | PGliteTx): SqlTx {
  return {
    async exec(script) {
      await db.exec(script);
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await db.query<T>(text, params)).rows;
    },
  };
}

export function pgliteRunner(db: PGlite): SqlRunner {
  return {
    ...pgliteTx(db),
    transaction: (fn) => db.transaction((tx) => fn(pgliteTx(tx))),
  };
}

function pgTx(client: pg.Pool | pg.PoolClient, names: StatementNames | undefined): SqlTx {
  return {
    async exec(script) {
      await client.query(script);
    },
    async query<T>(text: string, params: unknown[] = []) {
      const name = names?.nameFor(text, params.length);
      return (await client.query(name === undefined ? { text, values: params } : { name, text, values: params })).rows as T[];
    },
  };
}

/** `names`: which statements to prepare once per connection (src/store/statement-names.ts); none when absent. */
export function pgRunner(pool: pg.Pool, names?: StatementNames): SqlRunner {
  return {
    ...pgTx(pool, names),
    async transaction(fn) {
      const client = await pool.connect();
      // While checked out, a client has no listener of the pool's: a connection lost now (a
      // database restart, a killed backend) would be an unhandled 'error' event and end the
      // process. The statement in progress, and any after it, fail with the error instead.
      let lost: Error | undefined;
      const onError = (err: Error) => {
        lost = err;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(pgTx(client, names));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.removeListener('error', onError);
        // A client whose connection was lost is dropped from the pool, not reused.
        client.release(lost);
      }
    },
  };
}
