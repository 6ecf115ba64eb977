// The morning digest: at each owner's (and agent's) digest hour in the business's time zone, one
// short message: cash expected this week (from the risk engine's predicted payment dates), overdue
// by age, today's follow-ups (ranked with each debtor's risk score, and tagged when not safe),
// customers a reminder is due for that no chat can reach, promises due today (with the amount
// promised, else what they owe), promises broken yesterday, payments received yesterday,
// customers who say they paid (claims waiting), reminders waiting for approval, and reminders
// sent on the previous day (the business's, not the last 24 or 48 hours).
// Keyed by (member, day): running the job again the same day sends nothing more.
import { DateTime } from 'luxon';
import { addDays, formatDay, startOfMonth, todayIn } from '../engine/calendar.ts';
import { AGING_BUCKETS, expectedCashByWeek } from '../engine/analytics.ts';
import { messagesFor, type Language } from '../engine/messages.ts';
import { formatMoney, localeFor } from '../engine/money.ts';
import { resolveWeights } from '../engine/ranking.ts';
import { forecastPayments } from '../engine/predict.ts';
import { renderDigest, UNREACHABLE_LIST_CAP } from '../engine/reminder-text.ts';
import { describeReason, describeRiskTag, rankWithRisk } from '../bot/owner/reports.ts';
import { queueOutgoing } from '../store/messages.ts';
import { loadFollowUpFacts, loadSummaryAggregates } from '../store/reports.ts';
import { findUnreachableDebtors } from '../store/unreachable.ts';
import { toDbDate, toMinor, type PrismaClient } from '../store/types.ts';

export async function sendDueDigests(prisma: PrismaClient, options: { now: Date }): Promise<{ queued: number }> {
  const { now } = options;
  const members = await prisma.member.findMany({ where: { active: true }, include: { business: true } });
  const due = members.filter((member) => {
    const local = DateTime.fromJSDate(now, { zone: member.business.timeZone });
    return local.hour >= (member.digestHour ?? member.business.digestHour);
  });
  if (due.length === 0) return { queued: 0 };
  const keys = due.map((mem) => `digest:${mem.id}:${todayIn(now, mem.business.timeZone)}`);
  const done = new Set((await prisma.outboundMessage.findMany({ where: { idempotencyKey: { in: keys } }, select: { idempotencyKey: true } })).map((r) => r.idempotencyKey));
  let queued = 0;
  for (const member of due) {
    const business = member.business;
    const today = todayIn(now, business.timeZone);
    const key = `digest:${member.id}:${today}`;
    if (done.has(key)) continue;
    const language: Language = (member.language ?? business.language) === 'hi' ? 'hi' : 'en';
    const locale = localeFor(language, business.country);
    const m = messagesFor(language);
    const money = (minor: number) => formatMoney(minor, business.currency, locale);
    const renderer = { m, money, day: (d: string) => formatDay(d, language, today) };
    const agentId = member.role === 'agent' ? member.id : null;
    const scope = { businessId: business.id, today, timeZone: business.timeZone, termsDays: business.defaultTermsDays, agentId };
    // Yesterday in the business's time zone, as instants: [its midnight, today's midnight).
    const yesterdayFrom = DateTime.fromISO(addDays(today, -1), { zone: business.timeZone }).startOf('day').toJSDate();
    const yesterdayUntil = DateTime.fromISO(today, { zone: business.timeZone }).startOf('day').toJSDate();
    const body = await prisma.$transaction(async (tx) => {
      const agg = await loadSummaryAggregates(tx, scope, { monthStart: startOfMonth(today) });
      const expected = forecastPayments(agg.debtors, today);
      const facts = await loadFollowUpFacts(tx, scope);
      const ranked = await rankWithRisk(tx, scope, facts, { today, weights: resolveWeights(business.rankingWeights), limit: 5 });
      const byId = new Map(facts.map((f) => [f.debtorId, f]));
      const agentDebtor = agentId ? { debtor: { assignedAgentId: agentId } } : {};
      const [dueToday, brokenYesterday, received, awaiting, sentYesterday, claimsWaiting, unreachable] = await Promise.all([
        tx.paymentPromise.findMany({
          where: { businessId: business.id, status: 'open', promisedOn: toDbDate(today), ...agentDebtor },
          include: { debtor: { select: { name: true } }, invoice: { select: { amountMinor: true, paidMinor: true, status: true } } },
          orderBy: [{ debtor: { name: 'asc' } }, { id: 'asc' }],
        }),
        tx.paymentPromise.findMany({ where: { businessId: business.id, status: 'broken', promisedOn: toDbDate(addDays(today, -1)), ...agentDebtor }, include: { debtor: { select: { name: true } } } }),
        tx.payment.findMany({ where: { businessId: business.id, reversedAt: null, receivedOn: toDbDate(addDays(today, -1)), ...agentDebtor }, include: { debtor: { select: { name: true } } } }),
        member.role === 'owner' ? tx.outboundMessage.count({ where: { businessId: business.id, kind: 'reminder', status: 'awaiting_approval' } }) : Promise.resolve(0),
        tx.outboundMessage.count({ where: { businessId: business.id, kind: 'reminder', status: 'sent', sentAt: { gte: yesterdayFrom, lt: yesterdayUntil }, ...agentDebtor } }),
        tx.paymentClaim.count({ where: { businessId: business.id, status: 'open', ...agentDebtor } }),
        findUnreachableDebtors(tx, { businessId: business.id, now, timeZone: business.timeZone, agentId, limit: UNREACHABLE_LIST_CAP }),
      ]);
      // What a promise without an amount is about: its invoice's balance, else all the customer owes.
      const owed = (p: (typeof dueToday)[number]): number =>
        p.invoice ? (p.invoice.status === 'open' ? Math.max(toMinor(p.invoice.amountMinor) - toMinor(p.invoice.paidMinor), 0) : 0) : (byId.get(p.debtorId)?.openMinor ?? 0);
      return renderDigest({
        language,
        businessName: business.name,
        today,
        currency: business.currency,
        locale,
        expectedThisWeekMinor: expectedCashByWeek(expected, today).thisWeekMinor,
        overdueByBucket: AGING_BUCKETS.filter((b) => b.key !== 'current').map((b) => ({ label: b.label[language], amountMinor: agg.aging[b.key] })),
        followUps: ranked.map((r) => {
          const f = byId.get(r.debtorId)!;
          const tag = f.riskTag === undefined || f.riskTag === 'safe' ? [] : [describeRiskTag(renderer, f.riskTag)];
          return { name: r.name, overdueMinor: f.overdueMinor, why: [...tag, ...r.reasons.slice(0, 2).map((reason) => describeReason(renderer, reason))].join(', ') };
        }),
        promisesDueToday: dueToday.map((p) => ({ name: p.debtor.name, amountMinor: p.amountMinor === null ? null : toMinor(p.amountMinor), owedMinor: owed(p) })),
        promisesBrokenYesterday: brokenYesterday.map((p) => ({ name: p.debtor.name })),
        receivedYesterday: received.map((p) => ({ name: p.debtor.name, amountMinor: toMinor(p.amountMinor) })),
        awaitingApproval: awaiting,
        claimsWaiting,
        remindersSentYesterday: sentYesterday,
        unreachable,
      }).text;
    });
    await queueOutgoing(prisma, [
      { kind: 'digest', channel: member.channel, recipient: member.address, body, businessId: business.id, memberId: member.id, idempotencyKey: key, scheduledAt: now },
    ], { now });
    queued += 1;
  }
  return { queued };
}
