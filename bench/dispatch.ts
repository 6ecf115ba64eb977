// The outbox dispatcher against a Telegram-like limit: 10,000 queued reminders to 2,000 chats
// (random, about 5 each), sent through a fake channel (40–60 ms per send) by a Dispatcher
// limited to 30 messages/s overall and 1/s per chat, on PostgreSQL. Prints the achieved rate
// and its share of the limit, duplicates (must be 0), the busiest second and the closest two
// sends to one chat (both must respect the limits), and claim-to-send latency.
// Usage: npx tsx bench/dispatch.ts [--count N] [--chats N]   (default 10000 messages, count/5 chats)
// PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); a scratch
// database is created beside it and dropped afterwards (BENCH_KEEP=1 keeps it).
import { performance } from 'node:perf_hooks';
import { createScratchDatabase } from './scratch-database.ts';
import { systemClock } from '../src/clock.ts';
import { DEFAULT_LADDER } from '../src/engine/ladder.ts';
import { createLogger } from '../src/log.ts';
import { Dispatcher } from '../src/scheduler/dispatch.ts';
import { openDatabase, type Database } from '../src/store/database.ts';
import { FakeChannel } from '../test/support/fake-channel.ts';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive whole number`);
  return value;
}

const COUNT = option('--count', 10_000);
const CHATS = option('--chats', Math.max(1, Math.round(COUNT / 5)));
const PER_SECOND = 30;
const PER_CHAT_PER_SECOND = 1;

async function seed(db: Database): Promise<void> {
  const business = await db.prisma.business.create({
    // No quiet hours, every day a sending day: the reminders are due whenever the bench runs.
    data: { name: 'Bench Wholesale', currency: 'INR', timeZone: 'Asia/Kolkata', quietStartHour: 0, quietEndHour: 0, ladder: DEFAULT_LADDER as unknown as object },
  });
  await db.prisma.member.create({ data: { businessId: business.id, role: 'owner', name: 'Owner', channel: 'console', address: 'owner' } });
  await db.sql.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO debtor (business_id, name, name_key)
       SELECT $1::uuid, 'Customer ' || k, 'customer ' || k FROM generate_series(0, $2::int - 1) k`,
      [business.id, CHATS],
    );
    await tx.query(
      `INSERT INTO outbound_message (business_id, kind, stage, channel, recipient, debtor_id, body, idempotency_key, scheduled_at, created_at, updated_at)
       SELECT $1::uuid, 'reminder', 'polite', 'telegram', 'chat-' || m.k, d.id, 'bench reminder ' || m.g, 'bench:' || m.g,
              now() - interval '1 minute', now() - interval '1 hour' + m.g * interval '1 millisecond', now()
         FROM (SELECT g, abs(hashtext(g::text)) % $3::int AS k FROM generate_series(1, $2::int) g) m
         JOIN debtor d ON d.business_id = $1::uuid AND d.name_key = 'customer ' || m.k`,
      [business.id, COUNT, CHATS],
    );
  });
  await db.sql.query('ANALYZE');
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

/** The most sends inside any one-second window [t, t + 1000). */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

async function main() {
  const scratch = await createScratchDatabase('dispatch');
  let db: Database | undefined;
  try {
    db = await openDatabase({ databaseUrl: scratch.url, poolSize: 10 });
    const seedStart = performance.now();
    await seed(db);
    console.log(`seeded ${COUNT} queued reminders to ${CHATS} chats in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    // A provider that answers in 40–60 ms.
    const channel = new FakeChannel('telegram', () => new Promise((resolve) => setTimeout(resolve, 40 + Math.random() * 20)));
    const claimedAt = new Map<string, number>();
    const outcomes = new Map<string, number>();
    const dispatcher = new Dispatcher({
      db,
      channels: new Map([['telegram', channel]]),
      clock: systemClock,
      logger: createLogger('silent'),
      limits: { telegram: { perSecond: PER_SECOND, perChatPerSecond: PER_CHAT_PER_SECOND } },
      onOutcome: (e) => {
        claimedAt.set(e.id, e.claimedAt);
        outcomes.set(e.outcome, (outcomes.get(e.outcome) ?? 0) + 1);
      },
    });

    const started = performance.now();
    dispatcher.start(200);
    let lastReport = started;
    while (channel.sent.length < COUNT) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (performance.now() - lastReport >= 30_000) {
        lastReport = performance.now();
        const secs = (lastReport - started) / 1000;
        console.log(`  ${channel.sent.length}/${COUNT} sent after ${secs.toFixed(0)} s (${(channel.sent.length / secs).toFixed(1)}/s)`);
      }
    }
    await dispatcher.stop();
    const wall = (performance.now() - started) / 1000;

    // Claim-to-send latency: from the claim of a row's batch to the channel accepting the send.
    const rows = await db.sql.query<{ id: string; body: string; status: string; attempts: number }>('SELECT id, body, status, attempts FROM outbound_message');
    const idByBody = new Map(rows.map((r) => [r.body, r.id]));
    const latencies = channel.sent.map((s) => s.at - claimedAt.get(idByBody.get(s.text)!)!);
    const perText = new Map<string, number>();
    for (const s of channel.sent) perText.set(s.text, (perText.get(s.text) ?? 0) + 1);
    const duplicates = [...perText.values()].reduce((n, c) => n + c - 1, 0);
    const byChat = new Map<string, number[]>();
    for (const s of channel.sent) byChat.set(s.address, [...(byChat.get(s.address) ?? []), s.at]);
    const closestToOneChat = Math.min(...[...byChat.values()].flatMap((ts) => ts.slice(1).map((t, i) => t - ts[i]!)));
    const times = channel.sent.map((s) => s.at);
    const span = (Math.max(...times) - Math.min(...times)) / 1000;
    const rate = (COUNT - 1) / span;
    const sentInDb = rows.filter((r) => r.status === 'sent').length;

    console.log(`dispatched ${COUNT} messages to ${byChat.size} chats in ${wall.toFixed(1)} s (limit ${PER_SECOND}/s overall, ${PER_CHAT_PER_SECOND}/s per chat)`);
    console.log(`  achieved rate:      ${rate.toFixed(2)} msg/s over the sending span of ${span.toFixed(1)} s = ${((rate / PER_SECOND) * 100).toFixed(1)}% of the ${PER_SECOND}/s limit`);
    console.log(`  duplicates:         ${duplicates}   (rows sent in the database: ${sentInDb}/${COUNT}, max attempts ${Math.max(...rows.map((r) => r.attempts))})`);
    console.log(`  busiest second:     ${busiestSecond(times)} sends (limit ${PER_SECOND})`);
    console.log(`  closest 2 to a chat: ${closestToOneChat.toFixed(0)} ms apart (limit ${1000 / PER_CHAT_PER_SECOND} ms)`);
    console.log(`  claim-to-send:      p50 ${pct(latencies, 0.5).toFixed(0)} ms · p99 ${pct(latencies, 0.99).toFixed(0)} ms · max ${Math.max(...latencies).toFixed(0)} ms`);
    console.log(`  outcomes:           ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(' · ')}`);
    if (duplicates !== 0 || sentInDb !== COUNT) process.exitCode = 1;
  } finally {
    await db?.close();
    await scratch.drop();
  }
}

await main();
