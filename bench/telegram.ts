// Telegram end to end: the real bot (grammY + @grammyjs/runner long polling, the Bot runtime,
// the conversation, the dispatcher running beside it) against the fake Bot API server, under a
// sustained load of owner and debtor messages. Measures, per update, the time from the fake
// handing it to the bot (its getUpdates answer) to the bot's reply reaching the fake
// (sendMessage), on PGlite and PostgreSQL. The fake runs in a worker thread (bench/telegram-fake-worker.ts).
//
// Load: 200 updates/s by default, half from 100 owners (list, help, a customer's statement,
// summary, each owner about once a second) and half from 1,000 debtors of 100 other businesses
// ("kal tak kar dunga": the debtor is answered, the owner told). Each business has 10 customers
// with 2 open invoices each.
//
// Usage: npx tsx bench/telegram.ts [--rate 200] [--seconds 20] [--engine pglite|postgres|both]
//   [--pglite disk|memory] (PGlite's data on disk in a temporary directory, as npm start keeps it, or in memory)
//   [--journal on|off] (keep updates confirmed before they are handled, as npm start does, or not)
// PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); a
// scratch database is created beside it and dropped afterwards (BENCH_KEEP=1 keeps it).
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultsFrom } from '../src/app.ts';
import { Bot, transactionsInFlightFor } from '../src/bot/runtime.ts';
import { TelegramChannel } from '../src/bot/telegram/channel.ts';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { DEFAULT_LADDER } from '../src/engine/ladder.ts';
import { createLogger } from '../src/log.ts';
import { Dispatcher } from '../src/scheduler/dispatch.ts';
import { saveChannelProfile } from '../src/store/channel-profile.ts';
import { openDatabase, type Database } from '../src/store/database.ts';
import { DatabaseUpdateJournal, type KeptUpdate, type UpdateJournal } from '../src/store/update-journal.ts';
import { createScratchDatabase } from './scratch-database.ts';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : (process.argv[at + 1] ?? fallback);
}

const RATE = Number(option('--rate', '200'));
const SECONDS = Number(option('--seconds', '20'));
const ENGINE = option('--engine', 'both');
const JOURNAL = option('--journal', 'on') !== 'off';
const PGLITE = option('--pglite', 'disk');
const WARMUP_SECONDS = 3;
const OWNER_BUSINESSES = 100;
const DEBTOR_BUSINESSES = 100;
const DEBTORS_PER_BUSINESS = 10;
const OWNER_CHAT_BASE = 1_000_000;
const DEBTOR_OWNER_CHAT_BASE = 2_000_000;
const DEBTOR_CHAT_BASE = 3_000_000;

/** The journal, counting the statements that keep updates and the updates they keep. */
class CountingJournal implements UpdateJournal {
  keeps = 0;
  keptUpdates = 0;
  constructor(private readonly inner: UpdateJournal) {}
  keep(updates: KeptUpdate[]) {
    this.keeps += 1;
    this.keptUpdates += updates.length;
    return this.inner.keep(updates);
  }
  finish(key: string) {
    return this.inner.finish(key);
  }
  takeUp(options?: { everything?: boolean; limit?: number }) {
    return this.inner.takeUp(options);
  }
  flushed() {
    return this.inner.flushed();
  }
}

/** Two groups of businesses: owners who write (group A), and debtors who write to group B's businesses. */
async function seed(db: Database): Promise<void> {
  await db.sql.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO business (name, currency, time_zone, ladder, quiet_start_hour, quiet_end_hour)
       SELECT 'Business ' || g, 'INR', 'Asia/Kolkata', $1::jsonb, 0, 0 FROM generate_series(1, $2::int) g`,
      [JSON.stringify(DEFAULT_LADDER), OWNER_BUSINESSES + DEBTOR_BUSINESSES],
    );
    await tx.query(
      `INSERT INTO member (business_id, role, name, channel, address)
       SELECT b.id, 'owner', 'Owner ' || b.k, 'telegram',
              (CASE WHEN b.k <= $1 THEN $2::bigint + b.k ELSE $3::bigint + b.k END)::text
         FROM (SELECT id, row_number() OVER (ORDER BY name) AS k FROM business) b`,
      [OWNER_BUSINESSES, OWNER_CHAT_BASE, DEBTOR_OWNER_CHAT_BASE],
    );
    await tx.query(
      `INSERT INTO debtor (business_id, name, name_key)
       SELECT b.id, 'Customer ' || b.k || '-' || d, 'customer ' || b.k || '-' || d
         FROM (SELECT id, row_number() OVER (ORDER BY name) AS k FROM business) b, generate_series(1, $1::int) d`,
      [DEBTORS_PER_BUSINESS],
    );
    await tx.query(
      `INSERT INTO invoice (business_id, debtor_id, number, amount_minor, currency, issued_on, due_on)
       SELECT d.business_id, d.id, 'INV-' || substr(d.id::text, 1, 8) || '-' || n, 100000 * n, 'INR', DATE '2026-10-01', DATE '2026-11-01' + n * 10
         FROM debtor d, generate_series(1, 2) n`,
    );
    // Group B's debtors are linked to Telegram chats (as if they opened their links).
    await tx.query(
      `INSERT INTO debtor_identity (debtor_id, channel, address)
       SELECT d.id, 'telegram', ($2::bigint + row_number() OVER (ORDER BY d.name))::text
         FROM debtor d JOIN member m ON m.business_id = d.business_id AND m.address::bigint > $1::bigint`,
      [DEBTOR_OWNER_CHAT_BASE, DEBTOR_CHAT_BASE],
    );
  });
  await db.sql.query('ANALYZE');
}

/** The whole machine's CPU time so far (all cores, jiffies of 10 ms), busy and in all, from /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - (fields[4] ?? 0), total };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

interface FakeResults {
  latencies: number[];
  replies: number;
  unanswered: number;
}

async function run(name: string, db: Database): Promise<void> {
  await seed(db);
  const debtorChats = (await db.sql.query<{ address: string }>(`SELECT address FROM debtor_identity ORDER BY address`)).map((r) => Number(r.address));
  const worker = new Worker(new URL('./telegram-fake-worker.mjs', import.meta.url));
  const ready = await new Promise<{ apiRoot: string; token: string }>((resolve) => worker.once('message', resolve));
  const results = () =>
    new Promise<FakeResults>((resolve) => {
      worker.once('message', resolve);
      worker.postMessage({ kind: 'results' });
    });

  const logger = createLogger('warn');
  // The journal keeps updates confirmed before they were handled (as npm start does); --journal off measures without it.
  const journal = JOURNAL ? new CountingJournal(new DatabaseUpdateJournal(db.prisma, 'telegram', systemClock)) : undefined;
  const channel = new TelegramChannel({ token: ready.token, apiRoot: ready.apiRoot, logger, onProfile: (p) => saveChannelProfile(db.prisma, 'telegram', p, systemClock.now()), journal });
  const bot = new Bot({ prisma: db.prisma, clock: systemClock, defaults: defaultsFrom(loadConfig({})), logger, transactionsInFlight: transactionsInFlightFor(db.engine) }, [channel]);
  const dispatcher = new Dispatcher({ db, channels: new Map([[channel.name, channel]]), clock: systemClock, logger });
  await bot.start();
  dispatcher.start(2_000);

  const owners = Array.from({ length: OWNER_BUSINESSES }, (_, i) => OWNER_CHAT_BASE + i + 1);
  const ownerTexts = (round: number, i: number) => ['list', 'help', `Customer ${i + 1}-${(round % DEBTORS_PER_BUSINESS) + 1}`, 'summary'][round % 4]!;
  let sent = 0;
  const next = (): { chatId: number; text: string } => {
    const i = sent++;
    const half = Math.floor(i / 2);
    if (i % 2 === 0) return { chatId: owners[half % owners.length]!, text: ownerTexts(Math.floor(half / owners.length), half % owners.length) };
    return { chatId: debtorChats[half % debtorChats.length]!, text: 'kal tak kar dunga' };
  };

  const eluBefore = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
  const machineBefore = machineCpu();
  const started = performance.now();
  const total = (WARMUP_SECONDS + SECONDS) * RATE;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = (performance.now() - started) / 1000;
      const due = Math.min(total, Math.floor(elapsed * RATE));
      const messages: Array<{ chatId: number; text: string }> = [];
      while (sent < due) messages.push(next());
      if (messages.length) worker.postMessage({ kind: 'send', messages, measure: elapsed >= WARMUP_SECONDS });
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  const loadEnded = performance.now();
  const elu = performance.eventLoopUtilization(eluBefore);
  const cpu = process.cpuUsage(cpuBefore);
  const machineAfter = machineCpu();
  const updatesSent = total;
  // Let the replies to the last updates come in (at most 30 s).
  let result = await results();
  for (const deadline = performance.now() + 30_000; result.unanswered > 0 && performance.now() < deadline; result = await results()) {
    await new Promise((r) => setTimeout(r, 50));
  }

  await dispatcher.stop();
  await bot.stop();
  worker.postMessage({ kind: 'stop' });
  await new Promise((resolve) => worker.once('exit', resolve));
  const left = await db.prisma.pendingUpdate.count();
  const kept = journal ? ` · journal: ${journal.keeps} statements kept ${journal.keptUpdates} updates, ${left} left unfinished` : ' · no journal';

  const sorted = [...result.latencies].sort((a, b) => a - b);
  const rate = (SECONDS * RATE) / ((loadEnded - started) / 1000 - WARMUP_SECONDS);
  console.log(
    `${name.padEnd(10)} ${String(sorted.length).padStart(6)} updates measured at ${rate.toFixed(0)}/s · p50 ${pct(sorted, 0.5).toFixed(1)} ms · p90 ${pct(sorted, 0.9).toFixed(1)} ms · p99 ${pct(sorted, 0.99).toFixed(1)} ms · max ${sorted.at(-1)!.toFixed(1)} ms · ${result.replies} replies, ${result.unanswered} unanswered · bot's event loop busy ${(elu.utilization * 100).toFixed(0)}% (${((elu.active / updatesSent)).toFixed(2)} ms an update) · CPU an update: this process ${((cpu.user + cpu.system) / 1000 / updatesSent).toFixed(2)} ms, whole machine ${(((machineAfter.busy - machineBefore.busy) * 10) / updatesSent).toFixed(2)} ms · load average ${loadavg()[0]!.toFixed(1)}${kept}`,
  );
}

console.log(`Telegram bench: ${RATE} updates/s for ${SECONDS} s (after ${WARMUP_SECONDS} s of warm-up), update delivered → reply sent`);
if (ENGINE === 'pglite' || ENGINE === 'both') {
  // On disk by default, as `npm start` keeps it (DATA_DIR); --pglite memory for an in-memory one.
  const dir = PGLITE === 'memory' ? null : await mkdtemp(join(tmpdir(), 'paynudge-bench-'));
  const db = await openDatabase({ dataDir: dir ?? 'memory://' });
  try {
    await run(dir ? 'PGlite' : 'PGlite mem', db);
  } finally {
    await db.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
if (ENGINE === 'postgres' || ENGINE === 'both') {
  const scratch = await createScratchDatabase('telegram');
  try {
    const db = await openDatabase({ databaseUrl: scratch.url, poolSize: 10 });
    try {
      await run('PostgreSQL', db);
    } finally {
      await db.close();
    }
  } finally {
    await scratch.drop();
  }
}
