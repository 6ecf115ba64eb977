import { describe, expect, it } from 'vitest';
import { DEFAULT_LADDER, STAGES, type LadderStep } from '../../src/engine/ladder.ts';
import {
  MAX_SEND_ATTEMPTS,
  capForFirstContact,
  isQuiet,
  messageStage,
  nextSendTime,
  plannedStage,
  retryDelayMs,
  stageIndex,
  targetStage,
} from '../../src/engine/schedule.ts';

const KOLKATA = { timeZone: 'Asia/Kolkata', quietStartHour: 21, quietEndHour: 9 };
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const WEEKDAYS = [1, 2, 3, 4, 5];

/** An instant given as local wall-clock time in India (UTC+05:30, no daylight saving). */
function ist(localIso: string): Date {
  return new Date(`${localIso}+05:30`);
}

describe('quiet hours', () => {
  it('hours inside a window that wraps midnight (21→9) are quiet, at both ends', () => {
    expect(isQuiet(ist('2026-11-30T21:00:00'), KOLKATA)).toBe(true);
    expect(isQuiet(ist('2026-11-30T23:45:00'), KOLKATA)).toBe(true);
    expect(isQuiet(ist('2026-12-01T00:10:00'), KOLKATA)).toBe(true);
    expect(isQuiet(ist('2026-12-01T08:59:59'), KOLKATA)).toBe(true);
  });

  it('hours outside a wrapping window are not quiet: the end hour itself is already allowed', () => {
    expect(isQuiet(ist('2026-12-01T09:00:00'), KOLKATA)).toBe(false);
    expect(isQuiet(ist('2026-12-01T14:00:00'), KOLKATA)).toBe(false);
    expect(isQuiet(ist('2026-12-01T20:59:59'), KOLKATA)).toBe(false);
  });

  it('a window within one day (13→15) is quiet only between its hours', () => {
    const afternoon = { timeZone: 'Asia/Kolkata', quietStartHour: 13, quietEndHour: 15 };
    expect(isQuiet(ist('2026-12-01T12:59:00'), afternoon)).toBe(false);
    expect(isQuiet(ist('2026-12-01T13:00:00'), afternoon)).toBe(true);
    expect(isQuiet(ist('2026-12-01T14:59:00'), afternoon)).toBe(true);
    expect(isQuiet(ist('2026-12-01T15:00:00'), afternoon)).toBe(false);
    expect(isQuiet(ist('2026-12-01T23:00:00'), afternoon)).toBe(false);
  });

  it('equal start and end hours mean no quiet hours at all', () => {
    const none = { timeZone: 'Asia/Kolkata', quietStartHour: 0, quietEndHour: 0 };
    expect(isQuiet(ist('2026-12-01T00:30:00'), none)).toBe(false);
    expect(isQuiet(ist('2026-12-01T03:00:00'), none)).toBe(false);
  });

  it('quiet hours follow the local clock of the business, not UTC', () => {
    const instant = new Date('2026-12-01T04:00:00Z'); // 09:30 in Kolkata, 08:00 in Muscat
    expect(isQuiet(instant, KOLKATA)).toBe(false);
    expect(isQuiet(instant, { ...KOLKATA, timeZone: 'Asia/Muscat' })).toBe(true);
  });

  it('the hour after the clocks go forward in London is read in summer time', () => {
    const london = { timeZone: 'Europe/London', quietStartHour: 21, quietEndHour: 9 };
    expect(isQuiet(new Date('2026-03-28T08:30:00Z'), london)).toBe(true); // 08:30 GMT on Saturday
    expect(isQuiet(new Date('2026-03-29T08:30:00Z'), london)).toBe(false); // 09:30 BST on Sunday
  });

  it('rejects an unknown time zone and impossible hours', () => {
    expect(() => isQuiet(new Date('2026-12-01T00:00:00Z'), { ...KOLKATA, timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => isQuiet(new Date('2026-12-01T00:00:00Z'), { ...KOLKATA, quietStartHour: 24 })).toThrow(RangeError);
  });
});

describe('next send time', () => {
  it('outside quiet hours on a sending day, the reminder goes now', () => {
    const now = ist('2026-12-01T11:15:00');
    expect(nextSendTime({ now, ...KOLKATA, sendDays: EVERY_DAY })).toBe(now);
  });

  it('late in the evening, the reminder waits for the end of quiet hours the next morning', () => {
    const next = nextSendTime({ now: ist('2026-12-01T22:30:00'), ...KOLKATA, sendDays: EVERY_DAY });
    expect(next.toISOString()).toBe(ist('2026-12-02T09:00:00').toISOString());
  });

  it('early in the morning, the reminder waits until the quiet end hour the same day', () => {
    const next = nextSendTime({ now: ist('2026-12-02T06:05:00'), ...KOLKATA, sendDays: EVERY_DAY });
    expect(next.toISOString()).toBe('2026-12-02T03:30:00.000Z');
  });

  it('a daytime quiet window (13→15) moves the send to 15:00 the same day', () => {
    const next = nextSendTime({ now: ist('2026-12-02T13:20:00'), timeZone: 'Asia/Kolkata', quietStartHour: 13, quietEndHour: 15, sendDays: EVERY_DAY });
    expect(next.toISOString()).toBe(ist('2026-12-02T15:00:00').toISOString());
  });

  it('across the March change in London, the next morning is 09:00 summer time (08:00 UTC)', () => {
    const london = { timeZone: 'Europe/London', quietStartHour: 21, quietEndHour: 9, sendDays: EVERY_DAY };
    const next = nextSendTime({ now: new Date('2026-03-28T22:00:00Z'), ...london });
    expect(next.toISOString()).toBe('2026-03-29T08:00:00.000Z');
  });

  it('across the October change in London, the next morning is 09:00 winter time (09:00 UTC)', () => {
    const london = { timeZone: 'Europe/London', quietStartHour: 21, quietEndHour: 9, sendDays: EVERY_DAY };
    const next = nextSendTime({ now: new Date('2026-10-24T21:30:00Z'), ...london }); // 22:30 BST on Saturday
    expect(next.toISOString()).toBe('2026-10-25T09:00:00.000Z');
  });

  it('weekdays only: a Friday-night reminder skips the weekend and goes on Monday morning', () => {
    // 2026-12-04 is a Friday.
    const next = nextSendTime({ now: ist('2026-12-04T22:00:00'), ...KOLKATA, sendDays: WEEKDAYS });
    expect(next.toISOString()).toBe(ist('2026-12-07T09:00:00').toISOString());
  });

  it('weekdays only: on a Saturday afternoon, outside quiet hours, it still waits for Monday morning', () => {
    const next = nextSendTime({ now: ist('2026-12-05T14:00:00'), ...KOLKATA, sendDays: WEEKDAYS });
    expect(next.toISOString()).toBe(ist('2026-12-07T09:00:00').toISOString());
  });

  it('a Gulf working week (Sunday to Thursday) skips Friday and Saturday', () => {
    const muscat = { timeZone: 'Asia/Muscat', quietStartHour: 21, quietEndHour: 9, sendDays: [7, 1, 2, 3, 4] };
    const next = nextSendTime({ now: new Date('2026-12-04T08:00:00+04:00'), ...muscat }); // Friday morning
    expect(next.toISOString()).toBe(new Date('2026-12-06T09:00:00+04:00').toISOString());
  });

  it('with no quiet hours, a reminder on a day off goes at 09:00 on the next sending day', () => {
    const next = nextSendTime({ now: ist('2026-12-06T02:00:00'), timeZone: 'Asia/Kolkata', quietStartHour: 0, quietEndHour: 0, sendDays: WEEKDAYS });
    expect(next.toISOString()).toBe(ist('2026-12-07T09:00:00').toISOString());
  });

  it('refuses a week with no sending day instead of looping', () => {
    expect(() => nextSendTime({ now: ist('2026-12-06T02:00:00'), ...KOLKATA, sendDays: [] })).toThrow(RangeError);
  });
});

describe('retry backoff', () => {
  it('waits 30 s, 2 min, 8 min, 30 min, then 2 h for every later try', () => {
    const delays = [1, 2, 3, 4, 5, 6, 10].map(retryDelayMs);
    expect(delays).toEqual([30_000, 120_000, 480_000, 1_800_000, 7_200_000, 7_200_000, 7_200_000]);
  });

  it('gives up after six attempts, so the last retry waits 2 h', () => {
    expect(MAX_SEND_ATTEMPTS).toBe(6);
    expect(retryDelayMs(MAX_SEND_ATTEMPTS - 1)).toBe(7_200_000);
  });

  it('is deterministic and refuses a zeroth or fractional attempt', () => {
    expect(retryDelayMs(3)).toBe(retryDelayMs(3));
    expect(() => retryDelayMs(0)).toThrow(RangeError);
    expect(() => retryDelayMs(1.5)).toThrow(RangeError);
  });
});

describe('which stage goes today', () => {
  const due = '2026-11-30';

  it('stages are ordered from the heads-up to the final notice', () => {
    expect(STAGES.map(stageIndex)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(stageIndex('heads_up')).toBe(0);
    expect(stageIndex('final')).toBe(5);
  });

  it('the target is the latest step whose day has come', () => {
    expect(targetStage(DEFAULT_LADDER, due, '2026-11-26')).toBeNull();
    expect(targetStage(DEFAULT_LADDER, due, '2026-11-27')?.stage).toBe('heads_up');
    expect(targetStage(DEFAULT_LADDER, due, '2026-11-30')?.stage).toBe('due_today');
    expect(targetStage(DEFAULT_LADDER, due, '2026-12-10')?.stage).toBe('firm');
    expect(targetStage(DEFAULT_LADDER, due, '2027-03-01')?.stage).toBe('final');
  });

  it('before the heads-up day nothing is planned', () => {
    expect(plannedStage({ ladder: DEFAULT_LADDER, effectiveDueOn: due, today: '2026-11-26', lastStage: null, bump: false })).toBeNull();
  });

  it('on the heads-up day of a new invoice the heads-up is planned', () => {
    expect(plannedStage({ ladder: DEFAULT_LADDER, effectiveDueOn: due, today: '2026-11-27', lastStage: null, bump: false })).toBe('heads_up');
  });

  it('catch-up after 10 days down sends only the latest due stage, not each missed one', () => {
    // due_today went on 30 Nov; the service was down until 10 Dec (day +10): polite (+3) and firm (+7) were missed.
    expect(plannedStage({ ladder: DEFAULT_LADDER, effectiveDueOn: due, today: '2026-12-10', lastStage: 'due_today', bump: false })).toBe('firm');
  });

  it('the same stage is never planned twice', () => {
    expect(plannedStage({ ladder: DEFAULT_LADDER, effectiveDueOn: due, today: '2026-12-07', lastStage: 'firm', bump: false })).toBeNull();
    expect(plannedStage({ ladder: DEFAULT_LADDER, effectiveDueOn: due, today: '2026-12-12', lastStage: 'firm', bump: false })).toBeNull();
  });

  it('a stage already passed is never planned again (a later due date does not move the ladder back)', () => {
    // A promise moved the effective due date on; the target is now heads-up, but polite went already.
    expect(plannedStage({ ladder: DEFAULT_LADDER, effectiveDueOn: '2026-12-20', today: '2026-12-17', lastStage: 'polite', bump: false })).toBeNull();
  });

  it('a broken promise bumps the next reminder one stage firmer, even before that stage is due', () => {
    expect(plannedStage({ ladder: DEFAULT_LADDER, effectiveDueOn: due, today: '2026-12-08', lastStage: 'firm', bump: true })).toBe('firmer');
  });

  it('a bump never holds back a stage that is due anyway', () => {
    expect(plannedStage({ ladder: DEFAULT_LADDER, effectiveDueOn: due, today: '2026-12-31', lastStage: 'polite', bump: true })).toBe('final');
  });

  it('a bump never goes past the final notice', () => {
    expect(plannedStage({ ladder: DEFAULT_LADDER, effectiveDueOn: due, today: '2027-01-15', lastStage: 'final', bump: true })).toBeNull();
  });

  it('a bump with nothing sent yet starts at the first step', () => {
    expect(plannedStage({ ladder: DEFAULT_LADDER, effectiveDueOn: due, today: '2026-11-20', lastStage: null, bump: true })).toBe('heads_up');
  });

  it("the business's own ladder is read by day, in whatever order it is stored", () => {
    const ladder: LadderStep[] = [
      { stage: 'final', offsetDays: 45, tone: 'final' },
      { stage: 'due_today', offsetDays: 0, tone: 'friendly' },
      { stage: 'firm', offsetDays: 10, tone: 'firm' },
    ];
    expect(plannedStage({ ladder, effectiveDueOn: due, today: '2026-12-09', lastStage: 'due_today', bump: false })).toBeNull();
    expect(plannedStage({ ladder, effectiveDueOn: due, today: '2026-12-10', lastStage: 'due_today', bump: false })).toBe('firm');
    // polite is not on this ladder: having sent it still counts as past due_today.
    expect(plannedStage({ ladder, effectiveDueOn: due, today: '2026-12-02', lastStage: 'polite', bump: true })).toBe('firm');
    expect(plannedStage({ ladder, effectiveDueOn: due, today: '2027-01-14', lastStage: 'firm', bump: false })).toBe('final');
  });
});

describe('the stage of a whole message', () => {
  it('is the firmest of everything it lists, moving today or not', () => {
    const invoices = [
      { stage: 'firmer' as const, movesTo: null },
      { stage: null, movesTo: 'polite' as const },
    ];
    expect(messageStage({ ladder: DEFAULT_LADDER, invoices, firstContact: false })).toBe('firmer');
  });

  it('is held to "firm" for a customer who never had a reminder', () => {
    expect(messageStage({ ladder: DEFAULT_LADDER, invoices: [{ stage: null, movesTo: 'final' }], firstContact: true })).toBe('firm');
    expect(capForFirstContact(DEFAULT_LADDER, 'polite')).toBe('polite');
  });

  it('a first contact on a ladder without "firm" takes the firmest softer step', () => {
    const ladder = DEFAULT_LADDER.filter((s) => s.stage !== 'firm');
    expect(capForFirstContact(ladder, 'final')).toBe('polite');
  });

  it('a first contact plans no firmer than "firm" however late the bill', () => {
    expect(plannedStage({ ladder: DEFAULT_LADDER, effectiveDueOn: '2026-10-01', today: '2026-12-03', lastStage: null, bump: false, firstContact: true })).toBe('firm');
  });
});
