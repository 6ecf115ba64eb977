// When reminders may go: quiet hours and sending days in the business's time zone, the retry
// backoff of a failed send, and which ladder stage (if any) an invoice should get today.
// Pure: the caller passes `now` / `today`; nothing here reads the clock.
import { DateTime } from 'luxon';
import { addDays, daysBetween, isValidTimeZone, type CalendarDate } from './calendar.ts';
import { STAGES, type LadderStep, type Stage, type Tone } from './ladder.ts';

// ---------------------------------------------------------------------------------------------
// Quiet hours and sending days

export interface QuietHours {
  /** IANA time zone of the business. */
  timeZone: string;
  /** Hour (0..23) quiet hours begin, local time. */
  quietStartHour: number;
  /** Hour (0..23) quiet hours end, local time. start > end wraps midnight (21→9); start == end: none. */
  quietEndHour: number;
}

export interface SendWindow extends QuietHours {
  /** ISO weekdays reminders may go on: 1 = Monday … 7 = Sunday. */
  sendDays: readonly number[];
}

/** The hour reminders start on a new day when a business has no quiet hours. */
export const DEFAULT_SEND_HOUR = 9;

function checkHour(name: string, hour: number): void {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`${name} must be an hour 0..23: ${hour}`);
}

function localTime(now: Date, timeZone: string): DateTime {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone: ${timeZone}`);
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`invalid instant: ${String(now)}`);
  return local;
}

function hourIsQuiet(hour: number, start: number, end: number): boolean {
  if (start === end) return false;
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}

/** Whether `now` falls in the business's quiet hours (by the local wall-clock hour). */
export function isQuiet(now: Date, hours: QuietHours): boolean {
  checkHour('quietStartHour', hours.quietStartHour);
  checkHour('quietEndHour', hours.quietEndHour);
  return hourIsQuiet(localTime(now, hours.timeZone).hour, hours.quietStartHour, hours.quietEndHour);
}

/**
 * The earliest time a reminder may go: `now` itself when it is outside quiet hours on a sending
 * day; otherwise the quiet end hour (09:00 when there are no quiet hours) of the first day, today
 * or later, that is a sending day and still ahead of `now` — all in the business's time zone,
 * so a daylight-saving change moves the UTC instant, not the local hour.
 */
export function nextSendTime(input: { now: Date } & SendWindow): Date {
  const { now, timeZone, quietStartHour, quietEndHour } = input;
  checkHour('quietStartHour', quietStartHour);
  checkHour('quietEndHour', quietEndHour);
  const days = new Set(input.sendDays);
  if (![...days].some((day) => Number.isInteger(day) && day >= 1 && day <= 7)) {
    throw new RangeError('sendDays must include at least one ISO weekday 1..7');
  }
  const local = localTime(now, timeZone);
  const allowed = (t: DateTime): boolean => days.has(t.weekday) && !hourIsQuiet(t.hour, quietStartHour, quietEndHour);
  if (allowed(local)) return now;

  const startHour = quietStartHour === quietEndHour ? DEFAULT_SEND_HOUR : quietEndHour;
  for (let offset = 0; offset <= 8; offset += 1) {
    const day = local.startOf('day').plus({ days: offset });
    // fromObject resolves a wall-clock time inside a spring-forward gap to the first valid instant after it.
    const candidate = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: startHour }, { zone: timeZone });
    if (candidate.toMillis() > now.getTime() && allowed(candidate)) return candidate.toJSDate();
  }
  // Unreachable with at least one sending day: some day within the next eight has its start hour ahead.
  throw new RangeError('no sending time found');
}

// ---------------------------------------------------------------------------------------------
// Retries

export const MAX_SEND_ATTEMPTS = 6;

const RETRY_DELAYS_MS = [30_000, 120_000, 480_000, 1_800_000, 7_200_000] as const;

/**
 * How long to wait before the next try after `attempt` failed tries (1 after the first failure):
 * 30 s, 2 min, 8 min, 30 min, then 2 h for every later one. Deterministic, no jitter.
 */
export function retryDelayMs(attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer ≥ 1: ${attempt}`);
  return RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length) - 1]!;
}

// ---------------------------------------------------------------------------------------------
// Which stage to send

/** Position of a stage in STAGES: heads_up 0 … final 5. */
export function stageIndex(stage: Stage): number {
  return STAGES.indexOf(stage);
}

/** The ladder as a sequence: by day, then by stage for steps on the same day. */
function ladderInOrder(ladder: readonly LadderStep[]): LadderStep[] {
  return [...ladder].sort((a, b) => a.offsetDays - b.offsetDays || stageIndex(a.stage) - stageIndex(b.stage));
}

/**
 * The rank of `stage` in the ordered ladder. A stage the business has taken off its ladder
 * ranks just after the last step that comes before it in STAGES, so "later than" still holds.
 */
function rankIn(ordered: readonly LadderStep[], stage: Stage): number {
  const exact = ordered.findIndex((step) => step.stage === stage);
  if (exact >= 0) return exact;
  let rank = -0.5;
  ordered.forEach((step, index) => {
    if (stageIndex(step.stage) < stageIndex(stage)) rank = index + 0.5;
  });
  return rank;
}

/** The latest ladder step whose day (due date + offset) is today or earlier; null before the first. */
export function targetStage(ladder: readonly LadderStep[], effectiveDueOn: CalendarDate, today: CalendarDate): LadderStep | null {
  const daysAfterDue = daysBetween(effectiveDueOn, today);
  const reached = ladderInOrder(ladder).filter((step) => step.offsetDays <= daysAfterDue);
  return reached.at(-1) ?? null;
}

export interface PlannedStageInput {
  ladder: readonly LadderStep[];
  effectiveDueOn: CalendarDate;
  today: CalendarDate;
  /** The latest stage already planned for the invoice; null if none yet. */
  lastStage: Stage | null;
  /** A promise was broken: go at least one step beyond lastStage. */
  bump: boolean;
  /** The customer has never been sent a reminder: go no firmer than FIRST_CONTACT_STAGE. */
  firstContact?: boolean;
}

/**
 * The stage to send today, or null when nothing new is due. The target stage is sent when it is
 * later on the ladder than lastStage — after downtime only the latest due step goes, not each one
 * missed. With `bump`, at least the step after lastStage goes (never past the last step).
 */
export function plannedStage(input: PlannedStageInput): Stage | null {
  const ordered = ladderInOrder(input.ladder);
  if (ordered.length === 0) return null;
  const lastRank = input.lastStage === null ? -1 : rankIn(ordered, input.lastStage);
  const target = targetStage(ordered, input.effectiveDueOn, input.today);
  let rank = target === null ? -1 : rankIn(ordered, target.stage);
  if (input.bump) rank = Math.max(rank, Math.min(Math.floor(lastRank) + 1, ordered.length - 1));
  if (input.firstContact && rank >= 0) rank = rankIn(ordered, capForFirstContact(ordered, ordered[rank]!.stage));
  return rank > lastRank ? ordered[rank]!.stage : null;
}

// ---------------------------------------------------------------------------------------------
// First contact and the stage of a whole message

/** The firmest stage the first reminder a customer ever gets may take: nobody's first message is a threat. */
export const FIRST_CONTACT_STAGE: Stage = 'firm';

/**
 * `stage`, or the firmest step of the ladder no firmer than FIRST_CONTACT_STAGE when it is
 * firmer (the ladder's first step when it has none that soft).
 */
export function capForFirstContact(ladder: readonly LadderStep[], stage: Stage): Stage {
  if (stageIndex(stage) <= stageIndex(FIRST_CONTACT_STAGE)) return stage;
  const ordered = ladderInOrder(ladder);
  const allowed = ordered.filter((step) => stageIndex(step.stage) <= stageIndex(FIRST_CONTACT_STAGE));
  return (allowed.at(-1) ?? ordered[0])?.stage ?? stage;
}

/**
 * After a first contact held back to `capped`: the day the invoice's following step is due. The
 * ladder's own day for it has passed (the invoice was already further along), so it comes the
 * ladder's usual gap after today instead of tomorrow; null when no step follows.
 */
export function nextStepAfterCap(ladder: readonly LadderStep[], capped: Stage, today: CalendarDate): CalendarDate | null {
  const ordered = ladderInOrder(ladder);
  const index = ordered.findIndex((step) => step.stage === capped);
  const next = ordered[index + 1];
  if (index < 0 || !next) return null;
  return addDays(today, Math.max(1, next.offsetDays - ordered[index]!.offsetDays));
}

/**
 * The stage a reminder listing several invoices speaks at: the firmest of everything it lists
 * (each invoice's new stage if it moves today, else the stage it already reached), so a message
 * never grows softer while the same bills stay unpaid. A paid bill leaves the list, and with it
 * its firmness. Held to FIRST_CONTACT_STAGE when the customer has never had a reminder.
 */
export function messageStage(input: { ladder: readonly LadderStep[]; invoices: ReadonlyArray<{ stage: Stage | null; movesTo: Stage | null }>; firstContact: boolean }): Stage {
  let firmest: Stage = 'heads_up';
  let any = false;
  for (const invoice of input.invoices) {
    const stage = invoice.movesTo ?? invoice.stage;
    if (stage === null) continue;
    if (!any || stageIndex(stage) > stageIndex(firmest)) firmest = stage;
    any = true;
  }
  if (!any) throw new RangeError('a reminder needs an invoice with a stage');
  return input.firstContact ? capForFirstContact(input.ladder, firmest) : firmest;
}

/** The tone of a stage on this ladder: its own step's, or the step before it when the business took it off. */
export function toneOf(ladder: readonly LadderStep[], stage: Stage): Tone {
  const ordered = ladderInOrder(ladder);
  const exact = ordered.find((step) => step.stage === stage);
  if (exact) return exact.tone;
  return ordered.filter((step) => stageIndex(step.stage) < stageIndex(stage)).at(-1)?.tone ?? ordered[0]?.tone ?? 'polite';
}

/** Midnight at the start of the day after `now`'s, in `timeZone`. */
export function startOfNextDay(now: Date, timeZone: string): Date {
  return DateTime.fromJSDate(now, { zone: timeZone }).plus({ days: 1 }).startOf('day').toJSDate();
}

/**
 * The day the step after `stage` falls due for a bill due on `dueOn` (what the database's
 * next-reminder trigger derives for an invoice at that stage); null when no step follows.
 */
export function nextStepDay(ladder: readonly LadderStep[], stage: Stage, dueOn: CalendarDate): CalendarDate | null {
  const next = ladderInOrder(ladder).find((step) => stageIndex(step.stage) > stageIndex(stage));
  return next ? addDays(dueOn, next.offsetDays) : null;
}
