import { Prisma } from '../generated/prisma/client.ts';
import type { CalendarDate } from '../engine/calendar.ts';

export type { Business, Member, Debtor, Invoice, PrismaClient } from '../generated/prisma/client.ts';
/** A Prisma client or the client of an interactive transaction: queries take either. */
export type Tx = Prisma.TransactionClient;
export { Prisma };

/** DATE columns travel as UTC-midnight Dates in Prisma; the app speaks 'YYYY-MM-DD'. */
export function toDbDate(date: CalendarDate): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

export function fromDbDate(date: Date): CalendarDate {
  return date.toISOString().slice(0, 10);
}

/** A BIGINT or NUMERIC from the database (minor units, counts), as a JS number (exact below 2^53). */
export function toMinor(value: bigint | number | string | { toString(): string }): number {
  return typeof value === 'number' ? value : Number(typeof value === 'bigint' ? value : value.toString());
}
