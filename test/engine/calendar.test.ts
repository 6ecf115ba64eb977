import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  endOfIsoWeek,
  endOfMonth,
  formatDay,
  isCalendarDate,
  isoWeekday,
  isValidCalendarDate,
  isValidTimeZone,
  makeCalendarDate,
  startOfMonthOffset,
  todayIn,
} from '../../src/engine/calendar.ts';

describe('calendar dates', () => {
  it('today is the calendar date of the instant in the business time zone', () => {
    const lateEveningInNewYork = new Date('2026-07-09T23:30:00-04:00');
    expect(todayIn(lateEveningInNewYork, 'America/New_York')).toBe('2026-07-09');
    expect(todayIn(lateEveningInNewYork, 'Asia/Kolkata')).toBe('2026-07-10');
    expect(todayIn(new Date('2026-12-31T20:00:00Z'), 'Asia/Dubai')).toBe('2027-01-01');
    expect(todayIn(new Date('2026-03-29T00:30:00Z'), 'Europe/London')).toBe('2026-03-29');
  });

  it('todayIn rejects an unknown time zone instead of guessing', () => {
    expect(() => todayIn(new Date('2026-01-01T00:00:00Z'), 'Mars/Olympus')).toThrow();
  });

  it('adds and subtracts days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2027-12-30', 4)).toBe('2028-01-03');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-11-18', 0)).toBe('2026-11-18');
  });

  it('numbers weekdays the ISO way, Monday 1 to Sunday 7', () => {
    expect(isoWeekday('2026-11-16')).toBe(1);
    expect(isoWeekday('2026-11-18')).toBe(3);
    expect(isoWeekday('2026-03-15')).toBe(7);
    expect(isoWeekday('1970-01-01')).toBe(4);
    expect(isoWeekday('1969-12-29')).toBe(1);
  });

  it('counts days between two dates as b minus a', () => {
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
    expect(daysBetween('2026-11-18', '2026-11-10')).toBe(-8);
  });

  it('finds the end of the month, including February in leap years', () => {
    expect(endOfMonth('2026-02-10')).toBe('2026-02-28');
    expect(endOfMonth('2028-02-03')).toBe('2028-02-29');
    expect(endOfMonth('2026-04-30')).toBe('2026-04-30');
    expect(endOfMonth('2026-12-01')).toBe('2026-12-31');
  });

  it('moves to the first of another month and to the Sunday ending the ISO week', () => {
    expect(startOfMonthOffset('2026-12-05', 1)).toBe('2027-01-01');
    expect(startOfMonthOffset('2026-01-31', -1)).toBe('2025-12-01');
    expect(endOfIsoWeek('2026-11-18')).toBe('2026-11-22');
    expect(endOfIsoWeek('2026-03-15')).toBe('2026-03-15');
  });

  it('validates calendar dates', () => {
    expect(isValidCalendarDate(2026, 2, 29)).toBe(false);
    expect(isValidCalendarDate(2028, 2, 29)).toBe(true);
    expect(isValidCalendarDate(2026, 4, 31)).toBe(false);
    expect(isValidCalendarDate(2026, 13, 1)).toBe(false);
    expect(isValidCalendarDate(2026, 1, 0)).toBe(false);
    expect(isCalendarDate('2026-11-18')).toBe(true);
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('18/11/2026')).toBe(false);
    expect(() => makeCalendarDate(2026, 2, 30)).toThrow();
  });

  it('formats a day shortly in English and in Hindi', () => {
    expect(formatDay('2026-11-30', 'en')).toBe('Mon 30 Nov');
    expect(formatDay('2026-09-06', 'en')).toBe('Sun 6 Sep');
    expect(formatDay('2026-11-30', 'hi')).toBe('सोम 30 नव॰');
    expect(formatDay('2026-05-03', 'hi')).toBe('रवि 3 मई');
  });

  it('shows the year of a day in another year than today, in English and in Hindi', () => {
    expect(formatDay('2025-12-05', 'en', '2026-12-04')).toBe('Fri 5 Dec 2025');
    expect(formatDay('2027-01-15', 'hi', '2026-12-04')).toBe('शुक्र 15 जन॰ 2027');
    expect(formatDay('2026-12-05', 'en', '2026-01-01')).toBe('Sat 5 Dec');
  });

  it('recognises IANA time zones', () => {
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
    expect(isValidTimeZone('Asia/Muscat')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
