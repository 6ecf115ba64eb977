// Every model written and read back through the Prisma client, on each engine: proves the
// adapter, the migrations and the client agree on types (BigInt money, DATE days, JSON, arrays).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LADDER } from '../../src/engine/ladder.ts';
import { fromDbDate, toDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';

describe.each(testEngines)('every model through the Prisma client on $name', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(async () => db?.destroy());

  it('stores and reads back a whole business: members, debtors, invoices, payments, promises, disputes, messages, audit', async () => {
    const p = db.prisma;
    const business = await p.business.create({
      data: { name: 'Sharma Distributors', currency: 'INR', timeZone: 'Asia/Kolkata', ladder: DEFAULT_LADDER as unknown as object, upiId: 'sharma@upi' },
    });
    expect(business.sendDays).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(business.approvalMode).toBe('approve');

    const owner = await p.member.create({ data: { businessId: business.id, role: 'owner', name: 'Anil', channel: 'telegram', address: '1001' } });
    const agent = await p.member.create({ data: { businessId: business.id, role: 'agent', name: 'Ravi', channel: 'telegram', address: '1002' } });
    const debtor = await p.debtor.create({
      data: { businessId: business.id, name: 'Ramesh Traders', nameKey: 'ramesh traders', phone: '+919812345678', assignedAgentId: agent.id },
    });
    await p.debtorIdentity.create({ data: { debtorId: debtor.id, channel: 'whatsapp', address: '919812345678@s.whatsapp.net' } });

    const bigAmount = 12_50_00_000_00n; // ₹12.5 crore in paise: beyond a 32-bit integer
    const invoice = await p.invoice.create({
      data: { businessId: business.id, debtorId: debtor.id, number: 'A-102', amountMinor: bigAmount, currency: 'INR', issuedOn: toDbDate('2026-11-01'), dueOn: toDbDate('2026-11-30') },
    });
    expect(invoice.amountMinor).toBe(bigAmount);
    expect(fromDbDate(invoice.dueOn!)).toBe('2026-11-30');

    const inbound = await p.inboundMessage.create({
      data: { channel: 'whatsapp', providerMessageId: 'wamid.1', sender: '919812345678@s.whatsapp.net', businessId: business.id, debtorId: debtor.id, text: 'kal tak kar dunga', receivedAt: new Date('2026-11-21T06:00:00Z'), parsed: { intent: 'promise', promisedDate: '2026-11-22' }, intent: 'promise' },
    });
    const promise = await p.paymentPromise.create({
      data: { businessId: business.id, debtorId: debtor.id, invoiceId: invoice.id, amountMinor: 500000n, promisedOn: toDbDate('2026-11-22'), sourceMessageId: inbound.id },
    });
    expect(promise.status).toBe('open');
    const payment = await p.payment.create({
      data: { businessId: business.id, debtorId: debtor.id, amountMinor: 500000n, currency: 'INR', receivedOn: toDbDate('2026-11-22'), method: 'upi', reference: '4417', source: 'owner', externalId: 'rzp_1' },
    });
    await p.paymentAllocation.create({ data: { paymentId: payment.id, invoiceId: invoice.id, amountMinor: 500000n } });
    await p.dispute.create({ data: { businessId: business.id, debtorId: debtor.id, invoiceId: invoice.id, reason: 'wrong amount', sourceMessageId: inbound.id } });
    const outbound = await p.outboundMessage.create({
      data: { businessId: business.id, kind: 'reminder', stage: 'polite', channel: 'whatsapp', recipient: '919812345678@s.whatsapp.net', debtorId: debtor.id, invoiceIds: [invoice.id], body: 'Hello', choices: [{ label: 'Pay now', data: 'pay' }], idempotencyKey: `reminder:${invoice.id}:polite:2026-11-21` },
    });
    expect(outbound.invoiceIds).toEqual([invoice.id]);
    await p.auditEvent.create({ data: { businessId: business.id, actorType: 'member', actorId: owner.id, action: 'invoice.created', entityType: 'invoice', entityId: invoice.id, data: { number: 'A-102' } } });
    await p.conversation.create({ data: { channel: 'telegram', address: '1001', state: { flow: 'add', step: 'amount' } } });
    await p.accessToken.create({ data: { token: 'tok_abc', businessId: business.id, purpose: 'debtor_link', debtorId: debtor.id } });
    await p.channelAuthState.create({ data: { channel: 'whatsapp', key: 'creds', value: { me: { id: '1' } } } });
    await p.channelLease.create({ data: { name: 'whatsapp', holder: 'instance-a', expiresAt: new Date('2026-11-21T06:01:00Z') } });

    const loaded = await p.invoice.findUniqueOrThrow({
      where: { businessId_number: { businessId: business.id, number: 'A-102' } },
      include: { debtor: { include: { identities: true, assignedAgent: true } }, allocations: { include: { payment: true } }, promises: { include: { sourceMessage: true } }, disputes: true },
    });
    expect(loaded.debtor.identities[0]!.address).toBe('919812345678@s.whatsapp.net');
    expect(loaded.debtor.assignedAgent!.name).toBe('Ravi');
    expect(loaded.allocations[0]!.payment.reference).toBe('4417');
    expect(loaded.promises[0]!.sourceMessage!.parsed).toEqual({ intent: 'promise', promisedDate: '2026-11-22' });
    expect(loaded.disputes[0]!.status).toBe('open');
    expect(await p.auditEvent.count({ where: { businessId: business.id } })).toBe(1);
    expect((await p.conversation.findUniqueOrThrow({ where: { channel_address: { channel: 'telegram', address: '1001' } } })).state).toEqual({ flow: 'add', step: 'amount' });
    expect((await p.accessToken.findUniqueOrThrow({ where: { token: 'tok_abc' } })).purpose).toBe('debtor_link');
    expect((await p.channelAuthState.findFirstOrThrow()).value).toEqual({ me: { id: '1' } });
    expect((await p.channelLease.findUniqueOrThrow({ where: { name: 'whatsapp' } })).holder).toBe('instance-a');
  });

  it('keeps invoice numbers unique within a business but not across businesses', async () => {
    const p = db.prisma;
    const make = (name: string) => p.business.create({ data: { name, currency: 'OMR', timeZone: 'Asia/Muscat', ladder: [] } });
    const [a, b] = [await make('A'), await make('B')];
    const debtorA = await p.debtor.create({ data: { businessId: a.id, name: 'X', nameKey: 'x' } });
    const debtorB = await p.debtor.create({ data: { businessId: b.id, name: 'X', nameKey: 'x' } });
    const invoice = (businessId: string, debtorId: string) =>
      p.invoice.create({ data: { businessId, debtorId, number: 'INV-1', amountMinor: 40000n, currency: 'OMR', issuedOn: toDbDate('2026-11-01') } });
    await invoice(a.id, debtorA.id);
    await invoice(b.id, debtorB.id);
    await expect(invoice(a.id, debtorA.id)).rejects.toThrow();
  });

  it('refuses a zero or negative invoice amount at the database too', async () => {
    const p = db.prisma;
    const business = await p.business.create({ data: { name: 'C', currency: 'INR', timeZone: 'Asia/Kolkata', ladder: [] } });
    const debtor = await p.debtor.create({ data: { businessId: business.id, name: 'Y', nameKey: 'y' } });
    await expect(
      p.invoice.create({ data: { businessId: business.id, debtorId: debtor.id, number: 'Z-1', amountMinor: 0n, currency: 'INR', issuedOn: toDbDate('2026-11-01') } }),
    ).rejects.toThrow();
  });

  it('stores an inbound message once per channel and provider id', async () => {
    const p = db.prisma;
    const data = { channel: 'telegram', providerMessageId: 'u-77', sender: '42', text: 'hi', receivedAt: new Date('2026-11-21T06:00:00Z') };
    expect((await p.inboundMessage.createMany({ data: [data], skipDuplicates: true })).count).toBe(1);
    expect((await p.inboundMessage.createMany({ data: [data], skipDuplicates: true })).count).toBe(0);
  });
});
