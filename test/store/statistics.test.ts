// Planner statistics kept fresh as tables grow (src/store/statistics.ts): a table that grew since
// it was last analyzed is analyzed again, on each engine, so the planner (and the plans of
// prepared statements) sees its real size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { analyzeGrownTables, startAnalyzing } from '../../src/store/statistics.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';

describe.each(testEngines)('analyzing tables as they grow on $name', (engine) => {
  let db: TestDatabase;
  const pages = async (table: string) => (await db.sql.query<{ relpages: number }>('SELECT relpages FROM pg_class WHERE relname = $1', [table]))[0]!.relpages;
  const grow = (rows: number) => db.sql.exec(`INSERT INTO grows (body) SELECT repeat('x', 200) FROM generate_series(1, ${rows})`);

  beforeAll(async () => {
    db = await engine.open();
    await db.sql.exec('CREATE TABLE grows (id serial PRIMARY KEY, body text); CREATE TABLE stays (id int);');
    await analyzeGrownTables(db);
    await db.sql.exec('ANALYZE grows, stays');
  });
  afterAll(async () => db?.destroy());

  it('analyzes a table that grew since it was last analyzed, and only that one', async () => {
    await grow(2000);
    expect(await pages('grows')).toBe(0);
    expect(await analyzeGrownTables(db)).toEqual(['grows']);
    expect(await pages('grows')).toBeGreaterThan(40);
  });

  it('does nothing when no table grew by a fifth', async () => {
    await grow(100);
    expect(await analyzeGrownTables(db)).toEqual([]);
  });

  it('checks on a timer until stopped', async () => {
    await grow(2000);
    const before = await pages('grows');
    const analyzing = startAnalyzing(db, 20);
    for (let i = 0; i < 100 && (await pages('grows')) === before; i++) await new Promise((r) => setTimeout(r, 10));
    await analyzing.stop();
    expect(await pages('grows')).toBeGreaterThan(before);
  });
});

describe.each(testEngines.filter((e) => e.name === 'postgres'))('analyzing on $name from several instances', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
    await db.sql.exec("CREATE TABLE grows (id serial PRIMARY KEY, body text); ANALYZE grows; INSERT INTO grows (body) SELECT repeat('x', 200) FROM generate_series(1, 3000);");
  });
  afterAll(async () => db?.destroy());

  it('one instance at a time: another that checks meanwhile skips', async () => {
    const other = await openDatabase({ databaseUrl: db.url, migrate: false, poolSize: 2 });
    try {
      // This instance holds the lock (as if it were analyzing) while the other checks.
      const skipped = await db.sql.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext('paynudge:analyze'))`);
        return analyzeGrownTables(other);
      });
      expect(skipped).toEqual([]);
      expect(await analyzeGrownTables(other)).toEqual(['grows']);
    } finally {
      await other.close();
    }
  });
});
