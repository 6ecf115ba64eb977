// Planning: which reminders are due today, for every business in its own time zone. One
// statement finds the invoices whose ladder stage advanced (skipping opt-outs, disputes, pauses,
// promises not yet due, non-sending days, and debtors already reminded today); the engine words
// one message per debtor; one insert queues them, keyed by (debtor, day) so planning twice drafts
// nothing twice; one update moves the invoices along the ladder. Catch-up after downtime sends the
// latest stage due, once.
import type { CalendarDate } from '../engine/calendar.ts';
import { STAGES, type LadderStep, type Stage, type Tone } from '../engine/ladder.ts';
import { renderReminder } from '../engine/reminder-text.ts';
import { nextSendTime } from '../engine/schedule.ts';
import { fromDbDate, Prisma, toMinor, type PrismaClient, type Tx } from '../store/types.ts';

/** Channels in order of preference when a debtor can be reached on several. */
const CHANNEL_PREFERENCE = ['whatsapp', 'telegram', 'console'];

export interface PlanResult {
  /** Reminder messages queued (or put up for approval), one per debtor. */
  planned: number;
  /** Businesses that got new reminders waiting for approval. */
  awaitingApproval: string[];
}

interface DueRow {
  invoice_id: string;
  business_id: string;
  debtor_id: string;
  number: string;
  balance: bigint;
  due: Date;
  today: Date;
  stage: string;
}

/**
 * The invoices whose reminder stage advances today. The ladder is each business's own JSON;
 * stages compare by their place in STAGES. A broken promise (reminder_bump) moves an invoice one
 * stage past its last even when the calendar would not.
 */
function dueInvoicesSql(now: Date, businessId: string | null) {
  const stages = Prisma.sql`ARRAY[${Prisma.join(STAGES.map((s) => Prisma.sql`${s}`))}]::text[]`;
  return Prisma.sql`
    WITH b AS MATERIALIZED (
      -- Each business's ladder as two arrays sorted by day (computed once per business, not per
      -- invoice: hence MATERIALIZED): offsets and the stages' ranks.
      SELECT id, default_terms_days, send_days, (${now}::timestamptz AT TIME ZONE time_zone)::date AS today,
             ARRAY(SELECT (e->>'offsetDays')::int FROM jsonb_array_elements(ladder) e ORDER BY (e->>'offsetDays')::int) AS offsets,
             ARRAY(SELECT array_position(${stages}, e->>'stage') FROM jsonb_array_elements(ladder) e ORDER BY (e->>'offsetDays')::int) AS ranks
        FROM business ${businessId ? Prisma.sql`WHERE id = ${businessId}::uuid` : Prisma.empty}
    ),
    open AS (
      SELECT i.id, i.business_id, i.debtor_id, i.number, i.amount_minor - i.paid_minor AS balance,
             COALESCE(i.due_on, i.issued_on + b.default_terms_days) AS due, b.today, b.offsets, b.ranks,
             COALESCE(array_position(${stages}, i.reminder_stage), 0) AS last_rank, i.reminder_bump
        FROM invoice i
        JOIN b ON b.id = i.business_id
        JOIN debtor d ON d.id = i.debtor_id
       WHERE i.status = 'open' AND i.amount_minor > i.paid_minor
         AND EXTRACT(ISODOW FROM b.today)::int = ANY(b.send_days)
         AND i.next_reminder_on <= b.today
         AND (i.reminded_on IS NULL OR i.reminded_on < b.today)
         AND NOT d.opted_out
         AND NOT d.paused_indefinitely AND (d.paused_until IS NULL OR d.paused_until < b.today)
         AND NOT i.paused_indefinitely AND (i.paused_until IS NULL OR i.paused_until < b.today)
         AND EXISTS (SELECT 1 FROM debtor_identity di WHERE di.debtor_id = d.id)
         AND NOT EXISTS (SELECT 1 FROM dispute x WHERE x.invoice_id = i.id AND x.status = 'open')
         AND NOT EXISTS (SELECT 1 FROM payment_promise pp WHERE pp.debtor_id = i.debtor_id AND pp.status = 'open'
                            AND (pp.promised_on IS NULL OR pp.promised_on >= b.today))
    ),
    advancing AS (
      SELECT o.*,
             (SELECT MAX(u.r) FROM unnest(o.offsets, o.ranks) AS u(off, r) WHERE u.off <= o.today - o.due) AS target_rank,
             (SELECT MIN(r) FROM unnest(o.ranks) AS r WHERE r > o.last_rank) AS next_rank
        FROM open o
    ),
    planned AS (
      SELECT a.*, CASE WHEN a.reminder_bump THEN GREATEST(COALESCE(a.target_rank, 0), COALESCE(a.next_rank, a.last_rank)) ELSE a.target_rank END AS new_rank
        FROM advancing a
    )
    SELECT id AS invoice_id, business_id, debtor_id, number, balance, due, today, (${stages})[new_rank] AS stage
      FROM planned
     WHERE new_rank IS NOT NULL AND new_rank > last_rank
       AND NOT EXISTS (SELECT 1 FROM outbound_message m WHERE m.idempotency_key = 'reminder:' || planned.debtor_id || ':' || planned.today)`;
}

export async function planReminders(
  prisma: PrismaClient,
  options: { now: Date; businessId?: string; /** Called after each step, for benchmarks. */ onStep?: (step: string) => void },
): Promise<PlanResult> {
  const { now } = options;
  return prisma.$transaction(
    async (tx) => {
      const due = await tx.$queryRaw<DueRow[]>(dueInvoicesSql(now, options.businessId ?? null));
      options.onStep?.('find');
      if (due.length === 0) return { planned: 0, awaitingApproval: [] };
      const debtorIds = [...new Set(due.map((d) => d.debtor_id))];
      const businessIds = [...new Set(due.map((d) => d.business_id))];
      const [businesses, debtors, identities, others] = await Promise.all([
        tx.business.findMany({ where: { id: { in: businessIds } } }),
        tx.$queryRaw<Array<{ id: string; name: string; language: string | null }>>`
          SELECT id, name, language FROM debtor WHERE id = ANY(${debtorIds}::uuid[])`,
        tx.$queryRaw<Array<{ debtorId: string; channel: string; address: string }>>`
          SELECT debtor_id AS "debtorId", channel, address FROM debtor_identity
           WHERE debtor_id = ANY(${debtorIds}::uuid[]) ORDER BY created_at DESC`,
        openDueInvoices(tx, now, debtorIds),
      ]);
      options.onStep?.('load');
      const businessById = new Map(businesses.map((b) => [b.id, b]));
      const debtorById = new Map(debtors.map((d) => [d.id, d]));
      const identitiesByDebtor = new Map<string, typeof identities>();
      for (const identity of identities) identitiesByDebtor.set(identity.debtorId, [...(identitiesByDebtor.get(identity.debtorId) ?? []), identity]);
      const rows: Array<{ business_id: string; stage: Stage; channel: string; recipient: string; debtor_id: string; invoice_ids: string[]; body: string; status: string; scheduled_at: Date; idempotency_key: string }> = [];
      const advancedByDebtor = new Map<string, DueRow[]>();
      for (const row of due) advancedByDebtor.set(row.debtor_id, [...(advancedByDebtor.get(row.debtor_id) ?? []), row]);

      const sendAt = new Map<string, Date>();
      for (const [debtorId, advanced] of advancedByDebtor) {
        const business = businessById.get(advanced[0]!.business_id)!;
        const debtor = debtorById.get(debtorId)!;
        const identity = pickIdentity(identitiesByDebtor.get(debtorId) ?? []);
        if (!identity) continue;
        const ladder = business.ladder as unknown as LadderStep[];
        const stage = advanced.map((a) => a.stage as Stage).sort((a, b) => STAGES.indexOf(b) - STAGES.indexOf(a))[0]!;
        const tone: Tone = ladder.find((s) => s.stage === stage)?.tone ?? 'polite';
        const today: CalendarDate = fromDbDate(advanced[0]!.today);
        const advancing = new Set(advanced.map((a) => a.invoice_id));
        const listed = [...advanced, ...(others.get(debtorId) ?? []).filter((o) => !advancing.has(o.invoice_id))].sort((a, b) => a.due.getTime() - b.due.getTime());
        const language = (debtor.language ?? business.language) === 'hi' ? 'hi' : 'en';
        const custom = (business.templates as Record<string, Record<string, string>>)[stage]?.[language] ?? null;
        const { text } = renderReminder({
          stage,
          tone,
          language,
          business: { name: business.name, currency: business.currency, country: business.country, upiId: business.upiId, paymentDetails: business.paymentDetails },
          debtorName: debtor.name,
          invoices: listed.map((i) => ({ number: i.number, balanceMinor: toMinor(i.balance), dueOn: fromDbDate(i.due) })),
          today,
          custom,
        });
        rows.push({
          business_id: business.id,
          stage,
          channel: identity.channel,
          recipient: identity.address,
          debtor_id: debtorId,
          invoice_ids: listed.map((i) => i.invoice_id),
          body: text,
          status: business.approvalMode === 'approve' ? 'awaiting_approval' : 'queued',
          scheduled_at: sendAt.get(business.id) ?? sendAt.set(business.id, nextSendTime({ now, timeZone: business.timeZone, quietStartHour: business.quietStartHour, quietEndHour: business.quietEndHour, sendDays: business.sendDays })).get(business.id)!,
          idempotency_key: `reminder:${debtorId}:${today}`,
        });
      }
      options.onStep?.('render');
      // One statement for all of them (Prisma's createMany handles thousands of rows far slower).
      const inserted = await tx.$queryRaw<Array<{ debtorId: string; businessId: string; status: string }>>`
        INSERT INTO outbound_message (business_id, kind, stage, channel, recipient, debtor_id, invoice_ids, body, status, scheduled_at, idempotency_key)
        SELECT r.business_id, 'reminder', r.stage, r.channel, r.recipient, r.debtor_id, r.invoice_ids, r.body, r.status::"OutboundStatus", r.scheduled_at, r.idempotency_key
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
            business_id uuid, stage text, channel text, recipient text, debtor_id uuid, invoice_ids uuid[],
            body text, status text, scheduled_at timestamptz, idempotency_key text)
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING debtor_id AS "debtorId", business_id AS "businessId", status::text AS status`;
      options.onStep?.('queue');
      const insertedDebtors = new Set(inserted.map((r) => r.debtorId));
      const moved = due.filter((d) => insertedDebtors.has(d.debtor_id));
      if (moved.length) {
        await tx.$executeRaw`
          UPDATE invoice i SET reminder_stage = v.stage, reminded_on = v.today, reminder_bump = false
            FROM (SELECT unnest(${moved.map((m) => m.invoice_id)}::uuid[]) AS id, unnest(${moved.map((m) => m.stage)}::text[]) AS stage,
                         unnest(${moved.map((m) => fromDbDate(m.today))}::date[]) AS today) v
           WHERE i.id = v.id`;
      }
      options.onStep?.('queue+advance');
      const awaitingApproval = [...new Set(inserted.filter((r) => r.status === 'awaiting_approval').map((r) => r.businessId))];
      return { planned: inserted.length, awaitingApproval };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** The debtors' open invoices that are due or overdue, to mention together in one message:
 * one row per debtor with its invoices as JSON (a few thousand rows, not tens of thousands). */
async function openDueInvoices(tx: Tx, now: Date, debtorIds: string[]): Promise<Map<string, DueRow[]>> {
  const rows = await tx.$queryRaw<Array<{ debtor_id: string; invoices: Array<{ id: string; number: string; balance: string; due: string }> }>>`
    SELECT i.debtor_id,
           json_agg(json_build_object('id', i.id, 'number', i.number, 'balance', (i.amount_minor - i.paid_minor)::text,
                                      'due', COALESCE(i.due_on, i.issued_on + b.default_terms_days))) AS invoices
      FROM invoice i JOIN business b ON b.id = i.business_id
     WHERE i.debtor_id = ANY(${debtorIds}::uuid[])
       AND i.status = 'open' AND i.amount_minor > i.paid_minor
       AND COALESCE(i.due_on, i.issued_on + b.default_terms_days) <= (${now}::timestamptz AT TIME ZONE b.time_zone)::date
       AND NOT i.paused_indefinitely AND (i.paused_until IS NULL OR i.paused_until < (${now}::timestamptz AT TIME ZONE b.time_zone)::date)
       AND NOT EXISTS (SELECT 1 FROM dispute x WHERE x.invoice_id = i.id AND x.status = 'open')
     GROUP BY i.debtor_id`;
  const byDebtor = new Map<string, DueRow[]>();
  for (const row of rows) {
    byDebtor.set(
      row.debtor_id,
      row.invoices.map((i) => ({ invoice_id: i.id, business_id: '', debtor_id: row.debtor_id, number: i.number, balance: BigInt(i.balance), due: new Date(`${i.due}T00:00:00Z`), today: new Date(0), stage: '' })),
    );
  }
  return byDebtor;
}

function pickIdentity<T extends { channel: string }>(identities: T[]): T | undefined {
  return [...identities].sort((a, b) => rank(a.channel) - rank(b.channel))[0];
}

function rank(channel: string): number {
  const i = CHANNEL_PREFERENCE.indexOf(channel);
  return i < 0 ? CHANNEL_PREFERENCE.length : i;
}
