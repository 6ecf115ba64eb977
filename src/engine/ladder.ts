// The reminder ladder: stages relative to an invoice's due date, from a friendly heads-up to a
// final notice. A business keeps its own copy (business.ladder) and may change days and tone.
import { z } from 'zod';

export const STAGES = ['heads_up', 'due_today', 'polite', 'firm', 'firmer', 'final'] as const;
export type Stage = (typeof STAGES)[number];
export const TONES = ['friendly', 'polite', 'firm', 'firmer', 'final'] as const;
export type Tone = (typeof TONES)[number];

export const ladderStepSchema = z.object({
  stage: z.enum(STAGES),
  /** Days after the due date (negative: before it). */
  offsetDays: z.number().int().min(-60).max(365),
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
