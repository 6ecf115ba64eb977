// What Telegram (or someone posing as it) may send that is not a plain message: unknown update
// types, missing fields, huge texts, stickers, edited messages, group messages, other bots,
// buttons of inline messages, files that are no CSV. None of it crashes the bot or gets an answer
// it should not; the bot goes on answering people afterwards. Plus Telegram's errors when
// sending: a 429 with retry_after and a person who blocked the bot. On PGlite, and on PostgreSQL
// with TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { createLogger } from '../../src/log.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { FAKE_TOKEN, FakeTelegram, type BotMessage, type FakeUser } from '../support/fake-telegram.ts';
import { startTelegramBot, type RunningTelegramBot } from '../support/telegram-bot.ts';

const NOW = new Date('2026-11-21T04:30:00Z');
const owner: FakeUser = { id: 5001, first_name: 'Farah' };
const debtor: FakeUser = { id: 5002, first_name: 'Gupta' };

describe.each(testEngines)('Telegram robustness on $name', (engine) => {
  let db: TestDatabase;
  let fake: FakeTelegram;
  let running: RunningTelegramBot;
  let logs = '';
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    db = await engine.open();
    fake = await FakeTelegram.start();
    const sink = { write: (chunk: string) => ((logs += chunk), true) } as unknown as NodeJS.WritableStream;
    running = await startTelegramBot(db, fake, { clock, logger: createLogger('debug', sink) });
    for (const text of ['/start', 'Gupta Wholesale', 'ok', 'ok']) await say(owner, text);
  });
  afterAll(async () => {
    await running?.stop();
    await fake?.stop();
    await db?.destroy();
  });

  const say = (user: FakeUser, text: string): Promise<BotMessage> => fake.say(user, text);

  const ignoredCount = () => logs.split('\n').filter((l) => l.includes('"msg":"telegram.update_ignored"')).length;

  it('ignores what is not a private message or a button, answering nobody, and keeps going', async () => {
    const sentBefore = fake.messages.length;
    const inboundBefore = await db.prisma.inboundMessage.count();
    const ignoredBefore = ignoredCount();
    const group = { id: -100_123, type: 'supergroup', title: 'Traders' };
    const updates: Array<Record<string, unknown>> = [
      { poll: { id: 'p', question: 'Lunch?', options: [] } },
      { some_future_update: { anything: true } },
      { update_id: 70_003 },
      { message: { text: 'no chat, no id, no date' } },
      { message: null },
      { message: 'a string' },
      { message: { ...fake.userMessage(owner, {}), text: 42 } },
      { message: { ...fake.userMessage(owner, { text: 'in a group' }), chat: group } },
      { channel_post: { message_id: 1, date: 1, chat: { id: -100_9, type: 'channel' }, text: 'news' } },
      { edited_message: fake.userMessage(owner, { text: 'add Ramesh 500 due 30 Nov', edit_date: 2 }) },
      { message: fake.userMessage({ id: 5999, first_name: 'Otherbot' }, { text: 'hi', from: { id: 5999, is_bot: true, first_name: 'Otherbot' } }) },
      { my_chat_member: { chat: { id: owner.id, type: 'private' }, from: { id: owner.id, is_bot: false, first_name: 'Farah' }, date: 1, old_chat_member: {}, new_chat_member: { status: 'kicked' } } },
      { callback_query: { id: 'inline-cb', from: { id: owner.id, is_bot: false, first_name: 'Farah' }, chat_instance: 'x', inline_message_id: 'abc', data: 'yes' } },
      { callback_query: { id: 'long-cb', from: { id: owner.id, is_bot: false, first_name: 'Farah' }, chat_instance: 'x', message: { message_id: 1, date: 1, chat: { id: owner.id, type: 'private' } }, data: 'x'.repeat(65) } },
      { callback_query: { id: 'game-cb', from: { id: owner.id, is_bot: false, first_name: 'Farah' }, chat_instance: 'x', message: { message_id: 1, date: 1, chat: { id: owner.id, type: 'private' } }, game_short_name: 'g' } },
      { callback_query: { from: { id: owner.id } } },
      { message: { ...fake.userMessage(owner, { text: 'group again' }), chat: { id: -5, type: 'group' } } },
      { message: { ...fake.userMessage(owner, { text: 'chat id in words' }), chat: { id: 'abc', type: 'private' } } },
    ];
    for (const update of updates) fake.pushUpdate(update);
    // Every one of them is seen and set aside (other chats' updates run concurrently, so wait for all).
    await fake.waitFor(() => ignoredCount() - ignoredBefore === updates.length, 5_000, 'every update to be ignored');
    await fake.waitFor(() => fake.callsOf('answerCallbackQuery').length >= 3);
    expect((await say(owner, 'list')).text).toMatch(/^No open invoices/);
    // Only "list" was stored and answered; buttons that were ignored still had their spinner stopped.
    expect(fake.messages.length).toBe(sentBefore + 1);
    expect(await db.prisma.inboundMessage.count()).toBe(inboundBefore + 1);
    const answered = fake.callsOf('answerCallbackQuery').map((c) => c.callback_query_id);
    expect(answered).toEqual(expect.arrayContaining(['inline-cb', 'long-cb', 'game-cb']));
    expect(logs).toContain('"msg":"telegram.update_ignored"');
    expect(logs).not.toContain('"level":50');
  });

  it('answers a sticker, a photo and an over-long text from the owner with what it can read', async () => {
    const before = fake.messagesTo(owner.id).length;
    fake.pushUpdate({ message: fake.userMessage(owner, { sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍' } }) });
    fake.pushUpdate({ message: fake.userMessage(owner, { photo: [{ file_id: 'ph', file_unique_id: 'ph', width: 90, height: 90 }] }) });
    fake.pushUpdate({ message: fake.userMessage(owner, { text: 'x'.repeat(100_000) }) });
    const [sticker, photo, long] = [await fake.nextMessage(owner.id, before), await fake.nextMessage(owner.id, before + 1), await fake.nextMessage(owner.id, before + 2)];
    expect(sticker.text).toMatch(/^I can only read words and numbers/);
    expect(photo.text).toMatch(/^I can only read words and numbers/);
    expect(long.text).toMatch(/^That message is too long for me \(8192 characters\)/);
    // What is stored is bounded too.
    const stored = await db.prisma.inboundMessage.findMany({ where: { sender: String(owner.id), text: { startsWith: 'xxxx' } } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.text.length).toBe(8192);
  });

  it('a file that is no CSV, or too large, is not read; the owner is told what to send', async () => {
    const getFileBefore = fake.callsOf('getFile').length;
    let before = fake.messagesTo(owner.id).length;
    fake.document(owner, 'invoice.pdf', '%PDF-1.4 binary', { mimeType: 'application/pdf' });
    expect((await fake.nextMessage(owner.id, before)).text).toMatch(/^I found no invoice lines/);
    before = fake.messagesTo(owner.id).length;
    fake.document(owner, 'huge.csv', 'Customer,Invoice,Amount\nA,1,100\n', { size: 50_000_000 });
    expect((await fake.nextMessage(owner.id, before)).text).toMatch(/^I found no invoice lines/);
    expect(fake.callsOf('getFile').length).toBe(getFileBefore);
    // A CSV sent as application/vnd.ms-excel (as Windows does) is read.
    before = fake.messagesTo(owner.id).length;
    fake.document(owner, 'from-excel.csv', 'Customer,Invoice,Amount,Due Date\nGupta Stores,G-1,2500,2026-11-30\n', { mimeType: 'application/vnd.ms-excel' });
    expect((await fake.nextMessage(owner.id, before)).text).toMatch(/^Import done: 1 invoice\(s\) saved/);
  });

  it('a reply Telegram refuses with 429 goes out after retry_after, through the outbox', async () => {
    fake.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } }, { match: (p) => Number(p.chat_id) === owner.id });
    const before = fake.messagesTo(owner.id).length;
    fake.text(owner, 'help');
    const queued = await waitForRow(() => db.prisma.outboundMessage.findFirst({ where: { recipient: String(owner.id), status: 'queued', lastError: { contains: '429' } } }));
    expect(queued.scheduledAt.getTime()).toBe(NOW.getTime() + 3_000);
    expect(fake.messagesTo(owner.id).length).toBe(before);
    expect(await running.dispatcher.runOnce()).toMatchObject({ claimed: 0 });
    clock.advance(3_000);
    expect(await running.dispatcher.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect((await fake.nextMessage(owner.id, before)).text).toMatch(/^Here is what I can do:/);
    expect(await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a customer who blocked the bot: their reminder fails at once, reminders stop, the owner is told on Telegram; a new link undoes it', async () => {
    const link = /start=([A-Za-z0-9_-]+)/.exec((await say(owner, 'link Gupta Stores')).text)![1]!;
    await say(debtor, `/start ${link}`);
    await fake.waitFor(() => fake.messagesTo(owner.id).at(-1)?.text.includes('opened your link'));
    const gupta = await db.prisma.debtor.findFirstOrThrow({ where: { name: 'Gupta Stores' } });
    fake.blockBy(debtor);
    await db.prisma.outboundMessage.create({
      data: { businessId: gupta.businessId, debtorId: gupta.id, kind: 'reminder', stage: 'polite', channel: 'telegram', recipient: String(debtor.id), body: 'Please pay G-1', idempotencyKey: 'test:blocked', scheduledAt: clock.now() },
    });
    const ownerBefore = fake.messagesTo(owner.id).length;
    expect(await running.dispatcher.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    expect(await db.prisma.outboundMessage.findUniqueOrThrow({ where: { idempotencyKey: 'test:blocked' } })).toMatchObject({ status: 'failed', attempts: 1, lastError: 'UndeliverableError: Telegram 403: Forbidden: bot was blocked by the user' });
    expect(await db.prisma.debtor.findUniqueOrThrow({ where: { id: gupta.id } })).toMatchObject({ optedOut: true });
    expect(await running.dispatcher.runOnce()).toMatchObject({ sent: 1 });
    expect((await fake.nextMessage(owner.id, ownerBefore)).text).toMatch(/^Gupta Stores has blocked me on Telegram/);

    // They unblock and open a new link: linked again, and reminders may go again.
    const again = /start=([A-Za-z0-9_-]+)/.exec((await say(owner, 'link Gupta Stores')).text)![1]!;
    fake['blocked'].delete(debtor.id);
    expect((await say(debtor, `/start ${again}`)).text).toMatch(/^Hello Gupta Stores!/);
    expect(await db.prisma.debtor.findUniqueOrThrow({ where: { id: gupta.id } })).toMatchObject({ optedOut: false });
  });

  it('the outbox goes out within Telegram\'s limits: at most 30 messages in any second, one a second to a chat', async () => {
    const now = clock.now();
    const rows = [
      ...Array.from({ length: 40 }, (_, i) => ({ recipient: String(600_000 + i), body: `notice ${i}` })),
      ...Array.from({ length: 3 }, (_, i) => ({ recipient: '700000', body: `same chat ${i}` })),
    ];
    await db.prisma.outboundMessage.createMany({
      data: rows.map((r, i) => ({ kind: 'reply', channel: 'telegram', recipient: r.recipient, body: r.body, idempotencyKey: `pace:${i}`, scheduledAt: now, createdAt: new Date(now.getTime() - 1_000 + i) })),
    });
    const first = fake.messages.length;
    while ((await running.dispatcher.runOnce()).claimed > 0);
    // (The previous test's last owner notice may go in this batch too.)
    const sent = fake.messages.slice(first).filter((m) => /^(notice|same chat) \d+$/.test(m.text));
    expect(sent.map((m) => m.text).sort()).toEqual(rows.map((r) => r.body).sort());
    const times = sent.map((m) => m.at).sort((a, b) => a - b);
    // Arrival times carry a little network jitter: a window of 970 ms must not hold more than 30.
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 970).length));
    expect(busiest).toBeLessThanOrEqual(30);
    const sameChat = sent.filter((m) => m.chatId === 700_000).map((m) => m.at);
    expect(sameChat).toHaveLength(3);
    expect(sameChat[1]! - sameChat[0]!).toBeGreaterThan(950);
    expect(sameChat[2]! - sameChat[1]!).toBeGreaterThan(950);
    expect(sent.filter((m) => m.chatId === 700_000).map((m) => m.text)).toEqual(['same chat 0', 'same chat 1', 'same chat 2']);
  });

  it('a dispatcher polling beside the bot never sends a reply the bot sends itself', async () => {
    running.dispatcher.start(5);
    try {
      const before = fake.messagesTo(owner.id).length;
      for (let i = 0; i < 12; i++) fake.text(owner, i % 2 ? 'list' : 'help');
      await fake.nextMessage(owner.id, before + 11, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(fake.messagesTo(owner.id).length).toBe(before + 12);
      const rows = await db.prisma.outboundMessage.findMany({ where: { recipient: String(owner.id), kind: 'reply' }, orderBy: { createdAt: 'desc' }, take: 12 });
      expect(rows.map((r) => [r.status, r.attempts])).toEqual(Array.from({ length: 12 }, () => ['sent', 1]));
    } finally {
      await running.dispatcher.stop();
    }
  });

  it('never writes the bot token to its logs', () => {
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).not.toContain(FAKE_TOKEN);
    expect(logs).not.toContain(FAKE_TOKEN.split(':')[1]);
  });
});

async function waitForRow<T>(probe: () => Promise<T | null>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await probe();
    if (row) return row;
    if (Date.now() > deadline) throw new Error('timed out waiting for a row');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
