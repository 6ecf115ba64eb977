// Planning: which reminders are due today, for every business in its own time zone.
//
//  1. One statement finds the debtors who may be reminded today: an open invoice of theirs has
//     its next ladder stage due, they have not opted out, are not paused, have no promise not yet
//     due and no "paid already" waiting for the owner (PAID_CLAIM_HOLD_DAYS at most), have a chat
//     to reach them on, got no reminder today (the outbox key) nor was sent one yesterday, and
//     have no reminder approved and not yet sent.
//  2. One statement reads those debtors' open invoices (not paused, not disputed) in one pass:
//     for each, the stage it moves to today if any, and whether it is due.
//  3. The engine words one message per debtor, listing the moving and already due invoices, at
//     the firmest stage of everything it lists (so it never grows softer while the same bills
//     stay unpaid), and no firmer than FIRST_CONTACT_STAGE for a customer never reminded before.
//  4. One statement queues the messages, keyed by (debtor, day) so planning twice drafts nothing
//     twice, one moves the invoices of the debtors it queued along the ladder, and one skips any
//     older draft of theirs still waiting for approval: a customer gets one reminder, the newest,
//     never two that piled up. A customer with a reminder approved and not yet sent is not planned
//     again until it has gone.
// Catch-up after downtime sends the latest stage due, once.
//
// Each statement is shaped so that its plan cannot go badly wrong when PostgreSQL misjudges how
// many invoices are due (it cannot know): small sets are looked up by hash or by index, lists
// come as array parameters, and no two derived sets are joined.
import { PAID_CLAIM_HOLD_DAYS } from '../engine/debtor-reply.ts';
import { STAGES, type LadderStep, type Stage } from '../engine/ladder.ts';
import { capForFirstContact, messageStage, nextSendTime, nextStepAfterCap, nextStepDay, stageIndex } from '../engine/schedule.ts';
import type { Database } from '../store/database.ts';
import type { SqlTx } from '../store/sql.ts';
import { Prisma } from '../store/types.ts';
import { wordingBusinessOf, wordReminder, type WordingBusinessRow } from './wording.ts';

type Sql = ReturnType<typeof Prisma.sql>;

/** Channels in order of preference when a debtor can be reached on several (others come last). */
const CHANNEL_PREFERENCE = ['whatsapp', 'telegram', 'console'];

export interface PlanResult {
  /** Reminder messages queued (or put up for approval), one per debtor. */
  planned: number;
  /** Businesses that got new reminders waiting for approval. */
  awaitingApproval: string[];
}

/** A debtor who may be reminded today ('YYYY-MM-DD' in the business's time zone). */
interface DebtorRow {
  debtor_id: string;
  business_id: string;
  today: string;
  name: string;
  language: string | null;
  channel: string;
  address: string;
  /** Whether they have ever been sent a reminder. */
  contacted: boolean;
}

/** What a message needs of its business. */
interface BusinessRow extends WordingBusinessRow {
  id: string;
  approval_mode: string;
  time_zone: string;
  quiet_start_hour: number;
  quiet_end_hour: number;
  send_days: number[];
}

/** One of their invoices: the stage it moves to today and the day its following stage falls due
 * are null unless it moves. Dates are 'YYYY-MM-DD'; the balance is in minor units. */
interface InvoiceRow {
  debtorId: string;
  id: string;
  number: string;
  balanceMinor: number;
  dueOn: string;
  movesTo: Stage | null;
  nextOn: string | null;
  /** The stage it has already reached. */
  stage: Stage | null;
}

const STAGES_SQL = Prisma.sql`ARRAY[${Prisma.join(STAGES.map((s) => Prisma.sql`${s}`))}]::text[]`;

/** Each business that sends reminders today, with its date today in its own time zone. */
function sendingBusinessesSql(now: Date, businessId: string | null) {
  return Prisma.sql`
    SELECT *, (${now}::timestamptz AT TIME ZONE time_zone)::date AS today FROM business
     WHERE EXTRACT(ISODOW FROM (${now}::timestamptz AT TIME ZONE time_zone)::date)::int = ANY(send_days)
           ${businessId ? Prisma.sql`AND id = ${businessId}::uuid` : Prisma.empty}`;
}

/** The debtors who may be reminded today (see the top of this file), with the chat to use. */
function debtorsSql(now: Date, businessId: string | null) {
  return Prisma.sql`
    WITH b AS MATERIALIZED (${sendingBusinessesSql(now, businessId)}),
    due AS (
      SELECT DISTINCT i.debtor_id, b.today, b.time_zone
        FROM invoice i
        JOIN b ON b.id = i.business_id
       WHERE i.status = 'open' AND i.amount_minor > i.paid_minor
         AND i.next_reminder_on <= b.today
         AND (i.reminded_on IS NULL OR i.reminded_on < b.today)
    )
    SELECT d.id::text AS debtor_id, d.business_id::text, x.today::text AS today, d.name, d.language, ident.channel, ident.address,
           EXISTS (SELECT 1 FROM outbound_message s WHERE s.debtor_id = d.id AND s.kind = 'reminder' AND s.status = 'sent') AS contacted
      FROM due x
      JOIN debtor d ON d.id = x.debtor_id
     CROSS JOIN LATERAL (
       SELECT di.channel, di.address FROM debtor_identity di WHERE di.debtor_id = d.id
        ORDER BY COALESCE(array_position(ARRAY[${Prisma.join(CHANNEL_PREFERENCE)}]::text[], di.channel), ${CHANNEL_PREFERENCE.length + 1}), di.created_at DESC
        LIMIT 1
     ) ident
     WHERE NOT d.opted_out
       AND NOT d.paused_indefinitely AND (d.paused_until IS NULL OR d.paused_until < x.today)
       AND NOT EXISTS (SELECT 1 FROM payment_promise pp WHERE pp.debtor_id = d.id AND pp.status = 'open'
                          AND (pp.promised_on IS NULL OR pp.promised_on >= x.today))
       AND NOT EXISTS (SELECT 1 FROM payment_claim pc WHERE pc.debtor_id = d.id AND pc.status = 'open'
                          AND pc.created_at > ${new Date(now.getTime() - PAID_CLAIM_HOLD_DAYS * 86_400_000)}::timestamptz)
       AND NOT EXISTS (SELECT 1 FROM outbound_message m WHERE m.idempotency_key = 'reminder:' || d.id || ':' || x.today)
       -- A reminder the owner approved (or snoozed, or one held by quiet hours) goes first, worded
       -- for the day it leaves; the next is planned after it.
       AND NOT EXISTS (SELECT 1 FROM outbound_message q WHERE q.debtor_id = d.id AND q.kind = 'reminder' AND q.status IN ('queued', 'sending'))
       -- A day's rest after each reminder: none is planned for a customer sent one yesterday or
       -- today (their local days); what moved waits for tomorrow.
       AND NOT EXISTS (SELECT 1 FROM outbound_message s WHERE s.debtor_id = d.id AND s.kind = 'reminder' AND s.status = 'sent'
                          AND s.sent_at >= ((x.today - 1)::timestamp AT TIME ZONE x.time_zone))`;
}

/**
 * The debtors' open invoices (not paused, not disputed) that are due or move up the ladder today,
 * as text lines (read by parseInvoices). The ladder is each business's own JSON; stages compare by
 * their place in STAGES. An invoice moves when its next stage is due and it was not reminded
 * today: to the highest stage its due date has reached or, after a broken promise
 * (reminder_bump), at least one stage past its last. The day its following stage falls due is
 * what the next_reminder_on trigger would derive, so the update that moves it need not run the
 * trigger.
 */
function invoicesSql(now: Date, businessId: string | null, debtorIds: string[]) {
  const stages = STAGES_SQL;
  return Prisma.sql`
    WITH sending AS MATERIALIZED (${sendingBusinessesSql(now, businessId)}),
    ladder AS (
      -- Each distinct ladder (businesses mostly keep the default) as two arrays sorted by day:
      -- offsets and the stages' ranks.
      SELECT ladder,
             ARRAY(SELECT (e->>'offsetDays')::int FROM jsonb_array_elements(ladder) e ORDER BY (e->>'offsetDays')::int) AS offsets,
             ARRAY(SELECT array_position(${stages}, e->>'stage') FROM jsonb_array_elements(ladder) e ORDER BY (e->>'offsetDays')::int) AS ranks
        FROM (SELECT DISTINCT ladder FROM sending) l
    ),
    lookup AS MATERIALIZED (
      -- The ladder as lookup tables, so that an invoice needs only array subscripts: the highest
      -- stage due k days after the due date (k from the first offset to the last), and the stage
      -- after rank k and its offset. MATERIALIZED: worked out once per ladder, not per business.
      SELECT ladder, offsets[1] AS first_offset, offsets[cardinality(offsets)] AS last_offset,
             ARRAY(SELECT (SELECT MAX(u.r) FROM unnest(offsets, ranks) AS u(off, r) WHERE u.off <= k)
                     FROM generate_series(offsets[1], offsets[cardinality(offsets)]) k ORDER BY k) AS rank_on_day,
             ARRAY(SELECT (SELECT MIN(u.r) FROM unnest(offsets, ranks) AS u(off, r) WHERE u.r > k)
                     FROM generate_series(0, ${STAGES.length}) k ORDER BY k) AS rank_after,
             ARRAY(SELECT (SELECT MIN(u.off) FROM unnest(offsets, ranks) AS u(off, r) WHERE u.r > k)
                     FROM generate_series(0, ${STAGES.length}) k ORDER BY k) AS offset_after
        FROM ladder
    ),
    b AS MATERIALIZED (
      -- Each sending business with its ladder's lookup tables (MATERIALIZED: joined once, not per
      -- invoice).
      SELECT s.id, s.default_terms_days, s.today, l.first_offset, l.last_offset, l.rank_on_day, l.rank_after, l.offset_after
        FROM sending s JOIN lookup l ON l.ladder = s.ladder
    )
    -- One line per invoice, fields separated by commas, the number last as a JSON string (it is
    -- the one field that may hold a comma): far cheaper to build and read than a row or JSON each.
    SELECT string_agg(concat_ws(',', i.debtor_id, i.id, i.amount_minor - i.paid_minor, v.due,
                                COALESCE(CASE WHEN r.new_rank > v.last_rank THEN (${stages})[r.new_rank] END, ''),
                                COALESCE(CASE WHEN r.new_rank > v.last_rank THEN (v.due + b.offset_after[r.new_rank + 1])::text END, ''),
                                COALESCE(i.reminder_stage, ''),
                                to_json(i.number)), E'\n') AS invoices
      FROM invoice i
      JOIN b ON b.id = i.business_id
     CROSS JOIN LATERAL (
       SELECT due, COALESCE(array_position(${stages}, i.reminder_stage), 0) AS last_rank,
              CASE WHEN b.today - due >= b.first_offset THEN b.rank_on_day[LEAST(b.today - due, b.last_offset) - b.first_offset + 1] END AS target_rank
         FROM (SELECT COALESCE(i.due_on, i.issued_on + b.default_terms_days) AS due) due
     ) v
     CROSS JOIN LATERAL (
       SELECT CASE WHEN i.next_reminder_on <= b.today AND (i.reminded_on IS NULL OR i.reminded_on < b.today) THEN
                CASE WHEN i.reminder_bump THEN GREATEST(COALESCE(v.target_rank, 0), COALESCE(b.rank_after[v.last_rank + 1], v.last_rank))
                     ELSE v.target_rank END
              END AS new_rank
     ) r
     WHERE i.debtor_id = ANY(${debtorIds}::uuid[])
       AND i.status = 'open' AND i.amount_minor > i.paid_minor
       AND NOT i.paused_indefinitely AND (i.paused_until IS NULL OR i.paused_until < b.today)
       AND i.id NOT IN (SELECT x.invoice_id FROM dispute x WHERE x.status = 'open' AND x.invoice_id IS NOT NULL)
       AND (v.due <= b.today OR r.new_rank > v.last_rank)`;
}

/**
 * Plans one day's reminders in one transaction, on the raw driver (like claiming the outbox):
 * its statements carry megabytes of parameters and results, which Prisma's raw-query layer would
 * copy and convert again on the way.
 */
export async function planReminders(
  db: Pick<Database, 'sql'>,
  options: { now: Date; businessId?: string; /** Called after each step, for benchmarks. */ onStep?: (step: string) => void },
): Promise<PlanResult> {
  const { now } = options;
  const businessId = options.businessId ?? null;
  const run = <T>(tx: SqlTx, statement: Sql) => tx.query<T>(statement.text, statement.values);
  return db.sql.transaction(async (tx) => {
    // A batch job's settings, for this transaction only: no JIT compilation (it costs more than
    // it saves here), room to sort in memory, and dates written YYYY-MM-DD.
    await tx.query(`SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true), set_config('datestyle', 'ISO', true)`);
    const debtors = await run<DebtorRow>(tx, debtorsSql(now, businessId));
    if (debtors.length === 0) {
      options.onStep?.('find');
      return { planned: 0, awaitingApproval: [] };
    }
    const [{ invoices }] = (await run<{ invoices: string | null }>(tx, invoicesSql(now, businessId, debtors.map((d) => d.debtor_id)))) as [{ invoices: string | null }];
    options.onStep?.('find');
    const invoicesByDebtor = parseInvoices(invoices ?? '');
    const businesses = await tx.query<BusinessRow>(
      `SELECT id::text, name, currency, country, language, upi_id, payment_details, ladder, templates, approval_mode::text,
              time_zone, quiet_start_hour, quiet_end_hour, send_days
         FROM business WHERE id = ANY($1::uuid[])`,
      [[...new Set(debtors.map((d) => d.business_id))]],
    );
    const businessById = new Map(
      businesses.map((b) => [
        b.id,
        {
          wording: wordingBusinessOf(b),
          ladder: b.ladder,
          status: b.approval_mode === 'approve' ? 'awaiting_approval' : 'queued',
          scheduledAt: nextSendTime({ now, timeZone: b.time_zone, quietStartHour: b.quiet_start_hour, quietEndHour: b.quiet_end_hour, sendDays: b.send_days }).toISOString(),
        },
      ]),
    );
    options.onStep?.('load');

    // Column arrays for the insert (one element per message) and the update (one per moving invoice).
    const queue = { business: [] as string[], stage: [] as string[], channel: [] as string[], recipient: [] as string[], debtor: [] as string[], invoices: [] as string[], body: [] as string[], status: [] as string[], scheduledAt: [] as string[], key: [] as string[], wordedOn: [] as string[] };
    const move: Moves = { id: [], debtor: [], stage: [], today: [], next: [] };
    for (const d of debtors) {
      const invoices = invoicesByDebtor.get(d.debtor_id);
      if (!invoices) continue;
      const business = businessById.get(d.business_id)!;
      // A customer never reminded before is not met with a threat: their invoices move no
      // further than FIRST_CONTACT_STAGE today, and their following step comes the ladder's
      // usual gap later.
      if (!d.contacted) holdFirstContact(business.ladder, invoices, d.today);
      const moving = invoices.filter((i) => i.movesTo !== null);
      if (!moving.length) continue;
      const stage = messageStage({ ladder: business.ladder, invoices, firstContact: !d.contacted });
      // Every overdue bill the message lists has now been asked for at its stage: it moves up to
      // it, so tomorrow does not bring the same words again for a bill that reaches the stage on
      // its own. Bills not yet due keep their own pace.
      for (const invoice of invoices) {
        if (invoice.dueOn > d.today) continue;
        const reached = invoice.movesTo ?? invoice.stage;
        if (reached !== null && stageIndex(reached) >= stageIndex(stage)) continue;
        invoice.movesTo = stage;
        invoice.nextOn = nextStepDay(business.ladder, stage, invoice.dueOn);
      }
      const text = wordReminder({ business: business.wording, debtor: { name: d.name, language: d.language }, stage, invoices, today: d.today });
      queue.business.push(d.business_id);
      queue.stage.push(stage);
      queue.channel.push(d.channel);
      queue.recipient.push(d.address);
      queue.debtor.push(d.debtor_id);
      queue.invoices.push(`{${invoices.sort(byDueThenNumber).map((i) => i.id).join(',')}}`);
      queue.body.push(text);
      queue.status.push(business.status);
      queue.scheduledAt.push(business.scheduledAt);
      queue.key.push(`reminder:${d.debtor_id}:${d.today}`);
      queue.wordedOn.push(d.today);
      for (const invoice of invoices) {
        if (invoice.movesTo === null) continue;
        move.id.push(invoice.id);
        move.debtor.push(d.debtor_id);
        move.stage.push(invoice.movesTo!);
        move.today.push(d.today);
        move.next.push(invoice.nextOn);
      }
    }
    options.onStep?.('render');
    if (queue.debtor.length === 0) return { planned: 0, awaitingApproval: [] };
    // One statement queues every message; a debtor another planner queued first is skipped.
    const inserted = await tx.query<{ debtorId: string; businessId: string; status: string; key: string }>(
      `INSERT INTO outbound_message (business_id, kind, stage, channel, recipient, debtor_id, invoice_ids, body, status, scheduled_at, idempotency_key, worded_on, created_at, updated_at)
       SELECT r.business_id, 'reminder', r.stage, r.channel, r.recipient, r.debtor_id, r.invoice_ids::uuid[], r.body, r.status::"OutboundStatus", r.scheduled_at, r.idempotency_key, r.worded_on, $12::timestamptz, $12::timestamptz
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::date[])
              AS r(business_id, stage, channel, recipient, debtor_id, invoice_ids, body, status, scheduled_at, idempotency_key, worded_on)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING debtor_id::text AS "debtorId", business_id::text AS "businessId", status::text AS status, idempotency_key AS key`,
      [queue.business, queue.stage, queue.channel, queue.recipient, queue.debtor, queue.invoices, queue.body, queue.status, queue.scheduledAt, queue.key, queue.wordedOn, now],
    );
    options.onStep?.('queue');
    // One statement moves the invoices of the debtors just queued along the ladder. Setting
    // next_reminder_on here skips the trigger that would derive the same day row by row (see
    // migration 20261121050000_cheaper_planning_writes); with room on their pages these updates
    // touch no index.
    const queuedDebtors = new Set(inserted.map((r) => r.debtorId));
    const moved = queuedDebtors.size === queue.debtor.length ? move : filterMoves(move, queuedDebtors);
    if (moved.id.length) {
      await tx.query(
        `UPDATE invoice i SET reminder_stage = v.stage, reminded_on = v.today, reminder_bump = false, next_reminder_on = v.next_on
           FROM unnest($1::uuid[], $2::text[], $3::date[], $4::date[]) AS v(id, stage, today, next_on)
          WHERE i.id = v.id
            -- The same ids as a filter too: the invoices are looked up by hash, and only these are
            -- joined (without it the join hashes every invoice).
            AND i.id = ANY($1::uuid[])`,
        [moved.id, moved.stage, moved.today, moved.next],
      );
    }
    options.onStep?.('queue+advance');
    // The reminders just drafted replace any older draft of the same customers still waiting for
    // approval (the list shows one line per customer): the newest lists everything the older one
    // did, as of today.
    if (inserted.length) {
      await tx.query(
        `UPDATE outbound_message SET status = 'skipped', last_error = 'replaced by a newer reminder', updated_at = $3
          WHERE debtor_id = ANY($1::uuid[]) AND kind = 'reminder' AND status = 'awaiting_approval'
            AND idempotency_key <> ALL($2::text[])`,
        [inserted.map((r) => r.debtorId), inserted.map((r) => r.key), now],
      );
    }
    options.onStep?.('replace');
    const awaitingApproval = [...new Set(inserted.filter((r) => r.status === 'awaiting_approval').map((r) => r.businessId))];
    return { planned: inserted.length, awaitingApproval };
  });
}

/** Invoices moving up the ladder, as column arrays. */
interface Moves {
  id: string[];
  debtor: string[];
  stage: string[];
  today: string[];
  next: Array<string | null>;
}

function filterMoves(moves: Moves, debtors: Set<string>): Moves {
  const kept: Moves = { id: [], debtor: [], stage: [], today: [], next: [] };
  moves.id.forEach((id, i) => {
    if (!debtors.has(moves.debtor[i]!)) return;
    kept.id.push(id);
    kept.debtor.push(moves.debtor[i]!);
    kept.stage.push(moves.stage[i]!);
    kept.today.push(moves.today[i]!);
    kept.next.push(moves.next[i]!);
  });
  return kept;
}

/** Oldest first; the same due date by invoice number. */
function byDueThenNumber(a: InvoiceRow, b: InvoiceRow): number {
  return a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
}

/** Reads invoicesSql's lines ("debtor,id,balance,due,movesTo,nextOn,stage,"number""), by debtor. */
function parseInvoices(text: string): Map<string, InvoiceRow[]> {
  const byDebtor = new Map<string, InvoiceRow[]>();
  if (text === '') return byDebtor;
  for (const line of text.split('\n')) {
    const [debtorId, id, balance, dueOn, movesTo, nextOn, stage] = line.split(',', 7) as [string, string, string, string, string, string, string];
    // The number is a JSON string after the seventh comma; without a backslash it has no escapes.
    const quoted = line.slice(debtorId.length + id.length + balance.length + dueOn.length + movesTo.length + nextOn.length + stage.length + 7);
    const invoice: InvoiceRow = {
      debtorId,
      id,
      balanceMinor: Number(balance),
      dueOn,
      movesTo: (movesTo || null) as Stage | null,
      nextOn: nextOn || null,
      stage: (stage || null) as Stage | null,
      number: quoted.includes('\\') ? (JSON.parse(quoted) as string) : quoted.slice(1, -1),
    };
    const list = byDebtor.get(debtorId);
    if (list) list.push(invoice);
    else byDebtor.set(debtorId, [invoice]);
  }
  return byDebtor;
}

/**
 * Holds back the invoices of a customer never reminded before: each moving further than
 * FIRST_CONTACT_STAGE moves only that far (or not at all, when it already stands there), and its
 * following step is due the ladder's usual gap after today.
 */
function holdFirstContact(ladder: readonly LadderStep[], invoices: InvoiceRow[], today: string): void {
  for (const invoice of invoices) {
    if (invoice.movesTo === null) continue;
    const capped = capForFirstContact(ladder, invoice.movesTo);
    if (capped === invoice.movesTo) continue;
    if (invoice.stage !== null && stageIndex(capped) <= stageIndex(invoice.stage)) {
      invoice.movesTo = null;
      invoice.nextOn = null;
      continue;
    }
    invoice.movesTo = capped;
    invoice.nextOn = nextStepAfterCap(ladder, capped, today);
  }
}
