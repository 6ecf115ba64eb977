// A realistic demo business: a distributor with ten customers who pay in recognisably different
// ways, six months of invoices and payments, some overdue, some promises kept, broken and open,
// and one dispute. Deterministic for a given `now` (a seeded random generator), so the demo and
// its tests see the same story.
import { randomUUID } from 'node:crypto';
import { addDays, todayIn, type CalendarDate } from '../engine/calendar.ts';
import { DEFAULT_LADDER } from '../engine/ladder.ts';
import { nameKey } from '../engine/owner-command.ts';
import { mulberry32 } from '../engine/synthetic-history.ts';
import { recordAudit } from './audit.ts';
import { toDbDate, type Tx } from './types.ts';

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
  const business = await tx.business.create({
    data: {
      name: 'Sharma Distributors',
      currency: 'INR',
      timeZone,
      language: 'en',
      country: 'IN',
      upiId: 'sharmadist@okhdfcbank',
      paymentDetails: 'HDFC Bank · A/c 50200012345678 · IFSC HDFC0001234',
      ladder: DEFAULT_LADDER as unknown as object,
      defaultTermsDays: 15,
      createdAt: now,
      updatedAt: now,
    },
  });
  const member = await tx.member.create({ data: { businessId: business.id, role: 'owner', name: 'Anil Sharma', channel: owner.channel, address: owner.address, createdAt: now } });

  const debtorRows = CUSTOMERS.map((c) => ({ id: randomUUID(), businessId: business.id, name: c.name, nameKey: nameKey(c.name), phone: c.phone, createdAt: now, updatedAt: now }));
  await tx.debtor.createMany({ data: debtorRows });
  // On the console every customer can be reached (and spoken as, with /as).
  await tx.debtorIdentity.createMany({ data: debtorRows.map((d) => ({ debtorId: d.id, channel: owner.channel, address: `debtor:${d.id}`, createdAt: now })) });

  const invoices: Array<{ id: string; businessId: string; debtorId: string; number: string; amountMinor: bigint; currency: string; issuedOn: Date; dueOn: Date; status: 'open' | 'paid'; closedAt: Date | null }> = [];
  const payments: Array<{ id: string; businessId: string; debtorId: string; amountMinor: bigint; currency: string; receivedOn: Date; method: string; reference: string; source: string }> = [];
  const allocations: Array<{ paymentId: string; invoiceId: string; amountMinor: bigint }> = [];
  const promises: Array<{ businessId: string; debtorId: string; invoiceId: string; amountMinor: bigint | null; promisedOn: Date; status: 'open' | 'kept' | 'broken'; resolvedAt: Date | null }> = [];
  let invoiceNo = 1000;

  CUSTOMERS.forEach((customer, index) => {
    const debtorId = debtorRows[index]!.id;
    const firstAge = customer.behaviour === 'new' ? 40 : 170 + Math.round(rand() * 10);
    for (let age = firstAge; age >= 3; age -= 14 + Math.round(rand() * 16)) {
      const issuedOn: CalendarDate = addDays(today, -age);
      const dueOn = addDays(issuedOn, 15);
      const amount = Math.round((customer.typical * (0.6 + rand() * 0.8)) / 50) * 50;
      const id = randomUUID();
      const late = daysLate(customer.behaviour, age, rand);
      const paidOn = addDays(dueOn, late);
      const paid = paidOn < today && !(customer.behaviour === 'disputer' && age < 45);
      invoiceNo += 1;
      invoices.push({
        id,
        businessId: business.id,
        debtorId,
        number: `SD-${invoiceNo}`,
        amountMinor: BigInt(amount * 100),
        currency: 'INR',
        issuedOn: toDbDate(issuedOn),
        dueOn: toDbDate(dueOn),
        status: paid ? 'paid' : 'open',
        closedAt: paid ? toDbDate(paidOn) : null,
      });
      if (paid) {
        const paymentId = randomUUID();
        payments.push({ id: paymentId, businessId: business.id, debtorId, amountMinor: BigInt(amount * 100), currency: 'INR', receivedOn: toDbDate(paidOn), method: rand() < 0.7 ? 'upi' : 'bank', reference: `UTR${Math.floor(rand() * 1e9)}`, source: 'owner' });
        allocations.push({ paymentId, invoiceId: id, amountMinor: BigInt(amount * 100) });
        if (customer.behaviour === 'promise_breaker' || (customer.behaviour === 'late_steady' && rand() < 0.5)) {
          promises.push({ businessId: business.id, debtorId, invoiceId: id, amountMinor: null, promisedOn: toDbDate(addDays(dueOn, Math.max(1, late - 8))), status: 'broken', resolvedAt: toDbDate(addDays(dueOn, Math.max(2, late - 7))) });
          promises.push({ businessId: business.id, debtorId, invoiceId: id, amountMinor: BigInt(amount * 100), promisedOn: toDbDate(paidOn), status: 'kept', resolvedAt: toDbDate(paidOn) });
        }
      }
    }
  });

  // A partial payment on Verma's oldest open invoice, so a balance differs from its amount.
  const vermaId = debtorRows[5]!.id;
  const vermaOpen = invoices.filter((i) => i.debtorId === vermaId && i.status === 'open').sort((a, b) => a.issuedOn.getTime() - b.issuedOn.getTime())[0];
  if (vermaOpen) {
    const paymentId = randomUUID();
    const part = (vermaOpen.amountMinor / 200n) * 100n;
    payments.push({ id: paymentId, businessId: business.id, debtorId: vermaId, amountMinor: part, currency: 'INR', receivedOn: toDbDate(addDays(today, -4)), method: 'upi', reference: 'UTR778812', source: 'owner' });
    allocations.push({ paymentId, invoiceId: vermaOpen.id, amountMinor: part });
  }
  // Open promises: Ramesh says tomorrow; Patel promised last week and did not pay (broken).
  const openOf = (debtorIndex: number) => invoices.find((i) => i.debtorId === debtorRows[debtorIndex]!.id && i.status === 'open');
  const ramesh = openOf(0);
  if (ramesh) promises.push({ businessId: business.id, debtorId: ramesh.debtorId, invoiceId: ramesh.id, amountMinor: ramesh.amountMinor, promisedOn: toDbDate(addDays(today, 1)), status: 'open', resolvedAt: null });
  const patel = openOf(3);
  if (patel) promises.push({ businessId: business.id, debtorId: patel.debtorId, invoiceId: patel.id, amountMinor: null, promisedOn: toDbDate(addDays(today, -6)), status: 'broken', resolvedAt: toDbDate(addDays(today, -5)) });

  // Every row is written at the clock's instant (the seed's), whatever day its story is dated.
  await tx.invoice.createMany({ data: invoices.map((i) => ({ ...i, createdAt: now, updatedAt: now })) });
  await tx.payment.createMany({ data: payments.map((p) => ({ ...p, createdAt: now })) });
  await tx.paymentAllocation.createMany({ data: allocations });
  await tx.paymentPromise.createMany({ data: promises.map((p) => ({ ...p, createdAt: now })) });
  const khanOpen = openOf(7);
  if (khanOpen) {
    await tx.dispute.create({ data: { businessId: business.id, debtorId: khanOpen.debtorId, invoiceId: khanOpen.id, reason: '2 cartons of brake pads arrived damaged; asked for a credit note', createdAt: now } });
  }
  await recordAudit(tx, { businessId: business.id, actor: { type: 'system' }, action: 'demo.seeded', entityType: 'business', entityId: business.id, data: { owner: member.id }, now });
  return { businessId: business.id, debtors: debtorRows.length, invoices: invoices.length, payments: payments.length };
}
