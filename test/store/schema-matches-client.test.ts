// The SQL migrations are hand-written (Prisma's migrate engine cannot run here), so this proves the
// migrated database is what the generated Prisma client expects: every model's table, every
// field's column, every enum's values, and no required column the client cannot fill.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as enums from '../../src/generated/prisma/enums.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';

interface RuntimeField {
  name: string;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  dbName?: string | null;
}
interface RuntimeModel {
  dbName: string | null;
  fields: RuntimeField[];
}

async function clientDataModel(): Promise<Record<string, RuntimeModel>> {
  const source = await readFile(fileURLToPath(new URL('../../src/generated/prisma/internal/class.ts', import.meta.url)), 'utf8');
  const match = /config\.runtimeDataModel = JSON\.parse\(("(?:[^"\\]|\\.)*")\)/.exec(source);
  if (!match) throw new Error('runtimeDataModel not found in the generated client; was `npm run db:generate` run?');
  return (JSON.parse(JSON.parse(match[1]!) as string) as { models: Record<string, RuntimeModel> }).models;
}

describe.each(testEngines)('the migrated $name database', (engine) => {
  let db: TestDatabase;
  let models: Record<string, RuntimeModel>;
  let columns: Array<{ table_name: string; column_name: string; is_nullable: string; column_default: string | null }>;

  beforeAll(async () => {
    db = await engine.open();
    models = await clientDataModel();
    columns = await db.sql.query(
      `SELECT table_name, column_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public'`,
    );
  });
  afterAll(async () => db?.destroy());

  it('has a table with a column for every scalar and enum field of every model', () => {
    const missing: string[] = [];
    for (const [name, model] of Object.entries(models)) {
      const table = model.dbName ?? name;
      for (const field of model.fields.filter((f) => f.kind !== 'object')) {
        const column = field.dbName ?? field.name;
        if (!columns.some((c) => c.table_name === table && c.column_name === column)) missing.push(`${table}.${column}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has no required column without a default that the client does not know', () => {
    const known = new Set(
      Object.entries(models).flatMap(([name, m]) => m.fields.filter((f) => f.kind !== 'object').map((f) => `${m.dbName ?? name}.${f.dbName ?? f.name}`)),
    );
    const unknownRequired = columns
      .filter((c) => c.table_name !== '_prisma_migrations' && c.is_nullable === 'NO' && c.column_default === null)
      .map((c) => `${c.table_name}.${c.column_name}`)
      .filter((c) => !known.has(c));
    expect(unknownRequired).toEqual([]);
  });

  it('defines every enum with exactly the values of the client', async () => {
    const rows = await db.sql.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const inDb = Object.fromEntries(rows.map((r) => [r.typname, [...r.labels].sort()]));
    const inClient = Object.fromEntries(Object.entries(enums).map(([name, values]) => [name, Object.values(values as Record<string, string>).sort()]));
    expect(inDb).toEqual(inClient);
  });
});
