// The owner's reports as set-based statements: per-debtor facts for the follow-up ranking and the
// risk engine, the business summary's aggregates, and a debtor's history. Each is one statement
// over the business, however many invoices it has; the engine turns the aggregates into scores,
// predicted dates and ratios.
import { addDays, daysBetween, type CalendarDate } from '../engine/calendar.ts';
import { AGING_BUCKETS, type AgingBucketKey } from '../engine/analytics.ts';
import { CALLBACK_REQUEST_DAYS } from '../engine/debtor-reply.ts';
import type { OpenBill, PromiseRef } from '../engine/predict.ts';
import type { FollowUpFacts } from '../engine/ranking.ts';
import { RISK_MODEL, RISK_POINTS, type LatenessFacts, type RiskFacts } from '../engine/risk.ts';
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
function debtorScope(scope: ReportScope & { debtorIds?: readonly string[] }, column: Prisma.Sql) {
  const ids = scope.debtorIds ? Prisma.sql`AND ${column} = ANY(${[...scope.debtorIds]}::uuid[])` : Prisma.empty;
  if (!scope.agentId && !scope.debtorId) return ids;
  return Prisma.sql`${ids} AND ${column} IN (SELECT d.id FROM debtor d WHERE d.business_id = ${scope.businessId}::uuid ${scopeFilter(scope)})`;
}

function scopeFilter(scope: ReportScope) {
  return Prisma.sql`${scope.agentId ? Prisma.sql`AND d.assigned_agent_id = ${scope.agentId}::uuid` : Prisma.empty}
    ${scope.debtorId ? Prisma.sql`AND d.id = ${scope.debtorId}::uuid` : Prisma.empty}`;
}

/** The summary's sums over one debtor's open bills (the caller adds them up over debtors). */
function summaryOpenColumns(monthStart: CalendarDate, today: CalendarDate) {
  const buckets = AGING_BUCKETS.map(
    (b) => Prisma.sql`SUM(balance) FILTER (WHERE GREATEST(-due_in, 0) BETWEEN ${b.minDays}::int AND ${b.maxDays ?? 1_000_000}::int)::bigint AS ${Prisma.raw(`"aging_${b.key}"`)},`,
  );
  return Prisma.sql`SUM(balance)::bigint AS open_minor, SUM(balance) FILTER (WHERE due_in < 0)::bigint AS overdue_minor, COUNT(*) AS open_count,
             ${Prisma.join(buckets, ' ')}
             SUM(balance) FILTER (WHERE issued_on < ${monthStart}::date)::bigint AS open_from_before,
             SUM(amount_minor) FILTER (WHERE issued_on > ${addDays(today, -90)}::date)::bigint AS open_sales_90d,
             SUM(amount_minor) FILTER (WHERE issued_on >= ${monthStart}::date)::bigint AS open_sales_month,`;
}

/**
 * What a risk statement computes: `list`, the follow-up list's open balances and sales, no risk
 * history; `facts`, the full RiskFacts (of the debtors in scope); `forecast`, what dating their
 * open bills needs (LatenessFacts, promise counts) and the bills; `statement`, the full facts and
 * the bills with their invoice ids.
 */
type RiskPurpose = 'list' | 'facts' | 'forecast' | 'statement';

/**
 * The CTEs the risk reads share. `ledger` is one pass over the business's invoices (the open
 * ones, those issued in the last year, and those paid in the last two years); `debtor_sums` adds
 * it up per debtor: open balances and the weighted sums of src/engine/risk.ts's RiskFacts. With
 * bills, `open_bills` has each debtor's open bills as JSON, with their open promises (open_promise:
 * the earliest open dated promise per invoice, and per debtor for no invoice).
 * promise_history, disputes and last_payment give the rest of the facts.
 */
function riskCtes(scope: ReportScope & { debtorIds?: readonly string[] }, purpose: RiskPurpose, summary?: { monthStart: CalendarDate }) {
  const today = scope.today;
  const m = RISK_MODEL;
  const tz = scope.timeZone;
  const full = purpose !== 'forecast';
  const bills = purpose === 'forecast' || purpose === 'statement';
  const history = purpose !== 'list';
  const due = Prisma.sql`COALESCE(i.due_on, i.issued_on + ${scope.termsDays}::int)`;
  return Prisma.sql`
    open_promise AS (
      SELECT DISTINCT ON (debtor_id, invoice_id) debtor_id, invoice_id, promised_on, amount_minor
        FROM payment_promise
       WHERE business_id = ${scope.businessId}::uuid AND status = 'open' AND promised_on IS NOT NULL
       ORDER BY debtor_id, invoice_id, promised_on
    ),
    ledger AS (
      -- Every value computed once per invoice: the OFFSET 0 fences keep PostgreSQL from inlining,
      -- and so recomputing, them in each aggregate below. late and w are null outside the
      -- lookback (and for unpaid bills), so the sums skip those rows.
      SELECT debtor_id, amount_minor, is_open, this_year, issued_on, due, disputed, balance,
             ${today}::date - paid_on AS age,
             CASE WHEN ${today}::date - paid_on BETWEEN 0 AND ${m.lookbackDays}
                  THEN LEAST(GREATEST(paid_on - due, ${m.minLateDays}::int), ${m.maxLateDays}::int) END AS late,
             CASE WHEN ${today}::date - paid_on BETWEEN 0 AND ${m.lookbackDays}
                  THEN power(0.5::float8, (${today}::date - paid_on)::float8 / ${m.halfLifeDays}::float8) END AS w,
             (due - ${today}::date)::float8 / 30 AS x,
             abs(due - ${addDays(today, -365)}::date) <= ${m.seasonHalfWidthDays}::int AS near
        FROM (SELECT i.id, i.debtor_id, i.amount_minor, i.status = 'open' AND i.amount_minor > i.paid_minor AS is_open,
                     i.amount_minor - i.paid_minor AS balance, i.issued_on, i.issued_on >= ${addDays(today, -365)}::date AS this_year, ${due} AS due,
                     CASE WHEN i.status = 'paid' THEN (i.closed_at AT TIME ZONE ${tz})::date END AS paid_on,
                     i.status = 'open' AND i.id IN (SELECT x.invoice_id FROM dispute x
                                                    WHERE x.business_id = ${scope.businessId}::uuid AND x.status = 'open' AND x.invoice_id IS NOT NULL) AS disputed
                FROM invoice i
               WHERE i.business_id = ${scope.businessId}::uuid AND i.status <> 'cancelled'
                 AND (${full ? Prisma.sql`i.status = 'open' OR i.issued_on >= ${addDays(today, -365)}::date` : Prisma.sql`false`}
                      ${history ? Prisma.sql`OR (i.status = 'paid' AND i.closed_at >= ${addDays(today, -m.lookbackDays - 1)}::date)` : Prisma.empty})
                 ${debtorScope(scope, Prisma.sql`i.debtor_id`)}
              OFFSET 0) dated
      OFFSET 0
    ),
    debtor_sums AS (
      SELECT debtor_id,
             ${
               full
                 ? Prisma.sql`SUM(balance) FILTER (WHERE is_open) AS open_minor,
             SUM(balance) FILTER (WHERE is_open AND due < ${today}::date) AS overdue_minor,
             MAX(${today}::date - due) FILTER (WHERE is_open AND due < ${today}::date) AS max_days,
             SUM(amount_minor) FILTER (WHERE this_year) AS invoiced_12m,
             ${history ? Prisma.sql`SUM(w) FILTER (WHERE late > ${m.graceDays}::int) AS l_grace,` : Prisma.empty}
             COALESCE(MAX(${today}::date - due) FILTER (WHERE is_open AND due < ${today}::date AND NOT disputed), 0) AS max_days_undisputed`
                 : Prisma.sql`NULL::int AS max_days_undisputed`
             }
             ${
               history
                 ? Prisma.sql`,
             -- The risk engine's weighted sums (RiskFacts).
             COUNT(late) AS n, SUM(w) AS lw, SUM(w * late) AS l_late, SUM(w * late * late) AS l_late2,
             SUM(w * x) AS l_x, SUM(w * x * x) AS l_x2, SUM(w * x * late) AS l_xlate,
             COUNT(late) FILTER (WHERE near) AS s_n, SUM(late) FILTER (WHERE near) AS s_sum, SUM(late * late) FILTER (WHERE near) AS s_sum2,
             SUM(w) FILTER (WHERE age >= 365) AS y_w, SUM(w * late) FILTER (WHERE age >= 365) AS y_late`
                 : Prisma.empty
             }
             ${
               summary
                 ? Prisma.sql`,
             -- The summary's sales, of the paid invoices (the open ones are in open_bills).
             SUM(amount_minor) FILTER (WHERE issued_on > ${addDays(today, -90)}::date)::bigint AS paid_sales_90d,
             SUM(amount_minor) FILTER (WHERE issued_on >= ${summary.monthStart}::date)::bigint AS paid_sales_month`
                 : Prisma.empty
             }
        FROM ledger GROUP BY debtor_id
    ),
    ${
      bills
        ? Prisma.sql`open_bills AS (
      -- The open bills, apart from the ledger (a few thousand rows, not all invoices): [days from
      -- today to the effective due date, balance, disputed (1/0), days to its open promise,
      -- promised amount], the last three left off when neither disputed nor promised; for a
      -- statement, in full and with the invoice id. And how overdue the oldest undisputed one is.
      SELECT debtor_id,
             COALESCE(MAX(-due_in) FILTER (WHERE due_in < 0 AND NOT disputed), 0) AS max_days_undisputed,
             ${summary ? summaryOpenColumns(summary.monthStart, today) : Prisma.empty}
             json_agg(CASE WHEN promised_on IS NULL ${purpose === 'statement' ? Prisma.empty : Prisma.sql`AND NOT disputed`}
                           THEN json_build_array(due_in, balance ${purpose === 'statement' ? Prisma.sql`, disputed::int, NULL, NULL, id` : Prisma.empty})
                           ELSE json_build_array(due_in, balance, disputed::int, promised_in, promised_minor ${purpose === 'statement' ? Prisma.sql`, id` : Prisma.empty}) END) AS bills
        FROM (SELECT i.debtor_id, i.id, ${due} - ${today}::date AS due_in, i.amount_minor - i.paid_minor AS balance, i.amount_minor, i.issued_on,
                     i.id IN (SELECT x.invoice_id FROM dispute x
                               WHERE x.business_id = ${scope.businessId}::uuid AND x.status = 'open' AND x.invoice_id IS NOT NULL) AS disputed,
                     op.promised_on, op.promised_on - ${today}::date AS promised_in, op.amount_minor AS promised_minor
        FROM invoice i LEFT JOIN open_promise op ON op.invoice_id = i.id
       WHERE i.business_id = ${scope.businessId}::uuid AND i.status = 'open' AND i.amount_minor > i.paid_minor
             ${debtorScope(scope, Prisma.sql`i.debtor_id`)}) b
       GROUP BY debtor_id
    ),`
        : Prisma.empty
    }
    promise_history AS (
      SELECT debtor_id,
             COUNT(*) FILTER (WHERE status = 'broken' AND on_day >= ${addDays(today, -90)}::date) AS broken_90,
             COUNT(*) FILTER (WHERE status = 'kept' AND on_day >= ${addDays(today, -90)}::date) AS kept_90,
             COUNT(*) FILTER (WHERE status = 'broken') AS broken,
             COUNT(*) FILTER (WHERE status = 'kept') AS kept,
             SUM(power(0.5::float8, (${today}::date - on_day)::float8 / ${m.promiseHalfLifeDays}::float8)) FILTER (WHERE status = 'broken') AS broken_w,
             SUM(power(0.5::float8, (${today}::date - on_day)::float8 / ${m.promiseHalfLifeDays}::float8)) FILTER (WHERE status = 'kept') AS kept_w
        FROM (SELECT debtor_id, status, COALESCE(promised_on, (created_at AT TIME ZONE ${tz})::date) AS on_day
                FROM payment_promise
               WHERE business_id = ${scope.businessId}::uuid AND status IN ('broken', 'kept') ${debtorScope(scope, Prisma.sql`debtor_id`)}) p
       WHERE on_day BETWEEN ${addDays(today, -m.promiseLookbackDays)}::date AND ${today}::date
       GROUP BY debtor_id
    )${
      full && history
        ? Prisma.sql`,
    disputes AS (
      SELECT debtor_id, COUNT(*) FILTER (WHERE status = 'open') AS open_n,
             COUNT(*) FILTER (WHERE opened_on >= ${addDays(today, -m.promiseLookbackDays)}::date) AS recent_n
        FROM (SELECT debtor_id, status, (created_at AT TIME ZONE ${tz})::date AS opened_on
                FROM dispute WHERE business_id = ${scope.businessId}::uuid ${debtorScope(scope, Prisma.sql`debtor_id`)}) x
       WHERE opened_on <= ${today}::date
       GROUP BY debtor_id
    ),
    last_payment AS (
      -- The last payment received. Recent payments are a range of the (business, day) index; only
      -- a debtor with none in the window where it still counts for points looks further back.
      SELECT p.debtor_id, MAX(p.received_on) AS on_day
        FROM payment p WHERE p.business_id = ${scope.businessId}::uuid AND p.reversed_at IS NULL
         AND p.received_on BETWEEN ${addDays(today, -(RISK_POINTS.noPaymentFromDays + RISK_POINTS.noPaymentSpanDays))}::date AND ${today}::date
             ${debtorScope(scope, Prisma.sql`p.debtor_id`)}
       GROUP BY p.debtor_id
    )`
        : Prisma.empty
    }`;
}

/** The columns of LatenessFacts (with max_days_undisputed from `open`) and the promise counts. */
const latenessColumns = (open: Prisma.Sql) => Prisma.sql`
  COALESCE(${open}.max_days_undisputed, 0) AS max_days_undisputed,
  COALESCE(pd.n, 0) AS h_n, pd.lw, pd.l_late, pd.l_late2, pd.l_x, pd.l_x2, pd.l_xlate,
  COALESCE(pd.s_n, 0) AS s_n, pd.s_sum, pd.s_sum2, pd.y_w, pd.y_late,
  COALESCE(ph.broken, 0) AS broken, COALESCE(ph.kept, 0) AS kept`;

/** The columns of the full RiskFacts, for riskFactsFromRow. */
const RISK_COLUMNS = Prisma.sql`${latenessColumns(Prisma.raw('pd'))}, pd.l_grace,
  COALESCE(ph.broken_90, 0) AS broken_90, COALESCE(ph.kept_90, 0) AS kept_90, ph.broken_w, ph.kept_w,
  COALESCE(ds.open_n, 0) AS disputes_open, COALESCE(ds.recent_n, 0) AS disputes_recent,
  lp.on_day AS last_payment_on`;

function riskJoins(debtorId: Prisma.Sql, today: CalendarDate) {
  return Prisma.sql`
  LEFT JOIN promise_history ph ON ph.debtor_id = ${debtorId}
  LEFT JOIN disputes ds ON ds.debtor_id = ${debtorId}
  LEFT JOIN last_payment recent ON recent.debtor_id = ${debtorId}
  LEFT JOIN LATERAL (SELECT COALESCE(recent.on_day, (SELECT MAX(p.received_on) FROM payment p
                                                      WHERE p.debtor_id = ${debtorId} AND p.reversed_at IS NULL AND p.received_on <= ${today}::date)) AS on_day) lp ON true`;
}

interface LatenessRow {
  max_days_undisputed: number;
  h_n: bigint;
  lw: number | null;
  l_late: number | null;
  l_late2: number | null;
  l_x: number | null;
  l_x2: number | null;
  l_xlate: number | null;
  s_n: bigint;
  s_sum: bigint | number | null;
  s_sum2: bigint | number | null;
  y_w: number | null;
  y_late: number | null;
  broken: bigint;
  kept: bigint;
}

interface RiskRow extends LatenessRow {
  l_grace: number | null;
  broken_90: bigint;
  kept_90: bigint;
  broken_w: number | null;
  kept_w: number | null;
  disputes_open: bigint;
  disputes_recent: bigint;
  last_payment_on: Date | null;
}

const num = (value: number | bigint | null | { toString(): string }): number => (value === null ? 0 : toMinor(value));

const YEAR_AGO_FACTOR = 2 ** (365 / RISK_MODEL.halfLifeDays);

function latenessFactsFromRow(r: LatenessRow): LatenessFacts & Pick<RiskFacts, 'promisesBroken' | 'promisesKept'> {
  return {
    paidCount: num(r.h_n),
    sums: { weight: num(r.lw), late: num(r.l_late), lateSq: num(r.l_late2), x: num(r.l_x), xSq: num(r.l_x2), xLate: num(r.l_xlate) },
    seasonNear: { n: num(r.s_n), sum: num(r.s_sum), sumSq: num(r.s_sum2) },
    // w′ = 0.5^((age − 365) ÷ half-life) = w × 2^(365 ÷ half-life).
    yearAgoWeight: num(r.y_w) * YEAR_AGO_FACTOR,
    yearAgoWeightedLate: num(r.y_late) * YEAR_AGO_FACTOR,
    maxDaysOverdue: r.max_days_undisputed,
    promisesBroken: num(r.broken),
    promisesKept: num(r.kept),
  };
}

function riskFactsFromRow(r: RiskRow, today: CalendarDate): RiskFacts {
  return {
    ...latenessFactsFromRow(r),
    lateWeight: num(r.l_grace),
    promisesBrokenWeight: num(r.broken_w),
    promisesKeptWeight: num(r.kept_w),
    openDisputes: num(r.disputes_open),
    recentDisputes: num(r.disputes_recent),
    daysSinceLastPayment: r.last_payment_on === null ? null : daysBetween(fromDbDate(r.last_payment_on), today),
  };
}

/**
 * The follow-up list's facts statement (exported for EXPLAIN): one row per debtor with money
 * open — balances, promises, sales, contact — without the risk history, which loadRiskFacts reads
 * for the few debtors that could make the list (ranking.followUpCandidates).
 */
export function followUpFactsSql(scope: ReportScope): Prisma.Sql {
  const today = scope.today;
  return Prisma.sql`
    WITH ${riskCtes(scope, 'list')},
    next_promise AS (
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
    ),
    callback AS (
      -- Asked for a call or more time lately, and not answered since by a promise or a payment.
      SELECT im.debtor_id, MAX(im.received_at) AS asked_at
        FROM inbound_message im JOIN debtor_sums pd ON pd.debtor_id = im.debtor_id AND pd.open_minor > 0
       WHERE im.intent IN ('callback', 'extension') AND im.received_at >= ${addDays(today, -CALLBACK_REQUEST_DAYS)}::date
       GROUP BY im.debtor_id
    )
    SELECT d.id, d.name, pd.open_minor, pd.overdue_minor, pd.max_days,
           op.promised_on, op.amount_minor AS promise_amount, (op.debtor_id IS NOT NULL) AS has_open_promise,
           pd.invoiced_12m,
           (${today}::date - (c.last_at AT TIME ZONE ${scope.timeZone})::date) AS last_contact_days,
           COALESCE(ph.broken_90, 0) AS broken_90, COALESCE(ph.kept_90, 0) AS kept_90,
           (cb.debtor_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM payment_promise pp WHERE pp.debtor_id = d.id AND pp.created_at > cb.asked_at)
             AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.debtor_id = d.id AND p.created_at > cb.asked_at AND p.reversed_at IS NULL)) AS requested_callback
      FROM debtor_sums pd
      JOIN debtor d ON d.id = pd.debtor_id
      LEFT JOIN next_promise op ON op.debtor_id = d.id
      LEFT JOIN contact c ON c.debtor_id = d.id
      LEFT JOIN promise_history ph ON ph.debtor_id = d.id
      LEFT JOIN callback cb ON cb.debtor_id = d.id
     WHERE pd.open_minor > 0`;
}

/**
 * Everything the follow-up ranking weighs but the risk history, for every debtor with money open,
 * in one statement. The payment-history facts (latePaidShare, avgDaysLate) are 0 here: the risk
 * engine's score takes their place (loadRiskFacts, then scoreRisk).
 */
export async function loadFollowUpFacts(tx: Tx, scope: ReportScope): Promise<FollowUpFacts[]> {
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
      invoiced_12m: bigint | null;
      last_contact_days: number | null;
      requested_callback: boolean;
      broken_90: bigint;
      kept_90: bigint;
    }>
  >(followUpFactsSql(scope));
  return rows.map((r) => ({
    debtorId: r.id,
    name: r.name,
    openMinor: toMinor(r.open_minor),
    overdueMinor: r.overdue_minor === null ? 0 : toMinor(r.overdue_minor),
    maxDaysOverdue: r.max_days ?? 0,
    openPromise: r.has_open_promise ? { promisedOn: r.promised_on ? fromDbDate(r.promised_on) : null, amountMinor: r.promise_amount === null ? null : toMinor(r.promise_amount) } : null,
    brokenPromises90d: toMinor(r.broken_90),
    keptPromises90d: toMinor(r.kept_90),
    latePaidShare: 0,
    avgDaysLate: 0,
    invoicedLast12mMinor: r.invoiced_12m === null ? 0 : toMinor(r.invoiced_12m),
    daysSinceLastContact: r.last_contact_days,
    requestedCallback: r.requested_callback,
  }));
}

/** The statement behind loadRiskFacts (exported for EXPLAIN). */
export function riskFactsSql(scope: ReportScope & { debtorIds: readonly string[] }): Prisma.Sql {
  return Prisma.sql`
    WITH ${riskCtes(scope, 'facts')}
    SELECT d.id, ${RISK_COLUMNS}
      FROM debtor d
      LEFT JOIN debtor_sums pd ON pd.debtor_id = d.id
      ${riskJoins(Prisma.sql`d.id`, scope.today)}
     WHERE d.business_id = ${scope.businessId}::uuid AND d.id = ANY(${[...scope.debtorIds]}::uuid[]) ${scopeFilter(scope)}`;
}

/** The full risk facts of the given debtors (of the scope), by debtor id. */
export async function loadRiskFacts(tx: Tx, scope: ReportScope, debtorIds: Iterable<string>): Promise<Map<string, RiskFacts>> {
  const ids = [...debtorIds];
  if (ids.length === 0) return new Map();
  const rows = await tx.$queryRaw<Array<RiskRow & { id: string }>>(riskFactsSql({ ...scope, debtorIds: ids }));
  return new Map(rows.map((r) => [r.id, riskFactsFromRow(r, scope.today)]));
}

/** A debtor's open bills and open promise about no bill, with the facts that date them. */
export interface DebtorBills<F> {
  debtorId: string;
  risk: F;
  bills: OpenBill[];
  promise: PromiseRef | null;
}

/** A debtor's full risk facts and open bills: what a statement shows. */
export type DebtorRiskInput = DebtorBills<RiskFacts>;

/** What the cash forecast needs of each debtor with money open. */
export type DebtorForecastInput = DebtorBills<LatenessFacts & Pick<RiskFacts, 'promisesBroken' | 'promisesKept'>>;

type BillRow = Array<string | number | boolean | null>;

interface BillsRow {
  id: string;
  /** Per open bill: [days from today to its effective due date, balance, disputed (1/0), days to its open promise, promised amount] (the last three may be left off), and for a statement its invoice id. */
  bills: BillRow[] | null;
  debtor_promise_on: Date | null;
  debtor_promise_amount: bigint | null;
}

/** Day offsets from today as dates, each worked out once (bills share due dates). */
function dayOffsets(today: CalendarDate): (offset: number) => CalendarDate {
  const dates = new Map<number, CalendarDate>();
  return (offset) => {
    let day = dates.get(offset);
    if (day === undefined) dates.set(offset, (day = addDays(today, offset)));
    return day;
  };
}

function billsFromRow<F>(r: BillsRow, risk: F, dayAt: (offset: number) => CalendarDate): DebtorBills<F> {
  return {
    debtorId: r.id,
    risk,
    bills: (r.bills ?? []).map(([dueOffset, balance, disputed, promiseOffset, promisedMinor, id], index): OpenBill => ({
      id: String(id ?? index),
      dueOn: dayAt(Number(dueOffset)),
      balanceMinor: Number(balance),
      disputed: disputed === 1,
      promise: promiseOffset === null || promiseOffset === undefined ? null : { on: dayAt(Number(promiseOffset)), amountMinor: promisedMinor === null || promisedMinor === undefined ? null : Number(promisedMinor) },
    })),
    promise:
      r.debtor_promise_on === null
        ? null
        : { on: fromDbDate(r.debtor_promise_on), amountMinor: r.debtor_promise_amount === null ? null : toMinor(r.debtor_promise_amount) },
  };
}

/** The statement behind loadDebtorRisk (exported for EXPLAIN). */
export function debtorRiskSql(scope: ReportScope & { debtorId: string }): Prisma.Sql {
  return Prisma.sql`
    WITH ${riskCtes(scope, 'statement')}
    SELECT d.id, ob.bills, dp.promised_on AS debtor_promise_on, dp.amount_minor AS debtor_promise_amount, ${RISK_COLUMNS}
      FROM debtor d
      LEFT JOIN debtor_sums pd ON pd.debtor_id = d.id
      LEFT JOIN open_bills ob ON ob.debtor_id = d.id
      LEFT JOIN open_promise dp ON dp.invoice_id IS NULL AND dp.debtor_id = d.id
      ${riskJoins(Prisma.sql`d.id`, scope.today)}
     WHERE d.business_id = ${scope.businessId}::uuid AND d.id = ${scope.debtorId}::uuid`;
}

/** One debtor's full risk facts and open bills (nothing open: no bills), or null for no such debtor. */
export async function loadDebtorRisk(tx: Tx, scope: ReportScope & { debtorId: string }): Promise<DebtorRiskInput | null> {
  const [row] = await tx.$queryRaw<Array<RiskRow & BillsRow>>(debtorRiskSql(scope));
  return row ? billsFromRow(row, riskFactsFromRow(row, scope.today), dayOffsets(scope.today)) : null;
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
  /** Every debtor with money open, with their open bills and what dates them: the cash expected comes from these. */
  debtors: DebtorForecastInput[];
}

/**
 * The summary's main statement (exported for EXPLAIN), one row per debtor with money open or paid
 * history: their open bills and what dates them (LatenessFacts, promise counts), and their share
 * of the summary's sums (balances, aging, sales) for the caller to add up. One pass over the paid
 * invoices and one over the open ones serve both the sums and the cash forecast.
 */
export function summarySql(scope: ReportScope, window: { monthStart: CalendarDate }): Prisma.Sql {
  const id = Prisma.sql`COALESCE(ob.debtor_id, pd.debtor_id)`;
  // The sums are added up over the debtors by window functions, and sent once, on the first row.
  const totals = [
    'ob.open_minor',
    'ob.overdue_minor',
    'ob.open_count',
    ...AGING_BUCKETS.map((b) => `ob."aging_${b.key}"`),
    'ob.open_from_before',
    'ob.open_sales_90d',
    'ob.open_sales_month',
    'pd.paid_sales_90d',
    'pd.paid_sales_month',
  ];
  return Prisma.sql`
    WITH ${riskCtes(scope, 'forecast', window)}
    SELECT ${id} AS id, ob.bills, dp.promised_on AS debtor_promise_on, dp.amount_minor AS debtor_promise_amount, ${latenessColumns(Prisma.raw('ob'))},
           CASE WHEN row_number() OVER () = 1
                THEN json_build_object(${Prisma.join(
                  totals.map((column) => Prisma.sql`${Prisma.raw(`'${column.replace(/^(ob|pd)\./, '').replaceAll('"', '')}'`)}, COALESCE(SUM(${Prisma.raw(column)}) OVER (), 0)::bigint`),
                  ', ',
                )}) END AS totals
      FROM open_bills ob
      FULL JOIN debtor_sums pd ON pd.debtor_id = ob.debtor_id
      LEFT JOIN open_promise dp ON dp.invoice_id IS NULL AND dp.debtor_id = ${id}
      LEFT JOIN promise_history ph ON ph.debtor_id = ${id}`;
}

type SummaryTotalKey =
  | 'open_minor'
  | 'overdue_minor'
  | 'open_count'
  | `aging_${AgingBucketKey}`
  | 'open_from_before'
  | 'open_sales_90d'
  | 'open_sales_month'
  | 'paid_sales_90d'
  | 'paid_sales_month';

type SummaryRow = LatenessRow & BillsRow & { totals: Record<SummaryTotalKey, number> | null };

/**
 * The summary's numbers for a business (or an agent's share of it), in two statements, and every
 * debtor with money open with what dates their bills (for predict.forecastPayments: the cash
 * expected).
 */
export async function loadSummaryAggregates(tx: Tx, scope: ReportScope, window: { monthStart: CalendarDate }): Promise<SummaryAggregates> {
  const today = scope.today;
  const rows = await tx.$queryRaw<SummaryRow[]>(summarySql(scope, window));
  const totals = rows[0]?.totals ?? null;
  const sum = (...keys: SummaryTotalKey[]) => keys.reduce((s, key) => s + Number(totals?.[key] ?? 0), 0);
  const dayAt = dayOffsets(today);
  const outstandingMinor = sum('open_minor');
  const overdueMinor = sum('overdue_minor');
  // The rest in one more statement. Payments this month: what came in, and what of it paid
  // invoices issued before the month (the month's opening receivables are what is still open from
  // before, plus that). Promises kept and broken in 90 days. What is paused (at most 20 rows).
  const [rest] = await tx.$queryRaw<Array<{ received: bigint; on_old: bigint; kept: bigint; broken: bigint; paused: Array<{ name: string; number: string | null; until: CalendarDate | null; reason: string | null }> | null }>>`
    WITH month_payments AS (
      SELECT p.id, p.amount_minor FROM payment p JOIN debtor d ON d.id = p.debtor_id
       WHERE p.business_id = ${scope.businessId}::uuid AND p.reversed_at IS NULL AND p.received_on >= ${window.monthStart}::date ${scopeFilter(scope)}
    ), promises AS (
      SELECT COUNT(*) FILTER (WHERE pp.status = 'kept')::bigint AS kept, COUNT(*) FILTER (WHERE pp.status = 'broken')::bigint AS broken
        FROM payment_promise pp JOIN debtor d ON d.id = pp.debtor_id
       WHERE pp.business_id = ${scope.businessId}::uuid AND pp.status IN ('kept', 'broken')
         AND pp.promised_on >= ${addDays(today, -90)}::date ${scopeFilter(scope)}
    ), paused AS (
      SELECT name, number, until, reason FROM (
        SELECT d.name, NULL::text AS number, d.paused_until AS until, d.pause_reason AS reason FROM debtor d
         WHERE d.business_id = ${scope.businessId}::uuid ${scopeFilter(scope)}
           AND (d.paused_indefinitely OR d.paused_until >= ${today}::date)
        UNION ALL
        SELECT d.name, i.number, i.paused_until, i.pause_reason FROM invoice i JOIN debtor d ON d.id = i.debtor_id
         WHERE i.business_id = ${scope.businessId}::uuid AND i.status = 'open' ${scopeFilter(scope)}
           AND (i.paused_indefinitely OR i.paused_until >= ${today}::date)
      ) p ORDER BY name, number NULLS FIRST LIMIT 20
    )
    SELECT (SELECT COALESCE(SUM(amount_minor), 0) FROM month_payments)::bigint AS received,
           -- The month's payments by the (payment, invoice) index, not a pass over every allocation.
           (SELECT COALESCE(SUM(a.amount_minor), 0) FROM payment_allocation a
              JOIN invoice i ON i.id = a.invoice_id
             WHERE a.payment_id = ANY(ARRAY(SELECT id FROM month_payments))
               AND i.issued_on < ${window.monthStart}::date AND i.status <> 'cancelled')::bigint AS on_old,
           promises.kept, promises.broken,
           (SELECT json_agg(json_build_object('name', name, 'number', number, 'until', until, 'reason', reason) ORDER BY name, number NULLS FIRST) FROM paused) AS paused
      FROM promises`;
  const paused = rest?.paused ?? [];

  return {
    outstandingMinor,
    overdueMinor,
    openInvoices: sum('open_count'),
    aging: Object.fromEntries(AGING_BUCKETS.map((b) => [b.key, sum(`aging_${b.key}`)])) as Record<AgingBucketKey, number>,
    creditSales90dMinor: sum('open_sales_90d', 'paid_sales_90d'),
    beginningOfMonthReceivablesMinor: sum('open_from_before') + toMinor(rest?.on_old ?? 0n),
    creditSalesThisMonthMinor: sum('open_sales_month', 'paid_sales_month'),
    currentReceivablesMinor: outstandingMinor - overdueMinor,
    receivedThisMonthMinor: toMinor(rest?.received ?? 0n),
    promisesKept90d: toMinor(rest?.kept ?? 0n),
    promisesBroken90d: toMinor(rest?.broken ?? 0n),
    paused: paused.map((p) => ({ name: p.name, invoiceNumber: p.number, until: p.until, reason: p.reason })),
    debtors: rows.filter((r) => r.bills !== null).map((r) => billsFromRow(r, latenessFactsFromRow(r), dayAt)),
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

/** A debtor's statement: open and recent invoices, payments, promises and reminders, in one statement. */
export async function loadStatement(tx: Tx, businessId: string, debtorId: string, termsDays: number): Promise<StatementData | null> {
  const [row] = await tx.$queryRaw<Array<{ statement: StatementJson }>>`
    SELECT json_build_object(
      'debtor', json_build_object('id', d.id, 'name', d.name, 'phone', d.phone, 'optedOut', d.opted_out, 'pausedUntil', d.paused_until,
                                  'pausedIndefinitely', d.paused_indefinitely, 'pauseReason', d.pause_reason, 'agent', agent.name),
      'invoices', COALESCE((
        SELECT json_agg(json_build_object('id', i.id, 'number', i.number, 'amountMinor', i.amount_minor, 'balanceMinor', i.amount_minor - i.paid_minor,
                                          'issuedOn', i.issued_on, 'effectiveDueOn', COALESCE(i.due_on, i.issued_on + ${termsDays}::int), 'status', i.status,
                                          'disputed', EXISTS (SELECT 1 FROM dispute x WHERE x.invoice_id = i.id AND x.status = 'open'))
                        ORDER BY (i.status = 'open') DESC, COALESCE(i.due_on, i.issued_on + ${termsDays}::int) DESC)
          FROM (SELECT * FROM invoice WHERE debtor_id = d.id
                 ORDER BY (status = 'open') DESC, COALESCE(due_on, issued_on + ${termsDays}::int) DESC LIMIT 12) i), '[]'),
      'payments', COALESCE((
        SELECT json_agg(json_build_object('receivedOn', p.received_on, 'amountMinor', p.amount_minor, 'method', p.method, 'reference', p.reference) ORDER BY p.received_on DESC, p.created_at DESC)
          FROM (SELECT * FROM payment WHERE debtor_id = d.id AND reversed_at IS NULL ORDER BY received_on DESC, created_at DESC LIMIT 5) p), '[]'),
      'promises', COALESCE((
        SELECT json_agg(json_build_object('promisedOn', pp.promised_on, 'amountMinor', pp.amount_minor, 'status', pp.status) ORDER BY pp.created_at DESC)
          FROM (SELECT * FROM payment_promise WHERE debtor_id = d.id ORDER BY created_at DESC LIMIT 5) pp), '[]'),
      'remindersSent', (SELECT count(*) FROM outbound_message o WHERE o.debtor_id = d.id AND o.kind = 'reminder' AND o.status = 'sent'),
      'creditMinor', (SELECT COALESCE(SUM(p.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM payment_allocation a WHERE a.payment_id = p.id), 0)), 0)
                        FROM payment p WHERE p.debtor_id = d.id AND p.reversed_at IS NULL)
    ) AS statement
      FROM debtor d LEFT JOIN member agent ON agent.id = d.assigned_agent_id
     WHERE d.id = ${debtorId}::uuid AND d.business_id = ${businessId}::uuid`;
  if (!row) return null;
  const { debtor, invoices, payments, promises, remindersSent, creditMinor } = row.statement;
  return {
    debtor,
    invoices: invoices.map((i) => ({ ...i, amountMinor: Number(i.amountMinor), balanceMinor: Number(i.balanceMinor) })),
    payments: payments.map((p) => ({ ...p, amountMinor: Number(p.amountMinor) })),
    promises: promises.map((p) => ({ ...p, amountMinor: p.amountMinor === null ? null : Number(p.amountMinor) })),
    remindersSent: Number(remindersSent),
    creditMinor: Number(creditMinor),
  };
}

/** loadStatement's row as json_build_object writes it: DATEs as 'YYYY-MM-DD', BIGINTs as JSON numbers. */
interface StatementJson {
  debtor: StatementData['debtor'];
  invoices: Array<Omit<StatementData['invoices'][number], 'amountMinor' | 'balanceMinor'> & { amountMinor: number | string; balanceMinor: number | string }>;
  payments: Array<Omit<StatementData['payments'][number], 'amountMinor'> & { amountMinor: number | string }>;
  promises: Array<Omit<StatementData['promises'][number], 'amountMinor'> & { amountMinor: number | string | null }>;
  remindersSent: number | string;
  creditMinor: number | string;
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
