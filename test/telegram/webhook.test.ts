// Webhook mode: the bot registers its webhook with a secret, the Fastify server takes Telegram's
// posts, refuses any without the secret, answers quickly even when an update is slow (keeping one
// chat's updates in order), and handles a redelivered update once. On PGlite, and on PostgreSQL
// with TEST_DATABASE_URL.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { buildHttpServer } from '../../src/http/server.ts';
import { deriveWebhookSecret, registerTelegramWebhook, SECRET_HEADER } from '../../src/http/telegram-webhook.ts';
import { createLogger } from '../../src/log.ts';
import type { Prisma } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { FAKE_TOKEN, FakeTelegram, type FakeUser } from '../support/fake-telegram.ts';
import { startTelegramBot, type RunningTelegramBot } from '../support/telegram-bot.ts';

const NOW = new Date('2026-11-21T04:30:00Z');
const SECRET = 'webhook-secret-for-the-test_0123456789';
const owner: FakeUser = { id: 4001, first_name: 'Meena' };

describe('the webhook secret', () => {
  it('when not configured, is derived from the token: the same on every instance, usable by Telegram, not the token', () => {
    const secret = deriveWebhookSecret(FAKE_TOKEN);
    expect(secret).toBe(deriveWebhookSecret(FAKE_TOKEN));
    expect(secret).not.toBe(deriveWebhookSecret('987654321:AAAnotherTokenForTestsOnly_abcdefghij'));
    expect(secret).toMatch(/^[A-Za-z0-9_-]{16,256}$/);
    expect(secret).not.toContain(FAKE_TOKEN.split(':')[1]!.slice(0, 10));
  });
});

describe.each(testEngines)('Telegram webhook mode on $name', (engine) => {
  let db: TestDatabase;
  let fake: FakeTelegram;
  let http: FastifyInstance;
  let running: RunningTelegramBot;
  let url = '';
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    db = await engine.open();
    fake = await FakeTelegram.start();
    const logger = createLogger('silent');
    http = buildHttpServer({ db, logger });
    const started: { channel?: RunningTelegramBot['channel'] } = {};
    // The route exists before the bot starts, as in `npm start`: posts before start() get 503.
    registerTelegramWebhook(http, {
      path: '/telegram/webhook',
      secret: SECRET,
      receiver: { get ready() { return started.channel?.ready ?? false; }, handleWebhookUpdate: (u) => started.channel!.handleWebhookUpdate(u), keepWebhookUpdate: (u) => started.channel!.keepWebhookUpdate(u) },
      logger,
      answerWithinMs: 500,
    });
    await http.listen({ port: 0, host: '127.0.0.1' });
    const address = http.server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}/telegram/webhook`;
    const early = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET }, body: JSON.stringify({ update_id: 1, message: {} }) });
    expect(early.status).toBe(503);
    running = await startTelegramBot(db, fake, { clock, webhook: { url, secret: SECRET }, journal: { finishDelayMs: 5 }, replayEveryMs: 100 });
    started.channel = running.channel;
  });
  afterAll(async () => {
    await running?.stop();
    await http?.close();
    await fake?.stop();
    await db?.destroy();
  });

  it('registers the webhook with its secret and the update types it reads, and never polls', () => {
    expect(fake.callsOf('setWebhook')).toEqual([
      { url, secret_token: SECRET, allowed_updates: ['message', 'callback_query'], max_connections: 40 },
    ]);
    expect(fake.callsOf('getUpdates')).toEqual([]);
    expect(running.channel.mode).toBe('webhook');
  });

  it('refuses posts without the secret or with a wrong one, reading and storing nothing', async () => {
    const update = { update_id: 90_001, message: fake.userMessage(owner, { text: 'hello' }) };
    expect(await fake.postOnce(update, null, url)).toBe(401);
    expect(await fake.postOnce(update, 'wrong-secret-wrong-secret', url)).toBe(401);
    expect(await fake.postOnce(update, `${SECRET}x`, url)).toBe(401);
    const noJson = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(noJson.status).toBe(401);
    expect(await db.prisma.inboundMessage.count()).toBe(0);
    expect(fake.messagesTo(owner.id)).toEqual([]);
  });

  it('with the secret, an update is handled and answered', async () => {
    const update = fake.text(owner, '/start');
    const welcome = await fake.nextMessage(owner.id, 0);
    expect(welcome.text).toMatch(/^👋 Welcome to Paynudge!/);
    expect(await fake.waitFor(() => fake.webhookPosts.find((p) => p.updateId === update.update_id))).toMatchObject({ status: 200 });
  });

  it('a body that is no update is acknowledged and ignored', async () => {
    expect(await fake.postOnce({ hello: 'world' }, SECRET, url)).toBe(200);
    expect(await fake.postOnce({ update_id: 'seven' }, SECRET, url)).toBe(200);
    expect(await db.prisma.inboundMessage.count()).toBe(1);
  });

  it('a slow update is answered within the limit while it finishes, and the chat\'s next update waits for it', async () => {
    const before = fake.messagesTo(owner.id).length;
    // Telegram takes 1.5 s to accept the bot's answer to this chat.
    const fast = fake.slow('sendMessage', 1_500, (p) => Number(p.chat_id) === owner.id);
    const first = fake.text(owner, 'Sharma Traders');
    const second = fake.text(owner, 'ok');
    await fake.waitFor(() => fake.webhookPosts.find((p) => p.updateId === second.update_id), 5_000, 'the second post to be answered');
    const firstPost = fake.webhookPosts.find((p) => p.updateId === first.update_id)!;
    expect(firstPost.status).toBe(200);
    expect(firstPost.ms).toBeLessThan(1_200);
    fast();
    const [a, b] = [await fake.nextMessage(owner.id, before, 8_000), await fake.nextMessage(owner.id, before + 1, 8_000)];
    // In order: the name first (asks the currency), then "ok" (asks the time zone).
    expect(a.text).toContain('Nice to meet you, Sharma Traders!');
    expect(b.text).toContain('Which time zone are you in?');
    // The second was handled only once the first had finished (its answer took 1.5 s to go out).
    expect(b.at - a.at).toBeGreaterThan(1_000);
  });

  it('an update posted twice is handled once', async () => {
    const before = fake.messagesTo(owner.id).length;
    const update = { update_id: 90_500, message: fake.userMessage(owner, { text: 'ok' }) };
    expect(await fake.postOnce(update, SECRET, url)).toBe(200);
    expect(await fake.postOnce(update, SECRET, url)).toBe(200);
    const done = await fake.nextMessage(owner.id, before);
    expect(done.text).toMatch(/^All set: Sharma Traders/);
    fake.text(owner, 'list');
    await fake.nextMessage(owner.id, before + 1);
    expect(fake.messagesTo(owner.id).slice(before).map((m) => m.text.split('\n')[0])).toEqual(['All set: Sharma Traders · INR · Asia/Kolkata.', 'No open invoices. Add one like this: add Ramesh Traders 12500 due 30 Nov #A-102']);
    expect(await db.prisma.inboundMessage.count({ where: { providerMessageId: 'tg:update:90500' } })).toBe(1);
  });

  it('a slow update is kept before its early answer (Telegram then forgets it), and forgotten once handled', async () => {
    const release = fake.hold('getFile');
    const before = fake.messagesTo(owner.id).length;
    const update = fake.document(owner, 'invoices.csv', 'Customer,Invoice No,Amount,Due Date\nVerma Electronics,V-1,38900,2026-12-15\n');
    const post = await fake.waitFor(() => fake.webhookPosts.find((p) => p.updateId === update.update_id), 5_000, 'the post to be answered');
    expect(post.status).toBe(200);
    expect(await db.prisma.pendingUpdate.count({ where: { key: `tg:update:${update.update_id}` } })).toBe(1);
    release();
    expect((await fake.nextMessage(owner.id, before)).text).toMatch(/^Import done: 1 invoice\(s\) saved/);
    await vi.waitFor(async () => expect(await db.prisma.pendingUpdate.count()).toBe(0), { timeout: 5_000, interval: 20 });
  });

  it('an update a dead instance kept is taken up by another once its replay delay has passed, and handled once', async () => {
    const before = fake.messagesTo(owner.id).length;
    const left = { update_id: 90_700, message: fake.userMessage(owner, { text: 'list' }) };
    await db.prisma.pendingUpdate.create({ data: { key: 'tg:update:90700', channel: 'telegram', payload: left as Prisma.InputJsonObject, replayAfter: new Date(NOW.getTime() - 1) } });
    expect((await fake.nextMessage(owner.id, before)).text).toMatch(/^Open invoices/);
    await vi.waitFor(async () => expect(await db.prisma.pendingUpdate.count()).toBe(0), { timeout: 5_000, interval: 20 });
    expect(await db.prisma.inboundMessage.count({ where: { providerMessageId: 'tg:update:90700', handledAt: { not: null } } })).toBe(1);
  });
});

describe('the webhook when a slow update cannot be kept', () => {
  it('answers 500, so that Telegram sends the update again', async () => {
    const http = Fastify();
    registerTelegramWebhook(http, {
      path: '/telegram/webhook',
      secret: SECRET,
      receiver: {
        ready: true,
        handleWebhookUpdate: () => new Promise<void>((resolve) => setTimeout(resolve, 300)),
        keepWebhookUpdate: () => Promise.reject(new Error('database unreachable')),
      },
      logger: createLogger('silent'),
      answerWithinMs: 50,
    });
    try {
      const response = await http.inject({ method: 'POST', url: '/telegram/webhook', headers: { [SECRET_HEADER]: SECRET }, payload: { update_id: 1, message: {} } });
      expect(response.statusCode).toBe(500);
    } finally {
      await http.close();
    }
  });
});
