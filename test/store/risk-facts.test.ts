// The risk engine's facts from SQL (src/store/risk-facts.ts, one statement for all debtors) equal
// what summarizeHistory computes from the same history in memory, on synthetic debtors of every
// behaviour type written into the database, on each engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, compareCalendarDates } from '../../src/engine/calendar.ts';
import type { OpenBill } from '../../src/engine/predict.ts';
import { summarizeHistory, type RiskFacts } from '../../src/engine/risk.ts';
import { generateSyntheticHistories, observeAsOf, type SyntheticDebtor } from '../../src/engine/synthetic-history.ts';
import { loadDebtorRisk, loadFollowUpFacts, loadRiskFacts, loadSummaryAggregates } from '../../src/store/reports.ts';
import { toDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';

const TIME_ZONE = 'Asia/Kolkata';
/** Noon in India on a calendar day. */
const noon = (day: string) => new Date(`${day}T06:30:00.000Z`);

async function writeDebtor(db: TestDatabase, businessId: string, debtor: SyntheticDebtor, today: string): Promise<string> {
  const p = db.prisma;
  const row = await p.debtor.create({ data: { businessId, name: debtor.id, nameKey: debtor.id.toLowerCase() } });
  const ids = new Map<string, string>();
  const known = (day: string | null): day is string => day !== null && compareCalendarDates(day, today) <= 0;
  for (const invoice of debtor.invoices) {
    if (!known(invoice.issuedOn)) continue;
    const paid = known(invoice.paidOn);
    const created = await p.invoice.create({
      data: {
        businessId,
        debtorId: row.id,
        number: invoice.id,
        amountMinor: BigInt(invoice.amountMinor),
        currency: 'INR',
        issuedOn: toDbDate(invoice.issuedOn),
        dueOn: toDbDate(invoice.dueOn),
        status: paid ? 'paid' : 'open',
        closedAt: paid ? noon(invoice.paidOn!) : null,
      },
    });
    ids.set(invoice.id, created.id);
    if (paid) {
      await p.payment.create({ data: { businessId, debtorId: row.id, amountMinor: BigInt(invoice.amountMinor), currency: 'INR', receivedOn: toDbDate(invoice.paidOn!), source: 'owner' } });
    }
    if (invoice.dispute && known(invoice.dispute.openedOn)) {
      const open = !known(invoice.dispute.resolvedOn);
      await p.dispute.create({ data: { businessId, debtorId: row.id, invoiceId: created.id, reason: 'wrong amount', status: open ? 'open' : 'resolved', createdAt: noon(invoice.dispute.openedOn) } });
    }
  }
  for (const promise of debtor.promises) {
    if (!known(promise.madeOn)) continue;
    const invoice = debtor.invoices.find((i) => i.id === promise.invoiceId)!;
    const status = known(invoice.paidOn) && compareCalendarDates(invoice.paidOn!, promise.promisedOn) <= 0 ? 'kept' : compareCalendarDates(promise.promisedOn, today) < 0 ? 'broken' : 'open';
    await p.paymentPromise.create({
      data: { businessId, debtorId: row.id, invoiceId: ids.get(promise.invoiceId) ?? null, promisedOn: toDbDate(promise.promisedOn), status, createdAt: noon(promise.madeOn) },
    });
  }
  return row.id;
}

function expectSameFacts(sql: RiskFacts, memory: RiskFacts): void {
  const flatten = (f: RiskFacts): Record<string, number | null> => ({
    ...Object.fromEntries(Object.entries(f.sums).map(([k, v]) => [`sums.${k}`, v])),
    ...Object.fromEntries(Object.entries(f.seasonNear).map(([k, v]) => [`seasonNear.${k}`, v])),
    paidCount: f.paidCount,
    lateWeight: f.lateWeight,
    yearAgoWeight: f.yearAgoWeight,
    yearAgoWeightedLate: f.yearAgoWeightedLate,
    promisesBroken: f.promisesBroken,
    promisesKept: f.promisesKept,
    promisesBrokenWeight: f.promisesBrokenWeight,
    promisesKeptWeight: f.promisesKeptWeight,
    openDisputes: f.openDisputes,
    recentDisputes: f.recentDisputes,
    daysSinceLastPayment: f.daysSinceLastPayment,
    maxDaysOverdue: f.maxDaysOverdue,
  });
  const a = flatten(sql);
  const b = flatten(memory);
  for (const key of Object.keys(b)) {
    const x = a[key] ?? null;
    const y = b[key] ?? null;
    if (x === null || y === null) expect({ key, value: x }).toEqual({ key, value: y });
    else expect({ key, value: x }).toEqual({ key, value: expect.closeTo(y, 6) });
  }
}

describe.each(testEngines)('risk facts from SQL on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  const generated = generateSyntheticHistories({ seed: 7, debtors: 24, start: '2025-05-01' });
  const today = addDays(generated.end, -20);
  const byRowId = new Map<string, SyntheticDebtor>();

  beforeAll(async () => {
    db = await engine.open();
    businessId = (await db.prisma.business.create({ data: { name: 'Risk Facts', currency: 'INR', timeZone: TIME_ZONE, ladder: [] } })).id;
    for (const debtor of generated.debtors) byRowId.set(await writeDebtor(db, businessId, debtor, today), debtor);
  }, 120_000);
  afterAll(async () => db?.destroy());

  const scope = () => ({ businessId, today, timeZone: TIME_ZONE, termsDays: 30 });
  const billsOf = (bills: OpenBill[]) =>
    bills
      .map((b) => ({ dueOn: b.dueOn, balanceMinor: b.balanceMinor, disputed: b.disputed, promisedOn: b.promise?.on ?? null }))
      .sort((x, y) => x.dueOn.localeCompare(y.dueOn) || x.balanceMinor - y.balanceMinor);

  it('one debtor\'s facts and open bills equal summarizeHistory\'s, for every debtor and every behaviour type', async () => {
    expect(new Set(generated.debtors.map((d) => d.type)).size).toBe(5);
    for (const [debtorId, debtor] of byRowId) {
      const input = await loadDebtorRisk(db.prisma, { ...scope(), debtorId });
      const { history, open } = observeAsOf(debtor, today);
      expectSameFacts(input!.risk, summarizeHistory(history, today));
      // The open bills, with their disputes and promises (the bills' ids are the database's).
      expect(billsOf(input!.bills)).toEqual(billsOf(open));
    }
  });

  it('the follow-up list has every debtor with money open, and reads the same facts for any of them in one statement', async () => {
    const facts = await loadFollowUpFacts(db.prisma, scope());
    const withOpen = [...byRowId.entries()].filter(([, d]) => observeAsOf(d, today).open.length > 0).map(([id]) => id);
    expect(facts.map((f) => f.debtorId).sort()).toEqual(withOpen.sort());
    const risk = await loadRiskFacts(db.prisma, scope(), withOpen);
    expect([...risk.keys()].sort()).toEqual(withOpen.sort());
    for (const [debtorId, f] of risk) expectSameFacts(f, summarizeHistory(observeAsOf(byRowId.get(debtorId)!, today).history, today));
  });

  it('the cash forecast reads the same lateness facts and open bills, for every debtor with money open', async () => {
    const summary = await loadSummaryAggregates(db.prisma, scope(), { monthStart: `${today.slice(0, 8)}01` });
    const inputs = summary.debtors;
    const withOpen = [...byRowId.entries()].filter(([, d]) => observeAsOf(d, today).open.length > 0).map(([id]) => id);
    expect(inputs.map((i) => i.debtorId).sort()).toEqual(withOpen.sort());
    for (const input of inputs) {
      const { history, open } = observeAsOf(byRowId.get(input.debtorId)!, today);
      const full = summarizeHistory(history, today);
      expectSameFacts({ ...full, ...input.risk }, full);
      expect(billsOf(input.bills)).toEqual(billsOf(open));
    }
    expect(summary.outstandingMinor).toBe(inputs.reduce((total, i) => total + i.bills.reduce((sum, b) => sum + b.balanceMinor, 0), 0));
  });
});
