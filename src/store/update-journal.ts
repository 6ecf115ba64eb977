// Updates a channel took from its provider and has not finished handling (table pending_update).
// Telegram forgets an update once it is confirmed: by the next getUpdates in long polling, by the
// 200 a webhook answers. The channel confirms some updates before they are handled (the runner
// fetches while earlier updates are handled; the webhook answers a slow update early), so it keeps
// those here first, and deletes them once handled. What a dead process left is taken up again by
// the next one, or by any instance's periodic sweep, and handled then: handling is idempotent by
// update id (inbound_message), so an update handled just before the crash is only seen again.
import type { Clock } from '../clock.ts';
import type { Tx } from './types.ts';
import { WriteBehind } from './write-behind.ts';

export interface KeptUpdate {
  /** The update's provider message id, e.g. "tg:update:123". */
  key: string;
  payload: unknown;
}

export interface TakenUpUpdate extends KeptUpdate {
  /** How many times it has been taken up again, this time included. */
  attempts: number;
}

/** What a channel needs to keep updates across a crash (src/bot/telegram/channel.ts). */
export interface UpdateJournal {
  /** Stores updates until they are finished; resolves once they are stored (a retry stores nothing twice). */
  keep(updates: KeptUpdate[]): Promise<void>;
  /** The update is handled (or never will be): forgets it, soon (writes are batched). */
  finish(key: string): Promise<void>;
  /**
   * Takes up kept updates whose keeper may be gone (kept longer ago than the replay delay; all of
   * them with `everything`, when this process is the only one receiving), oldest first, and holds
   * them for another replay delay so that no other instance takes them up meanwhile.
   */
  takeUp(options?: { everything?: boolean; limit?: number }): Promise<TakenUpUpdate[]>;
  /** Resolves once every finish so far is written. */
  flushed(): Promise<void>;
}

export interface DatabaseUpdateJournalOptions {
  /** An update not finished this long after it was kept (or taken up) may be taken up again (default 60 s). */
  replayAfterMs?: number;
  /** Finishes wait this long to share one statement (default 100 ms). */
  finishDelayMs?: number;
}

export class DatabaseUpdateJournal implements UpdateJournal {
  private readonly replayAfterMs: number;
  private readonly finishes: WriteBehind<string>;

  constructor(
    private readonly db: Tx,
    private readonly channel: string,
    private readonly clock: Clock,
    options: DatabaseUpdateJournalOptions = {},
  ) {
    this.replayAfterMs = options.replayAfterMs ?? 60_000;
    this.finishes = new WriteBehind((keys) => db.$executeRaw`DELETE FROM pending_update WHERE key = ANY(${keys}::text[])`, options.finishDelayMs ?? 100);
  }

  async keep(updates: KeptUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const now = this.clock.now();
    const replayAfter = new Date(now.getTime() + this.replayAfterMs);
    await this.db.$executeRaw`
      INSERT INTO pending_update (key, channel, payload, replay_after, created_at)
      SELECT u.key, ${this.channel}, u.payload, ${replayAfter}, ${now}
        FROM jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) AS u(key text, payload jsonb)
      ON CONFLICT (key) DO NOTHING`;
  }

  finish(key: string): Promise<void> {
    return this.finishes.add(key);
  }

  async takeUp(options: { everything?: boolean; limit?: number } = {}): Promise<TakenUpUpdate[]> {
    const now = this.clock.now();
    const due = options.everything ? new Date(8.64e15) : now;
    const holdUntil = new Date(now.getTime() + this.replayAfterMs);
    const rows = await this.db.$queryRaw<Array<{ key: string; payload: unknown; attempts: number; created_at: Date }>>`
      UPDATE pending_update p
         SET attempts = p.attempts + 1, replay_after = ${holdUntil}
       WHERE p.key IN (SELECT key FROM pending_update
                        WHERE channel = ${this.channel} AND replay_after <= ${due}
                        ORDER BY created_at, key
                        LIMIT ${options.limit ?? 100}::int
                          FOR UPDATE SKIP LOCKED)
      RETURNING p.key, p.payload, p.attempts, p.created_at`;
    return rows
      .sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.key < b.key ? -1 : 1))
      .map((r) => ({ key: r.key, payload: r.payload, attempts: r.attempts }));
  }

  flushed(): Promise<void> {
    return this.finishes.flushed();
  }
}
