// Bulk import of a generated 5,000-row CSV: parse, first import (creates everything) and the same
// file again (a no-op), on embedded PGlite and, when BENCH_DATABASE_URL is set, on PostgreSQL.
// Usage: npx tsx bench/import.ts [runs]
//        BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/import.ts [runs]
import { performance } from 'node:perf_hooks';
import { createScratchDatabase } from './scratch-database.ts';
import { MAX_IMPORT_ROWS, parseInvoiceRows, type ImportContext } from '../src/engine/invoice-import.ts';
import { openDatabase, type Database } from '../src/store/database.ts';
import { importInvoices } from '../src/store/invoice-import.ts';

const runs = Number(process.argv[2] ?? 3);
const rowCount = MAX_IMPORT_ROWS;
const ctx: ImportContext = { currency: 'INR', country: 'IN', today: '2026-11-21' };

function generateCsv(rows: number): string {
  const lines = ['Customer,Phone,Invoice No,Amount,Invoice Date,Due Date'];
  for (let i = 0; i < rows; i++) {
    const debtor = i % 800;
    const day = (i % 28) + 1;
    const amount = (1000 + ((i * 7919) % 250_000)).toLocaleString('en-IN');
    lines.push(`"Debtor ${debtor} Traders",98${String(10_000_000 + debtor).padStart(8, '0')},INV-${String(i).padStart(5, '0')},"${amount}.50",${day}/10/2026,${day}-Nov-2026`);
  }
  return lines.join('\r\n');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const report = (label: string, xs: number[]) =>
  console.log(
    `${label.padEnd(34)} median ${median(xs).toFixed(0).padStart(5)} ms  ${((rowCount / median(xs)) * 1000).toFixed(0).padStart(7)} rows/s   runs: ${xs.map((x) => x.toFixed(0)).join(', ')}`,
  );

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

async function benchEngine(label: string, open: () => Promise<{ db: Database; drop(): Promise<void> }>, rows: ReturnType<typeof parseInvoiceRows>['rows']) {
  const first: number[] = [];
  const again: number[] = [];
  for (let run = 0; run < runs; run++) {
    const { db, drop } = await open();
    try {
      const business = await db.prisma.business.create({ data: { name: 'Bench', currency: 'INR', timeZone: 'Asia/Kolkata', ladder: [] } });
      const owner = await db.prisma.member.create({ data: { businessId: business.id, role: 'owner', name: 'Bench', channel: 'console', address: `bench-${run}` } });
      const input = { businessId: business.id, currency: 'INR', actorMemberId: owner.id, rows, now: new Date('2026-03-02T10:00:00.000Z') };
      const runImport = () => db.prisma.$transaction((tx) => importInvoices(tx, input), { timeout: 120_000 });
      const [created, firstMs] = await timed(runImport);
      const [repeated, againMs] = await timed(runImport);
      if (created.created !== rowCount || repeated.alreadyPresent.length !== rowCount) {
        throw new Error(`unexpected result: created ${created.created}, already present ${repeated.alreadyPresent.length}`);
      }
      first.push(firstMs);
      again.push(againMs);
    } finally {
      await db.close();
      await drop();
    }
  }
  report(`${label}: first import`, first);
  report(`${label}: same file again`, again);
}

const csv = generateCsv(rowCount);
console.log(`${rowCount} rows, ${(csv.length / 1024).toFixed(0)} KiB of CSV, ${runs} runs each`);
const parseTimes: number[] = [];
let parsed = parseInvoiceRows(csv, ctx);
for (let run = 0; run < runs; run++) {
  const [result, ms] = await timed(() => parseInvoiceRows(csv, ctx));
  parsed = result;
  parseTimes.push(ms);
}
if (parsed.rows.length !== rowCount || parsed.problems.length > 0) throw new Error(`parse: ${parsed.rows.length} rows, ${parsed.problems.length} problems`);
report('parseInvoiceRows', parseTimes);

await benchEngine('PGlite', async () => ({ db: await openDatabase({ dataDir: 'memory://' }), drop: async () => undefined }), parsed.rows);

const baseUrl = process.env.BENCH_DATABASE_URL;
if (baseUrl) {
  await benchEngine(
    'PostgreSQL',
    async () => {
      const scratch = await createScratchDatabase('import');
      const db = await openDatabase({ databaseUrl: scratch.url, poolSize: 2 });
      return { db, drop: scratch.drop };
    },
    parsed.rows,
  );
} else {
  console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL)');
}
