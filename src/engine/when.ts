// Date expressions in English, Roman Hindi and Devanagari, resolved against a calendar date
// ("today" in the business's time zone). The rules are those of the reply contract:
//   today / tonight / aaj / आज                → today
//   tomorrow / tmrw / kal / कल                → today + 1
//   day after tomorrow / parso / परसों        → today + 2
//   in N days / N din mein / within N days    → today + N
//   [this|next] weekday / somvar ko           → the first such weekday strictly after today
//   25th / 5 tarikh / on the 1st              → the first date with that day on or after today
//   25 Nov / Dec 3 / 3/12 (day/month)         → that date this year, next year if already past
//   this week / is hafte                      → the Sunday ending the current Mon–Sun week
//   next week / agle hafte                    → the Sunday ending next week
//   month end / mahine ke end tak             → the last day of this month
//   next month / agle mahine                  → the last day of next month
//   first week of next month                  → the 7th of next month
//   by X / X tak / before X / on X            → X itself (the prepositions are simply not part of X)
// Words for the time of day are ignored. Impossible dates ("31 Feb") resolve to { invalid: true }.
import {
  addDays,
  daysInMonth,
  endOfIsoWeek,
  endOfMonth,
  isoWeekday,
  isValidCalendarDate,
  makeCalendarDate,
  parseCalendarDate,
  startOfMonthOffset,
  type CalendarDate,
} from './calendar.ts';
import { normalizePatternSource, normalizeText, WORD_END, WORD_START } from './text.ts';

export type DateResolution = { date: CalendarDate } | { invalid: true };

export interface ResolveDateOptions {
  /**
   * Roman Hindi "kal"/"parso" mean both tomorrow/day-after and yesterday/day-before; the tense
   * decides. Default 'future' (a promise); pass 'past' when the sentence is about what happened.
   */
  ambiguousDirection?: 'future' | 'past';
  /**
   * A day and month with no year ("30/11", "25 Nov") counts only when its next occurrence is at
   * most this many days ahead; otherwise it resolves to { invalid: true } (a debtor's "30/11" on
   * 4 Dec is not a promise for next November). Default: no limit (an owner's due date).
   */
  dayAndMonthWithinDays?: number;
}

export type DateMentionKind =
  | 'today'
  | 'tomorrow'
  | 'day_after_tomorrow'
  | 'yesterday'
  | 'day_before_yesterday'
  | 'in_days'
  | 'days_ago'
  | 'weekday'
  | 'last_weekday'
  | 'day_of_month'
  | 'day_and_month'
  | 'this_week'
  | 'next_week'
  | 'month_end'
  | 'next_month'
  | 'week_of_month';

export interface DateMention {
  kind: DateMentionKind;
  /** Position in the normalised text (see normalizeText). */
  start: number;
  end: number;
  text: string;
  resolution: DateResolution;
  /** The word itself could mean the past or the future ("kal", "parso"). */
  ambiguous: boolean;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

function alternation(words: Iterable<string>): string {
  return [...words]
    .sort((a, b) => b.length - a.length)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
}

const MONTH_BY_NAME = new Map<string, number>();
function addMonth(month: number, names: string): void {
  for (const name of names.split(' ')) MONTH_BY_NAME.set(normalizePatternSource(name), month);
}
addMonth(1, 'jan january janu jany janaury januray जनवरी');
addMonth(2, 'feb february febuary feburary febr fab फरवरी');
addMonth(3, 'mar march mrch मार्च');
addMonth(4, 'apr april aprl aprail अप्रैल अप्रेल');
addMonth(5, 'may मई');
addMonth(6, 'jun june जून');
addMonth(7, 'jul july जुलाई');
addMonth(8, 'aug august agust agast अगस्त');
addMonth(9, 'sep sept september septmber sepember सितंबर सितम्बर');
addMonth(10, 'oct october octobar octber अक्टूबर अक्तूबर');
addMonth(11, 'nov november novmber novembar नवंबर नवम्बर');
addMonth(12, 'dec december decmber dicember disambar दिसंबर दिसम्बर');

const WEEKDAY_BY_NAME = new Map<string, number>();
/** Weekday words that are also ordinary words ("sat", "sun", "budh"): they need a marker such as "on", "this", "ko". */
const GUARDED_WEEKDAY_NAMES = new Set<string>();
function addWeekday(weekday: number, names: string, guarded = ''): void {
  for (const name of names.split(' ')) WEEKDAY_BY_NAME.set(normalizePatternSource(name), weekday);
  for (const name of guarded.split(' ').filter(Boolean).map(normalizePatternSource)) {
    WEEKDAY_BY_NAME.set(name, weekday);
    GUARDED_WEEKDAY_NAMES.add(name);
  }
}
addWeekday(
  1,
  'monday mon munday mondy monady mondey somvar somwar somvaar somwaar sombar somvaar somvar सोमवार',
  'som सोम',
);
addWeekday(2, 'tuesday tue tues tuesdy tusday teusday tuseday mangalvar mangalwar mangalvaar mangalwaar मंगलवार', 'mangal मंगल');
addWeekday(
  3,
  'wednesday wed wednes wensday wenesday wednesdy wedensday wednsday wedneday budhvar budhwar budhvaar budhwaar budhwar buddhvar बुधवार',
  'budh बुध',
);
addWeekday(
  4,
  'thursday thu thur thurs thrusday thusday thirsday thrsday guruvar guruwar guruvaar guruwaar brihaspativar brihaspatiwar veervar virvar veerwar गुरुवार गुरूवार बृहस्पतिवार वीरवार',
  'guru',
);
addWeekday(
  5,
  'friday fri firday fryday fridy frday fridayy shukravar shukrawar shukrvar sukravar shukarvar shukarwar shukrwar sukrawar sukarvar shukrvaar शुक्रवार',
  'shukra शुक्र',
);
addWeekday(6, 'saturday satuday saterday saturdy satarday satday shanivar shaniwar sanivar saniwar shanivaar shaniwaar शनिवार', 'sat shani शनि');
addWeekday(7, 'sunday sundy sundey ravivar raviwar itwar itvar etwar itvaar itwaar aitwar aitvar रविवार इतवार', 'sun');

const NUMBER_WORD_VALUE = new Map<string, number>();
function addNumberWord(value: number, words: string): void {
  for (const word of words.split(' ')) NUMBER_WORD_VALUE.set(normalizePatternSource(word), value);
}
addNumberWord(1, 'one a an ek एक');
addNumberWord(2, 'two do दो');
addNumberWord(3, 'three teen tin तीन');
addNumberWord(4, 'four char chaar चार');
addNumberWord(5, 'five panch paanch paach पांच पाच');
addNumberWord(6, 'six chhe chhah chah che छह छः');
addNumberWord(7, 'seven saat सात');
addNumberWord(8, 'eight aath आठ');
addNumberWord(9, 'nine nau नौ');
addNumberWord(10, 'ten das dus दस');
addNumberWord(12, 'twelve');
addNumberWord(14, 'fourteen');
addNumberWord(15, 'fifteen pandrah pandra पंद्रह पन्द्रह');
addNumberWord(20, 'twenty bees बीस');
addNumberWord(30, 'thirty tees तीस');

const DAY_ORDINAL_WORDS = new Map<string, number>([
  ['first', 1], ['second', 2], ['third', 3], ['fourth', 4], ['fifth', 5], ['sixth', 6], ['seventh', 7], ['eighth', 8], ['ninth', 9], ['tenth', 10],
]);

const MONTH_NAMES = alternation(MONTH_BY_NAME.keys());
const MONTH = `(?<month>${MONTH_NAMES})`;
const MONTH2 = `(?<month2>${MONTH_NAMES})`;
const WEEKDAY = `(?<weekday>${alternation(WEEKDAY_BY_NAME.keys())})`;
const COUNT = `(?<count>\\d{1,3}|${alternation(NUMBER_WORD_VALUE.keys())}|couple of|a couple of|couple)`;
const ORDINAL_SUFFIX = `(?:st|nd|rd|th|rth|nth)`;
const TARIKH = `(?:tarikh|tareekh|tarik|taarikh|tariq|tarrikh|tareek|tarikh|tarkh|tareekh|तारीख|तारिख|तारीक|तारिक)`;
const THIS = `(?:this|dis|is|iss|isi|इस|इसी)`;
const NEXT = `(?:next|nxt|nex|coming|upcoming|following|agle|agla|agli|agley|aane wale|aane vale|aanewale|aane wala|अगले|अगला|अगली|आने वाले)`;
const LAST = `(?:last|previous|prev|pichhle|pichle|pichla|pichhla|picchle|पिछले|पिछला)`;
const WEEK = `(?:week|wk|weak|hafte|hafta|haftey|hapte|saptah|हफ्ते|हफ्ता|हफ़्ते|सप्ताह)`;
const MONTH_WORD = `(?:month|mnth|mahine|mahina|mahinay|maheene|mahene|महीने|महीना|माह|मास)`;
const END = `(?:end|ending|last|aakhir|akhir|aakhri|akhiri|antim|ant|khatam|खत्म|अंत|आखिर|आखिरी|आख़िर)`;
const DAYS = `(?:days?|dayz|din|dino|dinon|dinn|दिन|दिनों)`;

function pattern(source: string): RegExp {
  return new RegExp(`${WORD_START}(?:${normalizePatternSource(source)})${WORD_END}`, 'gu');
}

type Resolver = (match: RegExpExecArray, today: CalendarDate, options: Required<ResolveDateOptions>) => DateResolution | null;

interface DatePattern {
  kind: DateMentionKind | ((match: RegExpExecArray, options: Required<ResolveDateOptions>) => DateMentionKind);
  regex: RegExp;
  resolve: Resolver;
  ambiguous?: (match: RegExpExecArray) => boolean;
}

function countOf(match: RegExpExecArray): number | null {
  const raw = match.groups?.count;
  if (raw === undefined) return null;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (raw.includes('couple')) return 2;
  return NUMBER_WORD_VALUE.get(raw) ?? null;
}

function monthOf(match: RegExpExecArray): number | null {
  const raw = match.groups?.month ?? match.groups?.month2;
  return raw === undefined ? null : (MONTH_BY_NAME.get(raw) ?? null);
}

/** The first weekday `weekday` strictly after `today`. */
export function nextWeekdayAfter(today: CalendarDate, weekday: number): CalendarDate {
  const ahead = ((weekday - isoWeekday(today) + 7) % 7) || 7;
  return addDays(today, ahead);
}

/** The most recent weekday `weekday` strictly before `today`. */
export function previousWeekdayBefore(today: CalendarDate, weekday: number): CalendarDate {
  const back = ((isoWeekday(today) - weekday + 7) % 7) || 7;
  return addDays(today, -back);
}

/** The first date on or after `today` whose day of the month is `day`. */
export function nextDayOfMonth(today: CalendarDate, day: number): DateResolution {
  if (!Number.isInteger(day) || day < 1 || day > 31) return { invalid: true };
  const { year, month, day: todayDay } = parseCalendarDate(today);
  for (let offset = 0; offset < 13; offset++) {
    const monthIndex = year * 12 + (month - 1) + offset;
    const candidateYear = Math.floor(monthIndex / 12);
    const candidateMonth = (monthIndex % 12) + 1;
    if (offset === 0 && day < todayDay) continue;
    if (day <= daysInMonth(candidateYear, candidateMonth)) return { date: makeCalendarDate(candidateYear, candidateMonth, day) };
  }
  return { invalid: true };
}

/** Day and month with no year: this year, or next year if that date has passed. */
export function dayAndMonthOnOrAfter(today: CalendarDate, day: number, month: number): DateResolution {
  const { year } = parseCalendarDate(today);
  if (month < 1 || month > 12 || day < 1 || day > 31) return { invalid: true };
  if (isValidCalendarDate(year, month, day)) {
    const thisYear = makeCalendarDate(year, month, day);
    if (thisYear >= today) return { date: thisYear };
    if (isValidCalendarDate(year + 1, month, day)) return { date: makeCalendarDate(year + 1, month, day) };
    return { invalid: true };
  }
  // 29 Feb in a common year: the next year only if it is a leap year.
  if (isValidCalendarDate(year + 1, month, day)) return { date: makeCalendarDate(year + 1, month, day) };
  return { invalid: true };
}

function explicitDate(year: number, month: number, day: number): DateResolution {
  return isValidCalendarDate(year, month, day) ? { date: makeCalendarDate(year, month, day) } : { invalid: true };
}

function fullYear(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const value = Number(raw);
  return raw.length === 2 ? 2000 + value : value;
}

function dayInMonthOffset(today: CalendarDate, monthsAhead: number, day: number): DateResolution {
  const first = startOfMonthOffset(today, monthsAhead);
  const { year, month } = parseCalendarDate(first);
  return explicitDate(year, month, day);
}

const AMBIGUOUS_KAL = /^(?:kal|kall|कल|parso|parson|parsoon|parsun|parsu|parsun|परसों|परसो)$/u;

// Order matters only for ties: overlapping mentions keep the longest, then the earliest listed here.
const DATE_PATTERNS: DatePattern[] = [
  // --- week-of-month and month phrases (longest first)
  {
    kind: 'week_of_month',
    regex: pattern(
      `(?:(?:in|during|by|within) )?(?:the )?(?<which>first|1st|pehle|pahle|pehla|pahla|पहले|second|2nd|dusre|doosre|दूसरे|third|3rd|teesre|tisre|तीसरे) (?:week|wk|hafte|हफ्ते|सप्ताह) (?:of )?(?:the )?${NEXT} ${MONTH_WORD}` +
        `|${NEXT} ${MONTH_WORD} (?:ke |ki |का |के |की )?(?<which2>first|1st|pehle|pahle|pehla|pahla|पहले|second|2nd|dusre|doosre|दूसरे|third|3rd|teesre|tisre|तीसरे) (?:week|wk|hafte|hafta|हफ्ते|सप्ताह)` +
        `|(?:early|beginning of|start of|starting of|the start of|the beginning of) ${NEXT} ${MONTH_WORD}` +
        `|${NEXT} ${MONTH_WORD} (?:ke |ki |की |के )?(?:start|starting|beginning|shuru|shuruat|shuruaat|shuru mein|शुरू|शुरुआत|शुरुआत में|शुरू में|early)`,
    ),
    resolve: (match, today) => {
      const which = match.groups?.which ?? match.groups?.which2 ?? 'first';
      const weekNumber = /^(?:second|2nd|dusre|doosre|दूसरे)$/u.test(which) ? 2 : /^(?:third|3rd|teesre|tisre|तीसरे)$/u.test(which) ? 3 : 1;
      return dayInMonthOffset(today, 1, 7 * weekNumber);
    },
  },
  {
    kind: 'week_of_month',
    regex: pattern(`(?:the )?(?:first|1st) (?:week|wk) of ${MONTH}|${MONTH2} (?:ke |ka |के )?(?:first|1st|pehle|pahle|पहले) (?:week|wk|hafte|हफ्ते)`),
    resolve: (match, today) => {
      const month = monthOf(match);
      return month === null ? null : dayAndMonthOnOrAfter(today, 7, month);
    },
  },
  {
    kind: 'day_and_month',
    regex: pattern(`(?:the )?(?:end|last day|last week) of ${MONTH}|${MONTH2} (?:end|ending|ke end|ke aakhir|ke akhir|ke ant|के अंत|के आखिर)`),
    resolve: (match, today) => {
      const month = monthOf(match);
      if (month === null) return null;
      const { year } = parseCalendarDate(today);
      const candidate = makeCalendarDate(year, month, daysInMonth(year, month));
      return { date: candidate >= today ? candidate : makeCalendarDate(year + 1, month, daysInMonth(year + 1, month)) };
    },
  },
  {
    kind: 'next_month',
    regex: pattern(
      `(?:the )?(?:end|last day|last week) of (?:the )?${NEXT} ${MONTH_WORD}|${NEXT} ${MONTH_WORD}(?: (?:ke |ka |ki |के |की |का )?(?:end|ending|last|aakhir|akhir|ant|अंत|आखिर|आखिरी) ?(?:tak|mein|me|तक|में)?)?`,
    ),
    resolve: (_match, today) => ({ date: endOfMonth(startOfMonthOffset(today, 1)) }),
  },
  {
    kind: 'day_of_month',
    regex: pattern(
      `(?:the )?(?<day>\\d{1,2}) ?${ORDINAL_SUFFIX}? ?(?:of )?(?:the )?${NEXT} ${MONTH_WORD}` +
        `|${NEXT} ${MONTH_WORD} (?:ki |ke |की |के )?(?:the )?(?<day2>\\d{1,2}) ?(?:${ORDINAL_SUFFIX}|${TARIKH})?`,
    ),
    resolve: (match, today) => {
      const raw = match.groups?.day ?? match.groups?.day2;
      return raw === undefined ? null : dayInMonthOffset(today, 1, Number(raw));
    },
  },
  {
    kind: 'month_end',
    regex: pattern(
      `(?:the )?(?:end|last day|last week) of (?:the |this |dis )?${MONTH_WORD}(?: end)?` +
        `|(?:${THIS} )?${MONTH_WORD}[ -]?${END}` +
        `|(?:${THIS} )?${MONTH_WORD} (?:ke|ka|ki|के|का|की) ${END}(?: (?:tak|tk|mein|me|तक|में|hone|होने))?` +
        `|(?:${THIS} )?${MONTH_WORD} (?:khatam|khtm|पूरा|khatm) (?:hone|hote|होने|होते)` +
        `|${THIS} ${MONTH_WORD}|eom|within (?:the )?${MONTH_WORD}|monthend`,
    ),
    resolve: (_match, today) => ({ date: endOfMonth(today) }),
  },
  // --- weeks
  {
    kind: 'next_week',
    regex: pattern(
      `(?:the )?(?:end of |early |late |middle of |mid )?(?:the )?${NEXT} ${WEEK}(?: ?end)?(?: (?:ke|ka|के) (?:end|aakhir|ant|अंत) ?)?|${NEXT} weekend`,
    ),
    resolve: (_match, today) => ({ date: addDays(endOfIsoWeek(today), 7) }),
  },
  {
    kind: 'this_week',
    regex: pattern(
      `(?:the )?(?:end of |within )?(?:the )?${THIS} ${WEEK}(?: ?end)?(?: itself)?` +
        `|(?:this |${THIS} )?week ?end|(?:the )?end of (?:the )?week|${WEEK} (?:ke|ka|के) (?:end|aakhir|akhir|ant|अंत|आखिर)` +
        `|within the week|${WEEK} (?:ke andar|ke bheetar|के अंदर|के भीतर)`,
    ),
    resolve: (_match, today) => ({ date: endOfIsoWeek(today) }),
  },
  // --- relative days
  {
    kind: 'day_after_tomorrow',
    regex: pattern(
      `(?:the )?day after (?:tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr|tmrow|2moro|2morrow)|day after|overmorrow|parso|parson|parsoon|parsun|parsu|परसों|परसो`,
    ),
    resolve: (match, today, options) =>
      AMBIGUOUS_KAL.test(match[0]) && options.ambiguousDirection === 'past' ? { date: addDays(today, -2) } : { date: addDays(today, 2) },
    ambiguous: (match) => AMBIGUOUS_KAL.test(match[0]),
  },
  {
    kind: 'day_before_yesterday',
    regex: pattern(`(?:the )?day before (?:yesterday|yday|ystrdy)`),
    resolve: (_match, today) => ({ date: addDays(today, -2) }),
  },
  {
    kind: 'yesterday',
    regex: pattern(`yesterday|yesterdy|yestarday|yday|ystrdy|yestrday|yesturday|बीते कल`),
    resolve: (_match, today) => ({ date: addDays(today, -1) }),
  },
  {
    kind: 'tomorrow',
    regex: pattern(
      `tomorrow|tomorow|tommorow|tommorrow|tomorrw|tomrrow|tomoro|tomorro|tommorrw|tomm|tmrw|tmrow|tmorrow|tmrrw|tmr|tmw|tmro|tomo|2moro|2morrow|2morow|2mrw|2mro|2mrow|tomorrows|kal|kall|kl|कल`,
    ),
    resolve: (match, today, options) =>
      AMBIGUOUS_KAL.test(match[0]) && options.ambiguousDirection === 'past' ? { date: addDays(today, -1) } : { date: addDays(today, 1) },
    ambiguous: (match) => AMBIGUOUS_KAL.test(match[0]),
  },
  {
    kind: 'today',
    regex: pattern(
      `today|todays|tday|2day|tonight|tonite|2nite|this (?:evening|morning|afternoon|eve)|by (?:evening|tonight|night)|(?:by )?eod|end of (?:the )?day|aaj|aj|aaj hi|आज|आज ही|aaj shaam|aajhi|(?:shaam|sham|raat|dopahar|evening|शाम|रात) (?:tak|tk|तक)`,
    ),
    resolve: (_match, today) => ({ date: today }),
  },
  {
    kind: 'in_days',
    regex: pattern(
      `(?:(?:in|within|after|in the next|in next|next|for) )?(?:another )?(?:a |the )?(?:\\d ?- ?|\\d (?:or|ya|to) )?${COUNT} (?:more )?(?<unit>${DAYS}|${WEEK}|weeks|wks|hours|hrs|hour|hr|ghante|ghanta|घंटे|minutes|minute|mins|min|mints|minit)(?: time| ka time| ke andar| ke bheetar| mein| me| main| mai| mei| baad| bad| ke baad| में| बाद| के अंदर| के बाद| के भीतर| tak)?` +
        `|(?:in |within )(?:a |one )?(?<unit2>day|week) or two|(?:in |within )a (?<unit3>day|week)|(?:ek |1 )?(?<unit4>hafte|hafta|week|हफ्ते) (?:bhar|bhr|भर) ?(?:mein|me|main|mai|में)?|net ?(?<netDays>\\d{1,3})(?: days?)?`,
    ),
    resolve: (match, today) => {
      const unitSource = match.groups?.unit ?? match.groups?.unit2 ?? match.groups?.unit3 ?? match.groups?.unit4 ?? '';
      const netDays = match.groups?.netDays;
      if (netDays !== undefined) return { date: addDays(today, Number(netDays)) }; // invoice terms: "net 30"
      const count = match.groups?.unit2 !== undefined ? 2 : match.groups?.unit3 !== undefined || match.groups?.unit4 !== undefined ? 1 : countOf(match);
      if (count === null || count > 400) return null;
      let days = count;
      if (/^(?:week|wk|weak|hafte|hafta|haftey|hapte|saptah|हफ्ते|हफ्ता|सप्ताह|weeks|wks)$/u.test(unitSource)) days = count * 7;
      else if (/^(?:hours|hrs|hour|hr|ghante|ghanta|घंटे)$/u.test(unitSource)) days = Math.floor(count / 24);
      else if (/^(?:minutes|minute|mins|min|mints|minit)$/u.test(unitSource)) days = Math.floor(count / 1440);
      return { date: addDays(today, days) };
    },
  },
  {
    kind: 'days_ago',
    regex: pattern(`${COUNT} (?:${DAYS}) (?:ago|back|pehle|pahle|पहले)`),
    resolve: (match, today) => {
      const count = countOf(match);
      return count === null ? null : { date: addDays(today, -count) };
    },
  },
  // --- weekdays
  {
    kind: (match) => (match.groups?.last !== undefined ? 'last_weekday' : 'weekday'),
    regex: pattern(
      `(?:(?<last>${LAST})|(?<marker>${THIS}|${NEXT}|on|by|before|till|until|untill|upto))? ?${WEEKDAY}(?<after> (?:ko|tak|tk|se pehle|को|तक|से पहले|tk|ke din|के दिन))?`,
    ),
    resolve: (match, today) => {
      const name = match.groups?.weekday ?? '';
      const weekday = WEEKDAY_BY_NAME.get(name);
      if (weekday === undefined) return null;
      if (GUARDED_WEEKDAY_NAMES.has(name) && match.groups?.marker === undefined && match.groups?.after === undefined && match.groups?.last === undefined)
        return null;
      if (match.groups?.last !== undefined) return { date: previousWeekdayBefore(today, weekday) };
      return { date: nextWeekdayAfter(today, weekday) };
    },
  },
  // --- explicit dates
  {
    kind: 'day_and_month',
    regex: pattern(`(?<year>\\d{4})-(?<month>\\d{1,2})-(?<day>\\d{1,2})`),
    resolve: (match) => explicitDate(Number(match.groups?.year), Number(match.groups?.month), Number(match.groups?.day)),
  },
  {
    kind: 'day_and_month',
    regex: pattern(`(?<day>\\d{1,2})(?<sep>[/-])(?<month>\\d{1,2})(?:\\k<sep>(?<year>\\d{4}|\\d{2}))?|(?<day2>\\d{1,2})\\.(?<month2>\\d{1,2})\\.(?<year2>\\d{4}|\\d{2})`),
    resolve: (match, today) => {
      const day = Number(match.groups?.day ?? match.groups?.day2);
      const month = Number(match.groups?.month ?? match.groups?.month2);
      const year = fullYear(match.groups?.year ?? match.groups?.year2);
      if (year !== null) return explicitDate(year, month, day);
      return dayAndMonthOnOrAfter(today, day, month);
    },
  },
  {
    kind: 'day_and_month',
    regex: pattern(
      `(?:the )?(?<day>\\d{1,2}) ?${ORDINAL_SUFFIX}?(?: of|-| -|,)? ?${MONTH}(?:(?:,? |-)(?<year>20\\d{2}))?` +
        `|${MONTH2}(?:,? |-)(?:the )?(?<day2>\\d{1,2}) ?${ORDINAL_SUFFIX}?(?:(?:,? |-)(?<year2>20\\d{2}))?`,
    ),
    resolve: (match, today) => {
      const month = monthOf(match);
      const day = Number(match.groups?.day ?? match.groups?.day2);
      if (month === null) return null;
      const year = fullYear(match.groups?.year ?? match.groups?.year2);
      if (year !== null) return explicitDate(year, month, day);
      return dayAndMonthOnOrAfter(today, day, month);
    },
  },
  {
    kind: 'day_of_month',
    regex: pattern(
      `(?:(?:on|by|before|till|until|untill|upto) )?(?:the )?(?<day>\\d{1,2}) ?${ORDINAL_SUFFIX}(?! ?(?:installment|instalment|kisht|kist|emi|part|payment|week|wk|time|floor|bill|invoice|order|reminder|notice|hafte|hafta|किश्त|किस्त))(?: (?:of )?(?:the |this |dis )?(?:month|mahine|महीने))?(?: ?(?:${TARIKH}))?` +
        `|(?<day3>\\d{1,2}) ?${TARIKH}|(?:on|by|before|till|until) the (?<dayword>first|second|third|fourth|fifth|tenth)` +
        `|(?:on|by|before|till|until|untill) (?<day2>\\d{1,2})(?= ?(?:$|[,.!?)]| (?:ko|tak|tk|pakka|sure|confirm|definitely|pakka se|latest|max|for sure|payment|pay|ko|को|तक)))` +
        `|(?<day4>\\d{1,2}) (?:ko|tak|tk|को|तक)(?! ?(?:baje|bje|pm|am|log|logo|logon|din|ghante|minute|mins?|%|rs|rupees?|rupaye|hazar|lakh|k|बजे|दिन|लोग))`,
    ),
    resolve: (match, today) => {
      const raw = match.groups?.day ?? match.groups?.day2 ?? match.groups?.day3 ?? match.groups?.day4;
      const word = match.groups?.dayword;
      const day = raw !== undefined ? Number(raw) : word !== undefined ? (DAY_ORDINAL_WORDS.get(word) ?? 0) : 0;
      return nextDayOfMonth(today, day);
    },
  },
];

/**
 * Every date named in `text`, in order of appearance, resolved against `today`. Overlapping
 * candidates keep the longest ("first week of next month" beats "next month").
 * Positions refer to normalizeText(text).
 */
export function findDateMentions(text: string, today: CalendarDate, options: ResolveDateOptions = {}): DateMention[] {
  return findDateMentionsInNormalizedText(normalizeText(text), today, options);
}

/** As findDateMentions, for text that is already the output of normalizeText (saves normalising twice). */
export function findDateMentionsInNormalizedText(normalized: string, today: CalendarDate, options: ResolveDateOptions = {}): DateMention[] {
  const resolvedOptions: Required<ResolveDateOptions> = {
    ambiguousDirection: options.ambiguousDirection ?? 'future',
    dayAndMonthWithinDays: options.dayAndMonthWithinDays ?? Number.POSITIVE_INFINITY,
  };
  const latestDayAndMonth = Number.isFinite(resolvedOptions.dayAndMonthWithinDays) ? addDays(today, resolvedOptions.dayAndMonthWithinDays) : null;
  const candidates: DateMention[] = [];
  for (const datePattern of DATE_PATTERNS) {
    datePattern.regex.lastIndex = 0;
    for (let match = datePattern.regex.exec(normalized); match !== null; match = datePattern.regex.exec(normalized)) {
      if (match[0].length === 0) {
        datePattern.regex.lastIndex++;
        continue;
      }
      let resolution = datePattern.resolve(match, today, resolvedOptions);
      if (resolution === null) continue;
      const kind = typeof datePattern.kind === 'function' ? datePattern.kind(match, resolvedOptions) : datePattern.kind;
      const yearNamed = match.groups?.year !== undefined || match.groups?.year2 !== undefined;
      if (kind === 'day_and_month' && !yearNamed && latestDayAndMonth !== null && 'date' in resolution && resolution.date > latestDayAndMonth)
        resolution = { invalid: true };
      const start = match.index + (match[0].length - match[0].trimStart().length);
      const end = match.index + match[0].trimEnd().length;
      candidates.push({
        kind,
        start,
        end,
        text: normalized.slice(start, end),
        resolution,
        ambiguous: datePattern.ambiguous?.(match) ?? false,
      });
    }
  }
  // Longest first; among equals, the pattern listed first (stable sort keeps it).
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start));
  const kept: DateMention[] = [];
  for (const candidate of candidates) {
    if (kept.some((other) => candidate.start < other.end && other.start < candidate.end)) continue;
    kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * The date a phrase or sentence names ("due 30 Nov", "next Friday", "in 15 days", "kal tak",
 * "महीने के अंत तक"): the first date named. `{ invalid: true }` for an impossible date such as
 * "31 Feb"; null when no date is named.
 */
export function resolveDateExpression(text: string, today: CalendarDate, options: ResolveDateOptions = {}): DateResolution | null {
  const [first] = findDateMentions(text, today, options);
  return first === undefined ? null : first.resolution;
}
