// The owner's reports as set-based statements: per-debtor facts for the follow-up ranking and the
// business summary's aggregates. Each is one statement over the business, however many invoices it
// has; the engine turns the aggregates into scores, predicted dates and ratios. The risk facts
// (src/store/risk-facts.ts) and a debtor's statement and history (src/store/statements.ts) are
// re-exported from here.
import { addDays, type CalendarDate } from '../engine/calendar.ts';
import { AGING_BUCKETS, type AgingBucketKey } from '../engine/analytics.ts';
import { CALLBACK_REQUEST_DAYS } from '../engine/debtor-reply.ts';
import type { FollowUpFacts } from '../engine/ranking.ts';
import {
  billsFromRow,
  dayOffsets,
  latenessColumns,
  latenessFactsFromRow,
  riskCtes,
  scopeFilter,
  type BillsRow,
  type DebtorForecastInput,
  type LatenessRow,
  type ReportScope,
} from './risk-facts.ts';
import { fromDbDate, Prisma, toMinor, type Tx } from './types.ts';

export {
  debtorRiskSql,
  loadDebtorRisk,
  loadRiskFacts,
  riskFactsSql,
  type DebtorBills,
  type DebtorForecastInput,
  type DebtorRiskInput,
  type ReportScope,
} from './risk-facts.ts';
export { loadDebtorHistory, loadStatement, type HistoryEntry, type StatementData } from './statements.ts';

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
