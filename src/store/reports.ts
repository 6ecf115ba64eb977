// The owner's reports as set-based statements: per-debtor facts for the follow-up ranking, the
// business summary's aggregates, and a debtor's history. Each is one statement over the business,
// however many invoices it has; the engine turns the aggregates into scores and ratios.
import { addDays, type CalendarDate } from '../engine/calendar.ts';
import { AGING_BUCKETS, type AgingBucketKey } from '../engine/analytics.ts';
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
    SELECT i.id, i.debtor_id, i.amount_minor - COALESCE(pa.paid, 0) AS balance,
           COALESCE(i.due_on, i.issued_on + ${scope.termsDays}::int) AS due
      FROM invoice i
      JOIN debtor d ON d.id = i.debtor_id
      LEFT JOIN (
        SELECT a.invoice_id, SUM(a.amount_minor) AS paid
          FROM payment_allocation a JOIN payment p ON p.id = a.payment_id
         WHERE p.business_id = ${scope.businessId}::uuid AND p.reversed_at IS NULL
         GROUP BY a.invoice_id
      ) pa ON pa.invoice_id = i.id
     WHERE i.business_id = ${scope.businessId}::uuid AND i.status = 'open' ${scopeFilter(scope)}`;
}

/** Everything the follow-up ranking weighs, for every debtor with money open, in one statement. */
export type DebtorFacts = FollowUpFacts & { paidInvoices: number };

export async function loadFollowUpFacts(tx: Tx, scope: ReportScope): Promise<DebtorFacts[]> {
  const today = scope.today;
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
    }>
  >`
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
    paid_history AS (
      SELECT debtor_id, COUNT(*) AS closed_n,
             COUNT(*) FILTER (WHERE (closed_at AT TIME ZONE ${scope.timeZone})::date > COALESCE(due_on, issued_on + ${scope.termsDays}::int)) AS closed_late,
             AVG(GREATEST(0, (closed_at AT TIME ZONE ${scope.timeZone})::date - COALESCE(due_on, issued_on + ${scope.termsDays}::int)))::float8 AS avg_late
        FROM invoice
       WHERE business_id = ${scope.businessId}::uuid AND status = 'paid' AND closed_at IS NOT NULL
         AND issued_on >= ${addDays(today, -365)}::date
       GROUP BY debtor_id
    ),
    invoiced AS (
      SELECT debtor_id, SUM(amount_minor) AS invoiced_12m
        FROM invoice
       WHERE business_id = ${scope.businessId}::uuid AND status <> 'cancelled' AND issued_on >= ${addDays(today, -365)}::date
       GROUP BY debtor_id
    ),
    contact AS (
      SELECT debtor_id, MAX(at) AS last_at FROM (
        SELECT debtor_id, sent_at AS at FROM outbound_message
         WHERE business_id = ${scope.businessId}::uuid AND debtor_id IS NOT NULL AND status = 'sent' AND kind <> 'owner_notice'
        UNION ALL
        SELECT debtor_id, received_at FROM inbound_message
         WHERE business_id = ${scope.businessId}::uuid AND debtor_id IS NOT NULL
      ) c GROUP BY debtor_id
    )
    SELECT d.id, d.name, pd.open_minor, pd.overdue_minor, pd.max_days,
           op.promised_on, op.amount_minor AS promise_amount, (op.debtor_id IS NOT NULL) AS has_open_promise,
           COALESCE(ph.broken, 0) AS broken, COALESCE(ph.kept, 0) AS kept,
           COALESCE(h.closed_n, 0) AS closed_n, COALESCE(h.closed_late, 0) AS closed_late, h.avg_late,
           inv.invoiced_12m,
           (${today}::date - (c.last_at AT TIME ZONE ${scope.timeZone})::date) AS last_contact_days
      FROM per_debtor pd
      JOIN debtor d ON d.id = pd.debtor_id
      LEFT JOIN open_promise op ON op.debtor_id = d.id
      LEFT JOIN promise_history ph ON ph.debtor_id = d.id
      LEFT JOIN paid_history h ON h.debtor_id = d.id
      LEFT JOIN invoiced inv ON inv.debtor_id = d.id
      LEFT JOIN contact c ON c.debtor_id = d.id`;
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
    requestedCallback: false,
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
  paused: Array<{ name: string; until: CalendarDate | null; reason: string | null }>;
}

/** The summary's numbers for a business (or an agent's share of it), in two statements. */
export async function loadSummaryAggregates(tx: Tx, scope: ReportScope, window: { monthStart: CalendarDate; expectUntil: CalendarDate }): Promise<SummaryAggregates> {
  const today = scope.today;
  const bucketSums = AGING_BUCKETS.map(
    (b) =>
      Prisma.sql`COALESCE(SUM(balance) FILTER (WHERE GREATEST(${today}::date - due, 0) BETWEEN ${b.minDays}::int AND ${b.maxDays ?? 1_000_000}::int), 0)::bigint AS ${Prisma.raw(`"${b.key}"`)}`,
  );
  const [agg] = await tx.$queryRaw<Array<Record<string, bigint | number>>>`
    WITH open_inv AS (${openBalancesCte(scope)}),
    positive AS (SELECT * FROM open_inv WHERE balance > 0),
    scoped_invoices AS (
      SELECT i.* FROM invoice i JOIN debtor d ON d.id = i.debtor_id
       WHERE i.business_id = ${scope.businessId}::uuid AND i.status <> 'cancelled' ${scopeFilter(scope)}
    ),
    scoped_payments AS (
      SELECT p.* FROM payment p JOIN debtor d ON d.id = p.debtor_id
       WHERE p.business_id = ${scope.businessId}::uuid AND p.reversed_at IS NULL ${scopeFilter(scope)}
    )
    SELECT
      (SELECT COALESCE(SUM(balance), 0) FROM positive)::bigint AS outstanding,
      (SELECT COALESCE(SUM(balance) FILTER (WHERE due < ${today}::date), 0) FROM positive)::bigint AS overdue,
      (SELECT COALESCE(SUM(balance) FILTER (WHERE due >= ${today}::date), 0) FROM positive)::bigint AS current_ar,
      (SELECT COUNT(*) FROM positive)::bigint AS open_count,
      ${Prisma.join(bucketSums.map((s) => Prisma.sql`(SELECT ${s} FROM positive)`), ', ')},
      (SELECT COALESCE(SUM(amount_minor), 0) FROM scoped_invoices WHERE issued_on > ${addDays(today, -90)}::date)::bigint AS sales_90d,
      (SELECT COALESCE(SUM(amount_minor), 0) FROM scoped_invoices WHERE issued_on >= ${window.monthStart}::date)::bigint AS sales_month,
      (SELECT COALESCE(SUM(i.amount_minor), 0) - COALESCE((
          SELECT SUM(a.amount_minor) FROM payment_allocation a JOIN scoped_payments p ON p.id = a.payment_id
            JOIN invoice i2 ON i2.id = a.invoice_id
           WHERE p.received_on < ${window.monthStart}::date AND i2.issued_on < ${window.monthStart}::date AND i2.status <> 'cancelled'), 0)
         FROM scoped_invoices i WHERE i.issued_on < ${window.monthStart}::date)::bigint AS begin_ar,
      (SELECT COALESCE(SUM(amount_minor), 0) FROM scoped_payments WHERE received_on >= ${window.monthStart}::date)::bigint AS received_month,
      (SELECT COUNT(*) FROM payment_promise pp JOIN debtor d ON d.id = pp.debtor_id
        WHERE pp.business_id = ${scope.businessId}::uuid AND pp.status = 'kept' AND pp.promised_on >= ${addDays(today, -90)}::date ${scopeFilter(scope)})::bigint AS kept,
      (SELECT COUNT(*) FROM payment_promise pp JOIN debtor d ON d.id = pp.debtor_id
        WHERE pp.business_id = ${scope.businessId}::uuid AND pp.status = 'broken' AND pp.promised_on >= ${addDays(today, -90)}::date ${scopeFilter(scope)})::bigint AS broken`;

  const expected = await tx.$queryRaw<Array<{ expected_on: Date; amount: bigint }>>`
    WITH open_inv AS (${openBalancesCte(scope)}),
    promised AS (
      SELECT DISTINCT ON (pp.debtor_id, COALESCE(pp.invoice_id, pp.debtor_id)) pp.debtor_id, pp.invoice_id, pp.promised_on, pp.amount_minor
        FROM payment_promise pp JOIN debtor d ON d.id = pp.debtor_id
       WHERE pp.business_id = ${scope.businessId}::uuid AND pp.status = 'open' AND pp.promised_on IS NOT NULL
         AND pp.promised_on <= ${window.expectUntil}::date ${scopeFilter(scope)}
       ORDER BY pp.debtor_id, COALESCE(pp.invoice_id, pp.debtor_id), pp.promised_on
    ),
    items AS (
      SELECT p.promised_on AS expected_on,
             COALESCE(p.amount_minor, (SELECT SUM(o.balance) FROM open_inv o WHERE o.balance > 0 AND (o.id = p.invoice_id OR (p.invoice_id IS NULL AND o.debtor_id = p.debtor_id)))) AS amount
        FROM promised p
      UNION ALL
      SELECT o.due, o.balance FROM open_inv o
       WHERE o.balance > 0 AND o.due >= ${today}::date AND o.due <= ${window.expectUntil}::date
         AND NOT EXISTS (SELECT 1 FROM payment_promise pp WHERE pp.debtor_id = o.debtor_id AND pp.status = 'open')
    )
    SELECT expected_on, SUM(amount)::bigint AS amount FROM items WHERE amount > 0 GROUP BY expected_on`;

  const paused = await tx.$queryRaw<Array<{ name: string; until: Date | null; reason: string | null }>>`
    SELECT d.name, d.paused_until AS until, d.pause_reason AS reason FROM debtor d
     WHERE d.business_id = ${scope.businessId}::uuid ${scopeFilter(scope)}
       AND (d.paused_indefinitely OR d.paused_until >= ${today}::date)
     ORDER BY d.name LIMIT 20`;

  const n = (key: string) => toMinor(agg![key] as bigint);
  return {
    outstandingMinor: n('outstanding'),
    overdueMinor: n('overdue'),
    openInvoices: n('open_count'),
    aging: Object.fromEntries(AGING_BUCKETS.map((b) => [b.key, n(b.key)])) as Record<AgingBucketKey, number>,
    creditSales90dMinor: n('sales_90d'),
    beginningOfMonthReceivablesMinor: Math.max(0, n('begin_ar')),
    creditSalesThisMonthMinor: n('sales_month'),
    currentReceivablesMinor: n('current_ar'),
    receivedThisMonthMinor: n('received_month'),
    promisesKept90d: n('kept'),
    promisesBroken90d: n('broken'),
    expected: expected.map((e) => ({ expectedOn: fromDbDate(e.expected_on), amountMinor: toMinor(e.amount) })),
    paused: paused.map((p) => ({ name: p.name, until: p.until ? fromDbDate(p.until) : null, reason: p.reason })),
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
  const debtor = await tx.debtor.findFirst({ where: { id: debtorId, businessId }, include: { assignedAgent: { select: { name: true } } } });
  if (!debtor) return null;
  const invoices = await tx.$queryRaw<Array<{ number: string; amount_minor: bigint; balance: bigint; issued_on: Date; due: Date; status: string; disputed: boolean }>>`
    SELECT i.number, i.amount_minor, i.issued_on, i.status::text AS status,
           (i.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM payment_allocation a JOIN payment p ON p.id = a.payment_id AND p.reversed_at IS NULL WHERE a.invoice_id = i.id), 0))::bigint AS balance,
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
     ORDER BY e.created_at DESC, e.id DESC
     LIMIT ${limit}`;
  return rows.map((r) => ({ at: r.created_at, who: r.who, actorType: r.actor_type, action: r.action, entityType: r.entity_type, number: r.number, data: r.data }));
}
