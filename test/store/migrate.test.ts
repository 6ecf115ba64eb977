import { mkdtemp, mkdir, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, MigrationError, readMigrations } from '../../src/store/migrate.ts';
import { testEngines } from '../support/databases.ts';

async function tableExists(db: { sql: { query: <T>(q: string, p?: unknown[]) => Promise<T[]> } }, name: string) {
  const rows = await db.sql.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [`public.${name}`]);
  return rows[0]!.exists;
}

describe.each(testEngines)('migrations on $name', (engine) => {
  it('applies every migration on a fresh database and nothing the second time', async () => {
    const scratch = await engine.scratch();
    const db = await openDatabase({ ...scratch, migrate: false });
    try {
      const all = (await readMigrations()).map((m) => m.name);
      expect(await applyMigrations(db.sql)).toEqual(all);
      expect(await applyMigrations(db.sql)).toEqual([]);
      expect(await tableExists(db, 'invoice')).toBe(true);
      const ledger = await db.sql.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name');
      expect(ledger.map((r) => r.migration_name)).toEqual(all);
    } finally {
      await db.close();
      await scratch.drop();
    }
  });

  it('rolls back a failing migration completely and records nothing for it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paynudge-migrations-'));
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    await mkdir(join(dir, '99990101000000_broken'));
    await writeFile(
      join(dir, '99990101000000_broken', 'migration.sql'),
      'CREATE TABLE half_done (id INT);\nALTER TABLE invoice ADD COLUMN note2 TEXT;\nTHIS IS NOT SQL;\n',
    );
    const scratch = await engine.scratch();
    const db = await openDatabase({ ...scratch, migrate: false });
    try {
      const error = await applyMigrations(db.sql, dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).migration).toBe('99990101000000_broken');
      expect(await tableExists(db, 'half_done')).toBe(false);
      const cols = await db.sql.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'invoice' AND column_name = 'note2'`);
      expect(cols).toHaveLength(0);
      const ledger = await db.sql.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations"');
      expect(ledger.map((r) => r.migration_name)).not.toContain('99990101000000_broken');
      // The good migrations before it stay applied, and a retry after fixing it succeeds.
      expect(await tableExists(db, 'invoice')).toBe(true);
      await writeFile(join(dir, '99990101000000_broken', 'migration.sql'), 'CREATE TABLE half_done (id INT);\n');
      expect(await applyMigrations(db.sql, dir)).toEqual(['99990101000000_broken']);
    } finally {
      await db.close();
      await scratch.drop();
    }
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paynudge-migrations-'));
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const scratch = await engine.scratch();
    const db = await openDatabase({ ...scratch, migrate: false });
    try {
      await applyMigrations(db.sql, dir);
      const [first] = await readMigrations(dir);
      await writeFile(join(dir, first!.name, 'migration.sql'), `${first!.sql}\n-- edited\n`);
      await expect(applyMigrations(db.sql, dir)).rejects.toThrow(/was changed after it was applied/);
    } finally {
      await db.close();
      await scratch.drop();
    }
  });
});

// Two connections at once need PostgreSQL: defined only when TEST_DATABASE_URL is set (CI sets it).
if (testEngines.some((e) => e.name === 'postgres')) describe('migrations from two instances at once', () => {
  it('apply once when two processes start together on one PostgreSQL database', async () => {
    const engine = testEngines.find((e) => e.name === 'postgres')!;
    const scratch = await engine.scratch();
    const a = await openDatabase({ ...scratch, migrate: false });
    const b = await openDatabase({ ...scratch, migrate: false });
    try {
      const [ra, rb] = await Promise.all([applyMigrations(a.sql), applyMigrations(b.sql)]);
      const all = (await readMigrations()).map((m) => m.name);
      expect([...ra, ...rb].sort()).toEqual(all);
      const ledger = await a.sql.query('SELECT 1 FROM "_prisma_migrations"');
      expect(ledger).toHaveLength(all.length);
    } finally {
      await a.close();
      await b.close();
      await scratch.drop();
    }
  });
});
