// Under load the bot shares transactions between messages (handleInboundBatch) and records sent
// replies in batches (SentMarker). Neither may change what anyone is told: every message is
// answered as if alone, a failing one costs no other its answer, and nothing is half written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, InboundText, OutgoingText } from '../../src/bot/channel.ts';
import { handleInbound, handleInboundBatch, type ConversationDeps } from '../../src/bot/conversation.ts';
import { Bot } from '../../src/bot/runtime.ts';
import { ManualClock } from '../../src/clock.ts';
import { createLogger } from '../../src/log.ts';
import { SentMarker, type SentMark } from '../../src/store/messages.ts';
import type { Tx } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { chat, ONBOARD, TEST_NOW } from '../support/transcript.ts';

const DEFAULTS = { currency: 'INR', timeZone: 'Asia/Kolkata', language: 'en' as const, country: 'IN' };

let seq = 0;
const message = (address: string, text: string): InboundText => ({ channel: 'telegram', address, providerMessageId: `b-${++seq}`, text, receivedAt: TEST_NOW });

describe.each(testEngines)('messages sharing a transaction on $name', (engine) => {
  let db: TestDatabase;
  const deps = (overrides: Partial<ConversationDeps> = {}): ConversationDeps => ({ prisma: db.prisma, clock: new ManualClock(TEST_NOW), defaults: DEFAULTS, ...overrides });

  beforeAll(async () => {
    db = await engine.open();
    await chat(db, [...ONBOARD, 'add Ramesh Traders 5000 due 1 Dec #R-1', 'yes']);
    const ramesh = await db.prisma.debtor.findFirstOrThrow({ where: { nameKey: 'ramesh traders' } });
    await db.prisma.debtorIdentity.create({ data: { debtorId: ramesh.id, channel: 'telegram', address: '7001' } });
    await db.prisma.member.updateMany({ data: { channel: 'telegram', address: '7000' } });
  });
  afterAll(async () => db?.destroy());

  /** A bot on a channel that records what it sends, counting the transactions it opens. */
  const countingBot = (inFlight: number) => {
    const sent: OutgoingText[] = [];
    const channel: Channel = {
      name: 'telegram',
      status: () => ({ state: 'ready' }),
      start: async () => undefined,
      stop: async () => undefined,
      send: async (m) => {
        sent.push(m);
        return { providerMessageId: `p-${sent.length}` };
      },
    };
    let transactions = 0;
    const prisma = new Proxy(db.prisma, {
      get(target, key, receiver) {
        if (key === '$transaction') return (...args: Parameters<typeof target.$transaction>) => ((transactions += 1), target.$transaction(...args));
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const bot = new Bot({ prisma, clock: new ManualClock(TEST_NOW), defaults: DEFAULTS, logger: createLogger('silent'), transactionsInFlight: inFlight }, [channel]);
    return { bot, sent, transactions: () => transactions };
  };

  it('each message of a batch is answered as it would be alone, in order', async () => {
    const batch = [message('7000', 'help'), message('7001', 'kal tak kar dunga'), message('7002', 'hello')];
    const together = await handleInboundBatch(deps(), batch);
    const alone = [];
    for (const m of [message('7000', 'help'), message('7001', 'kal tak kar dunga'), message('7003', 'hello')]) alone.push(await handleInbound(deps(), m));
    expect(together.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const bodies = (r: { outgoing: Array<{ body: string }> }) => r.outgoing.map((o) => o.body);
    expect(together.map((r) => (r.status === 'fulfilled' ? bodies(r.value) : null))).toEqual(alone.map(bodies));
    for (const m of batch) expect(await db.prisma.inboundMessage.count({ where: { providerMessageId: m.providerMessageId, handledAt: { not: null } } })).toBe(1);
  });

  it('two messages from one chat in a batch are answered in order, the second seeing what the first changed', async () => {
    const results = await handleInboundBatch(deps(), [message('7201', 'hello'), message('7202', 'hello'), message('7201', 'Kapoor Stores')]);
    const first = (i: number) => (results[i]!.status === 'fulfilled' ? results[i]!.value.outgoing[0]!.body : '');
    expect(first(0)).toContain('Welcome to Paynudge');
    expect(first(1)).toContain('Welcome to Paynudge');
    // The name answers the question the first message asked (the conversation's state it saved).
    expect(first(2)).toContain('Kapoor Stores');
    expect(first(2)).not.toContain('Welcome to Paynudge');
  });

  it('the same message twice in one batch is handled once', async () => {
    const twice = message('7203', 'hello');
    const results = await handleInboundBatch(deps(), [twice, { ...twice }]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.duplicate : null))).toEqual([false, true]);
    expect(await db.prisma.inboundMessage.count({ where: { providerMessageId: twice.providerMessageId } })).toBe(1);
  });

  it('when one message fails, the others are still answered once, and the failed one leaves nothing behind', async () => {
    // A reply on the channel "broken" cannot be queued: deciding how it is sent throws.
    const failing: InboundText = { ...message('9999', 'hello'), channel: 'broken' };
    const batch = [message('7002', 'hello'), failing, message('7001', 'will pay 2000 on 28 Nov')];
    let batchFailures = 0;
    const sendsNow = (channel: string) => {
      if (channel === 'broken') throw new Error('boom');
      return false;
    };
    const results = await handleInboundBatch(deps({ sendsNow }), batch, () => (batchFailures += 1));
    expect(batchFailures).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await db.prisma.inboundMessage.count({ where: { providerMessageId: failing.providerMessageId } })).toBe(0);
    for (const m of [batch[0]!, batch[2]!]) {
      expect(await db.prisma.inboundMessage.count({ where: { providerMessageId: m.providerMessageId } })).toBe(1);
      const inbound = await db.prisma.inboundMessage.findFirstOrThrow({ where: { providerMessageId: m.providerMessageId } });
      // Queued once: the batch's first attempt was rolled back.
      expect(await db.prisma.outboundMessage.count({ where: { idempotencyKey: { startsWith: `reply:${inbound.id}:` } } })).toBeGreaterThan(0);
    }
    expect(await db.prisma.paymentPromise.count({ where: { amountMinor: 200000n, status: 'open' } })).toBe(1);
  });

  it.each([
    { inFlight: 2, prefix: '83', expected: 3 },
    { inFlight: 1, prefix: '84', expected: 2 },
  ])('first messages from many chats at once: each free transaction takes one, the rest share the next ($inFlight in flight)', async ({ inFlight, prefix, expected }) => {
    const { bot, sent, transactions } = countingBot(inFlight);
    const chats = ['01', '02', '03', '04', '05', '06', '07', '08'].map((n) => `${prefix}${n}`);
    await Promise.all(chats.map((c) => bot.receive(message(c, 'hello'))));
    await bot.stop();
    expect(transactions()).toBe(expected);
    expect(sent.map((m) => m.address).sort()).toEqual(chats);
  });

  // The five "hello"s arrive together: the first starts a transaction at once, as does the second
  // when two may be in flight, and the rest wait and share the next. Each name waits for its chat's
  // welcome to go out, so when the names come depends on timing; at worst each has its own
  // transaction. Ten messages, one transaction each, would be ten.
  it.each([
    { inFlight: 2, prefix: '81', most: 3 + 5 },
    { inFlight: 1, prefix: '82', most: 2 + 5 },
  ])('under load the bot answers every message, in fewer transactions than messages, each chat in order ($inFlight in flight)', async ({ inFlight, prefix, most }) => {
    const { bot, sent, transactions } = countingBot(inFlight);
    const chats = ['01', '02', '03', '04', '05'].map((n) => `${prefix}${n}`);
    // Two messages from each of five newcomers, all at once: "hello" starts onboarding, the name answers it.
    await Promise.all(chats.map((c) => bot.receive(message(c, 'hello'))).concat(chats.map((c) => bot.receive(message(c, `Shop ${c}`)))));
    await bot.stop();
    expect(transactions()).toBeLessThanOrEqual(most);
    for (const c of chats) {
      expect(sent.filter((m) => m.address === c).map((m) => m.text.split('\n')[0])).toEqual([
        expect.stringContaining('Welcome to Paynudge'),
        expect.stringContaining(`Shop ${c}`),
      ]);
    }
    const rows = await db.prisma.outboundMessage.findMany({ where: { recipient: { in: chats } } });
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.status === 'sent' && r.providerMessageId !== null)).toBe(true);
  });
});

describe('sent marks written in batches', () => {
  const fakeDb = (fail: (call: number) => boolean) => {
    const calls: number[] = [];
    const db = {
      $executeRaw: async (_sql: TemplateStringsArray, json: string) => {
        const rows = JSON.parse(json) as SentMark[];
        calls.push(rows.length);
        await new Promise((r) => setTimeout(r, 5));
        if (fail(calls.length)) throw new Error('database gone');
        return rows.length;
      },
    };
    return { db: db as unknown as Tx, calls };
  };

  it('marks made within the delay are written in one statement, and those made during that write in the next', async () => {
    const { db, calls } = fakeDb(() => false);
    const marker = new SentMarker(db, 10);
    const marks = Array.from({ length: 3 }, (_, i) => marker.mark(`id-${i}`, `p-${i}`, TEST_NOW));
    await new Promise((r) => setTimeout(r, 12)); // the first write is in flight (it takes 5 ms)
    marks.push(marker.mark('late-1', 'p-l1', TEST_NOW), marker.mark('late-2', 'p-l2', TEST_NOW));
    await Promise.all(marks);
    expect(calls).toEqual([3, 2]);
  });

  it('a failed write rejects the marks it carried, and later marks are written', async () => {
    const { db, calls } = fakeDb((call) => call === 1);
    const marker = new SentMarker(db, 0);
    const first = marker.mark('a', 'p-a', TEST_NOW);
    await new Promise((r) => setTimeout(r, 1));
    const second = marker.mark('b', 'p-b', TEST_NOW);
    await expect(first).rejects.toThrow('database gone');
    await expect(second).resolves.toBeUndefined();
    await marker.flushed();
    expect(calls).toEqual([1, 1]);
  });
});
