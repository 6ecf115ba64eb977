// Planning for 200 businesses, 5,000 debtors and 100,000 open invoices on PostgreSQL: planReminders
// over every business (each in its own time zone) on a cold start and then on ordinary days, and
// a second run each day (which must draft nothing), the day's reminders then marked sent as the
// dispatcher would. Prints the times and what was planned.
// Usage: npx tsx bench/plan.ts [days]   (BENCH_DATABASE_URL, default the local server;
// BENCH_STEPS=1 prints each step's time). On a busy machine wall times swing with the load, so
// each run also prints the CPU it took: this process's, and (when the server runs on this machine
// and /proc can be read) that of the database's backends.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { DEFAULT_LADDER } from '../src/engine/ladder.ts';
import { planReminders } from '../src/scheduler/plan.ts';
import { openDatabase, type Database } from '../src/store/database.ts';
import { createScratchDatabase, statementCacheFromEnv } from './scratch-database.ts';

const runs = Number(process.argv[2] ?? 3);
const BUSINESSES = 200;
const DEBTORS = 5_000;
const INVOICES = 100_000;
const now = new Date('2026-11-23T04:30:00Z'); // Monday 10:00 in India

async function seed(db: Database): Promise<void> {
  await db.sql.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO business (name, currency, time_zone, ladder, approval_mode, upi_id)
       SELECT 'Business ' || g, 'INR', CASE WHEN g % 5 = 0 THEN 'Asia/Dubai' ELSE 'Asia/Kolkata' END, $1::jsonb,
              CASE WHEN g % 2 = 0 THEN 'auto' ELSE 'approve' END::"ApprovalMode", 'shop' || g || '@okhdfcbank'
         FROM generate_series(1, $2::int) g`,
      [JSON.stringify(DEFAULT_LADDER), BUSINESSES],
    );
    await tx.query(
      `INSERT INTO debtor (business_id, name, name_key, phone)
       SELECT b.id, 'Customer ' || b.rn || '-' || k, 'customer ' || b.rn || '-' || k, '+9198' || lpad((b.rn * 100 + k)::text, 8, '0')
         FROM (SELECT id, (row_number() OVER (ORDER BY name))::int AS rn FROM business) b
         CROSS JOIN generate_series(1, $1::int) k`,
      [DEBTORS / BUSINESSES],
    );
    await tx.query(`INSERT INTO debtor_identity (debtor_id, channel, address) SELECT id, 'whatsapp', substr(phone, 2) || '@s.whatsapp.net' FROM debtor`);
    // 20 open invoices per debtor, due dates spread from 40 days ago to 10 days ahead.
    await tx.query(
      `INSERT INTO invoice (business_id, debtor_id, number, amount_minor, currency, issued_on, due_on)
       SELECT d.business_id, d.id, 'P-' || d.rn || '-' || k, (500 + (d.rn * 37 + k * 91) % 50000) * 100, 'INR',
              '2026-11-23'::date - 60, '2026-11-23'::date - 40 + ((d.rn * 7 + k * 13) % 50)
         FROM (SELECT id, business_id, (row_number() OVER (ORDER BY name_key))::int AS rn FROM debtor) d
         CROSS JOIN generate_series(1, $1::int) k`,
      [INVOICES / DEBTORS],
    );
  });
  await db.sql.query('ANALYZE');
}

/** CPU time of this database's backends so far, in ms (null when they cannot be read). */
async function backendsCpuMs(db: Database): Promise<number | null> {
  const ticksPerMs = 100 / 1000; // USER_HZ on Linux
  let ticks = 0;
  try {
    for (const { pid } of await db.sql.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')) {
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    return null;
  }
  return ticks / ticksPerMs;
}

const scratch = await createScratchDatabase('plan');
const db = await openDatabase({ databaseUrl: scratch.url, statementCache: statementCacheFromEnv() });
try {
  const t0 = performance.now();
  await seed(db);
  console.log(`seeded ${BUSINESSES} businesses, ${DEBTORS} debtors, ${INVOICES} open invoices in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // Day 0 is a cold start: no invoice has a stage yet, so every overdue one advances at once.
  // Then ordinary days: only invoices crossing a stage boundary (or a debtor's next stage) move.
  for (let day = 0; day <= runs; day++) {
    const when = new Date(now.getTime() + day * 86_400_000);
    const dbCpuBefore = await backendsCpuMs(db);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const steps: string[] = [];
    const result = await planReminders(db, { now: when, onStep: (step) => steps.push(`${step} ${(performance.now() - started).toFixed(0)}`) });
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const dbCpuAfter = await backendsCpuMs(db);
    const dbCpu = dbCpuBefore === null || dbCpuAfter === null ? 'n/a' : `${Math.round(dbCpuAfter - dbCpuBefore)} ms`;
    if (process.env.BENCH_STEPS) console.log(`  steps (ms since start): ${steps.join(' · ')}`);
    const again = performance.now();
    const second = await planReminders(db, { now: new Date(when.getTime() + 60_000) });
    const againMs = performance.now() - again;
    console.log(
      `${day === 0 ? 'day 0 (cold start)' : `day ${day}`.padEnd(18)}: planned ${String(result.planned).padStart(4)} reminders in ${ms.toFixed(0).padStart(5)} ms ` +
        `(CPU: node ${Math.round((cpu.user + cpu.system) / 1000)} ms, PostgreSQL ${dbCpu}); planning again the same day drafted ${second.planned} in ${againMs.toFixed(0)} ms`,
    );
    // What the dispatcher does before the next day (not timed): the day's reminders are sent.
    await db.sql.query(`UPDATE outbound_message SET status = 'sent', sent_at = $1 WHERE status = 'queued'`, [when]);
  }
} finally {
  await db.close();
  await scratch.drop();
}
