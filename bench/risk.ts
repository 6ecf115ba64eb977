// The risk engine against synthetic payment histories with known behaviour types
// (src/engine/synthetic-history.ts). Honest in time: each invoice due in the evaluation window
// (the last six months of the period) and still open the day before its due date is scored and
// dated as of that day, from only what was known by then (never its own outcome, never the
// debtor's type). Invoices paid earlier than that are counted and left out: nothing to predict. Reports the
// ROC AUC of the score at telling which invoices are paid more than 30 days late (or never), the
// median absolute error of the predicted payment dates (paid invoices), and a breakdown by type,
// next to two naive baselines.
// Usage: npx tsx bench/risk.ts [debtors] [--seed N]     (defaults: 2,000 debtors, seed 20261121)
import { performance } from 'node:perf_hooks';
import { addDays, compareCalendarDates, daysBetween } from '../src/engine/calendar.ts';
import { median, rocAuc } from '../src/engine/evaluation.ts';
import { predictPaymentDates } from '../src/engine/predict.ts';
import { assessRisk, RISK_MODEL, summarizeHistory, type RiskTag } from '../src/engine/risk.ts';
import { BEHAVIOUR_TYPES, generateSyntheticHistories, observeAsOf, type BehaviourType } from '../src/engine/synthetic-history.ts';

const args = process.argv.slice(2);
const seedAt = args.indexOf('--seed');
const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : 20261121;
const debtorCount = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--seed') ?? 2000);
const START = '2025-05-01';
const EVALUATION_DAYS = 180;

interface Case {
  type: BehaviourType;
  score: number;
  tag: RiskTag;
  veryLate: boolean;
  /** |predicted − paid| in days; null when never paid. */
  error: number | null;
  /** Naive baselines: the unweighted share of bills paid late so far, and the due date as the prediction. */
  naiveScore: number;
  naiveError: number | null;
}

function main(): void {
  const started = performance.now();
  const { end, debtors } = generateSyntheticHistories({ seed, debtors: debtorCount, start: START });
  const evaluateFrom = addDays(end, -EVALUATION_DAYS);
  const generatedMs = performance.now() - started;
  const cases: Case[] = [];
  let invoices = 0;
  let paidEarly = 0;
  for (const debtor of debtors) {
    invoices += debtor.invoices.length;
    for (const invoice of debtor.invoices) {
      if (compareCalendarDates(invoice.dueOn, evaluateFrom) < 0 || compareCalendarDates(invoice.dueOn, end) >= 0) continue;
      const asOf = addDays(invoice.dueOn, -1);
      const { history, open } = observeAsOf(debtor, asOf);
      const facts = summarizeHistory(history, asOf);
      const assessment = assessRisk(facts);
      const predicted = predictPaymentDates(facts, assessment, open, asOf).find((p) => p.id === invoice.id);
      if (!predicted) {
        // Paid before the day before its due date: nothing left to predict (known by then).
        paidEarly += 1;
        continue;
      }
      const late = invoice.paidOn === null ? null : daysBetween(invoice.dueOn, invoice.paidOn);
      const lateSoFar = history.paid.filter((b) => daysBetween(b.dueOn, b.paidOn) > RISK_MODEL.graceDays).length;
      cases.push({
        type: debtor.type,
        score: assessment.score,
        tag: assessment.tag,
        veryLate: late === null || late > RISK_MODEL.veryLateDays,
        error: invoice.paidOn === null ? null : Math.abs(daysBetween(predicted.predictedOn, invoice.paidOn)),
        naiveScore: history.paid.length > 0 ? lateSoFar / history.paid.length : 0,
        naiveError: late === null ? null : Math.abs(late),
      });
    }
  }
  const evaluatedMs = performance.now() - started - generatedMs;

  const fmt = (x: number | null, digits = 3) => (x === null ? 'n/a' : x.toFixed(digits));
  const pct = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`);
  const summarize = (subset: Case[]) => {
    const errors = subset.flatMap((c) => (c.error === null ? [] : [c.error]));
    return {
      n: subset.length,
      positives: subset.filter((c) => c.veryLate).length,
      auc: rocAuc(subset.map((c) => c.score), subset.map((c) => c.veryLate)),
      medianError: median(errors),
      meanError: errors.length ? errors.reduce((s, e) => s + e, 0) / errors.length : null,
      within7: errors.filter((e) => e <= 7).length / Math.max(1, errors.length),
      meanScore: subset.reduce((s, c) => s + c.score, 0) / Math.max(1, subset.length),
    };
  };

  const all = summarize(cases);
  const naiveAuc = rocAuc(cases.map((c) => c.naiveScore), cases.map((c) => c.veryLate));
  const naiveMedian = median(cases.flatMap((c) => (c.naiveError === null ? [] : [c.naiveError])));
  const unpaid = cases.filter((c) => c.error === null).length;

  console.log(`seed ${seed}: ${debtors.length} debtors, ${invoices} invoices from ${START} to ${addDays(end, -1)} (generated in ${generatedMs.toFixed(0)} ms)`);
  console.log(`evaluated ${all.n} invoices due ${evaluateFrom} – ${addDays(end, -1)}, each as of the day before its due date (${evaluatedMs.toFixed(0)} ms)`);
  console.log(`  (${paidEarly} more in the window were paid before the day before their due date: nothing left to predict)`);
  console.log(`  paid more than ${RISK_MODEL.veryLateDays} days late or never: ${all.positives} (${pct(all.positives, all.n)}); never paid: ${unpaid}`);
  console.log(`ROC AUC of the risk score for "paid > ${RISK_MODEL.veryLateDays} days late": ${fmt(all.auc)}   (target ≥ 0.85; naive share paid late: ${fmt(naiveAuc)})`);
  console.log(
    `median absolute error of predicted payment dates: ${fmt(all.medianError, 1)} days   (target ≤ 5; mean ${fmt(all.meanError, 1)}, within 7 days ${(100 * all.within7).toFixed(1)}%; naive due date: ${fmt(naiveMedian, 1)})`,
  );
  console.log('');
  console.log('type             invoices  >30 late  AUC    median err  mean err  mean score');
  for (const type of BEHAVIOUR_TYPES) {
    const s = summarize(cases.filter((c) => c.type === type));
    console.log(
      `${type.padEnd(16)} ${String(s.n).padStart(8)}  ${pct(s.positives, s.n).padStart(8)}  ${fmt(s.auc).padEnd(5)}  ${fmt(s.medianError, 1).padStart(10)}  ${fmt(s.meanError, 1).padStart(8)}  ${s.meanScore.toFixed(1).padStart(10)}`,
    );
  }
  console.log('');
  console.log('tag     invoices  paid > 30 days late or never');
  for (const tag of ['safe', 'watch', 'risky'] as const) {
    const subset = cases.filter((c) => c.tag === tag);
    console.log(`${tag.padEnd(6)}  ${String(subset.length).padStart(8)}  ${pct(subset.filter((c) => c.veryLate).length, subset.length)}`);
  }
}

main();
