// A realistic demo business: a distributor with ten customers who pay in recognisably different
// ways, six months of invoices and payments, some overdue, some promises kept, broken and open,
// and one dispute. Deterministic for a given `now` (a seeded random generator), so the demo and
// its tests see the same story. Every row carries the past moment it happened (an invoice the day
// it was issued, a payment the day it came in, a promise the day it was made) with the audit row
// a real owner's or customer's message would have left, so "history" and everything that reads
// created_at tell the same six months.
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { addDays, todayIn, type CalendarDate } from '../engine/calendar.ts';
import { DEFAULT_LADDER } from '../engine/ladder.ts';
import { nameKey } from '../engine/owner-command.ts';
import { mulberry32 } from '../engine/synthetic-history.ts';
import { fromDbDate, toDbDate, type Tx } from './types.ts';

type Behaviour = 'punctual' | 'late_steady' | 'promise_breaker' | 'drifting' | 'new' | 'disputer';

const CUSTOMERS: Array<{ name: string; phone: string; behaviour: Behaviour; typical: number }> = [
  { name: 'Ramesh Traders', phone: '+919812345678', behaviour: 'late_steady', typical: 18_000 },
  { name: 'Gupta General Store', phone: '+919823456781', behaviour: 'punctual', typical: 9_500 },
  { name: 'Meena Medical', phone: '+919834567812', behaviour: 'punctual', typical: 24_000 },
  { name: 'Patel Kirana', phone: '+919845678123', behaviour: 'promise_breaker', typical: 12_500 },
  { name: 'Singh Hardware', phone: '+919856781234', behaviour: 'drifting', typical: 42_000 },
  { name: 'Verma Electronics', phone: '+919867812345', behaviour: 'late_steady', typical: 65_000 },
  { name: 'Joshi Sweets', phone: '+919878123456', behaviour: 'punctual', typical: 6_800 },
  { name: 'Khan Auto Parts', phone: '+919881234567', behaviour: 'disputer', typical: 31_000 },
  { name: 'Iyer Provisions', phone: '+919891234567', behaviour: 'new', typical: 15_000 },
  { name: 'Das Textiles', phone: '+919712345678', behaviour: 'drifting', typical: 27_500 },
];


/** Days late a customer of this behaviour pays an invoice issued `ageDays` ago (null: not yet paid). */
function daysLate(behaviour: Behaviour, ageDays: number, rand: () => number): number {
  switch (behaviour) {
    case 'punctual':
      return Math.round(rand() * 4) - 2;
    case 'late_steady':
      return 10 + Math.round(rand() * 10);
    case 'promise_breaker':
      return 20 + Math.round(rand() * 25);
    case 'drifting':
      // On time six months ago, later and later since.
      return Math.max(-1, Math.round((180 - ageDays) / 4 + rand() * 6));
    case 'disputer':
      return 5 + Math.round(rand() * 10);
    case 'new':
      return Math.round(rand() * 6);
  }
}

export interface DemoSeedResult {
  businessId: string;
  debtors: number;
  invoices: number;
  payments: number;
}

/** Seeds the demo business, owned by the console owner, into an empty database. */
export async function seedDemoBusiness(tx: Tx, now: Date, owner = { channel: 'console', address: 'owner' }): Promise<DemoSeedResult> {
  const rand = mulberry32(20261121);
  const timeZone = 'Asia/Kolkata';
  const today = todayIn(now, timeZone);
  /** The instant of `hour:minute` on a day in the business's time zone (never later than `now`). */
  const at = (day: CalendarDate, hour: number, minute = 0): Date => {
    const instant = DateTime.fromISO(day, { zone: timeZone }).set({ hour, minute }).toJSDate();
    return instant.getTime() > now.getTime() ? now : instant;
  };
  const maxDay = (a: CalendarDate, b: CalendarDate): CalendarDate => (a > b ? a : b);
  const minDay = (a: CalendarDate, b: CalendarDate): CalendarDate => (a < b ? a : b);

  const debtorIds = CUSTOMERS.map(() => randomUUID());
  const firstAges = new Map<string, number>();
  const invoices: Array<{ id: string; businessId: string; debtorId: string; number: string; amountMinor: bigint; currency: string; issuedOn: Date; dueOn: Date; status: 'open' | 'paid'; closedAt: Date | null; createdAt: Date; updatedAt: Date }> = [];
  const payments: Array<{ id: string; businessId: string; debtorId: string; amountMinor: bigint; currency: string; receivedOn: Date; method: string; reference: string; source: string; createdAt: Date }> = [];
  const allocations: Array<{ paymentId: string; invoiceId: string; amountMinor: bigint }> = [];
  const promises: Array<{ id: string; businessId: string; debtorId: string; invoiceId: string; amountMinor: bigint | null; promisedOn: Date; status: 'open' | 'kept' | 'broken'; keptByPaymentId: string | null; createdAt: Date; resolvedAt: Date | null }> = [];
  /** What a person did, as the audit rows their messages would have left; written in time order. */
  const events: Array<{ actorType: 'member' | 'debtor' | 'system'; actorId: string | null; action: string; entityType: string; entityId: string; data: Record<string, unknown>; createdAt: Date }> = [];
  // The business started six months ago, a day before its first invoice.
  const startDay = addDays(today, -182);
  const businessId = randomUUID();
  const memberId = randomUUID();
  const byOwner = { actorType: 'member' as const, actorId: memberId };
  let invoiceNo = 1000;

  /** A payment the owner recorded the evening it came in, closing the invoice it paid in full. */
  const recordPayment = (p: { debtorId: string; invoiceId: string; amountMinor: bigint; receivedOn: CalendarDate; method: string; reference: string; closes: boolean; keptPromiseIds: string[] }) => {
    const id = randomUUID();
    const recordedAt = at(p.receivedOn, 18, 30);
    payments.push({ id, businessId, debtorId: p.debtorId, amountMinor: p.amountMinor, currency: 'INR', receivedOn: toDbDate(p.receivedOn), method: p.method, reference: p.reference, source: 'owner', createdAt: recordedAt });
    allocations.push({ paymentId: id, invoiceId: p.invoiceId, amountMinor: p.amountMinor });
    events.push({
      ...byOwner,
      action: 'payment.recorded',
      entityType: 'payment',
      entityId: id,
      data: {
        debtorId: p.debtorId,
        amountMinor: Number(p.amountMinor),
        allocations: [{ invoiceId: p.invoiceId, amountMinor: Number(p.amountMinor) }],
        closed: p.closes ? [p.invoiceId] : [],
        keptPromiseIds: p.keptPromiseIds,
        settledClaims: 0,
        method: p.method,
        reference: p.reference,
        recordedAt: recordedAt.toISOString(),
      },
      createdAt: recordedAt,
    });
    return { id, recordedAt };
  };
  /** A promise the customer made on `madeOn`, and, when broken, the morning after its day it was marked so. */
  const makePromise = (p: { id?: string; debtorId: string; invoiceId: string; amountMinor: bigint | null; madeOn: CalendarDate; promisedOn: CalendarDate; status: 'open' | 'kept' | 'broken'; keptBy?: { id: string; recordedAt: Date } }) => {
    const id = p.id ?? randomUUID();
    const madeAt = at(p.madeOn, 12, 15);
    const resolvedAt = p.status === 'broken' ? at(addDays(p.promisedOn, 1), 9) : p.status === 'kept' ? p.keptBy!.recordedAt : null;
    promises.push({ id, businessId, debtorId: p.debtorId, invoiceId: p.invoiceId, amountMinor: p.amountMinor, promisedOn: toDbDate(p.promisedOn), status: p.status, keptByPaymentId: p.keptBy?.id ?? null, createdAt: madeAt, resolvedAt });
    events.push({
      actorType: 'debtor',
      actorId: p.debtorId,
      action: 'promise.made',
      entityType: 'debtor',
      entityId: p.debtorId,
      data: { promiseId: id, amountMinor: p.amountMinor === null ? null : Number(p.amountMinor), promisedOn: p.promisedOn, dateGiven: true, replaced: 0 },
      createdAt: madeAt,
    });
    if (p.status === 'broken') {
      events.push({ actorType: 'system', actorId: null, action: 'promise.broken', entityType: 'debtor', entityId: p.debtorId, data: { promiseId: id, promisedOn: p.promisedOn }, createdAt: resolvedAt! });
    }
  };

  CUSTOMERS.forEach((customer, index) => {
    const debtorId = debtorIds[index]!;
    const firstAge = customer.behaviour === 'new' ? 40 : 170 + Math.round(rand() * 10);
    firstAges.set(debtorId, firstAge);
    for (let age = firstAge; age >= 3; age -= 14 + Math.round(rand() * 16)) {
      const issuedOn: CalendarDate = addDays(today, -age);
      const dueOn = addDays(issuedOn, 15);
      const amount = Math.round((customer.typical * (0.6 + rand() * 0.8)) / 50) * 50;
      const amountMinor = BigInt(amount * 100);
      const id = randomUUID();
      const late = daysLate(customer.behaviour, age, rand);
      const paidOn = addDays(dueOn, late);
      const paid = paidOn < today && !(customer.behaviour === 'disputer' && age < 45);
      invoiceNo += 1;
      const number = `SD-${invoiceNo}`;
      const addedAt = at(issuedOn, 11);
      invoices.push({ id, businessId, debtorId, number, amountMinor, currency: 'INR', issuedOn: toDbDate(issuedOn), dueOn: toDbDate(dueOn), status: paid ? 'paid' : 'open', closedAt: null, createdAt: addedAt, updatedAt: addedAt });
      events.push({ ...byOwner, action: 'invoice.created', entityType: 'invoice', entityId: id, data: { number, amountMinor: amount * 100, dueOn, debtorId }, createdAt: addedAt });
      if (paid) {
        const method = rand() < 0.7 ? 'upi' : 'bank';
        const reference = `UTR${Math.floor(rand() * 1e9)}`;
        // A customer who pays late often promised first: a date missed (broken), then the day they paid (kept).
        const promised = customer.behaviour === 'promise_breaker' || (customer.behaviour === 'late_steady' && rand() < 0.5);
        const brokenOn = addDays(dueOn, Math.max(1, late - 8));
        if (promised) {
          makePromise({ debtorId, invoiceId: id, amountMinor: null, madeOn: maxDay(addDays(dueOn, 1), addDays(brokenOn, -3)), promisedOn: brokenOn, status: 'broken' });
        }
        // The kept promise is made after the broken one, before the payment that keeps it.
        const keptId = promised ? randomUUID() : null;
        const payment = recordPayment({ debtorId, invoiceId: id, amountMinor, receivedOn: paidOn, method, reference, closes: true, keptPromiseIds: keptId ? [keptId] : [] });
        invoices.at(-1)!.closedAt = payment.recordedAt;
        if (keptId) makePromise({ id: keptId, debtorId, invoiceId: id, amountMinor, madeOn: minDay(addDays(brokenOn, 2), paidOn), promisedOn: paidOn, status: 'kept', keptBy: payment });
      }
    }
  });

  // A partial payment on Verma's oldest open invoice, so a balance differs from its amount.
  const vermaId = debtorIds[5]!;
  const vermaOpen = invoices.filter((i) => i.debtorId === vermaId && i.status === 'open').sort((a, b) => a.issuedOn.getTime() - b.issuedOn.getTime())[0];
  if (vermaOpen) {
    const part = (vermaOpen.amountMinor / 200n) * 100n;
    recordPayment({ debtorId: vermaId, invoiceId: vermaOpen.id, amountMinor: part, receivedOn: addDays(today, -4), method: 'upi', reference: 'UTR778812', closes: false, keptPromiseIds: [] });
  }
  // Open promises: two days ago Ramesh promised to pay tomorrow; nine days ago Patel promised a
  // day last week and did not pay (broken).
  const openOf = (debtorIndex: number) => invoices.find((i) => i.debtorId === debtorIds[debtorIndex] && i.status === 'open');
  const issueDay = (invoice: { issuedOn: Date }): CalendarDate => fromDbDate(invoice.issuedOn);
  const ramesh = openOf(0);
  if (ramesh) makePromise({ debtorId: ramesh.debtorId, invoiceId: ramesh.id, amountMinor: ramesh.amountMinor, madeOn: maxDay(issueDay(ramesh), addDays(today, -2)), promisedOn: addDays(today, 1), status: 'open' });
  const patel = openOf(3);
  if (patel) makePromise({ debtorId: patel.debtorId, invoiceId: patel.id, amountMinor: null, madeOn: maxDay(issueDay(patel), addDays(today, -9)), promisedOn: addDays(today, -6), status: 'broken' });
  // Khan disputed an open invoice a few days after it came.
  const khanOpen = openOf(7);
  const dispute = khanOpen && { id: randomUUID(), reason: '2 cartons of brake pads arrived damaged; asked for a credit note', createdAt: at(minDay(addDays(issueDay(khanOpen), 5), addDays(today, -1)), 15) };
  if (khanOpen && dispute) events.push({ ...byOwner, action: 'dispute.opened', entityType: 'invoice', entityId: khanOpen.id, data: { reason: dispute.reason }, createdAt: dispute.createdAt });

  // Each customer was added with their first invoice.
  const debtorRows = CUSTOMERS.map((c, index) => {
    const addedAt = at(addDays(today, -firstAges.get(debtorIds[index]!)!), 10, 55);
    return { id: debtorIds[index]!, businessId, name: c.name, nameKey: nameKey(c.name), phone: c.phone, createdAt: addedAt, updatedAt: addedAt };
  });
  for (const d of debtorRows) events.push({ ...byOwner, action: 'debtor.created', entityType: 'debtor', entityId: d.id, data: { name: d.name }, createdAt: d.createdAt });

  const startedAt = at(startDay, 10);
  await tx.business.create({
    data: {
      id: businessId,
      name: 'Sharma Distributors',
      currency: 'INR',
      timeZone,
      language: 'en',
      country: 'IN',
      upiId: 'sharmadist@okhdfcbank',
      paymentDetails: 'HDFC Bank · A/c 50200012345678 · IFSC HDFC0001234',
      ladder: DEFAULT_LADDER as unknown as object,
      defaultTermsDays: 15,
      createdAt: startedAt,
      updatedAt: startedAt,
    },
  });
  await tx.member.create({ data: { id: memberId, businessId, role: 'owner', name: 'Anil Sharma', channel: owner.channel, address: owner.address, createdAt: startedAt } });
  await tx.debtor.createMany({ data: debtorRows });
  // On the console every customer can be reached (and spoken as, with /as).
  await tx.debtorIdentity.createMany({ data: debtorRows.map((d) => ({ debtorId: d.id, channel: owner.channel, address: `debtor:${d.id}`, createdAt: d.createdAt })) });
  await tx.invoice.createMany({ data: invoices });
  await tx.payment.createMany({ data: payments });
  await tx.paymentAllocation.createMany({ data: allocations });
  await tx.paymentPromise.createMany({ data: promises });
  if (khanOpen && dispute) {
    await tx.dispute.create({ data: { id: dispute.id, businessId, debtorId: khanOpen.debtorId, invoiceId: khanOpen.id, reason: dispute.reason, createdAt: dispute.createdAt } });
  }
  // Written oldest first, so their write order (what "history" sorts by) is the order they happened in.
  events.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  events.push({ actorType: 'system', actorId: null, action: 'demo.seeded', entityType: 'business', entityId: businessId, data: { owner: memberId }, createdAt: now });
  await tx.auditEvent.createMany({ data: events.map((e) => ({ businessId, ...e, data: e.data as object })) });
  return { businessId, debtors: debtorRows.length, invoices: invoices.length, payments: payments.length };
}
