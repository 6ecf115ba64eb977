// A debtor's risk tag from their history, with the reasons in words the caller renders.
// Rule-based and explainable; a score learned from payment histories can replace the rules
// behind the same shape.
import type { FollowUpFacts } from './ranking.ts';

export type RiskTag = 'safe' | 'watch' | 'risky';
export type RiskReason =
  | { code: 'often_late'; share: number; avgDaysLate: number }
  | { code: 'broken_promises'; count: number }
  | { code: 'long_overdue'; days: number }
  | { code: 'pays_on_time' }
  | { code: 'little_history' };

export type RiskFacts = Pick<FollowUpFacts, 'latePaidShare' | 'avgDaysLate' | 'brokenPromises90d' | 'keptPromises90d' | 'maxDaysOverdue'> & {
  /** Invoices paid in the last 12 months: below 3 there is little to judge by. */
  paidInvoices: number;
};

export function assessRisk(f: RiskFacts): { tag: RiskTag; reasons: RiskReason[] } {
  const reasons: RiskReason[] = [];
  let points = 0;
  if (f.maxDaysOverdue > 60) {
    points += 2;
    reasons.push({ code: 'long_overdue', days: f.maxDaysOverdue });
  } else if (f.maxDaysOverdue > 15) {
    points += 1;
    reasons.push({ code: 'long_overdue', days: f.maxDaysOverdue });
  }
  if (f.brokenPromises90d >= 2) {
    points += 2;
    reasons.push({ code: 'broken_promises', count: f.brokenPromises90d });
  } else if (f.brokenPromises90d === 1) {
    points += 1;
    reasons.push({ code: 'broken_promises', count: 1 });
  }
  if (f.paidInvoices >= 3 && f.latePaidShare >= 0.5 && f.avgDaysLate >= 15) {
    points += 2;
    reasons.push({ code: 'often_late', share: f.latePaidShare, avgDaysLate: f.avgDaysLate });
  } else if (f.paidInvoices >= 3 && f.latePaidShare >= 0.3) {
    points += 1;
    reasons.push({ code: 'often_late', share: f.latePaidShare, avgDaysLate: f.avgDaysLate });
  }
  const tag: RiskTag = points >= 3 ? 'risky' : points >= 1 ? 'watch' : 'safe';
  if (tag === 'safe') reasons.push(f.paidInvoices >= 3 ? { code: 'pays_on_time' } : { code: 'little_history' });
  return { tag, reasons };
}
