// The owner's reports as set-based statements: per-debtor facts for the follow-up ranking, the
// business summary's aggregates, and a debtor's history. Each is one statement over the business,
// however many invoices it has; the engine turns the aggregates into scores and ratios.
import { addDays, type CalendarDate } from '../engine/calendar.ts';
import { AGING_BUCKETS, type AgingBucketKey } from '../engine/analytics.ts';
import { CALLBACK_REQUEST_DAYS } from '../engine/debtor-reply.ts';
import type { FollowUpFacts } from '../engine/ranking.ts';
import { fromDbDate, Prisma, toMinor, type Tx } from './types.ts';

export interface ReportScope {
  businessId: string;
  today: CalendarDate;
  timeZone: string;
  termsDays: number;
  /** Only this agent's debtors. */
  agentId?: string | null;
  /** Only this debtor. */
  debtorId?: string | null;
}

function scopeFilter(scope: ReportScope) {
  return Prisma.sql`${scope.agentId ? Prisma.sql`AND d.assigned_agent_id = ${scope.agentId}::uuid` : Prisma.empty}
    ${scope.debtorId ? Prisma.sql`AND d.id = ${scope.debtorId}::uuid` : Prisma.empty}`;
}

/** Open invoices with balances and effective due dates, as a CTE body. */
function openBalancesCte(scope: ReportScope) {
  return Prisma.sql`
    SELECT i.id, i.debtor_id, i.amount_minor - i.paid_minor AS balance,
           COALESCE(i.due_on, i.issued_on + ${scope.termsDays}::int) AS due
      FROM invoice i
      JOIN debtor d ON d.id = i.debtor_id
     WHERE i.business_id = ${scope.businessId}::uuid AND i.status = 'open' ${scopeFilter(scope)}`;
}

/** The follow-up facts statement, one row per debtor with money open (exported for EXPLAIN). */
export function followUpFactsSql(scope: ReportScope): Prisma.Sql {
  const today = scope.today;
  return Prisma.sql`
    WITH open_inv AS (${openBalancesCte(scope)}),
    per_debtor AS (
      SELECT debtor_id, SUM(balance) AS open_minor,
             SUM(balance) FILTER (WHERE due < ${today}::date) AS overdue_minor,
             MAX(${today}::date - due) FILTER (WHERE due < ${today}::date) AS max_days
        FROM open_inv WHERE balance > 0 GROUP BY debtor_id
    ),
    open_promise AS (
      SELECT DISTINCT ON (debtor_id) debtor_id, promised_on, amount_minor
        FROM payment_promise
       WHERE business_id = ${scope.businessId}::uuid AND status = 'open'
       ORDER BY debtor_id, promised_on NULLS LAST
    ),
    promise_history AS (
      SELECT debtor_id,
             COUNT(*) FILTER (WHERE status = 'broken') AS broken,
             COUNT(*) FILTER (WHERE status = 'kept') AS kept
        FROM payment_promise
       WHERE business_id = ${scope.businessId}::uuid AND status IN ('broken', 'kept')
         AND COALESCE(promised_on, (created_at AT TIME ZONE ${scope.timeZone})::date) >= ${addDays(today, -90)}::date
       GROUP BY debtor_id
    ),
    year AS (
      SELECT i.debtor_id,
             COUNT(*) FILTER (WHERE i.status = 'paid' AND i.closed_at IS NOT NULL) AS closed_n,
             COUNT(*) FILTER (WHERE i.status = 'paid' AND i.closed_at IS NOT NULL
               AND (i.closed_at AT TIME ZONE ${scope.timeZone})::date > COALESCE(i.due_on, i.issued_on + ${scope.termsDays}::int)) AS closed_late,
             (AVG(GREATEST(0, (i.closed_at AT TIME ZONE ${scope.timeZone})::date - COALESCE(i.due_on, i.issued_on + ${scope.termsDays}::int)))
               FILTER (WHERE i.status = 'paid' AND i.closed_at IS NOT NULL))::float8 AS avg_late,
             SUM(i.amount_minor) AS invoiced_12m
        FROM invoice i JOIN per_debtor pd ON pd.debtor_id = i.debtor_id
       WHERE i.business_id = ${scope.businessId}::uuid AND i.status <> 'cancelled' AND i.issued_on >= ${addDays(today, -365)}::date
       GROUP BY i.debtor_id
    ),
    contact AS (
      -- The contact factor saturates after two weeks: the last 30 days are all it needs.
      SELECT debtor_id, MAX(at) AS last_at FROM (
        SELECT debtor_id, sent_at AS at FROM outbound_message
         WHERE business_id = ${scope.businessId}::uuid AND created_at >= ${addDays(today, -30)}::date
           AND debtor_id IS NOT NULL AND status = 'sent' AND kind <> 'owner_notice'
        UNION ALL
        SELECT debtor_id, received_at FROM inbound_message
         WHERE business_id = ${scope.businessId}::uuid AND received_at >= ${addDays(today, -30)}::date AND debtor_id IS NOT NULL
      ) c GROUP BY debtor_id
    ),
    callback AS (
      -- Asked for a call or more time lately, and not answered since by a promise or a payment.
      SELECT im.debtor_id, MAX(im.received_at) AS asked_at
        FROM inbound_message im JOIN per_debtor pd ON pd.debtor_id = im.debtor_id
       WHERE im.intent IN ('callback', 'extension') AND im.received_at >= ${addDays(today, -CALLBACK_REQUEST_DAYS)}::date
       GROUP BY im.debtor_id
    )
    SELECT d.id, d.name, pd.open_minor, pd.overdue_minor, pd.max_days,
           op.promised_on, op.amount_minor AS promise_amount, (op.debtor_id IS NOT NULL) AS has_open_promise,
           COALESCE(ph.broken, 0) AS broken, COALESCE(ph.kept, 0) AS kept,
           COALESCE(h.closed_n, 0) AS closed_n, COALESCE(h.closed_late, 0) AS closed_late, h.avg_late,
           h.invoiced_12m,
           (${today}::date - (c.last_at AT TIME ZONE ${scope.timeZone})::date) AS last_contact_days,
           (cb.debtor_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM payment_promise pp WHERE pp.debtor_id = d.id AND pp.created_at > cb.asked_at)
             AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.debtor_id = d.id AND p.created_at > cb.asked_at AND p.reversed_at IS NULL)) AS requested_callback
      FROM per_debtor pd
      JOIN debtor d ON d.id = pd.debtor_id
      LEFT JOIN open_promise op ON op.debtor_id = d.id
      LEFT JOIN promise_history ph ON ph.debtor_id = d.id
      LEFT JOIN year h ON h.debtor_id = d.id
      LEFT JOIN contact c ON c.debtor_id = d.id
      LEFT JOIN callback cb ON cb.debtor_id = d.id`
}

/** Everything the follow-up ranking weighs, for every debtor with money open, in one statement. */
export type DebtorFacts = FollowUpFacts & { paidInvoices: number };

export async function loadFollowUpFacts(tx: Tx, scope: ReportScope): Promise<DebtorFacts[]> {
  const rows = await tx.$queryRaw<
    Array<{
      id: string;
      name: string;
      open_minor: bigint;
      overdue_minor: bigint | null;
      max_days: number | null;
      promised_on: Date | null;
      promise_amount: bigint | null;
      has_open_promise: boolean;
      broken: bigint;
      kept: bigint;
      closed_n: bigint;
      closed_late: bigint;
      avg_late: number | null;
      invoiced_12m: bigint | null;
      last_contact_days: number | null;
      requested_callback: boolean;
    }>
  >(followUpFactsSql(scope));
  return rows.map((r) => ({
    debtorId: r.id,
    name: r.name,
    openMinor: toMinor(r.open_minor),
    overdueMinor: r.overdue_minor === null ? 0 : toMinor(r.overdue_minor),
    maxDaysOverdue: r.max_days ?? 0,
    openPromise: r.has_open_promise ? { promisedOn: r.promised_on ? fromDbDate(r.promised_on) : null, amountMinor: r.promise_amount === null ? null : toMinor(r.promise_amount) } : null,
    brokenPromises90d: toMinor(r.broken),
    keptPromises90d: toMinor(r.kept),
    latePaidShare: toMinor(r.closed_n) > 0 ? toMinor(r.closed_late) / toMinor(r.closed_n) : 0,
    avgDaysLate: r.avg_late ?? 0,
    invoicedLast12mMinor: r.invoiced_12m === null ? 0 : toMinor(r.invoiced_12m),
    daysSinceLastContact: r.last_contact_days,
    requestedCallback: r.requested_callback,
    paidInvoices: toMinor(r.closed_n),
  }));
}

export interface SummaryAggregates {
  outstandingMinor: number;
  overdueMinor: number;
  openInvoices: number;
  aging: Record<AgingBucketKey, number>;
  creditSales90dMinor: number;
  beginningOfMonthReceivablesMinor: number;
  creditSalesThisMonthMinor: number;
  currentReceivablesMinor: number;
  receivedThisMonthMinor: number;
  promisesKept90d: number;
  promisesBroken90d: number;
  /** Money expected by day: open promises on their date, else not-yet-due invoices on their due date. */
  expected: Array<{ expectedOn: CalendarDate; amountMinor: number }>;
  /** Paused customers, and open invoices whose reminders are paused (with their number). */
  paused: Array<{ name: string; invoiceNumber: string | null; until: CalendarDate | null; reason: string | null }>;
}

/** The summary's numbers for a business (or an agent's share of it), in four small statements. */
export async function loadSummaryAggregates(tx: Tx, scope: ReportScope, window: { monthStart: CalendarDate; expectUntil: CalendarDate }): Promise<SummaryAggregates> {
  const today = scope.today;
  const open = Prisma.sql`i.status = 'open' AND i.amount_minor > i.paid_minor`;
  const due = Prisma.sql`COALESCE(i.due_on, i.issued_on + ${scope.termsDays}::int)`;
  const bucketSums = AGING_BUCKETS.map(
    (b) =>
      Prisma.sql`COALESCE(SUM(i.amount_minor - i.paid_minor) FILTER (WHERE ${open} AND GREATEST(${today}::date - ${due}, 0) BETWEEN ${b.minDays}::int AND ${b.maxDays ?? 1_000_000}::int), 0)::bigint AS ${Prisma.raw(`"${b.key}"`)}`,
  );
  // One pass over the business's invoices gives the balances, the aging and the sales.
  const aggSql = Prisma.sql`
    SELECT
      COALESCE(SUM(i.amount_minor - i.paid_minor) FILTER (WHERE ${open}), 0)::bigint AS outstanding,
      COALESCE(SUM(i.amount_minor - i.paid_minor) FILTER (WHERE ${open} AND ${due} < ${today}::date), 0)::bigint AS overdue,
      COALESCE(SUM(i.amount_minor - i.paid_minor) FILTER (WHERE ${open} AND ${due} >= ${today}::date), 0)::bigint AS current_ar,
      COUNT(*) FILTER (WHERE ${open})::bigint AS open_count,
      ${Prisma.join(bucketSums, ', ')},
      COALESCE(SUM(i.amount_minor) FILTER (WHERE i.issued_on > ${addDays(today, -90)}::date), 0)::bigint AS sales_90d,
      COALESCE(SUM(i.amount_minor) FILTER (WHERE i.issued_on >= ${window.monthStart}::date), 0)::bigint AS sales_month,
      COALESCE(SUM(i.amount_minor - i.paid_minor) FILTER (WHERE i.issued_on < ${window.monthStart}::date AND i.status = 'open'), 0)::bigint AS open_from_before
      FROM invoice i JOIN debtor d ON d.id = i.debtor_id
     WHERE i.business_id = ${scope.businessId}::uuid AND i.status <> 'cancelled' ${scopeFilter(scope)}`;
  // Payments this month: what came in, and what of it paid invoices issued before the month
  // (the month's opening receivables are what is still open from before, plus that).
  const monthSql = Prisma.sql`
    WITH month_payments AS (
      SELECT p.id, p.amount_minor FROM payment p JOIN debtor d ON d.id = p.debtor_id
       WHERE p.business_id = ${scope.businessId}::uuid AND p.reversed_at IS NULL AND p.received_on >= ${window.monthStart}::date ${scopeFilter(scope)}
    )
    SELECT (SELECT COALESCE(SUM(amount_minor), 0) FROM month_payments)::bigint AS received,
           (SELECT COALESCE(SUM(a.amount_minor), 0) FROM payment_allocation a
              JOIN month_payments mp ON mp.id = a.payment_id
              JOIN invoice i ON i.id = a.invoice_id
             WHERE i.issued_on < ${window.monthStart}::date AND i.status <> 'cancelled')::bigint AS on_old`;
  const promisesSql = Prisma.sql`
    SELECT COUNT(*) FILTER (WHERE pp.status = 'kept')::bigint AS kept, COUNT(*) FILTER (WHERE pp.status = 'broken')::bigint AS broken
      FROM payment_promise pp JOIN debtor d ON d.id = pp.debtor_id
     WHERE pp.business_id = ${scope.businessId}::uuid AND pp.status IN ('kept', 'broken')
       AND pp.promised_on >= ${addDays(today, -90)}::date ${scopeFilter(scope)}`;

  const expectedSql = Prisma.sql`
    WITH open_inv AS (${openBalancesCte(scope)}),
    promised AS (
      SELECT DISTINCT ON (pp.debtor_id, COALESCE(pp.invoice_id, pp.debtor_id)) pp.debtor_id, pp.invoice_id, pp.promised_on, pp.amount_minor
        FROM payment_promise pp JOIN debtor d ON d.id = pp.debtor_id
       WHERE pp.business_id = ${scope.businessId}::uuid AND pp.status = 'open' AND pp.promised_on IS NOT NULL
         AND pp.promised_on <= ${window.expectUntil}::date ${scopeFilter(scope)}
       ORDER BY pp.debtor_id, COALESCE(pp.invoice_id, pp.debtor_id), pp.promised_on
    ),
    open_by_debtor AS (
      SELECT debtor_id, SUM(balance) AS balance FROM open_inv WHERE balance > 0 GROUP BY debtor_id
    ),
    items AS (
      SELECT p.promised_on AS expected_on, COALESCE(p.amount_minor, oi.balance, od.balance) AS amount
        FROM promised p
        LEFT JOIN open_inv oi ON oi.id = p.invoice_id AND oi.balance > 0
        LEFT JOIN open_by_debtor od ON p.invoice_id IS NULL AND od.debtor_id = p.debtor_id
      UNION ALL
      SELECT o.due, o.balance FROM open_inv o
       WHERE o.balance > 0 AND o.due >= ${today}::date AND o.due <= ${window.expectUntil}::date
         AND NOT EXISTS (SELECT 1 FROM payment_promise pp WHERE pp.debtor_id = o.debtor_id AND pp.status = 'open')
    )
    SELECT expected_on, SUM(amount)::bigint AS amount FROM items WHERE amount > 0 GROUP BY expected_on`;

  const pausedSql = Prisma.sql`
    SELECT name, number, until, reason FROM (
      SELECT d.name, NULL::text AS number, d.paused_until AS until, d.pause_reason AS reason FROM debtor d
       WHERE d.business_id = ${scope.businessId}::uuid ${scopeFilter(scope)}
         AND (d.paused_indefinitely OR d.paused_until >= ${today}::date)
      UNION ALL
      SELECT d.name, i.number, i.paused_until, i.pause_reason FROM invoice i JOIN debtor d ON d.id = i.debtor_id
       WHERE i.business_id = ${scope.businessId}::uuid AND i.status = 'open' ${scopeFilter(scope)}
         AND (i.paused_indefinitely OR i.paused_until >= ${today}::date)
    ) p ORDER BY name, number NULLS FIRST LIMIT 20`;

  // All five in one statement (one round trip): each part as JSON.
  const [row] = await tx.$queryRaw<
    Array<{
      agg: Record<string, number>;
      month: { received: number; on_old: number } | null;
      promises: { kept: number; broken: number } | null;
      expected: Array<{ expected_on: string; amount: number }>;
      paused: Array<{ name: string; number: string | null; until: string | null; reason: string | null }>;
    }>
  >`
    SELECT (SELECT to_jsonb(x) FROM (${aggSql}) x) AS agg,
           (SELECT to_jsonb(x) FROM (${monthSql}) x) AS month,
           (SELECT to_jsonb(x) FROM (${promisesSql}) x) AS promises,
           (SELECT COALESCE(jsonb_agg(x), '[]'::jsonb) FROM (${expectedSql}) x) AS expected,
           (SELECT COALESCE(jsonb_agg(x ORDER BY x.name, x.number NULLS FIRST), '[]'::jsonb) FROM (${pausedSql}) x) AS paused`;
  const { agg, month, promises, expected, paused } = row!;
  const n = (key: string) => toMinor(agg![key]!);
  return {
    outstandingMinor: n('outstanding'),
    overdueMinor: n('overdue'),
    openInvoices: n('open_count'),
    aging: Object.fromEntries(AGING_BUCKETS.map((b) => [b.key, n(b.key)])) as Record<AgingBucketKey, number>,
    creditSales90dMinor: n('sales_90d'),
    beginningOfMonthReceivablesMinor: n('open_from_before') + toMinor(month?.on_old ?? 0),
    creditSalesThisMonthMinor: n('sales_month'),
    currentReceivablesMinor: n('current_ar'),
    receivedThisMonthMinor: toMinor(month?.received ?? 0),
    promisesKept90d: toMinor(promises?.kept ?? 0),
    promisesBroken90d: toMinor(promises?.broken ?? 0),
    // JSON dates are 'YYYY-MM-DD' already.
    expected: expected.map((e) => ({ expectedOn: e.expected_on, amountMinor: toMinor(e.amount) })),
    paused: paused.map((p) => ({ name: p.name, invoiceNumber: p.number, until: p.until, reason: p.reason })),
  };
}

export interface StatementData {
  debtor: { id: string; name: string; phone: string | null; optedOut: boolean; pausedUntil: CalendarDate | null; pausedIndefinitely: boolean; pauseReason: string | null; agent: string | null };
  invoices: Array<{ number: string; amountMinor: number; balanceMinor: number; issuedOn: CalendarDate; effectiveDueOn: CalendarDate; status: string; disputed: boolean }>;
  payments: Array<{ receivedOn: CalendarDate; amountMinor: number; method: string | null; reference: string | null }>;
  promises: Array<{ promisedOn: CalendarDate | null; amountMinor: number | null; status: string }>;
  remindersSent: number;
  creditMinor: number;
}

/** A debtor's statement: open and recent invoices, payments, promises and reminders. */
export async function loadStatement(tx: Tx, businessId: string, debtorId: string, termsDays: number): Promise<StatementData | null> {
  // One statement (one round trip): the debtor, their last invoices, payments, promises, the
  // reminders sent and their unallocated credit, each part as JSON.
  const [row] = await tx.$queryRaw<
    Array<{
      debtor: { id: string; name: string; phone: string | null; opted_out: boolean; paused_until: string | null; paused_indefinitely: boolean; pause_reason: string | null; agent: string | null };
      invoices: Array<{ number: string; amount_minor: number; balance: number; issued_on: string; due: string; status: string; disputed: boolean }>;
      payments: Array<{ received_on: string; amount_minor: number; method: string | null; reference: string | null }>;
      promises: Array<{ promised_on: string | null; amount_minor: number | null; status: string }>;
      reminders_sent: number;
      credit: number;
    }>
  >`
    SELECT jsonb_build_object('id', d.id, 'name', d.name, 'phone', d.phone, 'opted_out', d.opted_out, 'paused_until', d.paused_until,
                              'paused_indefinitely', d.paused_indefinitely, 'pause_reason', d.pause_reason, 'agent', agent.name) AS debtor,
           (SELECT COALESCE(jsonb_agg(x ORDER BY x.n), '[]'::jsonb) FROM (
              SELECT i.number, i.amount_minor, i.issued_on, i.status::text AS status,
                     i.amount_minor - i.paid_minor AS balance,
                     COALESCE(i.due_on, i.issued_on + ${termsDays}::int) AS due,
                     EXISTS (SELECT 1 FROM dispute x WHERE x.invoice_id = i.id AND x.status = 'open') AS disputed,
                     row_number() OVER (ORDER BY (i.status = 'open') DESC, COALESCE(i.due_on, i.issued_on + ${termsDays}::int) DESC) AS n
                FROM invoice i WHERE i.debtor_id = d.id
               ORDER BY (i.status = 'open') DESC, COALESCE(i.due_on, i.issued_on + ${termsDays}::int) DESC
               LIMIT 12) x) AS invoices,
           (SELECT COALESCE(jsonb_agg(x ORDER BY x.n), '[]'::jsonb) FROM (
              SELECT p.received_on, p.amount_minor, p.method, p.reference, row_number() OVER (ORDER BY p.received_on DESC) AS n
                FROM payment p WHERE p.debtor_id = d.id AND p.reversed_at IS NULL
               ORDER BY p.received_on DESC LIMIT 5) x) AS payments,
           (SELECT COALESCE(jsonb_agg(x ORDER BY x.n), '[]'::jsonb) FROM (
              SELECT pp.promised_on, pp.amount_minor, pp.status::text AS status, row_number() OVER (ORDER BY pp.created_at DESC) AS n
                FROM payment_promise pp WHERE pp.debtor_id = d.id
               ORDER BY pp.created_at DESC LIMIT 5) x) AS promises,
           (SELECT COUNT(*) FROM outbound_message o WHERE o.debtor_id = d.id AND o.kind = 'reminder' AND o.status = 'sent')::int AS reminders_sent,
           (SELECT COALESCE(SUM(p.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM payment_allocation a WHERE a.payment_id = p.id), 0)), 0)
              FROM payment p WHERE p.debtor_id = d.id AND p.reversed_at IS NULL)::bigint AS credit
      FROM debtor d LEFT JOIN member agent ON agent.id = d.assigned_agent_id
     WHERE d.id = ${debtorId}::uuid AND d.business_id = ${businessId}::uuid`;
  if (!row) return null;
  const { debtor } = row;
  return {
    debtor: {
      id: debtor.id,
      name: debtor.name,
      phone: debtor.phone,
      optedOut: debtor.opted_out,
      // JSON dates are 'YYYY-MM-DD' already.
      pausedUntil: debtor.paused_until,
      pausedIndefinitely: debtor.paused_indefinitely,
      pauseReason: debtor.pause_reason,
      agent: debtor.agent,
    },
    invoices: row.invoices.map((i) => ({
      number: i.number,
      amountMinor: toMinor(i.amount_minor),
      balanceMinor: toMinor(i.balance),
      issuedOn: i.issued_on,
      effectiveDueOn: i.due,
      status: i.status,
      disputed: i.disputed,
    })),
    payments: row.payments.map((p) => ({ receivedOn: p.received_on, amountMinor: toMinor(p.amount_minor), method: p.method, reference: p.reference })),
    promises: row.promises.map((p) => ({ promisedOn: p.promised_on, amountMinor: p.amount_minor === null ? null : toMinor(p.amount_minor), status: p.status })),
    remindersSent: row.reminders_sent,
    creditMinor: toMinor(row.credit),
  };
}

export interface HistoryEntry {
  at: Date;
  who: string | null;
  actorType: string;
  action: string;
  entityType: string;
  number: string | null;
  data: Record<string, unknown>;
}

/** Everything done to a debtor, its invoices and payments, newest first. */
export async function loadDebtorHistory(tx: Tx, businessId: string, debtorId: string, limit = 15): Promise<HistoryEntry[]> {
  const rows = await tx.$queryRaw<Array<{ created_at: Date; who: string | null; actor_type: string; action: string; entity_type: string; number: string | null; data: Record<string, unknown> }>>`
    SELECT e.created_at, m.name AS who, e.actor_type::text AS actor_type, e.action, e.entity_type, i.number, e.data
      FROM audit_event e
      LEFT JOIN member m ON e.actor_type = 'member' AND m.id::text = e.actor_id
      LEFT JOIN invoice i ON e.entity_type = 'invoice' AND i.id::text = e.entity_id
     WHERE e.business_id = ${businessId}::uuid AND (
           (e.entity_type = 'debtor' AND e.entity_id = ${debtorId})
        OR (e.entity_type = 'invoice' AND e.entity_id IN (SELECT id::text FROM invoice WHERE debtor_id = ${debtorId}::uuid))
        OR (e.entity_type = 'payment' AND e.entity_id IN (SELECT id::text FROM payment WHERE debtor_id = ${debtorId}::uuid)))
     ORDER BY e.seq DESC
     LIMIT ${limit}`;
  return rows.map((r) => ({ at: r.created_at, who: r.who, actorType: r.actor_type, action: r.action, entityType: r.entity_type, number: r.number, data: r.data }));
}
