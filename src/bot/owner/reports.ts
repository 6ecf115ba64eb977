// What the owner reads: who to follow up today, the business summary, a debtor's statement and
// history. Numbers come from set-based queries; scores, ratios and words from the engine.
import { startOfMonth, todayIn } from '../../engine/calendar.ts';
import { AGING_BUCKETS, cei, dso, expectedCashByWeek, promiseKeptRate } from '../../engine/analytics.ts';
import { forecastPayments, predictPaymentDates } from '../../engine/predict.ts';
import { followUpCandidates, rankFollowUps, resolveWeights, type FollowUpFacts, type RankedFollowUp, type RankOptions, type Reason } from '../../engine/ranking.ts';
import { assessRisk, emptyRiskFacts, type RiskReason, type RiskTag } from '../../engine/risk.ts';
import type { OwnerCommand } from '../../engine/owner-command.ts';
import { loadDebtorHistory, loadDebtorRisk, loadFollowUpFacts, loadRiskFacts, loadStatement, loadSummaryAggregates, type ReportScope } from '../../store/reports.ts';
import type { Tx } from '../../store/types.ts';
import { resolveDebtor, type OwnerContext, type Reply } from './context.ts';
import { describeLateness } from './invoices.ts';

const FOLLOW_UP_LIMIT = 10;
/** A statement's "risk and why" names at most this many reasons. */
const MAX_RISK_REASONS = 3;

function scope(ctx: OwnerContext, debtorId?: string): ReportScope {
  return { businessId: ctx.business.id, today: ctx.today, timeZone: ctx.business.timeZone, termsDays: ctx.business.defaultTermsDays, agentId: ctx.agentId, debtorId: debtorId ?? null };
}

/** What rendering a reason needs: the catalogue and the business's money and day formats. */
export type ReasonRenderer = Pick<OwnerContext, 'm' | 'money' | 'day'>;

export function describeRiskTag(ctx: Pick<ReasonRenderer, 'm'>, tag: RiskTag): string {
  return tag === 'risky' ? ctx.m.riskRisky() : tag === 'watch' ? ctx.m.riskWatch() : ctx.m.riskSafe();
}

export function describeReason(ctx: ReasonRenderer, reason: Reason): string {
  const { m } = ctx;
  switch (reason.code) {
    case 'promise_due_today':
      return m.reasonPromiseDueToday();
    case 'promise_missed':
      return m.reasonPromiseMissed({ date: ctx.day(reason.promisedOn) });
    case 'callback_requested':
      return m.reasonCallback();
    case 'promise_pending':
      return m.reasonPromisePending({ date: ctx.day(reason.promisedOn) });
    case 'contacted_today':
      return m.reasonContactedToday();
    case 'overdue':
      return m.reasonOverdue({ amount: ctx.money(reason.amountMinor), days: reason.days });
    case 'promise_broken':
      return m.reasonBroken({ count: reason.count });
    case 'often_late':
      return m.reasonOftenLate({ percent: Math.round(reason.share * 100) });
    case 'risky':
      return m.riskRisky();
    case 'risk':
      return describeRiskReason(ctx, reason.reason);
    case 'no_recent_contact':
      return reason.days === null ? m.reasonNeverContacted() : m.reasonNoContact({ days: reason.days });
    case 'big_customer':
      return m.reasonBigCustomer();
  }
}

export function describeRiskReason(ctx: ReasonRenderer, reason: RiskReason): string {
  const { m } = ctx;
  switch (reason.code) {
    case 'pays_late':
      return m.riskOftenLate({ percent: Math.round(reason.share * 100), days: Math.round(reason.avgDaysLate) });
    case 'getting_later':
      return m.riskGettingLater({ days: Math.max(1, Math.round(reason.daysPerMonth)) });
    case 'paying_sooner':
      return m.riskPayingSooner({ days: Math.max(1, Math.round(reason.daysPerMonth)) });
    case 'seasonal_later':
      return m.riskSeasonal({ days: Math.round(reason.days) });
    case 'behind_usual':
      return m.riskBehindUsual({ days: reason.days, usual: reason.usualDays === null ? null : Math.round(reason.usualDays) });
    case 'broken_promises':
      return m.riskBrokenPromises({ broken: reason.broken, total: reason.broken + reason.kept });
    case 'disputes':
      return reason.open > 0 ? m.riskOpenDisputes({ count: reason.open }) : m.riskRecentDisputes({ count: reason.recent });
    case 'no_payment':
      return reason.days === null ? m.riskNeverPaid() : m.riskNoPayment({ days: reason.days });
    case 'pays_on_time':
      return m.riskPaysOnTime();
    case 'little_history':
      return m.riskLittleHistory();
  }
}

/**
 * Today's follow-up list with each debtor's risk score driving the payment-history factor: the
 * first `limit` of rankFollowUps, exactly as if every debtor were scored. Only the debtors that
 * could make the list (ranking.followUpCandidates) have their risk history read and assessed, and
 * the assessment is added to their facts (in place; the list's lines read the tag from there).
 * Computed at read time from the history as it stands, so a payment, promise or reply recorded a
 * moment ago already counts.
 */
export async function rankWithRisk(
  tx: Tx,
  reportScope: ReportScope,
  facts: FollowUpFacts[],
  options: RankOptions & { limit: number },
): Promise<RankedFollowUp[]> {
  const candidates = followUpCandidates(facts, options);
  const riskFacts = await loadRiskFacts(tx, reportScope, candidates);
  for (const f of facts) {
    if (!candidates.has(f.debtorId)) continue;
    const history = riskFacts.get(f.debtorId) ?? emptyRiskFacts();
    const assessment = assessRisk(history);
    f.riskAssessment = assessment;
    f.riskTag = assessment.tag;
    f.latePaidShare = history.sums.weight > 0 ? history.lateWeight / history.sums.weight : 0;
    f.avgDaysLate = history.sums.weight > 0 ? Math.max(0, history.sums.late / history.sums.weight) : 0;
  }
  return rankFollowUps(facts, options);
}

export async function followUpToday(ctx: OwnerContext): Promise<Reply[]> {
  const { m } = ctx;
  const facts = await loadFollowUpFacts(ctx.tx, scope(ctx));
  const ranked = await rankWithRisk(ctx.tx, scope(ctx), facts, { today: ctx.today, weights: resolveWeights(ctx.business.rankingWeights), limit: FOLLOW_UP_LIMIT });
  if (ranked.length === 0) return [ctx.reply(m.followUpNone())];
  const byId = new Map(facts.map((f) => [f.debtorId, f]));
  const lines = ranked.map((r, i) => {
    const f = byId.get(r.debtorId)!;
    const promise = f.openPromise?.promisedOn ? ` · ${m.promiseOn({ date: ctx.day(f.openPromise.promisedOn) })}` : '';
    return m.followUpLine({
      index: i + 1,
      name: r.name,
      overdue: f.overdueMinor > 0 ? m.overdueFor({ amount: ctx.money(f.overdueMinor), days: f.maxDaysOverdue }) : m.notOverdue({ amount: ctx.money(f.openMinor) }),
      promise,
      risk: describeRiskTag(ctx, f.riskTag ?? 'safe'),
      why: r.reasons.map((reason) => describeReason(ctx, reason)).join(', '),
    });
  });
  return [ctx.reply([m.followUpHeader({ count: ranked.length }), ...lines].join('\n'))];
}

export async function summary(ctx: OwnerContext): Promise<Reply[]> {
  const { m } = ctx;
  const agg = await loadSummaryAggregates(ctx.tx, scope(ctx), { monthStart: startOfMonth(ctx.today) });
  const cash = expectedCashByWeek(forecastPayments(agg.debtors, ctx.today), ctx.today);
  const dsoDays = dso({ endingReceivablesMinor: agg.outstandingMinor, creditSalesMinor: agg.creditSales90dMinor, periodDays: 90 });
  const ceiPercent = cei({
    beginningReceivablesMinor: agg.beginningOfMonthReceivablesMinor,
    creditSalesMinor: agg.creditSalesThisMonthMinor,
    endingReceivablesMinor: agg.outstandingMinor,
    endingCurrentReceivablesMinor: agg.currentReceivablesMinor,
  });
  const kept = promiseKeptRate({ kept: agg.promisesKept90d, broken: agg.promisesBroken90d });
  const na = m.notAvailable();
  const aging = AGING_BUCKETS.map((b) => `${b.label[ctx.language]}: ${ctx.money(agg.aging[b.key])}`).join('\n  ');
  const lines = [
    m.summaryHeader({ name: ctx.business.name, date: ctx.day(ctx.today) }),
    m.summaryOutstanding({ amount: ctx.money(agg.outstandingMinor), count: agg.openInvoices }),
    m.summaryOverdue({ amount: ctx.money(agg.overdueMinor) }),
    `${m.summaryAging()}\n  ${aging}`,
    m.summaryDso({ days: dsoDays === null ? na : String(Math.round(dsoDays)) }),
    m.summaryCei({ percent: ceiPercent === null ? na : `${Math.round(ceiPercent)}%` }),
    m.summaryKeptRate({ percent: kept === null ? na : `${Math.round(kept * 100)}%`, kept: agg.promisesKept90d, broken: agg.promisesBroken90d }),
    m.summaryExpected({ thisWeek: ctx.money(cash.thisWeekMinor), nextWeek: ctx.money(cash.nextWeekMinor) }),
    m.summaryReceived({ amount: ctx.money(agg.receivedThisMonthMinor) }),
  ];
  if (agg.paused.length) {
    lines.push(
      `${m.summaryPaused()}\n  ${agg.paused
        .map((p) => `${p.invoiceNumber ? `#${p.invoiceNumber} (${p.name})` : p.name}: ${p.until ? m.untilDate({ date: ctx.day(p.until) }) : m.untilResumed()}${p.reason ? ` (${p.reason})` : ''}`)
        .join('\n  ')}`,
    );
  }
  return [ctx.reply(lines.join('\n'))];
}

export async function statement(ctx: OwnerContext, name: string, command: OwnerCommand): Promise<Reply[] | null> {
  const found = await resolveDebtor(ctx, name, command);
  if ('replies' in found) return found.replies;
  if ('none' in found) return null;
  const { m, business } = ctx;
  const data = await loadStatement(ctx.tx, business.id, found.debtor.id, business.defaultTermsDays);
  if (!data) return null;
  const input = await loadDebtorRisk(ctx.tx, { ...scope(ctx), debtorId: found.debtor.id });
  const facts = input?.risk ?? emptyRiskFacts();
  const risk = assessRisk(facts);
  const predicted = new Map(predictPaymentDates(facts, risk, input?.bills ?? [], ctx.today, input?.promise ?? null).map((p) => [p.id, p.predictedOn]));
  const open = data.invoices.filter((i) => i.status === 'open' && i.balanceMinor > 0);
  const totalOpen = open.reduce((s, i) => s + i.balanceMinor, 0);
  const lines = [
    m.statementHeader({ name: data.debtor.name, phone: data.debtor.phone ?? '—' }),
    open.length ? m.statementOpen({ amount: ctx.money(totalOpen), count: open.length }) : m.statementNothingOpen(),
    ...open.map((i) =>
      m.statementInvoice({
        number: i.number,
        balance: ctx.money(i.balanceMinor),
        amount: ctx.money(i.amountMinor),
        due: ctx.day(i.effectiveDueOn),
        when: describeLateness(ctx, i.effectiveDueOn),
        disputed: i.disputed ? ` · ${m.disputedTag()}` : '',
        expected: predicted.has(i.id) ? m.riskExpectedOn({ date: ctx.day(predicted.get(i.id)!) }) : '',
      }),
    ),
  ];
  if (data.creditMinor > 0) lines.push(m.statementCredit({ amount: ctx.money(data.creditMinor) }));
  if (data.payments.length) lines.push(m.statementPayments({ list: data.payments.map((p) => `${ctx.day(p.receivedOn)} ${ctx.money(p.amountMinor)}${p.method ? ` (${p.method.toUpperCase()})` : ''}`).join(', ') }));
  if (data.promises.length) {
    lines.push(
      m.statementPromises({
        list: data.promises.map((p) => `${p.promisedOn ? ctx.day(p.promisedOn) : m.noDate()}${p.amountMinor !== null ? ` ${ctx.money(p.amountMinor)}` : ''} ${m.promiseStatus({ status: p.status })}`).join(', '),
      }),
    );
  }
  lines.push(m.statementReminders({ count: data.remindersSent }));
  lines.push(m.statementRisk({ tag: describeRiskTag(ctx, risk.tag), score: risk.score, why: risk.reasons.slice(0, MAX_RISK_REASONS).map((r) => describeRiskReason(ctx, r)).join(', ') }));
  if (data.debtor.pausedIndefinitely || (data.debtor.pausedUntil !== null && data.debtor.pausedUntil >= ctx.today)) {
    lines.push(m.statementPaused({ until: data.debtor.pausedUntil ? m.untilDate({ date: ctx.day(data.debtor.pausedUntil) }) : m.untilResumed(), reason: data.debtor.pauseReason ? ` (${data.debtor.pauseReason})` : '' }));
  }
  if (data.debtor.optedOut) lines.push(m.statementOptedOut());
  if (data.debtor.agent && ctx.isOwner) lines.push(m.statementAgent({ agent: data.debtor.agent }));
  return [ctx.reply(lines.join('\n'))];
}

export async function history(ctx: OwnerContext, name: string, command: OwnerCommand): Promise<Reply[]> {
  const found = await resolveDebtor(ctx, name, command);
  if ('replies' in found) return found.replies;
  if ('none' in found) return [ctx.reply(ctx.m.noSuchCustomer({ name }))];
  const entries = await loadDebtorHistory(ctx.tx, ctx.business.id, found.debtor.id);
  if (!entries.length) return [ctx.reply(ctx.m.historyEmpty({ name: found.debtor.name }))];
  // The day as every date is shown (with its year outside this one), then the time there.
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: ctx.business.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', numberingSystem: 'latn' });
  const when = (at: Date) => `${ctx.day(todayIn(at, ctx.business.timeZone))}, ${time.format(at)}`;
  const lines = entries.map((e) => {
    const who = e.who ?? (e.actorType === 'system' ? ctx.m.actorSystem() : e.actorType === 'debtor' ? found.debtor.name : '—');
    const what = ctx.m.auditAction({ action: e.action, number: e.number ? `#${e.number}` : '' , amount: typeof e.data.amountMinor === 'number' ? ctx.money(e.data.amountMinor) : '' });
    return `• ${when(e.at)} · ${who} · ${what}`;
  });
  return [ctx.reply([ctx.m.historyHeader({ name: found.debtor.name }), ...lines].join('\n'))];
}
