// Dispatch: sends the outbox. Due rows are claimed with one UPDATE … FOR UPDATE SKIP LOCKED
// statement (so several instances share the queue without claiming a row twice), checked against
// opt-outs and quiet hours, sent through their channel under per-channel and per-chat rate limits
// with a timeout, and settled with one UPDATE each, fenced on (id, status 'sending', attempts):
// a claim that was recovered and claimed again elsewhere can no longer be settled by its old
// holder.
//
// Delivery is at least once (until MAX_SEND_ATTEMPTS). A message goes out twice only when the
// one send in flight for it reached the chat but its success was never recorded:
// - the process died during the send or before recording it: the row stays 'sending' until
//   recoverStaleClaims re-queues it, and it is sent again;
// - the send outlived its timeout and landed after the row had been claimed again by another
//   instance (this instance records a late success itself when the row is still queued, and sends
//   nothing more to that chat while the timed-out send is pending);
// - the provider delivered but answered with an error (a lost response): the row is retried.
// When the database cannot be reached (a restart), the process keeps running: it retries recording
// the results of the sends it made, sends nothing more until the database answers again (a send
// whose result could not be recorded would go twice after a crash), and keeps looking for work.
// Rate limits hold across instances on PostgreSQL: their buckets are rows of rate_limit
// (rate-limiter-flexible's RateLimiterPostgres), so two instances together send no more than one
// would; if the database cannot be reached, each falls back to a bucket of its own meanwhile. On
// PGlite (one process) they are in memory.
// A send the channel calls undeliverable (UndeliverableError: Telegram's "bot was blocked by the
// user") fails at once, without retries; when the recipient opted out that way, their debtor is
// marked opted out and the owners are told.
import { performance } from 'node:perf_hooks';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterQueue, RateLimiterRes } from 'rate-limiter-flexible';
import type { Channel, Choice, OutgoingAttachment, SendResult } from '../bot/channel.ts';
import type { Clock } from '../clock.ts';
import type { Language } from '../engine/money.ts';
import { renderRecipientGone, renderSendFailed } from '../engine/reminder-text.ts';
import { todayIn } from '../engine/calendar.ts';
import { MAX_SEND_ATTEMPTS, nextSendTime, retryDelayMs, startOfNextDay, type SendWindow } from '../engine/schedule.ts';
import { maskAddress, type Logger } from '../log.ts';
import type { Database } from '../store/database.ts';
import type { SqlTx } from '../store/sql.ts';
import { rewordReminder } from './wording.ts';

// ---------------------------------------------------------------------------------------------
// Claiming

export interface ClaimedMessage {
  id: string;
  kind: string;
  stage: string | null;
  channel: string;
  recipient: string;
  body: string;
  choices: Choice[] | null;
  attachment: OutgoingAttachment | null;
  /** Attempts including this claim: 1 on the first claim. Settling a claim is fenced on it. */
  attempts: number;
  scheduledAt: Date;
  createdAt: Date;
  idempotencyKey: string;
  businessId: string | null;
  debtorId: string | null;
  memberId: string | null;
  /** The debtor it goes to has said "stop" (false when it goes to no debtor). */
  debtorOptedOut: boolean;
  /** The business's quiet hours and send days (null when the row belongs to no business). */
  sendWindow: SendWindow | null;
  /** A reminder's business-local day its text was worded for (null: the owner's own words, or not a reminder). */
  wordedOn: string | null;
  /** A reminder whose customer already got one today, business-local. */
  remindedToday: boolean;
  /** A reminder with a newer one for the same customer also due: the newer goes, this one not. */
  superseded: boolean;
}

interface ClaimRow {
  id: string;
  kind: string;
  stage: string | null;
  channel: string;
  recipient: string;
  body: string;
  choices: Choice[] | null;
  attachment: OutgoingAttachment | null;
  attempts: number;
  scheduled_at: Date;
  created_at: Date;
  idempotency_key: string;
  business_id: string | null;
  debtor_id: string | null;
  member_id: string | null;
  debtor_opted_out: boolean;
  send_window: SendWindow | null;
  worded_on: string | null;
  reminded_today: boolean;
  superseded: boolean;
}

const CLAIM_SQL = `
UPDATE outbound_message o
   SET status = 'sending', attempts = o.attempts + 1, updated_at = $1
 WHERE o.id IN (SELECT q.id FROM outbound_message q
                 WHERE q.status = 'queued' AND q.scheduled_at <= $1 AND q.channel = ANY($2::text[])
                 ORDER BY q.scheduled_at, q.created_at
                 LIMIT $3
                   FOR UPDATE SKIP LOCKED)
RETURNING o.id, o.kind, o.stage, o.channel, o.recipient, o.body, o.choices, o.attachment, o.attempts,
          o.scheduled_at, o.created_at, o.idempotency_key, o.business_id, o.debtor_id, o.member_id,
          COALESCE((SELECT d.opted_out FROM debtor d WHERE d.id = o.debtor_id), false) AS debtor_opted_out,
          (SELECT json_build_object('timeZone', b.time_zone, 'quietStartHour', b.quiet_start_hour,
                                    'quietEndHour', b.quiet_end_hour, 'sendDays', b.send_days)
             FROM business b WHERE b.id = o.business_id) AS send_window,
          o.worded_on::text AS worded_on,
          -- One reminder per customer per day: one was already sent today, in the business's time zone.
          (o.kind = 'reminder' AND EXISTS (
             SELECT 1 FROM outbound_message s JOIN business b ON b.id = s.business_id
              WHERE s.debtor_id = o.debtor_id AND s.kind = 'reminder' AND s.status = 'sent' AND s.id <> o.id
                AND s.sent_at >= (date_trunc('day', $1::timestamptz AT TIME ZONE b.time_zone) AT TIME ZONE b.time_zone))) AS reminded_today,
          -- A newer reminder for the same customer is due too (the subquery sees the rows as they
          -- were before this claim: 'queued').
          (o.kind = 'reminder' AND EXISTS (
             SELECT 1 FROM outbound_message n
              WHERE n.debtor_id = o.debtor_id AND n.kind = 'reminder' AND n.id <> o.id
                AND n.status IN ('queued', 'sending') AND n.scheduled_at <= $1
                AND (n.created_at, n.id) > (o.created_at, o.id))) AS superseded`;

/**
 * Claims up to `limit` queued rows due by `now` on the given channels, oldest first: one
 * statement marks them 'sending' and counts the attempt. Rows another transaction holds are
 * skipped, so concurrent claimers get disjoint rows.
 */
export async function claimDueMessages(
  db: Pick<Database, 'sql'>,
  options: { now: Date; limit: number; channels: string[] },
): Promise<ClaimedMessage[]> {
  if (options.limit <= 0 || options.channels.length === 0) return [];
  const rows = await db.sql.query<ClaimRow>(CLAIM_SQL, [options.now, options.channels, options.limit]);
  return rows
    .map(
      (r): ClaimedMessage => ({
        id: r.id,
        kind: r.kind,
        stage: r.stage,
        channel: r.channel,
        recipient: r.recipient,
        body: r.body,
        choices: r.choices ?? null,
        attachment: r.attachment ?? null,
        attempts: Number(r.attempts),
        scheduledAt: new Date(r.scheduled_at),
        createdAt: new Date(r.created_at),
        idempotencyKey: r.idempotency_key,
        businessId: r.business_id,
        debtorId: r.debtor_id,
        memberId: r.member_id,
        debtorOptedOut: Boolean(r.debtor_opted_out),
        sendWindow: r.send_window ?? null,
        wordedOn: r.worded_on ?? null,
        remindedToday: Boolean(r.reminded_today),
        superseded: Boolean(r.superseded),
      }),
    )
    .sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime());
}

/**
 * Puts rows left in 'sending' for longer than `olderThanMs` (their claimer died mid-send) back in
 * the queue. The attempt stays counted. Returns how many were recovered.
 */
export async function recoverStaleClaims(db: Pick<Database, 'sql'>, options: { now: Date; olderThanMs: number }): Promise<number> {
  const cutoff = new Date(options.now.getTime() - options.olderThanMs);
  const rows = await db.sql.query<{ id: string }>(
    `UPDATE outbound_message
        SET status = 'queued', updated_at = $1, last_error = 'claim expired: the sender stopped before recording a result'
      WHERE status = 'sending' AND updated_at < $2
    RETURNING id`,
    [options.now, cutoff],
  );
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Settling a claim: one UPDATE each, fenced on (id, status 'sending', attempts).

const FENCE = `id = $1 AND status = 'sending' AND attempts = $2`;

async function settle(db: Pick<Database, 'sql'>, row: ClaimedMessage, set: string, params: unknown[]): Promise<boolean> {
  const rows = await db.sql.query<{ id: string }>(`UPDATE outbound_message SET ${set} WHERE ${FENCE} RETURNING id`, [row.id, row.attempts, ...params]);
  return rows.length === 1;
}

const markSent = (db: Pick<Database, 'sql'>, row: ClaimedMessage, providerMessageId: string, now: Date) =>
  settle(db, row, `status = 'sent', provider_message_id = $3, sent_at = $4, updated_at = $4`, [providerMessageId, now]);

/** A failed attempt: back in the queue at `retryAt`, the attempt counted. */
const markRetry = (db: Pick<Database, 'sql'>, row: ClaimedMessage, retryAt: Date, error: string, now: Date) =>
  settle(db, row, `status = 'queued', scheduled_at = $3, last_error = $4, updated_at = $5`, [retryAt, error, now]);

/** Not attempted (quiet hours, a chat backing off, out of time): back in the queue, the attempt not counted. */
const markDeferred = (db: Pick<Database, 'sql'>, row: ClaimedMessage, until: Date, now: Date) =>
  settle(db, row, `status = 'queued', scheduled_at = $3, attempts = attempts - 1, updated_at = $4`, [until, now]);

const markSkipped = (db: Pick<Database, 'sql'>, row: ClaimedMessage, reason: string, now: Date) =>
  settle(db, row, `status = 'skipped', last_error = $3, updated_at = $4`, [reason, now]);

/**
 * Gives up on a row and, in the same transaction, queues one notice per active owner of its
 * business (idempotency key `send-failed:<row id>:<owner id>`), when the row was going to a
 * debtor. Owners on the very chat that failed are not told through it.
 */
async function markFailed(db: Pick<Database, 'sql'>, row: ClaimedMessage, error: string, now: Date): Promise<{ settled: boolean; notices: number }> {
  return db.sql.transaction(async (tx) => {
    const failed = await tx.query<{ id: string }>(
      `UPDATE outbound_message SET status = 'failed', last_error = $3, updated_at = $4 WHERE ${FENCE} RETURNING id`,
      [row.id, row.attempts, error, now],
    );
    if (failed.length === 0) return { settled: false, notices: 0 };
    if (!row.businessId || !row.debtorId) return { settled: true, notices: 0 };
    const notices = await queueOwnerNotices(tx, row, now, 'send-failed', (language, debtorName) => renderSendFailed({ language, debtorName, attempts: row.attempts }).text);
    return { settled: true, notices };
  });
}

/**
 * The recipient of a debtor's row is gone for good (blocked the bot, deleted their account): the
 * row fails without a retry, the debtor is marked opted out (the reason in the audit trail), and
 * each owner is told once (key `opted-out:<row id>:<owner id>`). A row to anyone but the debtor's
 * own chat on that channel (an owner's notice about the debtor) only fails.
 */
async function markRecipientGone(
  db: Pick<Database, 'sql'>,
  row: ClaimedMessage,
  reason: string,
  error: string,
  now: Date,
): Promise<{ settled: boolean; optedOut: boolean; notices: number }> {
  return db.sql.transaction(async (tx) => {
    const failed = await tx.query<{ id: string }>(
      `UPDATE outbound_message SET status = 'failed', last_error = $3, updated_at = $4 WHERE ${FENCE} RETURNING id`,
      [row.id, row.attempts, error, now],
    );
    if (failed.length === 0) return { settled: false, optedOut: false, notices: 0 };
    if (!row.businessId || !row.debtorId) return { settled: true, optedOut: false, notices: 0 };
    const debtor = await tx.query<{ id: string }>(
      `UPDATE debtor d SET opted_out = true, opted_out_at = $4, updated_at = $4
        WHERE d.id = $1 AND NOT d.opted_out
          AND EXISTS (SELECT 1 FROM debtor_identity di WHERE di.debtor_id = d.id AND di.channel = $2 AND di.address = $3)
        RETURNING d.id`,
      [row.debtorId, row.channel, row.recipient, now],
    );
    if (debtor.length === 0) return { settled: true, optedOut: false, notices: 0 };
    await tx.query(
      `INSERT INTO audit_event (business_id, actor_type, action, entity_type, entity_id, data, created_at)
       VALUES ($1, 'system', 'debtor.opted_out', 'debtor', $2, $3::jsonb, $4)`,
      [row.businessId, row.debtorId, JSON.stringify({ reason, channel: row.channel, outbound: row.id, error }), now],
    );
    const notices = await queueOwnerNotices(tx, row, now, 'opted-out', (language, debtorName) => renderRecipientGone({ language, debtorName, channel: row.channel }).text);
    return { settled: true, optedOut: true, notices };
  });
}

/** One notice about the row's debtor to each active owner of its business, except on the chat the row went to. */
async function queueOwnerNotices(
  tx: SqlTx,
  row: ClaimedMessage,
  now: Date,
  keyPrefix: string,
  render: (language: Language, debtorName: string) => string,
): Promise<number> {
  const owners = await tx.query<{ id: string; channel: string; address: string; language: string; debtor_name: string | null }>(
    `SELECT m.id, m.channel, m.address, COALESCE(m.language, b.language) AS language,
            (SELECT d.name FROM debtor d WHERE d.id = $2) AS debtor_name
       FROM business b JOIN member m ON m.business_id = b.id AND m.role = 'owner' AND m.active
      WHERE b.id = $1 AND NOT (m.channel = $3 AND m.address = $4)
      ORDER BY m.created_at`,
    [row.businessId, row.debtorId, row.channel, row.recipient],
  );
  if (owners.length === 0) return 0;
  const bodies = owners.map((o) => render((o.language === 'hi' ? 'hi' : 'en') as Language, o.debtor_name ?? row.recipient));
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO outbound_message (business_id, kind, channel, recipient, member_id, debtor_id, body, idempotency_key, scheduled_at, created_at, updated_at)
     SELECT $1::uuid, 'owner_notice', t.channel, t.address, t.member_id::uuid, $2::uuid, t.body, t.key, $3, $3, $3
       FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS t(channel, address, member_id, body, key)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    [
      row.businessId,
      row.debtorId,
      now,
      owners.map((o) => o.channel),
      owners.map((o) => o.address),
      owners.map((o) => o.id),
      bodies,
      owners.map((o) => `${keyPrefix}:${row.id}:${o.id}`),
    ],
  );
  return inserted.length;
}

// ---------------------------------------------------------------------------------------------
// Rate limits

export interface ChannelLimits {
  /** Messages per second over the whole channel (Infinity: unlimited). */
  perSecond: number;
  /** Messages per second to one chat (Infinity: unlimited). */
  perChatPerSecond: number;
}

/** The providers' published limits; a channel not listed (console) is unlimited. */
export const DEFAULT_CHANNEL_LIMITS: Readonly<Record<string, ChannelLimits>> = {
  telegram: { perSecond: 30, perChatPerSecond: 1 },
  whatsapp: { perSecond: 20, perChatPerSecond: 1 },
};

/**
 * A limiter allowing `rate` per second as one token every 1/rate s (plus 1 ms, as the limiter
 * reads whole milliseconds): a bucket of one, so no one-second window, however placed, holds more
 * than `rate` sends. A bucket of N per fixed second would allow 2N across a window boundary, and
 * providers count the sliding second. In memory, or shared through `store` (see RATE_LIMIT_TABLE).
 */
function spacedLimiter(rate: number, keyPrefix: string, store: SqlTx | null): RateLimiterMemory | RateLimiterPostgres | null {
  if (rate === Infinity) return null;
  if (!(rate > 0)) throw new RangeError(`a rate limit must be positive: ${rate}`);
  const inMemory = new RateLimiterMemory({ points: 1, duration: (1000 / rate + 1) / 1000, keyPrefix });
  if (!store) return inMemory;
  return new RateLimiterPostgres({
    storeClient: sharedLimitStore(store),
    storeType: 'pool',
    tableName: RATE_LIMIT_TABLE,
    tableCreated: true,
    keyPrefix,
    points: 1,
    // Whole milliseconds, as the table stores them, and 3% more: a send leaves a few milliseconds
    // after its turn (the chat's turn is taken in between, a round trip), and without the margin
    // 31 of 10,000 sends fell within one second (bench/dispatch.ts).
    duration: Math.ceil((1000 / rate) * 1.03) / 1000,
    insuranceLimiter: inMemory,
  });
}

/** The table of shared buckets (migration 20261121080000_shared_rate_limits). */
const RATE_LIMIT_TABLE = 'rate_limit';

/**
 * The store RateLimiterPostgres queries, on the service's own connections. Its expiry times are
 * whole milliseconds in a BIGINT, and seconds times 1,000 are not always whole (a 429's back-off
 * in seconds), so a fractional one is rounded up, never shortening a wait.
 */
function sharedLimitStore(sql: SqlTx): { query(q: { text: string; values?: unknown[] }): Promise<{ rows: unknown[] }> } {
  return {
    async query(q) {
      const values = (q.values ?? []).map((v) => (typeof v === 'number' && !Number.isInteger(v) ? Math.ceil(v) : v));
      return { rows: await sql.query(q.text, values) };
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One channel's token buckets: the channel's overall rate, taken in FIFO order (in this process),
 * and each chat's; in memory, or shared by every instance through `store`. Callers wait rather
 * than drop.
 */
class ChannelThrottle {
  private readonly overall: RateLimiterQueue | null;
  private readonly perChat: RateLimiterMemory | RateLimiterPostgres | null;

  constructor(name: string, limits: ChannelLimits | undefined, store: SqlTx | null) {
    const overall = limits ? spacedLimiter(limits.perSecond, `dispatch:${name}`, store) : null;
    this.overall = overall ? new RateLimiterQueue(overall) : null;
    this.perChat = limits ? spacedLimiter(limits.perChatPerSecond, `dispatch:${name}:chat`, store) : null;
  }

  /** How long until the chat may be sent to again (0: now). */
  async chatWaitMs(chat: string): Promise<number> {
    if (!this.perChat) return 0;
    const res = await this.perChat.get(chat);
    return res && res.consumedPoints >= this.perChat.points && res.msBeforeNext > 0 ? res.msBeforeNext : 0;
  }

  /**
   * Waits for the chat's turn and then the channel's, and takes one token of each just before the
   * send. Returns the wait instead, taking nothing, when the chat's turn is over `maxWaitMs` away.
   */
  async acquire(chat: string, maxWaitMs: number): Promise<{ ok: true } | { ok: false; waitMs: number }> {
    for (;;) {
      const chatWait = await this.chatWaitMs(chat);
      if (chatWait > maxWaitMs) return { ok: false, waitMs: chatWait };
      if (chatWait > 0) {
        await sleep(chatWait);
        continue;
      }
      if (this.overall) await this.overall.removeTokens(1);
      if (!this.perChat) return { ok: true };
      try {
        await this.perChat.consume(chat);
        return { ok: true };
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        // Another send to the chat took its turn meanwhile (not expected: sends to one chat are serial).
      }
    }
  }

  /** The provider said "slow down" (a 429 with retry-after): the chat waits that long. */
  async backOff(chat: string, ms: number): Promise<void> {
    if (this.perChat && ms > 0) await this.perChat.block(chat, ms / 1000);
  }
}

// ---------------------------------------------------------------------------------------------
// The dispatcher

export interface DispatchResult {
  claimed: number;
  sent: number;
  /** Failed attempts put back in the queue with a backoff. */
  retried: number;
  /** Given up after MAX_SEND_ATTEMPTS. */
  failed: number;
  /** Never to be sent: the debtor opted out. */
  skipped: number;
  /** Put back without counting the attempt: quiet hours, a chat backing off, a long rate-limit wait. */
  deferred: number;
}

export type DispatchOutcome = 'sent' | 'retried' | 'failed' | 'skipped' | 'deferred';

/** One row's fate, for metrics: timestamps are performance.now() milliseconds. */
export interface DispatchEvent {
  id: string;
  channel: string;
  outcome: DispatchOutcome;
  attempts: number;
  claimedAt: number;
  settledAt: number;
}

export interface DispatcherDeps {
  /** On PostgreSQL (engine 'postgres'), the rate limits are shared with every instance on the database. */
  db: Pick<Database, 'sql'> & Partial<Pick<Database, 'engine'>>;
  /** The channels this instance holds; rows for other channels are left for the instances that hold them. */
  channels: Map<string, Channel>;
  clock: Clock;
  logger: Logger;
  /** Per-channel limits, over DEFAULT_CHANNEL_LIMITS. */
  limits?: Record<string, ChannelLimits>;
  /** Rows claimed per channel per batch (default 100; a limited channel claims at most 2 s of its rate). */
  batchSize?: number;
  /** A send not answered by then counts as a failed attempt (default 15 s). */
  sendTimeoutMs?: number;
  /** Rows of a batch not sent within this long of their claim are put back (default 60 s). */
  claimBudgetMs?: number;
  /** start(): claims older than this are recovered (default 10 min; must exceed claimBudgetMs + sendTimeoutMs). */
  staleAfterMs?: number;
  /** start(): how often to look for stale claims (default 60 s). */
  recoverEveryMs?: number;
  /** The longest wait for a chat's rate-limit turn; a longer wait (a 429 backoff) defers the row instead (default 5 s). */
  maxChatWaitMs?: number;
  onOutcome?: (event: DispatchEvent) => void;
}

const KINDS_SUPPRESSED_BY_OPT_OUT = new Set(['reminder', 'thanks']);
const TIMED_OUT = Symbol('timed out');

function emptyResult(): DispatchResult {
  return { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0, deferred: 0 };
}

function addInto(into: DispatchResult, from: DispatchResult): DispatchResult {
  for (const key of Object.keys(into) as Array<keyof DispatchResult>) into[key] += from[key];
  return into;
}

function chatKey(row: { channel: string; recipient: string }): string {
  return `${row.channel}\u0000${row.recipient}`;
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return text.slice(0, 500);
}

/** A channel's "this can never be delivered" (UndeliverableError): why, and whether the recipient opted out. */
function undeliverableOf(err: unknown): { reason: string; optOut: boolean } | undefined {
  if (typeof err !== 'object' || err === null || !('undeliverable' in err)) return undefined;
  const value = (err as { undeliverable: unknown }).undeliverable;
  if (typeof value !== 'object' || value === null) return undefined;
  const { reason, optOut } = value as { reason?: unknown; optOut?: unknown };
  return { reason: typeof reason === 'string' ? reason : 'undeliverable', optOut: optOut === true };
}

/** A provider's "retry after" (Telegram's 429): a finite, non-negative `retryAfterMs` on the error. */
function retryAfterOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('retryAfterMs' in err)) return undefined;
  const value = (err as { retryAfterMs: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export class Dispatcher {
  private readonly db: Pick<Database, 'sql'>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly limits: Record<string, ChannelLimits>;
  private readonly throttles = new Map<string, ChannelThrottle>();
  private readonly batchSize: number;
  private readonly sendTimeoutMs: number;
  private readonly claimBudgetMs: number;
  private readonly staleAfterMs: number;
  private readonly recoverEveryMs: number;
  private readonly maxChatWaitMs: number;
  /** Per chat: the tail of its rows in flight (one at a time, in claim order), and its backoff after a failed send. */
  private readonly chats = new Map<string, { tail: Promise<void>; backoffUntil: Date | null }>();
  /** Per channel: claimed rows not settled yet. */
  private readonly active = new Map<string, number>();
  /** Per chat: sends that outlived their timeout and have not settled yet. */
  private readonly lingering = new Map<string, Promise<unknown>>();
  /** Set while the database cannot be reached: sends wait until a database call succeeds again. */
  private databaseDown: { back: Promise<void>; resolve: () => void } | null = null;
  /** performance.now() when stop() was called. */
  private stopRequestedAt: number | null = null;
  private running = false;
  private loops: Array<Promise<void>> = [];
  private readonly wakers = new Set<() => void>();

  constructor(private readonly deps: DispatcherDeps) {
    this.db = deps.db;
    this.clock = deps.clock;
    this.logger = deps.logger;
    this.limits = { ...DEFAULT_CHANNEL_LIMITS, ...deps.limits };
    this.batchSize = deps.batchSize ?? 100;
    this.sendTimeoutMs = deps.sendTimeoutMs ?? 15_000;
    this.claimBudgetMs = deps.claimBudgetMs ?? 60_000;
    this.staleAfterMs = deps.staleAfterMs ?? 10 * 60_000;
    this.recoverEveryMs = deps.recoverEveryMs ?? 60_000;
    this.maxChatWaitMs = deps.maxChatWaitMs ?? 5_000;
    if (this.staleAfterMs <= this.claimBudgetMs + this.sendTimeoutMs + this.maxChatWaitMs) {
      throw new RangeError('staleAfterMs must exceed claimBudgetMs + sendTimeoutMs + maxChatWaitMs, or live claims would be recovered and sent twice');
    }
    const store = deps.db.engine === 'postgres' ? deps.db.sql : null;
    for (const name of deps.channels.keys()) this.throttles.set(name, new ChannelThrottle(name, this.limits[name], store));
  }

  /** Rows one batch of this channel claims: a limited channel takes about 2 s of its rate. */
  claimLimit(channel: string): number {
    const perSecond = this.limits[channel]?.perSecond ?? Infinity;
    return perSecond === Infinity ? this.batchSize : Math.max(1, Math.min(this.batchSize, Math.ceil(perSecond * 2)));
  }

  /** One batch on every channel, concurrently; resolves when every row it claimed is settled. */
  async runOnce(): Promise<DispatchResult> {
    const results = await Promise.all([...this.deps.channels.keys()].map(async (name) => (await this.launchBatch(name, this.claimLimit(name))).done));
    return results.reduce(addInto, emptyResult());
  }

  /**
   * Dispatches continuously. Each channel keeps up to claimLimit rows in hand and claims more as
   * soon as half of them are settled, so a backlog flows at the rate limit without pauses between
   * batches; with nothing due it looks again every intervalMs. Stale claims are recovered meanwhile.
   */
  start(intervalMs = 1_000): void {
    if (this.running) return;
    this.running = true;
    this.stopRequestedAt = null;
    this.loops = [...this.deps.channels.keys()].map((name) => this.channelLoop(name, intervalMs));
    this.loops.push(this.recoveryLoop());
  }

  /** Stops claiming and waits until every claimed row is settled. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopRequestedAt = performance.now();
    for (const wake of this.wakers) wake();
    await Promise.all(this.loops);
    this.loops = [];
  }

  private async pause(ms: number): Promise<void> {
    if (!this.running) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  private async channelLoop(name: string, intervalMs: number): Promise<void> {
    const capacity = this.claimLimit(name);
    const batches = new Set<Promise<unknown>>();
    while (this.running) {
      const room = capacity - (this.active.get(name) ?? 0);
      let backlog = false;
      if (room >= Math.ceil(capacity / 2)) {
        try {
          const { claimed, done } = await this.launchBatch(name, room);
          backlog = claimed === room;
          batches.add(done);
          void done.finally(() => batches.delete(done));
        } catch (err) {
          this.logger.error({ err, channel: name }, 'dispatch.claim_failed');
        }
      } else {
        backlog = true;
      }
      // With a backlog, look again as soon as rows settle (sends are paced by the rate limit anyway).
      await this.pause(backlog ? Math.min(intervalMs, 25) : intervalMs);
    }
    await Promise.all(batches);
  }

  private async recoveryLoop(): Promise<void> {
    while (this.running) {
      try {
        const recovered = await recoverStaleClaims(this.db, { now: this.clock.now(), olderThanMs: this.staleAfterMs });
        if (recovered > 0) this.logger.warn({ recovered }, 'dispatch.stale_claims_recovered');
      } catch (err) {
        this.logger.error({ err }, 'dispatch.recovery_failed');
      }
      await this.pause(this.recoverEveryMs);
    }
  }

  /** Claims up to `limit` rows of one channel and starts them; `done` settles when all of them are settled. */
  private async launchBatch(name: string, limit: number): Promise<{ claimed: number; done: Promise<DispatchResult> }> {
    const channel = this.deps.channels.get(name)!;
    let rows: ClaimedMessage[];
    try {
      rows = await claimDueMessages(this.db, { now: this.clock.now(), limit, channels: [name] });
    } catch (err) {
      this.noteDatabaseDown();
      throw err;
    }
    this.noteDatabaseUp();
    const result = emptyResult();
    result.claimed = rows.length;
    if (rows.length === 0) return { claimed: 0, done: Promise.resolve(result) };
    this.active.set(name, (this.active.get(name) ?? 0) + rows.length);
    const claimedAt = performance.now();
    const done = Promise.all(rows.map((row) => this.enqueue(channel, row, claimedAt, result))).then(() => {
      this.logger.info({ channel: name, ...result }, 'dispatch.batch');
      return result;
    });
    return { claimed: rows.length, done };
  }

  /** Chats run concurrently; the rows of one chat go one at a time, in claim order, across batches too. */
  private enqueue(channel: Channel, row: ClaimedMessage, claimedAt: number, result: DispatchResult): Promise<void> {
    const key = chatKey(row);
    let chat = this.chats.get(key);
    if (!chat) {
      chat = { tail: Promise.resolve(), backoffUntil: null };
      this.chats.set(key, chat);
    }
    const state = chat;
    const run = state.tail.then(() => this.settleRow(channel, row, claimedAt, result, state));
    state.tail = run;
    void run.then(() => {
      this.active.set(row.channel, (this.active.get(row.channel) ?? 1) - 1);
      if (state.tail === run && this.chats.get(key) === state) this.chats.delete(key);
    });
    return run;
  }

  /** Decides, sends and settles one row. Never throws. */
  private async settleRow(channel: Channel, row: ClaimedMessage, claimedAt: number, result: DispatchResult, chat: { backoffUntil: Date | null }): Promise<void> {
    let outcome: { outcome: DispatchOutcome; retryAt?: Date };
    try {
      if (chat.backoffUntil) {
        // A send to this chat just failed: its later rows wait as long, keeping their order.
        const until: Date = row.scheduledAt > chat.backoffUntil ? row.scheduledAt : chat.backoffUntil;
        await this.settleDeferred(row, claimedAt, until, 'chat_backoff');
        outcome = { outcome: 'deferred' };
      } else {
        outcome = await this.dispatchRow(channel, row, claimedAt);
      }
    } catch (err) {
      // The database failed while settling (or the row could not be judged): it stays 'sending'
      // until recovered as stale, and a row that keeps failing this way is given up on.
      this.logger.error({ err, outbound: row.id }, 'dispatch.row_failed');
      return;
    }
    result[outcome.outcome] += 1;
    if (outcome.retryAt) chat.backoffUntil = outcome.retryAt;
    try {
      this.deps.onOutcome?.({ id: row.id, channel: row.channel, outcome: outcome.outcome, attempts: row.attempts, claimedAt, settledAt: performance.now() });
    } catch (err) {
      this.logger.warn({ err }, 'dispatch.on_outcome_failed');
    }
  }

  /** A claimed reminder worded again for today: its new text, or what became of it instead. */
  private async reword(row: ClaimedMessage, claimedAt: number, now: Date): Promise<string | 'nothing_left' | 'gone' | 'deferred'> {
    try {
      const result = await this.db.sql.transaction((tx) => rewordReminder(tx, { id: row.id, now, status: 'sending', attempts: row.attempts }));
      if (result === null) {
        this.logClaimLost(false, row, 'reworded');
        return 'gone';
      }
      return result === 'nothing_left' ? 'nothing_left' : result.body;
    } catch (err) {
      this.logger.warn({ outbound: row.id, error: errorText(err) }, 'outbound.reword_failed');
      await this.settleDeferred(row, claimedAt, row.scheduledAt, 'reword_failed');
      return 'deferred';
    }
  }

  private async settleDeferred(row: ClaimedMessage, claimedAt: number, until: Date, reason: string): Promise<void> {
    const settled = await this.record(row, claimedAt, () => markDeferred(this.db, row, until, this.clock.now()));
    this.logClaimLost(settled, row, 'deferred');
    this.logger.debug({ outbound: row.id, reason, until }, 'outbound.deferred');
  }

  /**
   * Records a row's outcome (one fenced statement), retrying with backoff while the database
   * cannot be reached, so that a send that happened is recorded once the database is back rather
   * than sent again. Gives up, throwing, once the claim may have gone stale (another instance may
   * have recovered it) or a while after stop(): the row then stays 'sending' until recovered.
   */
  private async record<T>(row: ClaimedMessage, claimedAt: number, settle: () => Promise<T>): Promise<T> {
    for (let tries = 1, delayMs = 50; ; tries++, delayMs = Math.min(delayMs * 2, 2_000)) {
      try {
        const result = await settle();
        this.noteDatabaseUp();
        if (tries > 1) this.logger.info({ outbound: row.id, tries }, 'dispatch.settle_recorded_late');
        return result;
      } catch (err) {
        this.noteDatabaseDown();
        const stale = performance.now() - claimedAt + delayMs >= this.staleAfterMs;
        const stopping = this.stopRequestedAt !== null && performance.now() - this.stopRequestedAt >= this.sendTimeoutMs;
        if (stale || stopping) throw err;
        // The first failure is an error; the retries that follow it are routine until one works.
        if (tries === 1) this.logger.error({ err, outbound: row.id }, 'dispatch.settle_failed');
        else this.logger.debug({ err, outbound: row.id, tries }, 'dispatch.settle_retry_failed');
        await sleep(delayMs);
      }
    }
  }

  private noteDatabaseDown(): void {
    if (this.databaseDown) return;
    let resolve!: () => void;
    const back = new Promise<void>((r) => {
      resolve = r;
    });
    this.databaseDown = { back, resolve };
    this.logger.warn('dispatch.database_unavailable');
  }

  private noteDatabaseUp(): void {
    const down = this.databaseDown;
    if (!down) return;
    this.databaseDown = null;
    down.resolve();
    this.logger.info('dispatch.database_back');
  }

  /** Waits while the database is down, until it is back, the claim budget is spent, or stop(). */
  private async databaseBack(claimedAt: number): Promise<void> {
    while (this.databaseDown && this.stopRequestedAt === null) {
      const left = this.claimBudgetMs - (performance.now() - claimedAt);
      if (left <= 0) return;
      await Promise.race([this.databaseDown.back, sleep(Math.min(left, 100))]);
    }
  }

  private logClaimLost(settled: boolean, row: ClaimedMessage, outcome: string): void {
    if (!settled) this.logger.warn({ outbound: row.id, outcome }, 'outbound.claim_lost');
  }

  private async dispatchRow(channel: Channel, row: ClaimedMessage, claimedAt: number): Promise<{ outcome: DispatchOutcome; retryAt?: Date }> {
    const now = this.clock.now();
    const log = this.logger.child({ outbound: row.id, kind: row.kind, channel: row.channel, to: maskAddress(row.recipient), attempt: row.attempts });

    // Claimed more often than it may be tried without a recorded result: the sends crashed us.
    if (row.attempts > MAX_SEND_ATTEMPTS) return this.giveUp(row, claimedAt, 'too many attempts without a recorded result', now, log);

    if (KINDS_SUPPRESSED_BY_OPT_OUT.has(row.kind) && row.debtorOptedOut) {
      this.logClaimLost(await this.record(row, claimedAt, () => markSkipped(this.db, row, 'debtor opted out', now)), row, 'skipped');
      log.info('outbound.skipped_opted_out');
      return { outcome: 'skipped' };
    }

    if (row.kind === 'reminder' && row.superseded) {
      this.logClaimLost(await this.record(row, claimedAt, () => markSkipped(this.db, row, 'replaced by a newer reminder', now)), row, 'skipped');
      log.info('outbound.skipped_replaced');
      return { outcome: 'skipped' };
    }

    if (row.kind === 'reminder' && row.sendWindow) {
      // One reminder per customer per day: a second waits for tomorrow's window (and is worded again then).
      const next = nextSendTime({ now: row.remindedToday ? startOfNextDay(now, row.sendWindow.timeZone) : now, ...row.sendWindow });
      if (next.getTime() > now.getTime()) {
        await this.settleDeferred(row, claimedAt, next, row.remindedToday ? 'reminded_today' : 'quiet_hours');
        return { outcome: 'deferred' };
      }
    }

    const key = chatKey(row);
    if (this.lingering.has(key)) {
      await this.settleDeferred(row, claimedAt, new Date(now.getTime() + this.sendTimeoutMs), 'previous_send_pending');
      return { outcome: 'deferred' };
    }

    // No send while the database cannot record its result: wait for it (within the claim budget).
    await this.databaseBack(claimedAt);
    if (this.databaseDown) {
      await this.settleDeferred(row, claimedAt, row.scheduledAt, 'database_unavailable');
      return { outcome: 'deferred' };
    }

    if (performance.now() - claimedAt > this.claimBudgetMs) {
      await this.settleDeferred(row, claimedAt, row.scheduledAt, 'claim_budget');
      return { outcome: 'deferred' };
    }

    // Written on an earlier day (approved late, snoozed, held by quiet hours or send days): worded
    // again for today, so every date, day count and balance in it is true when it is read.
    if (row.kind === 'reminder' && row.wordedOn !== null && row.sendWindow && row.wordedOn !== todayIn(now, row.sendWindow.timeZone)) {
      const reworded = await this.reword(row, claimedAt, now);
      if (reworded === 'gone') return { outcome: 'skipped' };
      if (reworded === 'deferred') return { outcome: 'deferred' };
      if (reworded === 'nothing_left') {
        log.info('outbound.skipped_nothing_left');
        return { outcome: 'skipped' };
      }
      row.body = reworded;
    }

    const throttle = this.throttles.get(row.channel)!;
    const turn = await throttle.acquire(row.recipient, this.maxChatWaitMs);
    if (!turn.ok) {
      await this.settleDeferred(row, claimedAt, new Date(now.getTime() + turn.waitMs), 'chat_rate_limit');
      return { outcome: 'deferred' };
    }

    const sent = await this.sendWithTimeout(channel, row, key);
    const after = this.clock.now();
    if (sent.ok) {
      // The send happened: its record is retried until the database takes it, never sent again.
      const settled = await this.record(row, claimedAt, () => markSent(this.db, row, sent.value.providerMessageId, after));
      if (!settled) log.warn('outbound.sent_but_claim_lost');
      log.debug({ providerMessageId: sent.value.providerMessageId }, 'outbound.sent');
      return { outcome: 'sent' };
    }

    const error = sent.timedOut ? `send timed out after ${this.sendTimeoutMs} ms` : errorText(sent.error);
    const undeliverable = sent.timedOut ? undefined : undeliverableOf(sent.error);
    if (undeliverable) return this.giveUpUndeliverable(row, claimedAt, undeliverable, error, after, log);
    const retryAfterMs = sent.timedOut ? undefined : retryAfterOf(sent.error);
    if (retryAfterMs !== undefined) await throttle.backOff(row.recipient, retryAfterMs);
    if (row.attempts >= MAX_SEND_ATTEMPTS) return this.giveUp(row, claimedAt, error, after, log);
    const retryAt = new Date(after.getTime() + (retryAfterMs ?? retryDelayMs(row.attempts)));
    this.logClaimLost(await this.record(row, claimedAt, () => markRetry(this.db, row, retryAt, error, after)), row, 'retried');
    log.warn({ error, retryAt, retryAfterMs }, 'outbound.send_failed');
    return { outcome: 'retried', retryAt };
  }

  private async giveUp(row: ClaimedMessage, claimedAt: number, error: string, now: Date, log: Logger): Promise<{ outcome: DispatchOutcome }> {
    const { settled, notices } = await this.record(row, claimedAt, () => markFailed(this.db, row, error, now));
    this.logClaimLost(settled, row, 'failed');
    log.error({ error, notices }, 'outbound.gave_up');
    return { outcome: 'failed' };
  }

  /** The channel says this can never be delivered: no retry; a debtor who blocked the bot is opted out. */
  private async giveUpUndeliverable(
    row: ClaimedMessage,
    claimedAt: number,
    undeliverable: { reason: string; optOut: boolean },
    error: string,
    now: Date,
    log: Logger,
  ): Promise<{ outcome: DispatchOutcome }> {
    if (!undeliverable.optOut) return this.giveUp(row, claimedAt, error, now, log);
    const { settled, optedOut, notices } = await this.record(row, claimedAt, () => markRecipientGone(this.db, row, undeliverable.reason, error, now));
    this.logClaimLost(settled, row, 'failed');
    log.warn({ error, reason: undeliverable.reason, optedOut, notices }, 'outbound.recipient_gone');
    return { outcome: 'failed' };
  }

  /**
   * Sends with a timeout. A send that times out keeps running (a channel cannot be cancelled):
   * until it settles, this instance sends nothing else to the chat, and if it then succeeds while
   * its row is still waiting in the queue, the row is recorded as sent instead of being sent again.
   */
  private async sendWithTimeout(
    channel: Channel,
    row: ClaimedMessage,
    chatKey: string,
  ): Promise<{ ok: true; value: SendResult } | { ok: false; timedOut: false; error: unknown } | { ok: false; timedOut: true }> {
    const settled = Promise.resolve()
      .then(() => channel.send({ address: row.recipient, text: row.body, choices: row.choices, attachment: row.attachment }))
      .then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, timedOut: false as const, error }),
      );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), this.sendTimeoutMs);
    });
    const first = await Promise.race([settled, timeout]);
    clearTimeout(timer);
    if (first !== TIMED_OUT) return first;

    const late = settled.then(async (outcome) => {
      if (outcome.ok) await this.recordLateSend(row, outcome.value.providerMessageId);
      else this.logger.info({ outbound: row.id, error: errorText(outcome.error) }, 'outbound.late_send_failed');
    });
    const tracked = late
      .catch((err: unknown) => this.logger.error({ err, outbound: row.id }, 'outbound.late_send_record_failed'))
      .finally(() => {
        if (this.lingering.get(chatKey) === tracked) this.lingering.delete(chatKey);
      });
    this.lingering.set(chatKey, tracked);
    // A send that never settles must not silence the chat forever.
    setTimeout(() => {
      if (this.lingering.get(chatKey) === tracked) this.lingering.delete(chatKey);
    }, this.staleAfterMs).unref();
    return { ok: false, timedOut: true };
  }

  /** A timed-out send reached the chat after all: record it if its row was not claimed again. */
  private async recordLateSend(row: ClaimedMessage, providerMessageId: string): Promise<void> {
    const now = this.clock.now();
    const rows = await this.db.sql.query<{ id: string }>(
      `UPDATE outbound_message SET status = 'sent', provider_message_id = $3, sent_at = $4, updated_at = $4
        WHERE id = $1 AND attempts = $2 AND status = 'queued' RETURNING id`,
      [row.id, row.attempts, providerMessageId, now],
    );
    if (rows.length === 1) this.logger.info({ outbound: row.id, providerMessageId }, 'outbound.late_send_recorded');
    else this.logger.warn({ outbound: row.id, providerMessageId }, 'outbound.late_send_not_recorded');
  }
}
