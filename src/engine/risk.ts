// The risk engine: per debtor, a score from 0 to 100 (higher is riskier), a tag (safe, watch,
// risky) and the reasons in words, from their payment history as of `today`. Pure: nothing here
// reads the clock or the database; the caller passes `today`.
//
// THE MODEL: a scorecard. Every point comes from a named factor, so the reasons are the points.
//
// 1. Expected lateness of a bill due now, in days. Each bill paid in the last two years gives its
//    lateness (paid date − due date; negative when early; clipped to −30…120).
//      level   = mean lateness, each bill weighted w = 0.5^(days since it was paid ÷ 60), so a bill
//                paid two months ago counts half as much as one paid today; pulled towards a
//                prior of 5 ± 15 days worth half a bill, so one bill is not the whole story;
//      trend   = weighted least-squares slope of lateness against due date, in days per month,
//                with the same weights; shrunk towards 0 by its noise (× slope² ÷ (slope² +
//                variance of the slope)); projected from the weighted centre of the bills to the
//                due date;
//      season  = the mean lateness of bills due within two weeks of the same day a year ago, minus
//                the level as it stood a year ago: the swing the debtor showed at this time of
//                year, shrunk the same way; 0 without bills then;
//      backlog = how many days the oldest open, undisputed bill is overdue beyond the rest: a
//                debtor already running later than usual pays the next one later too.
//    Expected lateness E = level + trend + season + backlog. The spread s is the weighted standard
//    deviation of lateness around the level (at least 3 days).
// 2. The score is the sum of these points, clipped to 0…100 and rounded:
//      lateness   20 × clip(E ÷ 30, 0, 1) + 60 × P(late > 30 days), with lateness ~ Normal(E, s):
//                 how late, and how likely very late; split among level, trend, season and
//                 backlog in proportion to the days each adds;
//      promises   20 × b ÷ (b + k + 1) × (1 − 0.5^b), with b broken and k kept promises of the last
//                 year, each weighted 0.5^(age ÷ 180 days): kept promises dilute broken ones;
//      disputes   5 per open dispute (at most 2) + 2 per dispute raised in the last year (at most 3);
//      no payment with money overdue, 10 × clip((days since the last payment − 45) ÷ 90, 0, 1);
//                 never paid: days since the oldest overdue bill fell due.
// 3. Tags (RISK_THRESHOLDS): safe below 25, watch from 25, risky from 50.
// 4. Reasons: the factors that add points, largest first, each with its numbers ("paid 80% of
//    bills late, 21 days on average"); a debtor with none "pays on time" (three or more bills
//    paid) or has "little payment history"; a falling trend is said last ("paying sooner lately").
//
// The same expected lateness dates each open bill (src/engine/predict.ts). The weighted sums in
// RiskFacts are the contract with the SQL layer: src/store/risk-facts.ts computes them for every
// debtor in one statement, summarizeHistory computes them here from a raw history (tests and the
// benchmark), and a test holds the two equal.
import type { CalendarDate } from './calendar.ts';
import { daysBetween } from './calendar.ts';

export type RiskTag = 'safe' | 'watch' | 'risky';

/** The model's constants, named so the comment above, the SQL and the tests agree. */
export const RISK_MODEL = Object.freeze({
  /** Paid bills older than this (by paid date) are not read. */
  lookbackDays: 730,
  /** A paid bill's weight halves every this many days since it was paid. */
  halfLifeDays: 60,
  /** Lateness is clipped to this range, so one extreme bill cannot dominate. */
  minLateDays: -30,
  maxLateDays: 120,
  /** The prior: this many days late, give or take this many, worth this many (weighted) bills. */
  priorLateDays: 5,
  priorSpreadDays: 15,
  priorWeight: 0.5,
  /** Below this many paid bills there is "little payment history" and no "usual" to compare with. */
  minBillsForUsual: 3,
  /** "Late" in words: paid more than this many days after the due date. */
  graceDays: 7,
  /** "Very late": what the score's probability and the benchmark are about. */
  veryLateDays: 30,
  /** The trend needs this many paid bills; it is clipped to this range, in days per month. */
  trendMinBills: 4,
  minTrendDaysPerMonth: -10,
  maxTrendDaysPerMonth: 15,
  /** The seasonal window: bills due this many days either side of the same day a year ago. */
  seasonHalfWidthDays: 14,
  /** Variance floor (days²) for spreads and the noise of means and slopes: a 3-day spread. */
  minVariance: 9,
  /** Promises and disputes of the last year count; a promise's weight halves every 180 days. */
  promiseLookbackDays: 365,
  promiseHalfLifeDays: 180,
});

export const RISK_POINTS = Object.freeze({
  /** 20 × clip(E ÷ 30, 0, 1) … */
  expectedLateness: 20,
  /** … + 60 × P(late > 30). */
  veryLateChance: 60,
  promises: 20,
  perOpenDispute: 5,
  maxOpenDisputes: 2,
  perRecentDispute: 2,
  maxRecentDisputes: 3,
  noPayment: 10,
  noPaymentFromDays: 45,
  noPaymentSpanDays: 90,
});

/** Score thresholds: below watch is safe, below risky is watch. */
export const RISK_THRESHOLDS = Object.freeze({ watch: 25, risky: 50 });

/** Weighted sums of one debtor's history as of a day: what the SQL layer computes. */
export interface RiskFacts {
  /** Bills paid in the lookback. */
  paidCount: number;
  /**
   * With w = 0.5^(days since paid ÷ 60) and x = (due date − today) ÷ 30 (months): Σw, Σw·late,
   * Σw·late², Σw·x, Σw·x², Σw·x·late.
   */
  sums: WeightedSums;
  /** Σw·[late > 7]: the weight of the bills paid late, in words. */
  lateWeight: number;
  /** Bills due within `seasonHalfWidthDays` of the same day a year ago: n, Σlate, Σlate². */
  seasonNear: WindowSums;
  /** The level as it stood a year ago: Σw′ and Σw′·late over bills paid by then, w′ = 0.5^((days since paid − 365) ÷ 60). */
  yearAgoWeight: number;
  yearAgoWeightedLate: number;
  /** Promises of the last year that were broken and kept, as counts and weighted 0.5^(age ÷ 180). */
  promisesBroken: number;
  promisesKept: number;
  promisesBrokenWeight: number;
  promisesKeptWeight: number;
  openDisputes: number;
  /** Disputes raised in the last year (open or resolved). */
  recentDisputes: number;
  /** Days since the last payment received; null when none ever. */
  daysSinceLastPayment: number | null;
  /** Days the oldest open, undisputed bill is overdue (0 when none is). */
  maxDaysOverdue: number;
}

export interface WeightedSums {
  weight: number;
  late: number;
  lateSq: number;
  x: number;
  xSq: number;
  xLate: number;
}

export interface WindowSums {
  n: number;
  sum: number;
  sumSq: number;
}

/** A debtor's raw history as of a day: what the benchmark and tests build. */
export interface PaymentHistory {
  /** Bills paid in full, with the day the last of it came in. */
  paid: ReadonlyArray<{ dueOn: CalendarDate; paidOn: CalendarDate }>;
  /** Bills still open. */
  open: ReadonlyArray<{ dueOn: CalendarDate; disputed: boolean }>;
  /** Resolved promises (open ones do not count towards the score). */
  promises: ReadonlyArray<{ promisedOn: CalendarDate; status: 'kept' | 'broken' }>;
  disputes: ReadonlyArray<{ openedOn: CalendarDate; open: boolean }>;
  lastPaymentOn: CalendarDate | null;
}

/** Lateness of a paid bill, clipped as the model reads it. */
export function clippedLateness(dueOn: CalendarDate, paidOn: CalendarDate): number {
  return Math.min(RISK_MODEL.maxLateDays, Math.max(RISK_MODEL.minLateDays, daysBetween(dueOn, paidOn)));
}

/** Facts of a debtor with no history at all. */
export function emptyRiskFacts(): RiskFacts {
  return {
    paidCount: 0,
    sums: { weight: 0, late: 0, lateSq: 0, x: 0, xSq: 0, xLate: 0 },
    lateWeight: 0,
    seasonNear: { n: 0, sum: 0, sumSq: 0 },
    yearAgoWeight: 0,
    yearAgoWeightedLate: 0,
    promisesBroken: 0,
    promisesKept: 0,
    promisesBrokenWeight: 0,
    promisesKeptWeight: 0,
    openDisputes: 0,
    recentDisputes: 0,
    daysSinceLastPayment: null,
    maxDaysOverdue: 0,
  };
}

/** The weighted sums of a raw history as of `today`; events after `today` are ignored. */
export function summarizeHistory(history: PaymentHistory, today: CalendarDate): RiskFacts {
  const m = RISK_MODEL;
  const facts = emptyRiskFacts();
  for (const bill of history.paid) {
    const age = daysBetween(bill.paidOn, today);
    if (age < 0 || age > m.lookbackDays) continue;
    const late = clippedLateness(bill.dueOn, bill.paidOn);
    const x = daysBetween(today, bill.dueOn) / 30;
    const w = 0.5 ** (age / m.halfLifeDays);
    facts.paidCount += 1;
    const sums = facts.sums;
    sums.weight += w;
    sums.late += w * late;
    sums.lateSq += w * late * late;
    if (late > m.graceDays) facts.lateWeight += w;
    sums.x += w * x;
    sums.xSq += w * x * x;
    sums.xLate += w * x * late;
    // The same time last year: bills due near that day, and the level as it stood then.
    if (Math.abs(daysBetween(today, bill.dueOn) + 365) <= m.seasonHalfWidthDays) {
      facts.seasonNear.n += 1;
      facts.seasonNear.sum += late;
      facts.seasonNear.sumSq += late * late;
    }
    if (age >= 365) {
      const wYearAgo = 0.5 ** ((age - 365) / m.halfLifeDays);
      facts.yearAgoWeight += wYearAgo;
      facts.yearAgoWeightedLate += wYearAgo * late;
    }
  }
  for (const promise of history.promises) {
    const age = daysBetween(promise.promisedOn, today);
    if (age < 0 || age > m.promiseLookbackDays) continue;
    const w = 0.5 ** (age / m.promiseHalfLifeDays);
    if (promise.status === 'broken') {
      facts.promisesBroken += 1;
      facts.promisesBrokenWeight += w;
    } else {
      facts.promisesKept += 1;
      facts.promisesKeptWeight += w;
    }
  }
  for (const dispute of history.disputes) {
    const age = daysBetween(dispute.openedOn, today);
    if (age < 0) continue;
    if (dispute.open) facts.openDisputes += 1;
    if (age <= m.promiseLookbackDays) facts.recentDisputes += 1;
  }
  for (const bill of history.open) {
    if (bill.disputed) continue;
    facts.maxDaysOverdue = Math.max(facts.maxDaysOverdue, daysBetween(bill.dueOn, today));
  }
  if (history.lastPaymentOn !== null && daysBetween(history.lastPaymentOn, today) >= 0) {
    facts.daysSinceLastPayment = daysBetween(history.lastPaymentOn, today);
  }
  return facts;
}

/** A shrinkage factor in [0, 1]: how far an estimate stands out from its noise. */
function signalShare(estimate: number, variance: number): number {
  const signal = estimate * estimate;
  return signal + variance > 0 ? signal / (signal + variance) : 0;
}

function clip(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : 0;
}

/** The standard normal distribution function (Abramowitz–Stegun 7.1.26 via erf; error < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The parts of a debtor's expected lateness, in days; see the model above. */
export interface LatenessModel {
  /** Recency-weighted mean lateness with the prior. */
  level: number;
  /** Spread of lateness around the level, in days (at least 3). */
  spread: number;
  /** Shrunk slope in days per month, and the weighted centre of the level's bills (months from today). */
  trendPerMonth: number;
  centreMonths: number;
  /** Seasonal swing at this time of year, in days. */
  season: number;
  /** Days the oldest open bill runs beyond the rest. */
  backlog: number;
}

/** What the expected lateness (and so the predicted dates) needs of a debtor's facts. */
export type LatenessFacts = Pick<RiskFacts, 'paidCount' | 'sums' | 'seasonNear' | 'yearAgoWeight' | 'yearAgoWeightedLate' | 'maxDaysOverdue'>;

/** Expected lateness parts from the weighted sums. */
export function latenessModel(f: LatenessFacts): LatenessModel {
  const m = RISK_MODEL;
  const S = f.sums;
  const totalWeight = S.weight + m.priorWeight;
  const level = (S.late + m.priorWeight * m.priorLateDays) / totalWeight;
  const meanSq = (S.lateSq + m.priorWeight * (m.priorLateDays ** 2 + m.priorSpreadDays ** 2)) / totalWeight;
  const variance = Math.max(m.minVariance, meanSq - level * level);
  const centreMonths = S.weight > 0 ? S.x / S.weight : 0;

  let trendPerMonth = 0;
  if (f.paidCount >= m.trendMinBills && S.weight > 0) {
    const meanLate = S.late / S.weight;
    const sxx = S.xSq - S.weight * centreMonths * centreMonths;
    const sxy = S.xLate - S.weight * centreMonths * meanLate;
    if (sxx > 1e-9) {
      const slope = sxy / sxx;
      const residual = Math.max(m.minVariance, (S.lateSq - S.weight * meanLate * meanLate - slope * sxy) / S.weight);
      trendPerMonth = clip(slope * signalShare(slope, residual / sxx), m.minTrendDaysPerMonth, m.maxTrendDaysPerMonth);
    }
  }

  let season = 0;
  const near = f.seasonNear;
  if (near.n > 0 && f.yearAgoWeight > 0) {
    const nearMean = near.sum / near.n;
    const nearVariance = Math.max(m.minVariance, near.sumSq / near.n - nearMean * nearMean);
    const yearAgoLevel = (f.yearAgoWeightedLate + m.priorWeight * m.priorLateDays) / (f.yearAgoWeight + m.priorWeight);
    const swing = nearMean - yearAgoLevel;
    season = swing * signalShare(swing, nearVariance / near.n + variance / (f.yearAgoWeight + m.priorWeight));
  }

  const beforeBacklog = level + trendPerMonth * (0 - centreMonths) + season;
  const backlog = Math.max(0, f.maxDaysOverdue - Math.max(0, beforeBacklog));
  return {
    level,
    spread: Math.sqrt(variance),
    trendPerMonth,
    centreMonths,
    season,
    backlog,
  };
}

function trendAdjustment(model: LatenessModel, monthsFromToday: number): number {
  return model.trendPerMonth * (monthsFromToday - model.centreMonths);
}

/** Expected lateness in days of a bill due `monthsFromToday` months from today (negative: in the past). */
export function expectedLateness(model: LatenessModel, monthsFromToday: number): number {
  return model.level + trendAdjustment(model, monthsFromToday) + model.season + model.backlog;
}

/** Why a debtor scores what it does, for the caller to render in the owner's language. */
export type RiskReason =
  | { code: 'pays_late'; share: number; avgDaysLate: number }
  | { code: 'getting_later'; daysPerMonth: number }
  | { code: 'paying_sooner'; daysPerMonth: number }
  | { code: 'seasonal_later'; days: number }
  /** usualDays: null with too little history to know what is usual. */
  | { code: 'behind_usual'; days: number; usualDays: number | null }
  | { code: 'broken_promises'; broken: number; kept: number }
  | { code: 'disputes'; open: number; recent: number }
  | { code: 'no_payment'; days: number | null }
  | { code: 'pays_on_time' }
  | { code: 'little_history' };

export type RiskFactorKey = 'level' | 'trend' | 'season' | 'backlog' | 'promises' | 'disputes' | 'noPayment';

export interface RiskAssessment {
  /** 0..100, rounded; higher is riskier. */
  score: number;
  tag: RiskTag;
  /** Points each factor adds (before the clip to 0..100); the trend's may be negative. */
  points: Record<RiskFactorKey, number>;
  /** Most important first, with their numbers (worded when first read). */
  readonly reasons: RiskReason[];
  /** Expected lateness of a bill due today, in days, and the chance it is paid more than 30 days late. */
  expectedLateDays: number;
  veryLateChance: number;
  model: LatenessModel;
}

/** Points below this do not make a reason. */
const REASON_MIN_POINTS = 2;

export function tagForScore(score: number): RiskTag {
  return score >= RISK_THRESHOLDS.risky ? 'risky' : score >= RISK_THRESHOLDS.watch ? 'watch' : 'safe';
}

/** The score, tag and reasons for one debtor's facts. */
export function assessRisk(f: RiskFacts): RiskAssessment {
  const p = RISK_POINTS;
  const m = RISK_MODEL;
  const model = latenessModel(f);
  const trend = trendAdjustment(model, 0);
  const expectedLateDays = model.level + trend + model.season + model.backlog;
  const veryLateChance = 1 - normalCdf((m.veryLateDays - expectedLateDays) / model.spread);

  // Lateness points, split among the parts in proportion to the days each adds.
  const latenessPoints = p.expectedLateness * clip(expectedLateDays / m.veryLateDays, 0, 1) + p.veryLateChance * veryLateChance;
  const perDay = expectedLateDays > 0 ? latenessPoints / expectedLateDays : 0;

  const b = f.promisesBrokenWeight;
  const k = f.promisesKeptWeight;
  const promisePoints = b > 0 ? ((p.promises * b) / (b + k + 1)) * (1 - 0.5 ** b) : 0;
  const disputePoints =
    p.perOpenDispute * Math.min(f.openDisputes, p.maxOpenDisputes) + p.perRecentDispute * Math.min(f.recentDisputes, p.maxRecentDisputes);
  const silentDays = f.daysSinceLastPayment ?? f.maxDaysOverdue;
  const noPaymentPoints = f.maxDaysOverdue > 0 ? p.noPayment * clip((silentDays - p.noPaymentFromDays) / p.noPaymentSpanDays, 0, 1) : 0;

  const points: Record<RiskFactorKey, number> = {
    level: model.level * perDay,
    trend: trend * perDay,
    season: model.season * perDay,
    backlog: model.backlog * perDay,
    promises: promisePoints,
    disputes: disputePoints,
    noPayment: noPaymentPoints,
  };
  const total = points.level + points.trend + points.season + points.backlog + promisePoints + disputePoints + noPaymentPoints;
  const score = Math.round(clip(total, 0, 100));

  // The reasons are worded on first use only: a follow-up list scores thousands of debtors and
  // shows ten.
  let reasons: RiskReason[] | undefined;
  return {
    score,
    tag: tagForScore(score),
    points,
    get reasons() {
      return (reasons ??= riskReasons(f, model, points, expectedLateDays));
    },
    expectedLateDays,
    veryLateChance,
    model,
  };
}

function riskReasons(f: RiskFacts, model: LatenessModel, points: Record<RiskFactorKey, number>, expectedLateDays: number): RiskReason[] {
  const m = RISK_MODEL;
  const lateShare = f.sums.weight > 0 ? f.lateWeight / f.sums.weight : 0;
  const candidates: Array<{ points: number; reason: RiskReason }> = [
    // Paying late is worth saying whenever most bills are late, even when it adds few points.
    {
      points: lateShare >= 0.5 && model.level > m.graceDays ? Math.max(points.level, REASON_MIN_POINTS) : points.level,
      reason: { code: 'pays_late', share: lateShare, avgDaysLate: model.level },
    },
    { points: points.trend, reason: { code: 'getting_later', daysPerMonth: model.trendPerMonth } },
    { points: points.season, reason: { code: 'seasonal_later', days: model.season } },
    {
      points: points.backlog,
      reason: { code: 'behind_usual', days: f.maxDaysOverdue, usualDays: f.paidCount >= m.minBillsForUsual ? Math.max(0, expectedLateDays - model.backlog) : null },
    },
    { points: points.promises, reason: { code: 'broken_promises', broken: f.promisesBroken, kept: f.promisesKept } },
    { points: points.disputes, reason: { code: 'disputes', open: f.openDisputes, recent: f.recentDisputes } },
    { points: points.noPayment, reason: { code: 'no_payment', days: f.daysSinceLastPayment } },
  ];
  // What adds risk, largest first; then what takes it away (paying sooner lately).
  const reasons = candidates
    .filter((c) => c.points >= REASON_MIN_POINTS && !(c.reason.code === 'pays_late' && lateShare === 0))
    .sort((x, y) => y.points - x.points)
    .map((c) => c.reason);
  if (reasons.length === 0) reasons.push(f.paidCount >= m.minBillsForUsual ? { code: 'pays_on_time' } : { code: 'little_history' });
  if (trendAdjustment(model, 0) <= -1 && model.trendPerMonth <= -1) reasons.push({ code: 'paying_sooner', daysPerMonth: -model.trendPerMonth });
  return reasons;
}
