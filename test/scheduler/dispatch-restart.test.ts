// A database restart while dispatching loses nothing: "a crash or a second instance never loses a
// reminder and never sends one twice, except the single send that was in flight when the process
// died". On PostgreSQL the dispatcher's connections are killed (and new ones refused for a while)
// while it sends a batch, and it carries on; on a file-backed PGlite the process "dies" mid-batch
// (its database closes under it) and a new one, on the same data directory, finishes the queue.
// Every scenario sends to one chat, so exactly one send is ever in flight.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { createLogger } from '../../src/log.ts';
import { Dispatcher, type DispatcherDeps } from '../../src/scheduler/dispatch.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { testEngines } from '../support/databases.ts';
import { FakeChannel, gate } from '../support/fake-channel.ts';

const MESSAGES = 12;
/** The send that is in flight when the database goes away. */
const IN_FLIGHT = 3;
const body = (n: number) => `restart message ${n}`;

/** A logger whose warnings and errors the test can read. */
function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { logger: createLogger('warn', stream), lines, errors: () => lines.filter((l) => l.level >= 50).map((l) => l.msg) };
}

/** Queues MESSAGES replies to one console chat, due a minute ago, oldest first. */
async function queueMessages(db: Database, from = 1, count = MESSAGES): Promise<void> {
  const now = Date.now();
  await db.prisma.outboundMessage.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      kind: 'reply',
      channel: 'console',
      recipient: 'chat-1',
      body: body(from + i),
      idempotencyKey: `restart:${from + i}`,
      scheduledAt: new Date(now - 60_000),
      createdAt: new Date(now - 60_000 + from + i),
    })),
  });
}

/** A channel whose IN_FLIGHT-th message hangs until released; `entered` resolves when it starts. */
function channelHangingOnce(sends: Map<string, number>) {
  const entered = gate();
  const release = gate();
  const channel = new FakeChannel(
    'console',
    async (message) => {
      if (message.text === body(IN_FLIGHT) && !sends.has(message.text)) {
        entered.open();
        await release.promise;
      }
    },
    sends,
  );
  return { channel, entered, release };
}

/** The rule: every message sent, each once, except the one in flight, which may go twice. */
function expectSentOnceExceptInFlight(sends: Map<string, number>, total: number) {
  for (let n = 1; n <= total; n++) {
    const count = sends.get(body(n)) ?? 0;
    if (n === IN_FLIGHT) expect(count, body(n)).toBeGreaterThanOrEqual(1);
    if (n === IN_FLIGHT) expect(count, body(n)).toBeLessThanOrEqual(2);
    else expect(count, body(n)).toBe(1);
  }
}

async function statuses(db: Database): Promise<Record<string, number>> {
  const rows = await db.sql.query<{ status: string; n: number }>(`SELECT status::text AS status, count(*)::int AS n FROM outbound_message GROUP BY status`);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

function dispatcher(db: Pick<Database, 'sql'>, channel: FakeChannel, logger: DispatcherDeps['logger'], overrides: Partial<DispatcherDeps> = {}) {
  return new Dispatcher({ db, channels: new Map([[channel.name, channel]]), clock: systemClock, logger, ...overrides });
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

const postgres = testEngines.find((e) => e.name === 'postgres');
if (postgres) {
  describe('a PostgreSQL restart while dispatching', () => {
    let scratch: Awaited<ReturnType<typeof postgres.scratch>>;
    let db: Database;
    let admin: pg.Client;
    let dbName: string;

    beforeEach(async () => {
      scratch = await postgres.scratch();
      db = await openDatabase({ databaseUrl: scratch.databaseUrl, poolSize: 4 });
      dbName = new URL(scratch.databaseUrl!).pathname.slice(1);
      // A separate admin client, on the server's default database (one cannot refuse connections to
      // the database one is connected to).
      admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
    });
    afterEach(async () => {
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
      await db.close();
      await scratch.drop();
    });

    /** Kills every connection of the dispatcher's pool and refuses new ones until `reopen`. */
    async function killConnections(): Promise<number> {
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
      // Only this test's database: the pids are chosen first, then terminated one by one.
      const pids = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [dbName]);
      for (const { pid } of pids.rows) await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      return pids.rowCount ?? 0;
    }
    const reopen = () => admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);

    it('keeps dispatching through killed connections and sends every message once, the one in flight at most twice', async () => {
      await queueMessages(db);
      const sends = new Map<string, number>();
      const { channel, entered, release } = channelHangingOnce(sends);
      const { logger, errors } = recordingLogger();
      const d = dispatcher(db, channel, logger, { sendTimeoutMs: 60_000, claimBudgetMs: 60_000, staleAfterMs: 180_000, recoverEveryMs: 50 });
      d.start(20);
      try {
        await entered.promise;
        expect(await killConnections()).toBeGreaterThan(0);
        // The send in flight completes while the database is unreachable: its result cannot be
        // recorded yet, and nothing else may be sent that could not be recorded either.
        release.open();
        await vi.waitFor(() => expect(errors()).toContain('dispatch.settle_failed'), { timeout: 30_000, interval: 50 });
        expect(sends.size).toBe(IN_FLIGHT);
        await reopen();

        await vi.waitFor(async () => expect(await statuses(db)).toEqual({ sent: MESSAGES }), { timeout: 60_000, interval: 100 });
        // The loops survived: messages queued afterwards go out too.
        await queueMessages(db, MESSAGES + 1, 3);
        await vi.waitFor(async () => expect(await statuses(db)).toEqual({ sent: MESSAGES + 3 }), { timeout: 60_000, interval: 100 });
      } finally {
        release.open();
        await d.stop();
      }
      expectSentOnceExceptInFlight(sends, MESSAGES + 3);
      expect(unhandled).toEqual([]);
    }, 150_000);

    it('a transaction whose connection is killed fails with an error, and the pool carries on', async () => {
      const transaction = db.sql.transaction(async (tx) => {
        const [backend] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [backend!.pid]);
        // The connection is gone: the next statement cannot run.
        for (;;) await tx.query('SELECT 1');
      });
      await expect(transaction).rejects.toThrow();
      expect(await db.sql.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(unhandled).toEqual([]);
    });
  });
}

describe('a restart of the process on a file-backed PGlite while dispatching', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paynudge-restart-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the next process recovers the dead one\'s claims and sends every message once, the one in flight at most twice', async () => {
    const sends = new Map<string, number>();
    const first = await openDatabase({ dataDir });
    await queueMessages(first);
    const { channel, entered, release } = channelHangingOnce(sends);
    const dying = recordingLogger();
    const dead = dispatcher(first, channel, dying.logger, { sendTimeoutMs: 5_000, claimBudgetMs: 500, maxChatWaitMs: 100, staleAfterMs: 6_000 });
    dead.start(20);

    // The process dies mid-batch: its database closes while a send is in flight.
    await entered.promise;
    await first.close();
    release.open();
    await vi.waitFor(() => expect(dying.errors().length).toBeGreaterThanOrEqual(1), { timeout: 30_000, interval: 50 });

    const second = await openDatabase({ dataDir });
    // The new process recovers claims older than a second (the dead one's).
    const next = dispatcher(second, new FakeChannel('console', () => undefined, sends), recordingLogger().logger, {
      sendTimeoutMs: 300,
      claimBudgetMs: 500,
      maxChatWaitMs: 100,
      staleAfterMs: 1_000,
      recoverEveryMs: 50,
    });
    next.start(20);
    try {
      await vi.waitFor(async () => expect(await statuses(second)).toEqual({ sent: MESSAGES }), { timeout: 60_000, interval: 100 });
    } finally {
      await next.stop();
      await dead.stop();
      await second.close();
    }
    expectSentOnceExceptInFlight(sends, MESSAGES);
    expect(unhandled).toEqual([]);
  }, 150_000);
});
