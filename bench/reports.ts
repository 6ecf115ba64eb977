// `follow up` and `summary` for a business with 5,000 debtors and 100,000 invoices (a year of
// history: paid, part-paid and open invoices, payments with allocations, promises), answered end
// to end through the conversation (store inbound, query, rank, render, queue the reply).
// Usage: npx tsx bench/reports.ts [--pglite] [runs]   (PostgreSQL: BENCH_DATABASE_URL, default local)
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { handleInbound } from '../src/bot/conversation.ts';
import { ManualClock } from '../src/clock.ts';
import { DEFAULT_LADDER } from '../src/engine/ladder.ts';
import { openDatabase, type Database } from '../src/store/database.ts';
import { createScratchDatabase, statementCacheFromEnv } from './scratch-database.ts';
import { loadFollowUpFacts } from '../src/store/reports.ts';
import { followUpCandidates, resolveWeights } from '../src/engine/ranking.ts';
import { rankWithRisk } from '../src/bot/owner/reports.ts';

const usePglite = process.argv.includes('--pglite');
const runs = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 15);
const DEBTORS = 5_000;
const INVOICES_PER_DEBTOR = 20;
const now = new Date('2026-11-21T04:30:00Z');
const today = '2026-11-21';

async function seed(db: Database): Promise<string> {
  const business = await db.prisma.business.create({
    data: { name: 'Bench Wholesale', currency: 'INR', timeZone: 'Asia/Kolkata', ladder: DEFAULT_LADDER as unknown as object },
  });
  await db.prisma.member.create({ data: { businessId: business.id, role: 'owner', name: 'Owner', channel: 'console', address: 'owner' } });
  const b = business.id;
  await db.sql.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO debtor (business_id, name, name_key, phone)
       SELECT $1::uuid, 'Customer ' || g, 'customer ' || g, '+9198' || lpad(g::text, 8, '0') FROM generate_series(1, $2::int) g`,
      [b, DEBTORS],
    );
    // Invoices: one every ~18 days per debtor over the past year, due 30 days after issue.
    await tx.query(
      `INSERT INTO invoice (business_id, debtor_id, number, amount_minor, currency, issued_on, due_on, status, closed_at)
       SELECT $1::uuid, d.id, 'B-' || d.rn || '-' || k,
              (1000 + (hashint % 90000)) * 100, 'INR',
              $2::date - (k * 18 + (d.rn % 7)), $2::date - (k * 18 + (d.rn % 7)) + 30,
              CASE WHEN k >= 3 + (d.rn % 4) THEN 'paid'::"InvoiceStatus" ELSE 'open'::"InvoiceStatus" END,
              CASE WHEN k >= 3 + (d.rn % 4) THEN ($2::date - (k * 18 + (d.rn % 7)) + 30 + (d.rn % 25))::timestamptz END
         FROM (SELECT id, (row_number() OVER (ORDER BY name_key))::int AS rn FROM debtor WHERE business_id = $1::uuid) d
         CROSS JOIN generate_series(0, $3::int - 1) k
         CROSS JOIN LATERAL (SELECT abs(hashtext(d.id::text || k)) AS hashint) h`,
      [b, today, INVOICES_PER_DEBTOR],
    );
    // One payment per paid invoice, allocated to it in full; a part payment on a quarter of the open
    // ones. Payment ids derive from the invoice id so the allocations can find them.
    const paidRows = `
         SELECT i.id, i.debtor_id, i.amount_minor, i.closed_at::date AS on_day, md5(i.id::text || 'p')::uuid AS payment_id
           FROM invoice i WHERE i.business_id = $1::uuid AND i.status = 'paid'
         UNION ALL
         SELECT i.id, i.debtor_id, i.amount_minor / 2, $2::date - 5, md5(i.id::text || 'p')::uuid
           FROM invoice i WHERE i.business_id = $1::uuid AND i.status = 'open' AND abs(hashtext(i.id::text)) % 4 = 0`;
    await tx.query(
      `INSERT INTO payment (id, business_id, debtor_id, amount_minor, currency, received_on, method, source)
       SELECT payment_id, $1::uuid, debtor_id, amount_minor, 'INR', on_day, 'upi', 'owner' FROM (${paidRows}) paid`,
      [b, today],
    );
    await tx.query(
      `INSERT INTO payment_allocation (payment_id, invoice_id, amount_minor) SELECT payment_id, id, amount_minor FROM (${paidRows}) paid`,
      [b, today],
    );
    // Promises: an open one for every 10th debtor (some due today), kept and broken history for others.
    await tx.query(
      `INSERT INTO payment_promise (business_id, debtor_id, promised_on, status, resolved_at, created_at)
       SELECT $1::uuid, d.id, $2::date + (d.rn % 9) - 2,
              CASE WHEN d.rn % 10 = 0 THEN 'open' WHEN d.rn % 3 = 0 THEN 'broken' ELSE 'kept' END::"PromiseStatus",
              CASE WHEN d.rn % 10 = 0 THEN NULL ELSE now() END, $3::timestamptz - interval '20 days'
         FROM (SELECT id, (row_number() OVER (ORDER BY name_key))::int AS rn FROM debtor WHERE business_id = $1::uuid) d
        WHERE d.rn % 2 = 0`,
      [b, today, now.toISOString()],
    );
  });
  await db.sql.query('ANALYZE');
  return b;
}

async function timeCommand(db: Database, text: string): Promise<{ ms: number[]; reply: string }> {
  const clock = new ManualClock(now);
  const ms: number[] = [];
  let reply = '';
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = await handleInbound(
      { prisma: db.prisma, clock, defaults: { currency: 'INR', timeZone: 'Asia/Kolkata', language: 'en', country: 'IN' } },
      { channel: 'console', address: 'owner', providerMessageId: randomUUID(), text, receivedAt: now },
    );
    ms.push(performance.now() - started);
    reply = result.outgoing[0]?.body ?? '';
  }
  return { ms, reply };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function main() {
  let drop: (() => Promise<void>) | undefined;
  let db: Database;
  if (usePglite) {
    db = await openDatabase({ dataDir: 'memory://' });
  } else {
    const scratch = await createScratchDatabase('reports');
    db = await openDatabase({ databaseUrl: scratch.url, statementCache: statementCacheFromEnv() });
    drop = scratch.drop;
  }
  try {
    const seedStart = performance.now();
    await seed(db);
    const counts = await db.sql.query<{ debtors: string; invoices: string; open: string; payments: string }>(
      `SELECT (SELECT COUNT(*) FROM debtor) AS debtors, (SELECT COUNT(*) FROM invoice) AS invoices,
              (SELECT COUNT(*) FROM invoice WHERE status = 'open') AS open, (SELECT COUNT(*) FROM payment) AS payments`,
    );
    const c = counts[0]!;
    console.log(`${db.engine}: seeded ${c.debtors} debtors, ${c.invoices} invoices (${c.open} open), ${c.payments} payments in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    for (const command of ['follow up', 'summary']) {
      await timeCommand(db, command); // warm-up: plans cached, pages in memory
      const { ms, reply } = await timeCommand(db, command);
      if (command === 'follow up') {
        const business = await db.prisma.business.findFirstOrThrow();
        const factsMs: number[] = [];
        const rankMs: number[] = [];
        let candidates = 0;
        for (let i = 0; i < runs; i++) {
          const scope = { businessId: business.id, today, timeZone: 'Asia/Kolkata', termsDays: 30 };
          const t0 = performance.now();
          const facts = await loadFollowUpFacts(db.prisma, scope);
          const t1 = performance.now();
          const options = { today, weights: resolveWeights({}), limit: 10 };
          candidates = followUpCandidates(facts, options).size;
          await rankWithRisk(db.prisma, scope, facts, options);
          factsMs.push(t1 - t0);
          rankMs.push(performance.now() - t1);
        }
        console.log(
          `  of which: facts query p50 ${pct(factsMs, 0.5).toFixed(1)} ms, risk history of the ${candidates} debtors that could make the list + ranking of 5,000 p50 ${pct(rankMs, 0.5).toFixed(1)} ms`,
        );
      }
      console.log(`${command.padEnd(10)} p50 ${pct(ms, 0.5).toFixed(1)} ms · p95 ${pct(ms, 0.95).toFixed(1)} ms · max ${Math.max(...ms).toFixed(1)} ms over ${runs} runs (end to end, reply ${reply.length} chars)`);
    }
  } finally {
    await db.close();
    await drop?.();
  }
}

await main();
