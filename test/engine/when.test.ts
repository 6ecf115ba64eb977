import { describe, expect, it } from 'vitest';
import { findDateMentions, resolveDateExpression, type ResolveDateOptions } from '../../src/engine/when.ts';

// Wednesday 18 November 2026.
const TODAY = '2026-11-18';

function resolve(text: string, today = TODAY, options?: ResolveDateOptions): string | null | 'invalid' {
  const result = resolveDateExpression(text, today, options);
  if (result === null) return null;
  return 'date' in result ? result.date : 'invalid';
}

function expectAll(phrases: string[], expected: string, today = TODAY): void {
  for (const phrase of phrases) expect(resolve(phrase, today), phrase).toBe(expected);
}

describe('resolving dates (the table in reply-understanding.md)', () => {
  it('"today", "tonight", "aaj", "aaj shaam", "आज" resolve to today', () => {
    expectAll(['today', 'tonight', 'tonite', 'aaj', 'aaj shaam', 'aaj hi', 'आज', 'आज शाम', 'by EOD', 'this evening'], TODAY);
  });

  it('"tomorrow", "tmrw", "kal", "कल" resolve to today + 1, typos included', () => {
    expectAll(['tomorrow', 'tmrw', 'tmr', 'tomorow', 'tommorow', '2moro', 'kal', 'kal tak', 'kal tk', 'कल', 'कल तक'], '2026-11-19');
  });

  it('"day after tomorrow", "parso", "परसों" resolve to today + 2', () => {
    expectAll(['day after tomorrow', 'day after tmrw', 'parso', 'parson', 'परसों', 'परसो तक'], '2026-11-20');
  });

  it('"in N days", "N din mein", "within N days" resolve to today + N', () => {
    expectAll(['in 3 days', 'within 3 days', '3 din mein', '3 din me', 'teen din mein', '3 दिन में', 'in three days', 'after 3 days'], '2026-11-21');
    expect(resolve('in 4 days time', '2027-12-30')).toBe('2028-01-03');
    expect(resolve('10 din mein')).toBe('2026-11-28');
    expect(resolve('in 2 weeks')).toBe('2026-12-02');
  });

  it('a weekday alone resolves to the first such weekday strictly after today', () => {
    expect(resolve('friday')).toBe('2026-11-20');
    expect(resolve('monday')).toBe('2026-11-23');
    expect(resolve('wednesday')).toBe('2026-11-25'); // today is Wednesday: next week's
    expect(resolve('thursday')).toBe('2026-11-19');
    expect(resolve('sunday', '2026-03-15')).toBe('2026-03-22');
  });

  it('"this" or "next" with a weekday also resolves to the first such weekday strictly after today', () => {
    expect(resolve('this friday')).toBe('2026-11-20');
    expect(resolve('next friday')).toBe('2026-11-20');
    expect(resolve('next monday')).toBe('2026-11-23');
    expect(resolve('coming wednesday')).toBe('2026-11-25');
  });

  it('Hindi weekdays, Roman and Devanagari, resolve like English ones', () => {
    expectAll(['somvar', 'somvar ko', 'somwar tak', 'सोमवार', 'सोमवार को', 'agle somvar'], '2026-11-23');
    expectAll(['mangalvar', 'mangalwar ko', 'मंगलवार'], '2026-11-24');
    expectAll(['budhvar', 'budhwar', 'बुधवार तक'], '2026-11-25');
    expectAll(['guruvar', 'guruwar', 'गुरुवार', 'वीरवार'], '2026-11-19');
    expectAll(['shukravar', 'shukrawar', 'शुक्रवार'], '2026-11-20');
    expectAll(['shanivar', 'shaniwar ko', 'शनिवार'], '2026-11-21');
    expectAll(['ravivar', 'itwar', 'रविवार', 'इतवार'], '2026-11-22');
  });

  it('short weekday words that are ordinary words need a marker ("on sat", "sun lo" is not Sunday)', () => {
    expect(resolve('on sat')).toBe('2026-11-21');
    expect(resolve('by sun')).toBe('2026-11-22');
    expect(resolve('sun lo bhai')).toBeNull();
    expect(resolve('saat din')).toBe('2026-11-25');
  });

  it('a day of the month alone resolves to the first date with that day on or after today', () => {
    expect(resolve('25th')).toBe('2026-11-25');
    expect(resolve('18th')).toBe(TODAY);
    expect(resolve('17th')).toBe('2026-12-17');
    expect(resolve('on the 1st')).toBe('2026-12-01');
    expect(resolve('5 tarikh')).toBe('2026-12-05');
    expect(resolve('10 tarikh tak')).toBe('2026-12-10');
    expect(resolve('25 तारीख को')).toBe('2026-11-25');
    expect(resolve('by 12th', '2027-08-14')).toBe('2027-09-12');
  });

  it('a day of the month skips months that lack it', () => {
    expect(resolve('31st')).toBe('2026-12-31');
    expect(resolve('the 31st', '2026-04-30')).toBe('2026-05-31');
    expect(resolve('30th', '2027-02-05')).toBe('2027-03-30');
    expect(resolve('32nd')).toBe('invalid');
  });

  it('a day and a month resolve to that date this year, or next year if it has passed', () => {
    expect(resolve('25 Nov')).toBe('2026-11-25');
    expect(resolve('25th November')).toBe('2026-11-25');
    expect(resolve('Dec 3')).toBe('2026-12-03');
    expect(resolve('December 3rd')).toBe('2026-12-03');
    expect(resolve('10 Nov')).toBe('2027-11-10');
    expect(resolve('18 nov')).toBe(TODAY);
    expect(resolve('2 Jan', '2026-12-30')).toBe('2027-01-02');
    expect(resolve('25 नवंबर')).toBe('2026-11-25');
  });

  it('"3/12" is read day/month', () => {
    expect(resolve('3/12')).toBe('2026-12-03');
    expect(resolve('3-12')).toBe('2026-12-03');
    expect(resolve('12/3')).toBe('2027-03-12');
    expect(resolve('25/12/2026')).toBe('2026-12-25');
    expect(resolve('2026-12-25')).toBe('2026-12-25');
  });

  it('an impossible date is invalid rather than shifted', () => {
    expect(resolve('31 Feb')).toBe('invalid');
    expect(resolve('due 31 feb')).toBe('invalid');
    expect(resolve('30/2')).toBe('invalid');
    expect(resolve('31 april')).toBe('invalid');
    expect(resolve('12/13')).toBe('invalid');
    expect(resolve('29 feb')).toBe('invalid');
    expect(resolve('29 feb', '2027-12-01')).toBe('2028-02-29');
  });

  it('"this week", "is hafte" resolve to the Sunday that ends the current Monday-to-Sunday week', () => {
    expectAll(['this week', 'is hafte', 'iss hafte', 'isi hafte', 'इस हफ्ते', 'this week itself', 'by the weekend'], '2026-11-22');
    expect(resolve('this week', '2027-08-20')).toBe('2027-08-22');
    expect(resolve('this week', '2026-03-15')).toBe('2026-03-15');
  });

  it('"next week", "agle hafte" resolve to the Sunday that ends next week', () => {
    expectAll(['next week', 'agle hafte', 'agle week', 'अगले हफ्ते', 'अगले सप्ताह', 'early next week'], '2026-11-29');
    expect(resolve('next week', '2026-03-15')).toBe('2026-03-22');
    expect(resolve('next week', '2026-03-16')).toBe('2026-03-29');
  });

  it('"month end", "end of the month", "mahine ke end tak" resolve to the last day of the current month', () => {
    expectAll(
      ['month end', 'month-end', 'end of the month', 'end of month', 'mahine ke end tak', 'is mahine ke aakhir tak', 'महीने के अंत तक', 'this month', 'eom'],
      '2026-11-30',
    );
    expect(resolve('month end', '2026-07-31')).toBe('2026-07-31');
    expect(resolve('month end', '2028-02-03')).toBe('2028-02-29');
  });

  it('"next month", "agle mahine" resolve to the last day of next month', () => {
    expectAll(['next month', 'agle mahine', 'agle month', 'अगले महीने', 'end of next month'], '2026-12-31');
    expect(resolve('next month', '2027-01-12')).toBe('2027-02-28');
    expect(resolve('next month', '2026-12-05')).toBe('2027-01-31');
  });

  it('"first week of next month" resolves to the 7th of next month', () => {
    expectAll(['first week of next month', 'next month first week', 'agle mahine ke pehle hafte', 'early next month'], '2026-12-07');
    expect(resolve('first week of next month', '2026-12-20')).toBe('2027-01-07');
  });

  it('a day of next month resolves to that day of next month', () => {
    expect(resolve('5th of next month')).toBe('2026-12-05');
    expect(resolve('agle mahine 10 tarikh')).toBe('2026-12-10');
  });

  it('"by X", "X tak", "before X", "on X" resolve to X itself', () => {
    expect(resolve('by friday')).toBe('2026-11-20');
    expect(resolve('friday tak')).toBe('2026-11-20');
    expect(resolve('before friday')).toBe('2026-11-20');
    expect(resolve('on friday')).toBe('2026-11-20');
    expect(resolve('by 25th')).toBe('2026-11-25');
    expect(resolve('25 tak')).toBe('2026-11-25');
    expect(resolve('by next week')).toBe('2026-11-29');
    expect(resolve('before month end')).toBe('2026-11-30');
  });

  it('words for the time of day are ignored', () => {
    expect(resolve('tomorrow evening')).toBe('2026-11-19');
    expect(resolve('kal subah 10 baje')).toBe('2026-11-19');
    expect(resolve('friday 6pm')).toBe('2026-11-20');
    expect(resolve('aaj raat tak')).toBe(TODAY);
  });

  it('no date named gives null', () => {
    for (const phrase of ['will pay soon', 'salary aate hi', 'ok', 'call after 6', 'by 5 pm', 'I lost my job last month', 'Merry Christmas', '3 parts']) {
      expect(resolve(phrase), phrase).toBeNull();
    }
  });

  it('works inside owner commands as well as alone', () => {
    expect(resolve('due 30 Nov')).toBe('2026-11-30');
    expect(resolve('add Sharma 12500 due next Friday')).toBe('2026-11-20');
    expect(resolve('due in 15 days')).toBe('2026-12-03');
    expect(resolve('due 30/11')).toBe('2026-11-30');
    expect(resolve('due end of month')).toBe('2026-11-30');
    expect(resolve('net 30')).toBe('2026-12-18');
  });

  it('past references resolve backwards, and "kal" can be read as yesterday when asked', () => {
    expect(resolve('yesterday')).toBe('2026-11-17');
    expect(resolve('day before yesterday')).toBe('2026-11-16');
    expect(resolve('last friday')).toBe('2026-11-13');
    expect(resolve('2 days ago')).toBe('2026-11-16');
    expect(resolve('kal', TODAY, { ambiguousDirection: 'past' })).toBe('2026-11-17');
    expect(resolve('parso', TODAY, { ambiguousDirection: 'past' })).toBe('2026-11-16');
  });

  it('finds every date in a sentence, longest reading first', () => {
    const mentions = findDateMentions("can't pay tomorrow, will pay monday", TODAY);
    expect(mentions.map((mention) => [mention.kind, mention.text])).toEqual([
      ['tomorrow', 'tomorrow'],
      ['weekday', 'monday'],
    ]);
    expect(findDateMentions('first week of next month', TODAY)).toHaveLength(1);
  });
});

describe('a window for a day and month with no year', () => {
  it('a day and month past or beyond the window resolves invalid, one inside it resolves', () => {
    const window = { dayAndMonthWithinDays: 120 };
    expect(resolve('30/11', '2026-12-04', window)).toBe('invalid');
    expect(resolve('5 Jan', '2026-12-04', window)).toBe('2027-01-05');
    expect(resolve('30/11/2027', '2026-12-04', window)).toBe('2027-11-30');
  });

  it('without the window a past day and month is next year (an owner due date)', () => {
    expect(resolve('30/11', '2026-12-04')).toBe('2027-11-30');
  });
});
