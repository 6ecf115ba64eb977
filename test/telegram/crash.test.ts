// Nothing lost in a crash. Long polling confirms an update to Telegram by asking for the next ones,
// which the runner does while earlier updates are still being handled: those are kept in the
// journal first (pending_update) and forgotten once handled, and what a dead process kept is
// handled by the next one, once. Proved in process and by killing `npm start` with SIGKILL. On
// PGlite, and on PostgreSQL with TEST_DATABASE_URL.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { openDatabase } from '../../src/store/database.ts';
import type { Prisma } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { FAKE_TOKEN, FakeTelegram, type FakeUser } from '../support/fake-telegram.ts';
import { collect, runScriptDirectly, waitForLogLine } from '../support/processes.ts';
import { startTelegramBot, type RunningTelegramBot } from '../support/telegram-bot.ts';
import { ONBOARD } from '../support/transcript.ts';

const NOW = new Date('2026-11-21T04:30:00Z');
const CSV = 'Customer,Invoice No,Amount,Due Date\nVerma Electronics,V-1,38900,2026-12-15\nPatel Kirana,P-7,10550,2026-12-02\n';
const IMPORTED = /^Import done: 2 invoice\(s\) saved \(2 new customer\(s\)\), 0 already here/;

/** Resolves once the bot has confirmed `updateId` to Telegram (asked for updates after it). */
const confirmed = (fake: FakeTelegram, updateId: number) =>
  fake.waitFor(() => fake.callsOf('getUpdates').some((c) => Number(c.offset) > updateId), 10_000, `update ${updateId} to be confirmed`);

describe.each(testEngines)('long polling keeps what it confirmed before handling it, on $name', (engine) => {
  let db: TestDatabase;
  let fake: FakeTelegram;
  let running: RunningTelegramBot;
  const clock = new ManualClock(NOW);
  const owner: FakeUser = { id: 6001, first_name: 'Asha' };
  const start = () => startTelegramBot(db, fake, { clock, journal: { finishDelayMs: 5 } });

  beforeAll(async () => {
    db = await engine.open();
    fake = await FakeTelegram.start();
    running = await start();
    for (const text of ONBOARD) await fake.say(owner, text);
  });
  afterAll(async () => {
    await running?.stop();
    await fake?.stop();
    await db?.destroy();
  });

  it('an update still being handled when the next getUpdates goes out is kept, and forgotten once handled', async () => {
    const release = fake.hold('getFile');
    const before = fake.messagesTo(owner.id).length;
    const update = fake.document(owner, 'invoices.csv', CSV);
    await confirmed(fake, update.update_id);
    const kept = await db.prisma.pendingUpdate.findUniqueOrThrow({ where: { key: `tg:update:${update.update_id}` } });
    expect(kept.payload).toMatchObject({ update_id: update.update_id, message: { document: { file_name: 'invoices.csv' } } });
    release();
    expect((await fake.nextMessage(owner.id, before)).text).toMatch(IMPORTED);
    await vi.waitFor(async () => expect(await db.prisma.pendingUpdate.count()).toBe(0), { timeout: 5_000, interval: 20 });
  });

  it('while updates cannot be kept, none is confirmed: polling waits and carries on once they can', async () => {
    await running.stop();
    let down = true;
    let refused = 0;
    running = await startTelegramBot(db, fake, {
      clock,
      journal: { finishDelayMs: 5 },
      overrideJournal: (journal) => ({
        keep: (updates) => (down ? (refused++, Promise.reject(new Error('database unreachable'))) : journal.keep(updates)),
      }),
    });
    const release = fake.hold('getFile');
    const before = fake.messagesTo(owner.id).length;
    const update = fake.document(owner, 'more.csv', 'Customer,Invoice No,Amount,Due Date\nGupta Stores,G-1,2500,2026-12-30\n');
    await fake.waitFor(() => fake.callsOf('getFile').length > 0 && refused >= 2, 10_000, 'keeping to be refused twice');
    expect(fake.callsOf('getUpdates').some((c) => Number(c.offset) > update.update_id)).toBe(false);
    down = false;
    await confirmed(fake, update.update_id);
    expect(await db.prisma.pendingUpdate.count({ where: { key: `tg:update:${update.update_id}` } })).toBe(1);
    release();
    expect((await fake.nextMessage(owner.id, before)).text).toMatch(/^Import done: 1 invoice\(s\) saved/);
    await vi.waitFor(async () => expect(await db.prisma.pendingUpdate.count()).toBe(0), { timeout: 5_000, interval: 20 });
    await running.stop();
    running = await start();
  });

  it('on start, what a dead process kept is handled once, in order, and an update it had already handled is not answered again', async () => {
    // An update the dead process handled (and answered) but had not yet forgotten.
    const handled = fake.text(owner, 'list');
    await fake.nextMessage(owner.id, fake.messagesTo(owner.id).length);
    await running.stop();
    const ownerMessages = fake.messagesTo(owner.id).length;
    // And two it never finished, from someone new.
    const newcomer: FakeUser = { id: 6002, first_name: 'Dev' };
    const unfinished = [
      { update_id: 70_001, message: fake.userMessage(newcomer, { text: 'hello' }) },
      { update_id: 70_002, message: fake.userMessage(newcomer, { text: 'Dev Hardware' }) },
    ];
    await db.prisma.pendingUpdate.createMany({
      data: [handled, ...unfinished].map((u) => ({ key: `tg:update:${u.update_id}`, channel: 'telegram', payload: u as Prisma.InputJsonObject, replayAfter: new Date(NOW.getTime() + 60_000) })),
    });
    running = await start();
    expect((await fake.nextMessage(newcomer.id, 0)).text).toMatch(/^👋 Welcome to Paynudge!/);
    expect((await fake.nextMessage(newcomer.id, 1)).text).toContain('Nice to meet you, Dev Hardware!');
    await vi.waitFor(async () => expect(await db.prisma.pendingUpdate.count()).toBe(0), { timeout: 5_000, interval: 20 });
    expect(fake.messagesTo(owner.id)).toHaveLength(ownerMessages);
    expect(await db.prisma.inboundMessage.count({ where: { providerMessageId: { in: ['tg:update:70001', 'tg:update:70002'] }, handledAt: { not: null } } })).toBe(2);
  });

  it('an update kept by a dead process and sent again by Telegram (never confirmed) is handled once and forgotten', async () => {
    await running.stop();
    const before = fake.messagesTo(owner.id).length;
    // Queued at Telegram (the next getUpdates delivers it) and kept in the journal.
    const files = fake.callsOf('getFile').length;
    const release = fake.hold('getFile');
    const update = fake.document(owner, 'again.csv', 'Customer,Invoice No,Amount,Due Date\nJain Hardware,J-1,4100,2026-12-30\n');
    await db.prisma.pendingUpdate.create({
      data: { key: `tg:update:${update.update_id}`, channel: 'telegram', payload: update as Prisma.InputJsonObject, replayAfter: new Date(NOW.getTime() + 60_000) },
    });
    // The journal is read while the delivered copy is being handled (its file held).
    let tookUp!: () => void;
    const journalRead = new Promise<void>((resolve) => (tookUp = resolve));
    running = await startTelegramBot(db, fake, {
      clock,
      journal: { finishDelayMs: 5 },
      overrideJournal: (journal) => ({
        takeUp: async (options) => {
          await fake.waitFor(() => fake.callsOf('getFile').length > files, 10_000, 'the update to be delivered again and its file asked for');
          const taken = await journal.takeUp(options);
          tookUp();
          return taken;
        },
      }),
    });
    await journalRead;
    release();
    expect((await fake.nextMessage(owner.id, before)).text).toMatch(/^Import done: 1 invoice\(s\) saved/);
    await vi.waitFor(async () => expect(await db.prisma.pendingUpdate.count()).toBe(0), { timeout: 5_000, interval: 20 });
    expect(fake.messagesTo(owner.id)).toHaveLength(before + 1);
    await running.stop();
    running = await start();
  });

  it('an update taken up again and again without finishing is given up, not retried forever', async () => {
    await running.stop();
    const poison = { update_id: 70_100, message: fake.userMessage(owner, { text: 'list' }) };
    // Taken up three times already: each time the process died handling it.
    await db.prisma.pendingUpdate.create({ data: { key: 'tg:update:70100', channel: 'telegram', payload: poison as Prisma.InputJsonObject, attempts: 3, replayAfter: NOW } });
    running = await start();
    await vi.waitFor(async () => expect(await db.prisma.pendingUpdate.count()).toBe(0), { timeout: 5_000, interval: 20 });
    expect(await db.prisma.inboundMessage.count({ where: { providerMessageId: 'tg:update:70100' } })).toBe(0);
  });
});

describe.each(testEngines)('npm start killed while handling an update, on $name', (engine) => {
  let fake: FakeTelegram;
  let place: { databaseUrl?: string; dataDir?: string; drop(): Promise<void> };
  const owner: FakeUser = { id: 6101, first_name: 'Kiran' };

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    if (engine.name === 'pglite') {
      const dir = await mkdtemp(join(tmpdir(), 'paynudge-crash-'));
      place = { dataDir: dir, drop: () => rm(dir, { recursive: true, force: true }) };
    } else {
      place = await engine.scratch();
    }
  });
  afterAll(async () => {
    await fake?.stop();
    await place?.drop();
  });

  const env = () => ({
    PORT: '0',
    LOG_LEVEL: 'info',
    DATA_DIR: place.dataDir ?? 'memory://',
    DATABASE_URL: place.databaseUrl ?? '',
    TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_WEBHOOK_URL: '',
    TELEGRAM_WEBHOOK_SECRET: '',
  });

  it('the next process handles the update the killed one had confirmed to Telegram, and answers it once', async () => {
    const first = runScriptDirectly('src/main.ts', env());
    const firstExit = collect(first);
    await waitForLogLine(first, (l) => l.msg === 'ready', 60_000);
    for (const text of ONBOARD) await fake.say(owner, text);
    const release = fake.hold('getFile');
    const update = fake.document(owner, 'invoices.csv', CSV);
    await confirmed(fake, update.update_id);
    await fake.waitFor(() => fake.callsOf('getFile').length === 1, 10_000, 'the file to be asked for');
    first.kill('SIGKILL');
    expect((await firstExit).code).toBe(null);
    release();
    const before = fake.messagesTo(owner.id).length;

    const second = runScriptDirectly('src/main.ts', env());
    const secondExit = collect(second);
    await waitForLogLine(second, (l) => l.msg === 'ready', 60_000);
    expect((await fake.nextMessage(owner.id, before, 20_000)).text).toMatch(IMPORTED);
    expect(fake.callsOf('getFile')).toHaveLength(2);
    second.kill('SIGTERM');
    expect((await secondExit).code).toBe(0);

    const db = await openDatabase({ databaseUrl: place.databaseUrl, dataDir: place.dataDir, migrate: false });
    try {
      expect(await db.prisma.pendingUpdate.count()).toBe(0);
      expect(await db.prisma.invoice.count()).toBe(2);
      expect(fake.messagesTo(owner.id).slice(before).filter((m) => IMPORTED.test(m.text))).toHaveLength(1);
    } finally {
      await db.close();
    }
  }, 120_000);
});
