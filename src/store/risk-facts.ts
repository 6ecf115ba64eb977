// The risk engine's facts as set-based statements: the CTEs every risk read shares (one pass over
// a business's invoices, summed per debtor), the full RiskFacts of the debtors that could make the
// follow-up list, and one debtor's facts with their open bills. The follow-up list and the summary
// (src/store/reports.ts) build on the same CTEs.
import { addDays, daysBetween, type CalendarDate } from '../engine/calendar.ts';
import { AGING_BUCKETS } from '../engine/analytics.ts';
import type { OpenBill, PromiseRef } from '../engine/predict.ts';
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

export function scopeFilter(scope: ReportScope) {
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
export function riskCtes(scope: ReportScope & { debtorIds?: readonly string[] }, purpose: RiskPurpose, summary?: { monthStart: CalendarDate }) {
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
export const latenessColumns = (open: Prisma.Sql) => Prisma.sql`
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

export interface LatenessRow {
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

export function latenessFactsFromRow(r: LatenessRow): LatenessFacts & Pick<RiskFacts, 'promisesBroken' | 'promisesKept'> {
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

export interface BillsRow {
  id: string;
  /** Per open bill: [days from today to its effective due date, balance, disputed (1/0), days to its open promise, promised amount] (the last three may be left off), and for a statement its invoice id. */
  bills: BillRow[] | null;
  debtor_promise_on: Date | null;
  debtor_promise_amount: bigint | null;
}

/** Day offsets from today as dates, each worked out once (bills share due dates). */
export function dayOffsets(today: CalendarDate): (offset: number) => CalendarDate {
  const dates = new Map<number, CalendarDate>();
  return (offset) => {
    let day = dates.get(offset);
    if (day === undefined) dates.set(offset, (day = addDays(today, offset)));
    return day;
  };
}

export function billsFromRow<F>(r: BillsRow, risk: F, dayAt: (offset: number) => CalendarDate): DebtorBills<F> {
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
