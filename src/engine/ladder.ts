// The reminder ladder: stages relative to an invoice's due date, from a friendly heads-up to a
// final notice. A business keeps its own copy (business.ladder) and may change days and tone.
import { z } from 'zod';

export const STAGES = ['heads_up', 'due_today', 'polite', 'firm', 'firmer', 'final'] as const;
export type Stage = (typeof STAGES)[number];
export const TONES = ['friendly', 'polite', 'firm', 'firmer', 'final'] as const;
export type Tone = (typeof TONES)[number];

/** The earliest and latest day a step may have, relative to the due date. */
export const MIN_OFFSET = -60;
export const MAX_OFFSET = 365;

export const ladderStepSchema = z.object({
  stage: z.enum(STAGES),
  /** Days after the due date (negative: before it). */
  offsetDays: z.number().int().min(MIN_OFFSET).max(MAX_OFFSET),
  tone: z.enum(TONES),
});
export const ladderSchema = z.array(ladderStepSchema).min(1);
export type LadderStep = z.infer<typeof ladderStepSchema>;

export const DEFAULT_LADDER: readonly LadderStep[] = [
  { stage: 'heads_up', offsetDays: -3, tone: 'friendly' },
  { stage: 'due_today', offsetDays: 0, tone: 'friendly' },
  { stage: 'polite', offsetDays: 3, tone: 'polite' },
  { stage: 'firm', offsetDays: 7, tone: 'firm' },
  { stage: 'firmer', offsetDays: 15, tone: 'firmer' },
  { stage: 'final', offsetDays: 30, tone: 'final' },
];

export type LadderChangeProblem =
  | { code: 'day_out_of_order'; from: number; to: number }
  | { code: 'no_room'; before: number; after: number }
  | { code: 'tone_out_of_order'; allowed: Tone[] };

/**
 * Whether one step may take a new day and tone. The steps keep their order (heads_up first,
 * final last): each on a later day than the one before, and at least as firm in tone as the one
 * before but no firmer than the one after. Returns the new ladder in stage order, or what is wrong.
 */
export function changeLadderStep(
  current: readonly LadderStep[],
  change: { stage: Stage; offsetDays: number | null; tone: Tone | null },
): { ok: true; ladder: LadderStep[] } | { ok: false; problem: LadderChangeProblem } {
  const ladder = current.map((s) => ({ ...s })).sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
  const index = ladder.findIndex((s) => s.stage === change.stage);
  const step = ladder[index]!;
  const before = ladder[index - 1];
  const after = ladder[index + 1];
  const from = Math.max(MIN_OFFSET, before ? before.offsetDays + 1 : MIN_OFFSET);
  const to = Math.min(MAX_OFFSET, after ? after.offsetDays - 1 : MAX_OFFSET);
  if (change.offsetDays !== null && (change.offsetDays < from || change.offsetDays > to)) {
    if (from > to && before && after) return { ok: false, problem: { code: 'no_room', before: before.offsetDays, after: after.offsetDays } };
    return { ok: false, problem: { code: 'day_out_of_order', from, to } };
  }
  if (change.tone !== null) {
    const lowest = before ? TONES.indexOf(before.tone) : 0;
    const highest = after ? TONES.indexOf(after.tone) : TONES.length - 1;
    const wanted = TONES.indexOf(change.tone);
    if (wanted < lowest || wanted > highest) return { ok: false, problem: { code: 'tone_out_of_order', allowed: TONES.slice(lowest, highest + 1) } };
  }
  if (change.offsetDays !== null) step.offsetDays = change.offsetDays;
  if (change.tone !== null) step.tone = change.tone;
  return { ok: true, ladder };
}
