// The outbox dispatcher on each engine: what it sends, skips, defers and retries, how it fails
// and tells the owner, how it survives slow and rate-limiting channels and crashed instances, and
// (on PostgreSQL) that two dispatchers on one database send every message exactly once.
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { DEFAULT_LADDER } from '../../src/engine/ladder.ts';
import { MAX_SEND_ATTEMPTS, nextSendTime, retryDelayMs } from '../../src/engine/schedule.ts';
import { createLogger } from '../../src/log.ts';
import { claimDueMessages, Dispatcher, recoverStaleClaims, type DispatcherDeps } from '../../src/scheduler/dispatch.ts';
import { openDatabase } from '../../src/store/database.ts';
import type { Prisma } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { UndeliverableError } from '../../src/bot/channel.ts';
import { FakeChannel, gate, RateLimitedError } from '../support/fake-channel.ts';

/** Saturday 21 Nov 2026, 11:30 in Kolkata: inside sending hours. */
const NOW = new Date('2026-11-21T06:00:00.000Z');
/** The same evening, 22:30 in Kolkata: quiet hours (21→9). */
const NIGHT = new Date('2026-11-21T17:00:00.000Z');
/** 09:00 the next morning in Kolkata. */
const NEXT_MORNING = new Date('2026-11-22T03:30:00.000Z');

const silent = createLogger('silent');

describe.each(testEngines)('outbox dispatch on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  let ownerId: string;
  let debtorId: string;
  let optedOutDebtorId: string;
  let clock: ManualClock;
  let seq = 0;

  beforeAll(async () => {
    db = await engine.open();
    const business = await db.prisma.business.create({
      data: { name: 'Sharma Distributors', currency: 'INR', timeZone: 'Asia/Kolkata', quietStartHour: 21, quietEndHour: 9, ladder: DEFAULT_LADDER as unknown as object },
    });
    businessId = business.id;
    ownerId = (await db.prisma.member.create({ data: { businessId, role: 'owner', name: 'Anil', channel: 'console', address: 'anil' } })).id;
    await db.prisma.member.create({ data: { businessId, role: 'agent', name: 'Ravi', channel: 'console', address: 'ravi' } });
    debtorId = (await db.prisma.debtor.create({ data: { businessId, name: 'Ramesh Traders', nameKey: 'ramesh traders' } })).id;
    optedOutDebtorId = (
      await db.prisma.debtor.create({ data: { businessId, name: 'Gupta Stores', nameKey: 'gupta stores', optedOut: true, optedOutAt: NOW } })
    ).id;
  });
  afterAll(async () => db?.destroy());

  beforeEach(async () => {
    await db.sql.query('DELETE FROM outbound_message');
    await db.sql.query(`UPDATE business SET send_days = '{1,2,3,4,5,6,7}'`);
    clock = new ManualClock(NOW);
  });

  /** Queues rows due a minute ago (unless told otherwise), to distinct chats, oldest first. */
  async function queue(rows: Array<Partial<Prisma.OutboundMessageCreateManyInput>>): Promise<Array<{ id: string; body: string }>> {
    const data = rows.map((row) => {
      const n = ++seq;
      return {
        businessId,
        debtorId,
        kind: 'reply',
        channel: 'telegram',
        recipient: `chat-${n}`,
        body: `message ${n}`,
        idempotencyKey: `test:${n}`,
        scheduledAt: new Date(NOW.getTime() - 60_000),
        createdAt: new Date(NOW.getTime() - 60_000 + n),
        ...row,
      };
    });
    return db.prisma.outboundMessage.createManyAndReturn({ data, select: { id: true, body: true } });
  }

  function row(id: string) {
    return db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
  }

  function dispatcher(channels: FakeChannel[], overrides: Partial<DispatcherDeps> = {}): Dispatcher {
    return new Dispatcher({ db, channels: new Map(channels.map((c) => [c.name, c])), clock, logger: silent, ...overrides });
  }

  /** runOnce until nothing due is left, summing the counters. */
  async function drain(d: Dispatcher, rounds = 100) {
    const total = { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0, deferred: 0 };
    for (let i = 0; i < rounds; i++) {
      const r = await d.runOnce();
      for (const key of Object.keys(total) as Array<keyof typeof total>) total[key] += r[key];
      if (r.claimed === 0) return total;
    }
    throw new Error('the outbox did not drain');
  }

  it('sends queued due rows and records provider ids', async () => {
    const choices = [{ label: 'Paid', data: 'paid' }];
    const queued = await queue([{ kind: 'reminder', choices }, { kind: 'reply' }, { kind: 'owner_notice', debtorId: null, memberId: ownerId }]);
    const telegram = new FakeChannel('telegram');
    const result = await dispatcher([telegram]).runOnce();

    expect(result).toEqual({ claimed: 3, sent: 3, retried: 0, failed: 0, skipped: 0, deferred: 0 });
    expect(telegram.sent.map((s) => s.text).sort()).toEqual(queued.map((q) => q.body).sort());
    for (const q of queued) {
      const r = await row(q.id);
      const send = telegram.sent.find((s) => s.text === q.body)!;
      expect(r).toMatchObject({ status: 'sent', providerMessageId: send.providerMessageId, sentAt: NOW, attempts: 1, lastError: null });
    }
    expect(await dispatcher([telegram]).runOnce()).toMatchObject({ claimed: 0, sent: 0 });
  });

  it('passes choices and attachments through to the channel', async () => {
    const attachment = { fileName: 'statement.csv', mimeType: 'text/csv', content: 'number,amount\nA-1,100\n' };
    await queue([{ choices: [{ label: 'Paid', data: 'paid' }], attachment }]);
    const seen: unknown[] = [];
    const telegram = new FakeChannel('telegram', (m) => void seen.push({ choices: m.choices, attachment: m.attachment }));
    await dispatcher([telegram]).runOnce();
    expect(seen).toEqual([{ choices: [{ label: 'Paid', data: 'paid' }], attachment }]);
  });

  it('does not send rows scheduled in the future or awaiting approval', async () => {
    const [future, awaiting, due, elsewhere] = await queue([
      { scheduledAt: new Date(NOW.getTime() + 60_000) },
      { kind: 'reminder', status: 'awaiting_approval' },
      {},
      { channel: 'whatsapp' },
    ]);
    const telegram = new FakeChannel('telegram');
    const result = await dispatcher([telegram]).runOnce();

    expect(result).toMatchObject({ claimed: 1, sent: 1 });
    expect(telegram.sent.map((s) => s.text)).toEqual([due!.body]);
    expect(await row(future!.id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await row(awaiting!.id)).toMatchObject({ status: 'awaiting_approval', attempts: 0 });
    // A channel this instance does not hold (WhatsApp lives on another instance) is left alone.
    expect(await row(elsewhere!.id)).toMatchObject({ status: 'queued', attempts: 0 });

    clock.advance(60_000);
    expect(await dispatcher([telegram]).runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await row(future!.id)).toMatchObject({ status: 'sent' });
  });

  it('claims the oldest due rows first, at most the limit, marking them sending with the attempt counted', async () => {
    const rows = await queue([{ scheduledAt: new Date(NOW.getTime() - 1_000) }, { scheduledAt: new Date(NOW.getTime() - 3_000) }, { scheduledAt: new Date(NOW.getTime() - 2_000) }]);
    const claimed = await claimDueMessages(db, { now: NOW, limit: 2, channels: ['telegram'] });
    expect(claimed.map((c) => c.id)).toEqual([rows[1]!.id, rows[2]!.id]);
    expect(claimed[0]).toMatchObject({ attempts: 1, debtorOptedOut: false, sendWindow: { timeZone: 'Asia/Kolkata', quietStartHour: 21, quietEndHour: 9, sendDays: [1, 2, 3, 4, 5, 6, 7] } });
    expect(await row(rows[1]!.id)).toMatchObject({ status: 'sending', attempts: 1, updatedAt: NOW });
    expect(await row(rows[0]!.id)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('skips opted-out debtors', async () => {
    const [reminder, thanks, reply] = await queue([
      { kind: 'reminder', debtorId: optedOutDebtorId },
      { kind: 'thanks', debtorId: optedOutDebtorId },
      // The acknowledgement of their "stop" still goes.
      { kind: 'reply', debtorId: optedOutDebtorId },
    ]);
    const telegram = new FakeChannel('telegram');
    const result = await dispatcher([telegram]).runOnce();

    expect(result).toMatchObject({ claimed: 3, sent: 1, skipped: 2 });
    expect(telegram.sent.map((s) => s.text)).toEqual([reply!.body]);
    expect(telegram.tries.has(reminder!.body)).toBe(false);
    expect(await row(reminder!.id)).toMatchObject({ status: 'skipped', providerMessageId: null });
    expect(await row(thanks!.id)).toMatchObject({ status: 'skipped', providerMessageId: null });
  });

  it('defers reminders in quiet hours to the morning', async () => {
    clock.set(NIGHT);
    const [reminder, reply] = await queue([
      { kind: 'reminder', scheduledAt: new Date(NIGHT.getTime() - 60_000) },
      { kind: 'reply', scheduledAt: new Date(NIGHT.getTime() - 60_000) },
    ]);
    const telegram = new FakeChannel('telegram');
    const d = dispatcher([telegram]);
    expect(await d.runOnce()).toMatchObject({ claimed: 2, sent: 1, deferred: 1 });

    // The reminder waits for 09:00 in Kolkata; a reply to a debtor who wrote at night still goes.
    expect(telegram.sent.map((s) => s.text)).toEqual([reply!.body]);
    expect(await row(reminder!.id)).toMatchObject({ status: 'queued', scheduledAt: NEXT_MORNING, attempts: 0 });

    clock.set(new Date(NEXT_MORNING.getTime() - 1));
    expect(await d.runOnce()).toMatchObject({ claimed: 0 });
    clock.set(NEXT_MORNING);
    expect(await d.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await row(reminder!.id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('defers reminders on a day the business does not send to its next sending day', async () => {
    // Saturday in Kolkata; the business sends Monday to Friday.
    await db.sql.query(`UPDATE business SET send_days = '{1,2,3,4,5}' WHERE id = $1`, [businessId]);
    const [reminder] = await queue([{ kind: 'reminder' }]);
    expect(await dispatcher([new FakeChannel('telegram')]).runOnce()).toMatchObject({ deferred: 1, sent: 0 });
    const monday = nextSendTime({ now: NOW, timeZone: 'Asia/Kolkata', quietStartHour: 21, quietEndHour: 9, sendDays: [1, 2, 3, 4, 5] });
    expect(monday.toISOString()).toBe('2026-11-23T03:30:00.000Z');
    expect(await row(reminder!.id)).toMatchObject({ status: 'queued', scheduledAt: monday, attempts: 0 });
  });

  it('a channel that throws is retried with backoff and other messages still go', async () => {
    const [bad, good1, good2] = await queue([{ recipient: 'bad' }, {}, {}]);
    let broken = true;
    const telegram = new FakeChannel('telegram', (m) => {
      if (m.address === 'bad' && broken) throw new Error('Bad Gateway');
    });
    const d = dispatcher([telegram]);
    expect(await d.runOnce()).toMatchObject({ claimed: 3, sent: 2, retried: 1 });
    expect(telegram.sent.map((s) => s.text).sort()).toEqual([good1!.body, good2!.body].sort());
    expect(await row(bad!.id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'Bad Gateway',
      scheduledAt: new Date(NOW.getTime() + retryDelayMs(1)),
    });

    // Not before the backoff is over.
    clock.advance(retryDelayMs(1) - 1);
    expect(await d.runOnce()).toMatchObject({ claimed: 0 });
    clock.advance(1);
    broken = false;
    expect(await d.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await row(bad!.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('after MAX attempts the row fails and the owner is told once', async () => {
    const [bad] = await queue([{ kind: 'reminder', recipient: 'bad' }]);
    const telegram = new FakeChannel('telegram', () => {
      throw new Error('Forbidden: bot was blocked by the user');
    });
    const console_ = new FakeChannel('console');
    // Unlimited, so the retries need not wait for the chat's turn in real time.
    const d = dispatcher([telegram, console_], { limits: { telegram: { perSecond: Infinity, perChatPerSecond: Infinity } } });

    for (let attempt = 1; attempt < MAX_SEND_ATTEMPTS; attempt++) {
      expect(await d.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
      expect(await row(bad!.id)).toMatchObject({ status: 'queued', attempts: attempt });
      clock.advance(retryDelayMs(attempt));
    }
    expect(await d.runOnce()).toMatchObject({ failed: 1 });
    expect(await row(bad!.id)).toMatchObject({ status: 'failed', attempts: MAX_SEND_ATTEMPTS, lastError: 'Forbidden: bot was blocked by the user' });
    expect(telegram.tries.get(bad!.body)).toBe(MAX_SEND_ATTEMPTS);

    const notices = await db.prisma.outboundMessage.findMany({ where: { kind: 'owner_notice' } });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ idempotencyKey: `send-failed:${bad!.id}:${ownerId}`, channel: 'console', recipient: 'anil', memberId: ownerId, businessId });
    expect(notices[0]!.body).toContain('Ramesh Traders');
    expect(notices[0]!.body).toContain(String(MAX_SEND_ATTEMPTS));

    // The notice goes out on the owner's channel; the failed row is never tried again.
    for (let i = 0; i < 3; i++) {
      await d.runOnce();
      clock.advance(retryDelayMs(MAX_SEND_ATTEMPTS));
    }
    expect(console_.sent.map((s) => s.address)).toEqual(['anil']);
    expect(await db.prisma.outboundMessage.count({ where: { kind: 'owner_notice' } })).toBe(1);
    expect(telegram.tries.get(bad!.body)).toBe(MAX_SEND_ATTEMPTS);
  });

  it('a debtor who blocked the bot: the row fails at once, the debtor is opted out with the reason, owners are told once', async () => {
    const blocked = await db.prisma.debtor.create({ data: { businessId, name: 'Blocked Stores', nameKey: `blocked stores ${++seq}` } });
    await db.prisma.debtorIdentity.create({ data: { debtorId: blocked.id, channel: 'telegram', address: 'blocked-chat' } });
    const [reminder, later] = await queue([
      { kind: 'reminder', debtorId: blocked.id, recipient: 'blocked-chat' },
      { kind: 'reminder', debtorId: blocked.id, recipient: 'blocked-chat', scheduledAt: new Date(NOW.getTime() + 60_000) },
    ]);
    const telegram = new FakeChannel('telegram', (m) => {
      if (m.address === 'blocked-chat') throw new UndeliverableError('Forbidden: bot was blocked by the user', { reason: 'blocked', optOut: true });
    });
    const d = dispatcher([telegram]);
    expect(await d.runOnce()).toMatchObject({ claimed: 1, failed: 1, retried: 0 });
    expect(await row(reminder!.id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'UndeliverableError: Forbidden: bot was blocked by the user' });
    expect(await db.prisma.debtor.findUniqueOrThrow({ where: { id: blocked.id } })).toMatchObject({ optedOut: true, optedOutAt: NOW });
    const audit = await db.prisma.auditEvent.findMany({ where: { entityId: blocked.id, action: 'debtor.opted_out' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: 'system', businessId, data: expect.objectContaining({ reason: 'blocked', channel: 'telegram', outbound: reminder!.id }) });

    const notices = await db.prisma.outboundMessage.findMany({ where: { kind: 'owner_notice', debtorId: blocked.id } });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ idempotencyKey: `opted-out:${reminder!.id}:${ownerId}`, channel: 'console', recipient: 'anil', status: 'queued' });
    expect(notices[0]!.body).toContain('Blocked Stores has blocked me on Telegram');

    // Never tried again; the next reminder to them is skipped, not sent.
    clock.advance(retryDelayMs(MAX_SEND_ATTEMPTS) + 60_000);
    expect(await d.runOnce()).toMatchObject({ claimed: 1, skipped: 1, sent: 0 });
    expect(await row(later!.id)).toMatchObject({ status: 'skipped' });
    expect(telegram.tries.get(reminder!.body)).toBe(1);
  });

  it('an owner who blocked the bot: the notice about a debtor fails at once and the debtor stays opted in', async () => {
    const [notice] = await queue([{ kind: 'owner_notice', memberId: ownerId, recipient: 'owner-chat' }]);
    const telegram = new FakeChannel('telegram', () => {
      throw new UndeliverableError('Forbidden: bot was blocked by the user', { reason: 'blocked', optOut: true });
    });
    expect(await dispatcher([telegram]).runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    expect(await row(notice!.id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await db.prisma.debtor.findUniqueOrThrow({ where: { id: debtorId } })).toMatchObject({ optedOut: false });
    expect(await db.prisma.outboundMessage.count({ where: { kind: 'owner_notice', NOT: { id: notice!.id } } })).toBe(0);
  });

  it('an undeliverable message that is no opt-out (a refused message) fails at once and the owner is told it failed', async () => {
    const [reminder] = await queue([{ kind: 'reminder' }]);
    const telegram = new FakeChannel('telegram', () => {
      throw new UndeliverableError('Bad Request: chat not found', { reason: 'chat_not_found', optOut: false });
    });
    expect(await dispatcher([telegram]).runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    expect(await row(reminder!.id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await db.prisma.debtor.findUniqueOrThrow({ where: { id: debtorId } })).toMatchObject({ optedOut: false });
    const notices = await db.prisma.outboundMessage.findMany({ where: { kind: 'owner_notice' } });
    expect(notices.map((n) => n.idempotencyKey)).toEqual([`send-failed:${reminder!.id}:${ownerId}`]);
  });

  it('a 429 with retryAfterMs is honoured', async () => {
    const [limited, sameChat, other] = await queue([{ recipient: 'busy' }, { recipient: 'busy' }, {}]);
    const telegram = new FakeChannel('telegram', (m, attempt) => {
      if (m.address === 'busy' && attempt === 1) throw new RateLimitedError(7_000);
    });
    const d = dispatcher([telegram]);
    expect(await d.runOnce()).toMatchObject({ claimed: 3, sent: 1, retried: 1, deferred: 1 });
    expect(telegram.sent.map((s) => s.text)).toEqual([other!.body]);

    const retryAt = new Date(NOW.getTime() + 7_000);
    expect(retryDelayMs(1)).not.toBe(7_000);
    expect(await row(limited!.id)).toMatchObject({ status: 'queued', attempts: 1, scheduledAt: retryAt });
    expect((await row(limited!.id)).lastError).toMatch(/Too Many Requests/);
    // The chat's next message waits as long, in order, without the attempt counted.
    expect(await row(sameChat!.id)).toMatchObject({ status: 'queued', attempts: 0, scheduledAt: retryAt });
  });

  it('a slow channel (timeout) does not block others, and a send that lands late is recorded, not repeated', async () => {
    const [slow, fast1, fast2] = await queue([{ recipient: 'slow' }, {}, {}]);
    const hung = gate();
    const telegram = new FakeChannel('telegram', async (m) => {
      if (m.address === 'slow') await hung.promise;
    });
    const d = dispatcher([telegram], { sendTimeoutMs: 200 });
    // runOnce settles although the slow send never answers.
    expect(await d.runOnce()).toMatchObject({ claimed: 3, sent: 2, retried: 1 });
    expect(telegram.sent.map((s) => s.text).sort()).toEqual([fast1!.body, fast2!.body].sort());
    const afterTimeout = await row(slow!.id);
    expect(afterTimeout).toMatchObject({ status: 'queued', attempts: 1, scheduledAt: new Date(NOW.getTime() + retryDelayMs(1)) });
    expect(afterTimeout.lastError).toMatch(/timed out/);

    hung.open();
    await vi.waitFor(async () => expect(await row(slow!.id)).toMatchObject({ status: 'sent', attempts: 1 }), { timeout: 5_000 });
    const send = telegram.sent.find((s) => s.text === slow!.body)!;
    expect((await row(slow!.id)).providerMessageId).toBe(send.providerMessageId);

    clock.advance(retryDelayMs(1));
    expect(await d.runOnce()).toMatchObject({ claimed: 0 });
    expect(telegram.tries.get(slow!.body)).toBe(1);
    expect(telegram.maxInFlightPerChat).toBe(1);
  });

  it('sends nothing more to a chat while a timed-out send to it is still pending', async () => {
    const [first] = await queue([{ recipient: 'slow' }]);
    const hung = gate();
    const telegram = new FakeChannel('telegram', async (m) => {
      if (m.text === first!.body) await hung.promise;
    });
    const d = dispatcher([telegram], { sendTimeoutMs: 100 });
    expect(await d.runOnce()).toMatchObject({ retried: 1 });

    const [second] = await queue([{ recipient: 'slow' }]);
    expect(await d.runOnce()).toMatchObject({ claimed: 1, deferred: 1, sent: 0 });
    expect(await row(second!.id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(telegram.tries.has(second!.body)).toBe(false);
    hung.open();
    await vi.waitFor(async () => expect(await row(first!.id)).toMatchObject({ status: 'sent' }), { timeout: 5_000 });
  });

  it('stale sending rows are recovered', async () => {
    const [stale, live] = await queue([{ status: 'sending', attempts: 1 }, { status: 'sending', attempts: 1 }]);
    await db.prisma.outboundMessage.update({ where: { id: stale!.id }, data: { updatedAt: new Date(NOW.getTime() - 20 * 60_000) } });
    await db.prisma.outboundMessage.update({ where: { id: live!.id }, data: { updatedAt: new Date(NOW.getTime() - 60_000) } });

    expect(await recoverStaleClaims(db, { now: NOW, olderThanMs: 10 * 60_000 })).toBe(1);
    expect(await row(stale!.id)).toMatchObject({ status: 'queued', attempts: 1 });
    expect((await row(stale!.id)).lastError).toMatch(/claim expired/);
    expect(await row(live!.id)).toMatchObject({ status: 'sending', attempts: 1 });

    const telegram = new FakeChannel('telegram');
    expect(await dispatcher([telegram]).runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await row(stale!.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await row(live!.id)).toMatchObject({ status: 'sending' });
  });

  it('gives up without sending a row whose sends keep crashing the sender', async () => {
    // Recovered MAX times: every claim so far ended in a crash before a result was recorded.
    const [poison] = await queue([{ attempts: MAX_SEND_ATTEMPTS, kind: 'reminder' }]);
    const telegram = new FakeChannel('telegram');
    // Only the telegram channel: the owner's failure notice (console) would otherwise race into
    // this same run and be counted as sent.
    expect(await dispatcher([telegram]).runOnce()).toMatchObject({ failed: 1, sent: 0 });
    expect(telegram.tries.size).toBe(0);
    expect(await row(poison!.id)).toMatchObject({ status: 'failed', attempts: MAX_SEND_ATTEMPTS + 1 });
  });

  it('a claim recovered and sent elsewhere is not settled again by its first holder (the one send that can go twice)', async () => {
    const [msg] = await queue([{}]);
    const sends = new Map<string, number>();
    const hung = gate();
    const stuck = new FakeChannel('telegram', async () => hung.promise, sends);
    const first = dispatcher([stuck], { sendTimeoutMs: 60_000 });
    const firstRun = first.runOnce();
    await vi.waitFor(() => expect(stuck.tries.get(msg!.body)).toBe(1));

    // The first holder looks dead: its claim is recovered and another instance sends the row.
    clock.advance(20 * 60_000);
    expect(await recoverStaleClaims(db, { now: clock.now(), olderThanMs: 10 * 60_000 })).toBe(1);
    const healthy = new FakeChannel('telegram', () => undefined, sends);
    expect(await dispatcher([healthy]).runOnce()).toMatchObject({ sent: 1 });
    const sentElsewhere = await row(msg!.id);
    expect(sentElsewhere).toMatchObject({ status: 'sent', attempts: 2, providerMessageId: healthy.sent[0]!.providerMessageId });

    // The first send completes after all: that is the duplicate, and the row keeps the second send's record.
    hung.open();
    expect(await firstRun).toMatchObject({ sent: 1 });
    expect(sends.get(msg!.body)).toBe(2);
    expect(await row(msg!.id)).toMatchObject({ status: 'sent', attempts: 2, providerMessageId: healthy.sent[0]!.providerMessageId });
  });

  it('sends to one chat in order, never two at once, at most once a second', async () => {
    const rows = await queue([{ recipient: 'one' }, { recipient: 'one' }, { recipient: 'one' }, {}]);
    const telegram = new FakeChannel('telegram', () => new Promise((resolve) => setTimeout(resolve, 20)));
    const result = await dispatcher([telegram], { limits: { telegram: { perSecond: 100, perChatPerSecond: 1 } } }).runOnce();
    expect(result).toMatchObject({ claimed: 4, sent: 4 });
    const toOne = telegram.sent.filter((s) => s.address === 'one');
    expect(toOne.map((s) => s.text)).toEqual(rows.slice(0, 3).map((r) => r.body));
    expect(toOne[1]!.at - toOne[0]!.at).toBeGreaterThanOrEqual(900);
    expect(toOne[2]!.at - toOne[1]!.at).toBeGreaterThanOrEqual(900);
    expect(telegram.maxInFlightPerChat).toBe(1);
  });

  it('rate limits hold: 30 messages through a channel limited to 10/s take at least 2 s', async () => {
    await queue(Array.from({ length: 30 }, () => ({})));
    const telegram = new FakeChannel('telegram');
    const d = dispatcher([telegram], { limits: { telegram: { perSecond: 10, perChatPerSecond: 1 } } });
    const started = performance.now();
    const total = await drain(d);
    const elapsed = performance.now() - started;

    expect(total).toMatchObject({ claimed: 30, sent: 30 });
    expect(new Set(telegram.sent.map((s) => s.text)).size).toBe(30);
    // One token every 100 ms (103 ms when shared on PostgreSQL): no burst, so no second (however
    // placed) holds more than 10. A send leaves a few ms after its token (on PostgreSQL the chat's
    // turn is a round trip in between), so two sends may come a little closer than that; a burst
    // would put them a millisecond or two apart.
    const at = telegram.sent.map((s) => s.at);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
    expect(at[10]! - at[0]!).toBeGreaterThanOrEqual(900);
    expect(at[20]! - at[0]!).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
  });

  it('start() dispatches in the background and stop() waits for the batch in flight', async () => {
    const [msg] = await queue([{}]);
    const release = gate();
    const telegram = new FakeChannel('telegram', async () => release.promise);
    const d = dispatcher([telegram]);
    d.start(10);
    await vi.waitFor(() => expect(telegram.tries.get(msg!.body)).toBe(1));
    let stopped = false;
    const stopping = d.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release.open();
    await stopping;
    expect(await row(msg!.id)).toMatchObject({ status: 'sent' });
  });

  if (engine.name === 'postgres') {
    it('two dispatchers on one database claim disjoint rows and send every message exactly once', async () => {
      const second = await openDatabase({ databaseUrl: db.url!, migrate: false, poolSize: 5 });
      try {
        // Direct claims from two connections at once never overlap.
        await queue(Array.from({ length: 100 }, () => ({})));
        const claims = await Promise.all([db, second, db, second].map((on) => claimDueMessages(on, { now: NOW, limit: 30, channels: ['telegram'] })));
        const ids = claims.flatMap((c) => c.map((r) => r.id));
        expect(claims.every((c) => c.length <= 30)).toBe(true);
        expect(ids).toHaveLength(100);
        expect(new Set(ids).size).toBe(100);
        await db.sql.query('DELETE FROM outbound_message');

        // Two whole dispatchers on one queue: 400 messages to 80 chats.
        const rows = await queue(Array.from({ length: 400 }, (_, i) => ({ recipient: `chat-${i % 80}` })));
        const sends = new Map<string, number>();
        const slowly = () => new Promise<void>((resolve) => setTimeout(resolve, 2));
        const a = new FakeChannel('telegram', slowly, sends);
        const b = new FakeChannel('telegram', slowly, sends);
        const limits = { telegram: { perSecond: 1_000, perChatPerSecond: 1_000 } };
        const da = new Dispatcher({ db, channels: new Map([['telegram', a]]), clock, logger: silent, limits, batchSize: 25 });
        const dbb = new Dispatcher({ db: second, channels: new Map([['telegram', b]]), clock, logger: silent, limits, batchSize: 25 });
        await Promise.all([drain(da), drain(dbb)]);

        expect(rows.every((r) => sends.get(r.body) === 1)).toBe(true);
        expect([...sends.values()].reduce((x, y) => x + y, 0)).toBe(400);
        expect(a.sent.length).toBeGreaterThan(0);
        expect(b.sent.length).toBeGreaterThan(0);
        expect(a.sent.length + b.sent.length).toBe(400);
        const recorded = await db.sql.query<{ provider_message_id: string }>(`SELECT provider_message_id FROM outbound_message WHERE status = 'sent'`);
        expect(new Set(recorded.map((r) => r.provider_message_id))).toEqual(new Set([...a.sent, ...b.sent].map((s) => s.providerMessageId)));
        expect(await db.prisma.outboundMessage.count({ where: { attempts: { not: 1 } } })).toBe(0);
      } finally {
        await second.close();
      }
    });

    it('two dispatchers on one database share the rate limits: together no faster than one, and a chat still once a second', async () => {
      const second = await openDatabase({ databaseUrl: db.url!, migrate: false, poolSize: 5 });
      try {
        // 30 messages to 30 chats and 3 to one chat, through a channel limited to 10/s, from two instances at once.
        const rows = await queue([...Array.from({ length: 30 }, () => ({})), ...Array.from({ length: 3 }, () => ({ recipient: 'shared-chat' }))]);
        const sends = new Map<string, number>();
        const a = new FakeChannel('telegram', () => undefined, sends);
        const b = new FakeChannel('telegram', () => undefined, sends);
        const limits = { telegram: { perSecond: 10, perChatPerSecond: 1 } };
        const da = new Dispatcher({ db, channels: new Map([['telegram', a]]), clock, logger: silent, limits, batchSize: 4 });
        const dbb = new Dispatcher({ db: second, channels: new Map([['telegram', b]]), clock, logger: silent, limits, batchSize: 4 });
        await Promise.all([drain(da), drain(dbb)]);

        expect(rows.every((r) => sends.get(r.body) === 1)).toBe(true);
        expect(a.sent.length).toBeGreaterThan(0);
        expect(b.sent.length).toBeGreaterThan(0);
        const at = [...a.sent, ...b.sent].map((s) => s.at).sort((x, y) => x - y);
        // One token every 103 ms for the two together: 33 sends take over 3.2 s (each instance on
        // its own would allow 10/s: about 1.6 s). A send is timed a few ms after its token (the
        // chat's token is taken in between, on either instance's connection), so a loaded machine
        // may fit one more than ten into a second; never the twenty two instances would send.
        expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual(3_000);
        const busiest = Math.max(...at.map((t) => at.filter((u) => u >= t && u < t + 1_000).length));
        expect(busiest).toBeLessThanOrEqual(11);
        const toShared = [...a.sent, ...b.sent].filter((s) => s.address === 'shared-chat').map((s) => s.at).sort((x, y) => x - y);
        expect(toShared).toHaveLength(3);
        expect(toShared[1]! - toShared[0]!).toBeGreaterThanOrEqual(900);
        expect(toShared[2]! - toShared[1]!).toBeGreaterThanOrEqual(900);
        expect(await db.prisma.rateLimit.count({ where: { key: { startsWith: 'dispatch:telegram' } } })).toBeGreaterThan(0);
      } finally {
        await second.close();
      }
    });
  }
});
