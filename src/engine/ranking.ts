// "Who do I follow up with today?": a weighted, explainable, tunable score per debtor.
// Every factor is normalised to 0..1 and the score is 100 × Σ(weight × factor) / Σ(weight),
// rounded. The facts are aggregates the SQL layer computes per debtor; nothing here reads the
// clock or the database.
import { z } from 'zod';
import type { CalendarDate } from './calendar.ts';
import { compareCalendarDates, parseCalendarDate } from './calendar.ts';
import type { RiskReason, RiskTag } from './risk.ts';

export interface FollowUpFacts {
  debtorId: string;
  name: string;
  overdueMinor: number;
  openMinor: number;
  maxDaysOverdue: number;
  openPromise: { promisedOn: CalendarDate | null; amountMinor: number | null } | null;
  brokenPromises90d: number;
  keptPromises90d: number;
  /** 0..1: share of the debtor's paid invoices that were paid late (see the caller for the exact measure). */
  latePaidShare: number;
  avgDaysLate: number;
  invoicedLast12mMinor: number;
  /** Days since the last reminder or message either way; null when there has never been one. */
  daysSinceLastContact: number | null;
  requestedCallback: boolean;
  riskTag?: RiskTag;
  /**
   * The risk engine's assessment (src/engine/risk.ts): score 0..100, tag and reasons, most
   * important first (read only for the debtors a list shows). With it, the payment-history factor
   * is score ÷ 100; without, it falls back to the late share and days late (and a floor for the tag).
   */
  riskAssessment?: { readonly score: number; readonly tag: RiskTag; readonly reasons: readonly RiskReason[] };
}

export const WEIGHT_KEYS = [
  'amount',
  'daysOverdue',
  'paymentHistory',
  'brokenPromises',
  'relationshipValue',
  'recentContact',
  'promiseDue',
] as const;
export type WeightKey = (typeof WEIGHT_KEYS)[number];
export type FollowUpWeights = Readonly<Record<WeightKey, number>>;

/**
 * What matters by default: a promise due today first (it is the day to check), then money
 * overdue and for how long, then broken promises, then the rest.
 */
export const DEFAULT_WEIGHTS: FollowUpWeights = Object.freeze({
  amount: 3,
  daysOverdue: 2,
  paymentHistory: 1,
  brokenPromises: 2,
  relationshipValue: 1,
  recentContact: 1,
  promiseDue: 5,
});

const MAX_WEIGHT = 10;
const weightSchema = z
  .number({ error: `a weight must be a number from 0 to ${MAX_WEIGHT}` })
  .min(0, `a weight must be from 0 to ${MAX_WEIGHT}`)
  .max(MAX_WEIGHT, `a weight must be from 0 to ${MAX_WEIGHT}`);

/** The weights a business may set: any subset of the keys, each 0..10; unknown keys rejected. */
export const followUpWeightsSchema = z.strictObject(
  Object.fromEntries(WEIGHT_KEYS.map((key) => [key, weightSchema.optional()])) as Record<
    WeightKey,
    z.ZodOptional<typeof weightSchema>
  >,
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown weight ${issue.keys.map((key) => `"${key}"`).join(', ')}; valid keys are ${WEIGHT_KEYS.join(', ')}`
        : undefined,
  },
);

export class InvalidWeightsError extends Error {
  override readonly name = 'InvalidWeightsError';
}

/**
 * The business's overrides merged over DEFAULT_WEIGHTS. Throws InvalidWeightsError, with a
 * message naming every problem (and listing the valid keys for unknown ones), when a value is not
 * a number in 0..10, a key is unknown, or every weight ends up 0.
 */
export function resolveWeights(partial?: unknown): FollowUpWeights {
  if (partial === undefined || partial === null) return DEFAULT_WEIGHTS;
  const parsed = followUpWeightsSchema.safeParse(partial);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    );
    throw new InvalidWeightsError(`invalid follow-up weights: ${problems.join('; ')}`);
  }
  const weights: Record<WeightKey, number> = { ...DEFAULT_WEIGHTS };
  for (const key of WEIGHT_KEYS) {
    const value = parsed.data[key];
    if (value !== undefined) weights[key] = value;
  }
  if (WEIGHT_KEYS.every((key) => weights[key] === 0)) {
    throw new InvalidWeightsError('invalid follow-up weights: at least one weight must be above 0');
  }
  return Object.freeze(weights);
}

/** Why a debtor is on the list (or lower on it), for the caller to render in the owner's language. */
export type Reason =
  | { code: 'promise_due_today'; amountMinor: number | null }
  | { code: 'promise_missed'; promisedOn: CalendarDate; amountMinor: number | null }
  | { code: 'callback_requested' }
  | { code: 'promise_pending'; promisedOn: CalendarDate }
  | { code: 'contacted_today' }
  | { code: 'overdue'; days: number; amountMinor: number }
  | { code: 'promise_broken'; count: number }
  | { code: 'often_late'; share: number }
  | { code: 'risky' }
  | { code: 'risk'; tag: RiskTag; reason: RiskReason }
  | { code: 'no_recent_contact'; days: number | null }
  | { code: 'big_customer' };

export interface RankedFollowUp {
  debtorId: string;
  name: string;
  /** 0..100, rounded. */
  score: number;
  /** Most important first, at most MAX_REASONS. */
  reasons: Reason[];
}

export interface RankOptions {
  today: CalendarDate;
  weights: FollowUpWeights;
  limit?: number;
}

export const MAX_REASONS = 3;

// Normalisation constants, named so the explanation in docs and tests matches the code.
/** Log scale for amounts relative to the largest in the set: 1% of the largest ≈ 0.15, 10% ≈ 0.52, 50% ≈ 0.85. */
const LOG_SCALE = 99;
/** Days overdue grow the factor linearly until this many days, then it stays at 1. */
const DAYS_OVERDUE_SATURATION = 90;
/** Average days late at which that half of the history factor saturates. */
const DAYS_LATE_SATURATION = 30;
/** Days without contact at which the contact factor saturates. */
const CONTACT_SATURATION_DAYS = 14;
/** The promise factor when there is no open dated promise: between "due today" (1) and "pending" (0). */
const NO_PROMISE_FACTOR = 0.3;
const OFTEN_LATE_SHARE = 0.5;
const NO_RECENT_CONTACT_DAYS = 7;
const BIG_CUSTOMER_SHARE_OF_LARGEST = 0.5;

export type FactorValues = Record<WeightKey, number>;

export interface ScoreExplanation {
  debtorId: string;
  /** Whether the debtor belongs on today's list at all. */
  included: boolean;
  score: number;
  /** The score before rounding. */
  exactScore: number;
  factors: FactorValues;
  /** weight × factor, per key. */
  contributions: FactorValues;
  reasons: Reason[];
}

interface SetContext {
  today: CalendarDate;
  weights: FollowUpWeights;
  largestOverdueMinor: number;
  largestInvoicedMinor: number;
  debtorsWithSales: number;
}

function setContext(facts: readonly FollowUpFacts[], today: CalendarDate, weights: FollowUpWeights): SetContext {
  parseCalendarDate(today); // throws on a malformed date
  let largestOverdueMinor = 0;
  let largestInvoicedMinor = 0;
  let debtorsWithSales = 0;
  for (const f of facts) {
    largestOverdueMinor = Math.max(largestOverdueMinor, f.overdueMinor);
    largestInvoicedMinor = Math.max(largestInvoicedMinor, f.invoicedLast12mMinor);
    if (f.invoicedLast12mMinor > 0) debtorsWithSales += 1;
  }
  return { today, weights, largestOverdueMinor, largestInvoicedMinor, debtorsWithSales };
}

/** x relative to the largest in the set, log-scaled to 0..1 (0 for nothing, 1 for the largest). */
function logShareOfLargest(value: number, largest: number): number {
  if (value <= 0 || largest <= 0) return 0;
  const share = Math.min(1, value / largest);
  return Math.log1p(LOG_SCALE * share) / Math.log1p(LOG_SCALE);
}

type PromiseState =
  | { kind: 'none' }
  | { kind: 'due_today'; amountMinor: number | null }
  | { kind: 'missed'; promisedOn: CalendarDate; amountMinor: number | null }
  | { kind: 'pending'; promisedOn: CalendarDate };

function promiseState(facts: FollowUpFacts, today: CalendarDate): PromiseState {
  const promise = facts.openPromise;
  if (!promise || promise.promisedOn === null) return { kind: 'none' };
  const order = compareCalendarDates(promise.promisedOn, today);
  if (order === 0) return { kind: 'due_today', amountMinor: promise.amountMinor };
  if (order < 0) return { kind: 'missed', promisedOn: promise.promisedOn, amountMinor: promise.amountMinor };
  return { kind: 'pending', promisedOn: promise.promisedOn };
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

function riskFloor(tag: FollowUpFacts['riskTag']): number {
  return tag === 'risky' ? 0.8 : tag === 'watch' ? 0.4 : 0;
}

function factorValues(facts: FollowUpFacts, ctx: SetContext, promise: PromiseState): FactorValues {
  const broken = Math.max(0, facts.brokenPromises90d);
  const kept = Math.max(0, facts.keptPromises90d);
  const contactDays = facts.daysSinceLastContact;
  return {
    amount: logShareOfLargest(facts.overdueMinor, ctx.largestOverdueMinor),
    daysOverdue: facts.overdueMinor > 0 ? clamp01(facts.maxDaysOverdue / DAYS_OVERDUE_SATURATION) : 0,
    paymentHistory:
      facts.riskAssessment !== undefined
        ? clamp01(facts.riskAssessment.score / 100)
        : Math.max(
            0.7 * clamp01(facts.latePaidShare) + 0.3 * clamp01(facts.avgDaysLate / DAYS_LATE_SATURATION),
            riskFloor(facts.riskTag),
          ),
    brokenPromises: broken === 0 ? 0 : (1 - 0.5 ** broken) * (broken / (broken + kept)),
    relationshipValue: logShareOfLargest(facts.invoicedLast12mMinor, ctx.largestInvoicedMinor),
    recentContact:
      facts.requestedCallback || contactDays === null ? 1 : clamp01(contactDays / CONTACT_SATURATION_DAYS),
    promiseDue:
      promise.kind === 'due_today' || promise.kind === 'missed' ? 1 : promise.kind === 'pending' ? 0 : NO_PROMISE_FACTOR,
  };
}

function reasonsFor(
  facts: FollowUpFacts,
  ctx: SetContext,
  promise: PromiseState,
  contributions: FactorValues,
): Reason[] {
  const w = ctx.weights;
  // Events first: what makes today the day (or not the day) to call.
  const events: Reason[] = [];
  if (w.promiseDue > 0 && promise.kind === 'due_today') {
    events.push({ code: 'promise_due_today', amountMinor: promise.amountMinor });
  }
  if (w.promiseDue > 0 && promise.kind === 'missed') {
    events.push({ code: 'promise_missed', promisedOn: promise.promisedOn, amountMinor: promise.amountMinor });
  }
  if (w.recentContact > 0 && facts.requestedCallback) events.push({ code: 'callback_requested' });
  if (w.promiseDue > 0 && promise.kind === 'pending') {
    events.push({ code: 'promise_pending', promisedOn: promise.promisedOn });
  }
  if (w.recentContact > 0 && !facts.requestedCallback && facts.daysSinceLastContact === 0) {
    events.push({ code: 'contacted_today' });
  }

  // Then the standing factors, by how much each adds to this debtor's score.
  const weighed: Array<{ reason: Reason; contribution: number }> = [];
  if (facts.overdueMinor > 0 && w.amount + w.daysOverdue > 0) {
    weighed.push({
      reason: { code: 'overdue', days: facts.maxDaysOverdue, amountMinor: facts.overdueMinor },
      contribution: contributions.amount + contributions.daysOverdue,
    });
  }
  if (facts.brokenPromises90d > 0 && w.brokenPromises > 0) {
    weighed.push({
      reason: { code: 'promise_broken', count: facts.brokenPromises90d },
      contribution: contributions.brokenPromises,
    });
  }
  const risk = facts.riskAssessment;
  if (w.paymentHistory > 0 && risk !== undefined) {
    const headline = risk.tag === 'safe' ? null : headlineRiskReason(risk.reasons);
    if (headline) weighed.push({ reason: { code: 'risk', tag: risk.tag, reason: headline }, contribution: contributions.paymentHistory });
  } else if (w.paymentHistory > 0 && facts.latePaidShare >= OFTEN_LATE_SHARE) {
    weighed.push({ reason: { code: 'often_late', share: facts.latePaidShare }, contribution: contributions.paymentHistory });
  } else if (w.paymentHistory > 0 && facts.riskTag === 'risky') {
    weighed.push({ reason: { code: 'risky' }, contribution: contributions.paymentHistory });
  }
  const contactDays = facts.daysSinceLastContact;
  if (
    w.recentContact > 0 &&
    !facts.requestedCallback &&
    (contactDays === null || contactDays >= NO_RECENT_CONTACT_DAYS)
  ) {
    weighed.push({ reason: { code: 'no_recent_contact', days: contactDays }, contribution: contributions.recentContact });
  }
  if (
    w.relationshipValue > 0 &&
    ctx.debtorsWithSales >= 2 &&
    facts.invoicedLast12mMinor > 0 &&
    facts.invoicedLast12mMinor >= BIG_CUSTOMER_SHARE_OF_LARGEST * ctx.largestInvoicedMinor
  ) {
    weighed.push({ reason: { code: 'big_customer' }, contribution: contributions.relationshipValue });
  }
  // Stable sort: equal contributions keep the order above.
  weighed.sort((a, b) => b.contribution - a.contribution);
  return [...events, ...weighed.map((entry) => entry.reason)].slice(0, MAX_REASONS);
}

/**
 * The risk reason a follow-up line shows: the first that says something about risk which the list
 * does not already say in its own words (broken promises and days overdue have their own factors;
 * an overdue bill only adds news with the debtor's usual lateness to compare it with).
 */
function headlineRiskReason(reasons: readonly RiskReason[]): RiskReason | null {
  return (
    reasons.find(
      (r) =>
        r.code !== 'broken_promises' &&
        r.code !== 'pays_on_time' &&
        r.code !== 'little_history' &&
        r.code !== 'paying_sooner' &&
        !(r.code === 'behind_usual' && r.usualDays === null),
    ) ?? null
  );
}

function explainInContext(facts: FollowUpFacts, ctx: SetContext): ScoreExplanation {
  const promise = promiseState(facts, ctx.today);
  const factors = factorValues(facts, ctx, promise);
  const contributions = {} as FactorValues;
  let weighted = 0;
  let totalWeight = 0;
  for (const key of WEIGHT_KEYS) {
    const weight = ctx.weights[key];
    contributions[key] = weight * factors[key];
    weighted += contributions[key];
    totalWeight += weight;
  }
  const exactScore = totalWeight > 0 ? (100 * weighted) / totalWeight : 0;
  const included =
    facts.overdueMinor > 0 || promise.kind === 'due_today' || promise.kind === 'missed' || facts.requestedCallback;
  // Worded on first use: a list ranks every debtor and shows a few.
  let reasons: Reason[] | undefined;
  return {
    debtorId: facts.debtorId,
    included,
    score: Math.round(exactScore),
    exactScore,
    factors,
    contributions,
    get reasons() {
      return (reasons ??= reasonsFor(facts, ctx, promise, contributions));
    },
  };
}

/**
 * The factors, contributions, score and reasons for one debtor. Amount and relationship value are
 * relative to the largest in `facts` (the whole set the list is drawn from).
 */
export function explainScore(
  debtorId: string,
  facts: readonly FollowUpFacts[],
  options: Omit<RankOptions, 'limit'>,
): ScoreExplanation {
  const subject = facts.find((f) => f.debtorId === debtorId);
  if (!subject) throw new RangeError(`debtor ${debtorId} is not among the facts`);
  return explainInContext(subject, setContext(facts, options.today, options.weights));
}

const nameCollator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/**
 * Today's follow-up list: debtors with something overdue, a promise due today or already passed
 * and still open, or a callback request; those who asked for a call or more time first, then
 * best first (score, then overdue amount, then name).
 */
export function rankFollowUps(facts: readonly FollowUpFacts[], options: RankOptions): RankedFollowUp[] {
  const { limit } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new RangeError(`limit must be a whole number ≥ 0: ${limit}`);
  }
  const ctx = setContext(facts, options.today, options.weights);
  const sorted = facts
    .map((f) => ({ facts: f, explanation: explainInContext(f, ctx) }))
    .filter((entry) => entry.explanation.included)
    .sort(
      (a, b) =>
        // A debtor who asked for a call or more time is waiting for the owner: first.
        Number(b.facts.requestedCallback) - Number(a.facts.requestedCallback) ||
        b.explanation.score - a.explanation.score ||
        b.facts.overdueMinor - a.facts.overdueMinor ||
        nameCollator.compare(a.facts.name, b.facts.name) ||
        (a.facts.debtorId < b.facts.debtorId ? -1 : a.facts.debtorId > b.facts.debtorId ? 1 : 0),
    );
  return (limit === undefined ? sorted : sorted.slice(0, limit)).map(
    ({ facts: f, explanation }): RankedFollowUp => ({
      debtorId: f.debtorId,
      name: f.name,
      score: explanation.score,
      reasons: explanation.reasons,
    }),
  );
}

/**
 * The debtors that could make the first `limit` of rankFollowUps whatever their payment-history
 * factor (0..1) turns out to be, in no particular order. Ranking every debtor with only these
 * scored (the others' payment history left at anything in 0..1) gives exactly the list ranking
 * with every debtor scored would: a debtor is left out only when, even with the worst history,
 * its score stays more than one point (rounding) below the limit-th best score it could lose to.
 * This lets a caller load the risk history of a few debtors instead of thousands.
 */
export function followUpCandidates(facts: readonly FollowUpFacts[], options: RankOptions & { limit: number }): Set<string> {
  const ctx = setContext(facts, options.today, options.weights);
  const totalWeight = WEIGHT_KEYS.reduce((sum, key) => sum + ctx.weights[key], 0);
  // How far the payment-history factor can move a score, from 0 to 1.
  const historySpan = totalWeight > 0 ? (100 * ctx.weights.paymentHistory) / totalWeight : 0;
  const lows: Array<{ debtorId: string; low: number }> = [];
  // Who asked for a call or more time comes first whatever the score: always a candidate.
  const callbacks: string[] = [];
  for (const f of facts) {
    const promise = promiseState(f, ctx.today);
    const included = f.overdueMinor > 0 || promise.kind === 'due_today' || promise.kind === 'missed' || f.requestedCallback;
    if (!included) continue;
    if (f.requestedCallback) {
      callbacks.push(f.debtorId);
      continue;
    }
    const factors = factorValues(f, ctx, promise);
    let weighted = 0;
    for (const key of WEIGHT_KEYS) if (key !== 'paymentHistory') weighted += ctx.weights[key] * factors[key];
    lows.push({ debtorId: f.debtorId, low: totalWeight > 0 ? (100 * weighted) / totalWeight : 0 });
  }
  const places = options.limit - callbacks.length;
  if (lows.length <= places) return new Set([...callbacks, ...lows.map((l) => l.debtorId)]);
  if (places <= 0) return new Set(callbacks);
  const threshold = [...lows].sort((a, b) => b.low - a.low)[places - 1]!.low;
  return new Set([...callbacks, ...lows.filter((l) => l.low + historySpan >= threshold - 1).map((l) => l.debtorId)]);
}
