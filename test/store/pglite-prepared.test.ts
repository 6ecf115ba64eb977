// Prepared statements on embedded PGlite (src/store/pglite-prepared.ts): a repeated statement
// answers exactly as PGlite's own query() does, is prepared once for the session, and errors,
// transactions and a file-backed database behave as without it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparingPGlite } from '../../src/store/pglite-prepared.ts';
import { StatementNames } from '../../src/store/statement-names.ts';

const SELECT = `SELECT $1::int AS n, $2::text AS t, $3::timestamptz AS at, $4::jsonb AS j, $5::bigint AS big, $6::date AS d, $7::text[] AS list, $8::text AS nothing`;
const PARAMS = [7, 'seven', new Date('2026-11-21T04:30:00Z'), { a: [1, 2] }, 9_007_199_254_740_993n, '2026-11-21', ['a', 'b'], null];

describe('PGlite with prepared statements', () => {
  let raw: PGlite;
  let db: PGlite;
  beforeAll(async () => {
    raw = await PGlite.create('memory://');
    db = preparingPGlite(raw, new StatementNames(50));
    await db.exec('CREATE TABLE note (id serial PRIMARY KEY, body text NOT NULL UNIQUE)');
  });
  afterAll(async () => raw?.close());

  const preparedTexts = async () => (await raw.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements')).rows.map((r) => r.statement);

  it('answers a repeated statement as PGlite itself does, in rows of objects or arrays, with custom parsers', async () => {
    const parsers = { 20: (v: string) => `big:${v}` };
    for (let i = 0; i < 3; i++) {
      expect(await db.query(SELECT, PARAMS)).toEqual(await raw.query(SELECT, PARAMS));
      expect(await db.query(SELECT, PARAMS, { rowMode: 'array', parsers })).toEqual(await raw.query(SELECT, PARAMS, { rowMode: 'array', parsers }));
    }
    expect(await preparedTexts()).toContain(SELECT);
  });

  it('prepares nothing for a statement seen once, or without parameters', async () => {
    await db.query('SELECT $1::int + 100 AS once', [1]);
    for (let i = 0; i < 3; i++) await db.query('SELECT 1 AS constant');
    const texts = await preparedTexts();
    expect(texts).not.toContain('SELECT $1::int + 100 AS once');
    expect(texts).not.toContain('SELECT 1 AS constant');
  });

  it('counts affected rows, and an error leaves the session ready and the statement reusable', async () => {
    const insert = 'INSERT INTO note (body) VALUES ($1)';
    expect((await db.query(insert, ['first'])).affectedRows).toBe(1);
    expect((await db.query(insert, ['second'])).affectedRows).toBe(1);
    await expect(db.query(insert, ['second'])).rejects.toThrow(/duplicate key/);
    expect((await db.query(insert, ['third'])).affectedRows).toBe(1);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM note WHERE body <> $1', ['x'])).rows).toEqual([{ n: 3 }]);
  });

  it('runs in transactions: what a rolled-back one wrote is gone, what a committed one wrote stays', async () => {
    const insert = 'INSERT INTO note (body) VALUES ($1) RETURNING body';
    await expect(
      db.transaction(async (tx) => {
        for (const body of ['tx-1', 'tx-2']) await tx.query(insert, [body]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await db.transaction(async (tx) => {
      for (const body of ['tx-3', 'tx-4']) expect((await tx.query(insert, [body])).rows).toEqual([{ body }]);
    });
    const bodies = (await db.query<{ body: string }>('SELECT body FROM note WHERE body LIKE $1 ORDER BY body', ['tx-%'])).rows.map((r) => r.body);
    expect(bodies).toEqual(['tx-3', 'tx-4']);
  });

  it('syncs the files after a prepared statement outside a transaction, as query() does, and not inside one', async () => {
    const text = 'SELECT $1::int - 1 AS less';
    await db.query(text, [1]);
    const sync = raw.syncToFs.bind(raw);
    let syncs = 0;
    raw.syncToFs = async () => {
      syncs += 1;
      await sync();
    };
    try {
      await db.query(text, [2]);
      expect(syncs).toBe(1);
      await db.transaction(async (tx) => {
        const before = syncs; // PGlite syncs after its BEGIN, and after COMMIT
        await tx.query(text, [3]);
        expect(syncs).toBe(before);
      });
    } finally {
      raw.syncToFs = sync;
    }
  });

  it('a statement that could not be prepared (in an aborted transaction) is prepared later', async () => {
    const text = 'SELECT $1::int * 3 AS tripled';
    await db.query(text, [1]); // seen once: the next use prepares it
    await db.transaction(async (tx) => {
      await expect(tx.query('SELECT 1/0 AS oops WHERE $1', [true])).rejects.toThrow(/division by zero/);
      await expect(tx.query(text, [2])).rejects.toThrow(/aborted/);
      await tx.rollback();
    });
    expect((await db.query<{ tripled: number }>(text, [3])).rows).toEqual([{ tripled: 9 }]);
    expect(await preparedTexts()).toContain(text);
  });
});

describe('a file-backed PGlite with prepared statements', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paynudge-prepared-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('keeps what prepared statements wrote outside a transaction after the database is closed and opened again', async () => {
    const first = await PGlite.create(dir);
    const db = preparingPGlite(first, new StatementNames(50));
    await db.exec('CREATE TABLE kept (n int)');
    for (let n = 1; n <= 3; n++) await db.query('INSERT INTO kept (n) VALUES ($1)', [n]);
    await first.close();
    const again = await PGlite.create(dir);
    expect((await again.query<{ n: number }>('SELECT n FROM kept ORDER BY n')).rows).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await again.close();
  });
});
