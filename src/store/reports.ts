// The owner's reports as set-based statements: per-debtor facts for the follow-up ranking and the
// risk engine, the business summary's aggregates, and a debtor's history. Each is one statement
// over the business, however many invoices it has; the engine turns the aggregates into scores,
// predicted dates and ratios.
import { addDays, daysBetween, type CalendarDate } from '../engine/calendar.ts';
import { AGING_BUCKETS, type AgingBucketKey } from '../engine/analytics.ts';
import type { OpenBill, PromiseRef } from '../engine/predict.ts';
import type { FollowUpFacts } from '../engine/ranking.ts';
import { RISK_MODEL, type RiskFacts } from '../engine/risk.ts';
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

/** For tables with a debtor_id: only the scope's debtors (nothing when the whole business is in scope). */
function debtorScope(scope: ReportScope, column: Prisma.Sql) {
  if (!scope.agentId && !scope.debtorId) return Prisma.empty;
  return Prisma.sql`AND ${column} IN (SELECT d.id FROM debtor d WHERE d.business_id = ${scope.businessId}::uuid ${scopeFilter(scope)})`;
}

function scopeFilter(scope: ReportScope) {
  return Prisma.sql`${scope.agentId ? Prisma.sql`AND d.assigned_agent_id = ${scope.agentId}::uuid` : Prisma.empty}
    ${scope.debtorId ? Prisma.sql`AND d.id = ${scope.debtorId}::uuid` : Prisma.empty}`;
}

/**
 * The CTEs every risk read shares: open balances (open_inv), per-debtor open totals (per_debtor:
 * debtors with money open), and the weighted sums of src/engine/risk.ts's RiskFacts for those
 * debtors (history, promise_history, disputes, last_payment). One pass over the business's
 * invoices of the last two years; every per-row value is computed once.
 */
function riskCtes(scope: ReportScope) {
  const today = scope.today;
  const m = RISK_MODEL;
  const tz = scope.timeZone;
  const due = Prisma.sql`COALESCE(i.due_on, i.issued_on + ${scope.termsDays}::int)`;
  return Prisma.sql`
    open_inv AS (
      SELECT i.id, i.debtor_id, i.amount_minor - i.paid_minor AS balance, ${due} AS due,
             i.id IN (SELECT x.invoice_id FROM dispute x WHERE x.business_id = ${scope.businessId}::uuid AND x.status = 'open' AND x.invoice_id IS NOT NULL) AS disputed
        FROM invoice i
        JOIN debtor d ON d.id = i.debtor_id
       WHERE i.business_id = ${scope.businessId}::uuid AND i.status = 'open' ${scopeFilter(scope)}
    ),
    per_debtor AS (
      SELECT debtor_id, SUM(balance) AS open_minor,
             SUM(balance) FILTER (WHERE due < ${today}::date) AS overdue_minor,
             MAX(${today}::date - due) FILTER (WHERE due < ${today}::date) AS max_days,
             COALESCE(MAX(${today}::date - due) FILTER (WHERE due < ${today}::date AND NOT disputed), 0) AS max_days_undisputed
        FROM open_inv WHERE balance > 0 GROUP BY debtor_id
    ),
    weighed AS (
      -- One row per invoice issued in the last year (for the sales figure) or paid in the last two
      -- years (for the risk sums), every value computed once: the OFFSET 0 fences keep PostgreSQL
      -- from inlining, and so recomputing, them in each aggregate below. late and w are null
      -- outside the lookback (and for unpaid bills), so the sums skip those rows.
      SELECT debtor_id, amount_minor, this_year, age, late, w,
             (due - ${today}::date)::float8 / 30 AS x,
             abs(due - ${addDays(today, -365)}::date) <= ${m.seasonHalfWidthDays}::int AS near
        FROM (SELECT debtor_id, amount_minor, this_year, due, age,
                     CASE WHEN age BETWEEN 0 AND ${m.lookbackDays} THEN LEAST(GREATEST(paid_on - due, ${m.minLateDays}::int), ${m.maxLateDays}::int) END AS late,
                     CASE WHEN age BETWEEN 0 AND ${m.lookbackDays} THEN power(0.5::float8, age::float8 / ${m.halfLifeDays}::float8) END AS w
                FROM (SELECT *, ${today}::date - paid_on AS age FROM (
                      SELECT i.debtor_id, i.amount_minor, i.issued_on >= ${addDays(today, -365)}::date AS this_year, ${due} AS due,
                             (i.closed_at AT TIME ZONE ${tz})::date AS paid_on
                        FROM invoice i
                       WHERE i.business_id = ${scope.businessId}::uuid AND i.status <> 'cancelled'
                         AND (i.issued_on >= ${addDays(today, -365)}::date
                              OR (i.status = 'paid' AND i.closed_at >= ${addDays(today, -m.lookbackDays - 1)}::date))
                         ${debtorScope(scope, Prisma.sql`i.debtor_id`)}
                      OFFSET 0) paid OFFSET 0) dated
              OFFSET 0) aged
    ),
    history AS (
      SELECT debtor_id,
             SUM(amount_minor) FILTER (WHERE this_year) AS invoiced_12m,
             -- The risk engine's weighted sums (RiskFacts).
             COUNT(late) AS n, SUM(w) AS lw, SUM(w * late) AS l_late, SUM(w * late * late) AS l_late2,
             SUM(w) FILTER (WHERE late > ${m.graceDays}::int) AS l_grace,
             SUM(w) FILTER (WHERE late > ${m.veryLateDays}::int) AS l_very,
             SUM(w * x) AS l_x, SUM(w * x * x) AS l_x2, SUM(w * x * late) AS l_xlate,
             COUNT(late) FILTER (WHERE near) AS s_n, SUM(late) FILTER (WHERE near) AS s_sum, SUM(late * late) FILTER (WHERE near) AS s_sum2,
             SUM(w) FILTER (WHERE age >= 365) AS y_w, SUM(w * late) FILTER (WHERE age >= 365) AS y_late
        FROM weighed GROUP BY debtor_id
    ),
    promise_history AS (
      SELECT debtor_id,
             COUNT(*) FILTER (WHERE status = 'broken' AND on_day >= ${addDays(today, -90)}::date) AS broken_90,
             COUNT(*) FILTER (WHERE status = 'kept' AND on_day >= ${addDays(today, -90)}::date) AS kept_90,
             COUNT(*) FILTER (WHERE status = 'broken') AS broken,
             COUNT(*) FILTER (WHERE status = 'kept') AS kept,
             SUM(power(0.5, (${today}::date - on_day)::float8 / ${m.promiseHalfLifeDays})) FILTER (WHERE status = 'broken') AS broken_w,
             SUM(power(0.5, (${today}::date - on_day)::float8 / ${m.promiseHalfLifeDays})) FILTER (WHERE status = 'kept') AS kept_w
        FROM (SELECT debtor_id, status, COALESCE(promised_on, (created_at AT TIME ZONE ${tz})::date) AS on_day
                FROM payment_promise
               WHERE business_id = ${scope.businessId}::uuid AND status IN ('broken', 'kept') ${debtorScope(scope, Prisma.sql`debtor_id`)}) p
       WHERE on_day BETWEEN ${addDays(today, -m.promiseLookbackDays)}::date AND ${today}::date
       GROUP BY debtor_id
    ),
    disputes AS (
      SELECT debtor_id, COUNT(*) FILTER (WHERE status = 'open') AS open_n,
             COUNT(*) FILTER (WHERE opened_on >= ${addDays(today, -m.promiseLookbackDays)}::date) AS recent_n
        FROM (SELECT debtor_id, status, (created_at AT TIME ZONE ${tz})::date AS opened_on
                FROM dispute WHERE business_id = ${scope.businessId}::uuid ${debtorScope(scope, Prisma.sql`debtor_id`)}) x
       WHERE opened_on <= ${today}::date
       GROUP BY debtor_id
    ),
    last_payment AS (
      SELECT p.debtor_id, MAX(p.received_on) AS on_day
        FROM payment p WHERE p.business_id = ${scope.businessId}::uuid AND p.reversed_at IS NULL AND p.received_on <= ${today}::date
             ${debtorScope(scope, Prisma.sql`p.debtor_id`)}
       GROUP BY p.debtor_id
    )`;
}

/** The risk columns of the statements below, for riskFactsFromRow. */
const RISK_COLUMNS = Prisma.sql`
  COALESCE(pd.max_days_undisputed, 0) AS max_days_undisputed,
  COALESCE(h.n, 0) AS h_n, h.lw, h.l_late, h.l_late2, h.l_grace, h.l_very, h.l_x, h.l_x2, h.l_xlate,
  COALESCE(h.s_n, 0) AS s_n, h.s_sum, h.s_sum2, h.y_w, h.y_late,
  COALESCE(ph.broken_90, 0) AS broken_90, COALESCE(ph.kept_90, 0) AS kept_90,
  COALESCE(ph.broken, 0) AS broken, COALESCE(ph.kept, 0) AS kept, ph.broken_w, ph.kept_w,
  COALESCE(ds.open_n, 0) AS disputes_open, COALESCE(ds.recent_n, 0) AS disputes_recent,
  lp.on_day AS last_payment_on`;

function riskJoins(debtorId: Prisma.Sql) {
  return Prisma.sql`
  LEFT JOIN history h ON h.debtor_id = ${debtorId}
  LEFT JOIN promise_history ph ON ph.debtor_id = ${debtorId}
  LEFT JOIN disputes ds ON ds.debtor_id = ${debtorId}
  LEFT JOIN last_payment lp ON lp.debtor_id = ${debtorId}`;
}

interface RiskRow {
  max_days_undisputed: number;
  h_n: bigint;
  lw: number | null;
  l_late: number | null;
  l_late2: number | null;
  l_grace: number | null;
  l_very: number | null;
  l_x: number | null;
  l_x2: number | null;
  l_xlate: number | null;
  s_n: bigint;
  s_sum: bigint | number | null;
  s_sum2: bigint | number | null;
  y_w: number | null;
  y_late: number | null;
  broken_90: bigint;
  kept_90: bigint;
  broken: bigint;
  kept: bigint;
  broken_w: number | null;
  kept_w: number | null;
  disputes_open: bigint;
  disputes_recent: bigint;
  last_payment_on: Date | null;
}

const num = (value: number | bigint | null | { toString(): string }): number => (value === null ? 0 : toMinor(value));

const YEAR_AGO_FACTOR = 2 ** (365 / RISK_MODEL.halfLifeDays);

function riskFactsFromRow(r: RiskRow, today: CalendarDate): RiskFacts {
  return {
    paidCount: num(r.h_n),
    sums: {
      weight: num(r.lw),
      late: num(r.l_late),
      lateSq: num(r.l_late2),
      overGrace: num(r.l_grace),
      overVeryLate: num(r.l_very),
      x: num(r.l_x),
      xSq: num(r.l_x2),
      xLate: num(r.l_xlate),
    },
    seasonNear: { n: num(r.s_n), sum: num(r.s_sum), sumSq: num(r.s_sum2) },
    // w′ = 0.5^((age − 365) ÷ half-life) = w × 2^(365 ÷ half-life).
    yearAgoWeight: num(r.y_w) * YEAR_AGO_FACTOR,
    yearAgoWeightedLate: num(r.y_late) * YEAR_AGO_FACTOR,
    promisesBroken: num(r.broken),
    promisesKept: num(r.kept),
    promisesBrokenWeight: num(r.broken_w),
    promisesKeptWeight: num(r.kept_w),
    openDisputes: num(r.disputes_open),
    recentDisputes: num(r.disputes_recent),
    daysSinceLastPayment: r.last_payment_on === null ? null : daysBetween(fromDbDate(r.last_payment_on), today),
    maxDaysOverdue: r.max_days_undisputed,
  };
}

/** The follow-up facts statement, one row per debtor with money open (exported for EXPLAIN). */
export function followUpFactsSql(scope: ReportScope): Prisma.Sql {
  const today = scope.today;
  return Prisma.sql`
    WITH ${riskCtes(scope)},
    open_promise AS (
      SELECT DISTINCT ON (debtor_id) debtor_id, promised_on, amount_minor
        FROM payment_promise
       WHERE business_id = ${scope.businessId}::uuid AND status = 'open'
       ORDER BY debtor_id, promised_on NULLS LAST
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
    )
    SELECT d.id, d.name, pd.open_minor, pd.overdue_minor, pd.max_days,
           op.promised_on, op.amount_minor AS promise_amount, (op.debtor_id IS NOT NULL) AS has_open_promise,
           h.invoiced_12m,
           (${today}::date - (c.last_at AT TIME ZONE ${scope.timeZone})::date) AS last_contact_days,
           ${RISK_COLUMNS}
      FROM per_debtor pd
      JOIN debtor d ON d.id = pd.debtor_id
      LEFT JOIN open_promise op ON op.debtor_id = d.id
      LEFT JOIN contact c ON c.debtor_id = d.id
      ${riskJoins(Prisma.sql`d.id`)}`;
}

/** Everything the follow-up ranking weighs, for every debtor with money open, in one statement. */
export type DebtorFacts = FollowUpFacts & { risk: RiskFacts };

export async function loadFollowUpFacts(tx: Tx, scope: ReportScope): Promise<DebtorFacts[]> {
  const rows = await tx.$queryRaw<
    Array<
      RiskRow & {
        id: string;
        name: string;
        open_minor: bigint;
        overdue_minor: bigint | null;
        max_days: number | null;
        promised_on: Date | null;
        promise_amount: bigint | null;
        has_open_promise: boolean;
        invoiced_12m: bigint | null;
        last_contact_days: number | null;
      }
    >
  >(followUpFactsSql(scope));
  return rows.map((r) => {
    const risk = riskFactsFromRow(r, scope.today);
    return {
      debtorId: r.id,
      name: r.name,
      openMinor: toMinor(r.open_minor),
      overdueMinor: r.overdue_minor === null ? 0 : toMinor(r.overdue_minor),
      maxDaysOverdue: r.max_days ?? 0,
      openPromise: r.has_open_promise ? { promisedOn: r.promised_on ? fromDbDate(r.promised_on) : null, amountMinor: r.promise_amount === null ? null : toMinor(r.promise_amount) } : null,
      brokenPromises90d: toMinor(r.broken_90),
      keptPromises90d: toMinor(r.kept_90),
      latePaidShare: risk.sums.weight > 0 ? risk.sums.overGrace / risk.sums.weight : 0,
      avgDaysLate: risk.sums.weight > 0 ? Math.max(0, risk.sums.late / risk.sums.weight) : 0,
      invoicedLast12mMinor: r.invoiced_12m === null ? 0 : toMinor(r.invoiced_12m),
      daysSinceLastContact: r.last_contact_days,
      requestedCallback: false,
      risk,
    };
  });
}

/** A debtor's risk facts, open bills and open promise about no bill, for scoring them and dating their bills. */
export interface DebtorRiskInput {
  debtorId: string;
  risk: RiskFacts;
  bills: OpenBill[];
  promise: PromiseRef | null;
}

/**
 * The statement behind loadRiskInputs (exported for EXPLAIN): one row per debtor with money open,
 * or, with `everyDebtor`, per debtor in the scope (a statement's debtor may owe nothing).
 */
export function riskInputsSql(scope: ReportScope, options: { everyDebtor?: boolean } = {}): Prisma.Sql {
  const debtors = options.everyDebtor
    ? Prisma.sql`FROM debtor d LEFT JOIN per_debtor pd ON pd.debtor_id = d.id LEFT JOIN open_bills ob ON ob.debtor_id = d.id`
    : Prisma.sql`FROM per_debtor pd JOIN debtor d ON d.id = pd.debtor_id JOIN open_bills ob ON ob.debtor_id = pd.debtor_id`;
  return Prisma.sql`
    WITH ${riskCtes(scope)},
    open_promise AS (
      -- The earliest open dated promise per invoice, and per debtor among promises about no invoice.
      SELECT DISTINCT ON (debtor_id, invoice_id) debtor_id, invoice_id, promised_on, amount_minor
        FROM payment_promise
       WHERE business_id = ${scope.businessId}::uuid AND status = 'open' AND promised_on IS NOT NULL
       ORDER BY debtor_id, invoice_id, promised_on
    ),
    open_bills AS (
      SELECT o.debtor_id,
             json_agg(json_build_array(o.id, o.due, o.balance::text, o.disputed, pi.promised_on, pi.amount_minor::text)) AS bills
        FROM open_inv o
        LEFT JOIN open_promise pi ON pi.invoice_id = o.id
       WHERE o.balance > 0
       GROUP BY o.debtor_id
    )
    SELECT d.id, ob.bills, dp.promised_on AS debtor_promise_on, dp.amount_minor AS debtor_promise_amount, ${RISK_COLUMNS}
      ${debtors}
      LEFT JOIN open_promise dp ON dp.invoice_id IS NULL AND dp.debtor_id = d.id
      ${riskJoins(Prisma.sql`d.id`)}
     WHERE d.business_id = ${scope.businessId}::uuid ${scopeFilter(scope)}`;
}

/** Risk facts and open bills of every debtor with money open (or, with `everyDebtor`, every debtor in scope). */
export async function loadRiskInputs(tx: Tx, scope: ReportScope, options: { everyDebtor?: boolean } = {}): Promise<DebtorRiskInput[]> {
  const rows = await tx.$queryRaw<
    Array<
      RiskRow & {
        id: string;
        /** [id, effective due date, balance, disputed, promised on, promised amount] */
        bills: Array<[string, string, string, boolean, string | null, string | null]> | null;
        debtor_promise_on: Date | null;
        debtor_promise_amount: bigint | null;
      }
    >
  >(riskInputsSql(scope, options));
  return rows.map((r) => ({
    debtorId: r.id,
    risk: riskFactsFromRow(r, scope.today),
    bills: (r.bills ?? []).map(([id, dueOn, balance, disputed, promisedOn, promisedAmount]) => ({
      id,
      dueOn,
      balanceMinor: Number(balance),
      disputed,
      promise: promisedOn === null ? null : { on: promisedOn, amountMinor: promisedAmount === null ? null : Number(promisedAmount) },
    })),
    promise:
      r.debtor_promise_on === null
        ? null
        : { on: fromDbDate(r.debtor_promise_on), amountMinor: r.debtor_promise_amount === null ? null : toMinor(r.debtor_promise_amount) },
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
  /** Paused customers, and open invoices whose reminders are paused (with their number). */
  paused: Array<{ name: string; invoiceNumber: string | null; until: CalendarDate | null; reason: string | null }>;
}

/**
 * The summary's numbers for a business (or an agent's share of it), in four small statements. The
 * cash expected comes from the risk engine's predicted dates (loadRiskInputs).
 */
export async function loadSummaryAggregates(tx: Tx, scope: ReportScope, window: { monthStart: CalendarDate }): Promise<SummaryAggregates> {
  const today = scope.today;
  const open = Prisma.sql`i.status = 'open' AND i.amount_minor > i.paid_minor`;
  const due = Prisma.sql`COALESCE(i.due_on, i.issued_on + ${scope.termsDays}::int)`;
  const bucketSums = AGING_BUCKETS.map(
    (b) =>
      Prisma.sql`COALESCE(SUM(i.amount_minor - i.paid_minor) FILTER (WHERE ${open} AND GREATEST(${today}::date - ${due}, 0) BETWEEN ${b.minDays}::int AND ${b.maxDays ?? 1_000_000}::int), 0)::bigint AS ${Prisma.raw(`"${b.key}"`)}`,
  );
  // One pass over the business's invoices gives the balances, the aging and the sales.
  const [agg] = await tx.$queryRaw<Array<Record<string, bigint>>>`
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
  const [month] = await tx.$queryRaw<Array<{ received: bigint; on_old: bigint }>>`
    WITH month_payments AS (
      SELECT p.id, p.amount_minor FROM payment p JOIN debtor d ON d.id = p.debtor_id
       WHERE p.business_id = ${scope.businessId}::uuid AND p.reversed_at IS NULL AND p.received_on >= ${window.monthStart}::date ${scopeFilter(scope)}
    )
    SELECT (SELECT COALESCE(SUM(amount_minor), 0) FROM month_payments)::bigint AS received,
           (SELECT COALESCE(SUM(a.amount_minor), 0) FROM payment_allocation a
              JOIN month_payments mp ON mp.id = a.payment_id
              JOIN invoice i ON i.id = a.invoice_id
             WHERE i.issued_on < ${window.monthStart}::date AND i.status <> 'cancelled')::bigint AS on_old`;
  const [promises] = await tx.$queryRaw<Array<{ kept: bigint; broken: bigint }>>`
    SELECT COUNT(*) FILTER (WHERE pp.status = 'kept')::bigint AS kept, COUNT(*) FILTER (WHERE pp.status = 'broken')::bigint AS broken
      FROM payment_promise pp JOIN debtor d ON d.id = pp.debtor_id
     WHERE pp.business_id = ${scope.businessId}::uuid AND pp.status IN ('kept', 'broken')
       AND pp.promised_on >= ${addDays(today, -90)}::date ${scopeFilter(scope)}`;

  const paused = await tx.$queryRaw<Array<{ name: string; number: string | null; until: Date | null; reason: string | null }>>`
    SELECT name, number, until, reason FROM (
      SELECT d.name, NULL::text AS number, d.paused_until AS until, d.pause_reason AS reason FROM debtor d
       WHERE d.business_id = ${scope.businessId}::uuid ${scopeFilter(scope)}
         AND (d.paused_indefinitely OR d.paused_until >= ${today}::date)
      UNION ALL
      SELECT d.name, i.number, i.paused_until, i.pause_reason FROM invoice i JOIN debtor d ON d.id = i.debtor_id
       WHERE i.business_id = ${scope.businessId}::uuid AND i.status = 'open' ${scopeFilter(scope)}
         AND (i.paused_indefinitely OR i.paused_until >= ${today}::date)
    ) p ORDER BY name, number NULLS FIRST LIMIT 20`;

  const n = (key: string) => toMinor(agg![key]!);
  return {
    outstandingMinor: n('outstanding'),
    overdueMinor: n('overdue'),
    openInvoices: n('open_count'),
    aging: Object.fromEntries(AGING_BUCKETS.map((b) => [b.key, n(b.key)])) as Record<AgingBucketKey, number>,
    creditSales90dMinor: n('sales_90d'),
    beginningOfMonthReceivablesMinor: n('open_from_before') + toMinor(month?.on_old ?? 0n),
    creditSalesThisMonthMinor: n('sales_month'),
    currentReceivablesMinor: n('current_ar'),
    receivedThisMonthMinor: toMinor(month?.received ?? 0n),
    promisesKept90d: toMinor(promises?.kept ?? 0n),
    promisesBroken90d: toMinor(promises?.broken ?? 0n),
    paused: paused.map((p) => ({ name: p.name, invoiceNumber: p.number, until: p.until ? fromDbDate(p.until) : null, reason: p.reason })),
  };
}

export interface StatementData {
  debtor: { id: string; name: string; phone: string | null; optedOut: boolean; pausedUntil: CalendarDate | null; pausedIndefinitely: boolean; pauseReason: string | null; agent: string | null };
  invoices: Array<{ id: string; number: string; amountMinor: number; balanceMinor: number; issuedOn: CalendarDate; effectiveDueOn: CalendarDate; status: string; disputed: boolean }>;
  payments: Array<{ receivedOn: CalendarDate; amountMinor: number; method: string | null; reference: string | null }>;
  promises: Array<{ promisedOn: CalendarDate | null; amountMinor: number | null; status: string }>;
  remindersSent: number;
  creditMinor: number;
}

/** A debtor's statement: open and recent invoices, payments, promises and reminders. */
export async function loadStatement(tx: Tx, businessId: string, debtorId: string, termsDays: number): Promise<StatementData | null> {
  const debtor = await tx.debtor.findFirst({ where: { id: debtorId, businessId }, include: { assignedAgent: { select: { name: true } } } });
  if (!debtor) return null;
  const invoices = await tx.$queryRaw<Array<{ id: string; number: string; amount_minor: bigint; balance: bigint; issued_on: Date; due: Date; status: string; disputed: boolean }>>`
    SELECT i.id, i.number, i.amount_minor, i.issued_on, i.status::text AS status,
           i.amount_minor - i.paid_minor AS balance,
           COALESCE(i.due_on, i.issued_on + ${termsDays}::int) AS due,
           EXISTS (SELECT 1 FROM dispute x WHERE x.invoice_id = i.id AND x.status = 'open') AS disputed
      FROM invoice i WHERE i.debtor_id = ${debtorId}::uuid
     ORDER BY (i.status = 'open') DESC, COALESCE(i.due_on, i.issued_on + ${termsDays}::int) DESC
     LIMIT 12`;
  const payments = await tx.payment.findMany({ where: { debtorId, reversedAt: null }, orderBy: { receivedOn: 'desc' }, take: 5 });
  const promises = await tx.paymentPromise.findMany({ where: { debtorId }, orderBy: { createdAt: 'desc' }, take: 5 });
  const remindersSent = await tx.outboundMessage.count({ where: { debtorId, kind: 'reminder', status: 'sent' } });
  const [credit] = await tx.$queryRaw<Array<{ credit: bigint }>>`
    SELECT COALESCE(SUM(p.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM payment_allocation a WHERE a.payment_id = p.id), 0)), 0)::bigint AS credit
      FROM payment p WHERE p.debtor_id = ${debtorId}::uuid AND p.reversed_at IS NULL`;
  return {
    debtor: {
      id: debtor.id,
      name: debtor.name,
      phone: debtor.phone,
      optedOut: debtor.optedOut,
      pausedUntil: debtor.pausedUntil ? fromDbDate(debtor.pausedUntil) : null,
      pausedIndefinitely: debtor.pausedIndefinitely,
      pauseReason: debtor.pauseReason,
      agent: debtor.assignedAgent?.name ?? null,
    },
    invoices: invoices.map((i) => ({
      id: i.id,
      number: i.number,
      amountMinor: toMinor(i.amount_minor),
      balanceMinor: toMinor(i.balance),
      issuedOn: fromDbDate(i.issued_on),
      effectiveDueOn: fromDbDate(i.due),
      status: i.status,
      disputed: i.disputed,
    })),
    payments: payments.map((p) => ({ receivedOn: fromDbDate(p.receivedOn), amountMinor: toMinor(p.amountMinor), method: p.method, reference: p.reference })),
    promises: promises.map((p) => ({ promisedOn: p.promisedOn ? fromDbDate(p.promisedOn) : null, amountMinor: p.amountMinor === null ? null : toMinor(p.amountMinor), status: p.status })),
    remindersSent,
    creditMinor: toMinor(credit?.credit ?? 0n),
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
