// Prepared statements on PostgreSQL (src/store/statement-names.ts): which texts get names, and,
// on a real server, that Prisma's queries and the raw driver's are prepared once per connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatementNames } from '../../src/store/statement-names.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';

describe('which statement texts are named', () => {
  it('a text is named the second time it is seen, and keeps its name', () => {
    const names = new StatementNames(10);
    expect(names.nameFor('SELECT $1', 1)).toBeUndefined();
    const name = names.nameFor('SELECT $1', 1);
    expect(name).toMatch(/^paynudge_\d+$/);
    expect(names.nameFor('SELECT $1', 1)).toBe(name);
  });

  it('different texts get different names', () => {
    const names = new StatementNames(10);
    for (const text of ['SELECT $1', 'SELECT $1', 'SELECT $1 + 1', 'SELECT $1 + 1']) names.nameFor(text, 1);
    expect(names.nameFor('SELECT $1', 1)).not.toBe(names.nameFor('SELECT $1 + 1', 1));
    expect(names.size).toBe(2);
  });

  it('a statement without parameters is never named (it may be a script of several)', () => {
    const names = new StatementNames(10);
    for (let i = 0; i < 3; i++) expect(names.nameFor('BEGIN', 0)).toBeUndefined();
  });

  it('no more than the limit are named, and a limit of 0 names none', () => {
    const names = new StatementNames(2);
    for (const text of ['a $1', 'b $1', 'c $1']) {
      names.nameFor(text, 1);
      names.nameFor(text, 1);
    }
    expect(names.size).toBe(2);
    expect(names.nameFor('c $1', 1)).toBeUndefined();
    const none = new StatementNames(0);
    none.nameFor('a $1', 1);
    expect(none.nameFor('a $1', 1)).toBeUndefined();
  });
});

const postgres = testEngines.filter((e) => e.name === 'postgres');

describe.each(postgres)('statements prepared on $name', (engine) => {
  let db: TestDatabase;
  let uncached: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
    uncached = await engine.open({ statementCache: 0 });
  });
  afterAll(async () => {
    await db?.destroy();
    await uncached?.destroy();
  });

  const prepared = (tx: { $queryRaw: TestDatabase['prisma']['$queryRaw'] }) =>
    tx.$queryRaw<Array<{ statement: string }>>`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'paynudge_%'`;

  it('a Prisma query run twice on a connection is prepared there', async () => {
    const statements = await db.prisma.$transaction(async (tx) => {
      for (let i = 0; i < 3; i++) await tx.business.findFirst({ where: { name: `probe ${i}` } });
      return prepared(tx);
    });
    expect(statements.some((s) => s.statement.includes('FROM "public"."business"'))).toBe(true);
  });

  it('a raw driver query run twice on a connection is prepared there, and answers as before', async () => {
    const rows = await db.sql.transaction(async (tx) => {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await tx.query<{ twice: number }>('SELECT $1::int * 2 AS twice', [i]));
      return { answers, statements: await tx.query<{ statement: string }>(`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'paynudge_%'`) };
    });
    expect(rows.answers).toEqual([[{ twice: 0 }], [{ twice: 2 }], [{ twice: 4 }]]);
    expect(rows.statements.map((s) => s.statement)).toContain('SELECT $1::int * 2 AS twice');
  });

  it('with DATABASE_STATEMENT_CACHE=0 nothing is prepared', async () => {
    const statements = await uncached.prisma.$transaction(async (tx) => {
      for (let i = 0; i < 3; i++) await tx.business.findFirst({ where: { name: `probe ${i}` } });
      return prepared(tx);
    });
    expect(statements).toEqual([]);
  });
});
