// Debtors' replies, end to end through the console chat on each engine: every intent is understood,
// acted on (promise recorded, claim for the owner to confirm, dispute pausing its invoice, opt-out,
// answers from the books), acknowledged to the debtor and reported to the owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleInbound } from '../../src/bot/conversation.ts';
import { ManualClock } from '../../src/clock.ts';
import { sendDueDigests } from '../../src/scheduler/digest.ts';
import { planReminders } from '../../src/scheduler/plan.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { botLines, chat, ONBOARD, TEST_NOW } from '../support/transcript.ts';

function day(date: Date | null): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

const DEFAULTS = { currency: 'INR', timeZone: 'Asia/Kolkata', language: 'en' as const, country: 'IN' };

describe.each(testEngines)("debtors' replies on $name", (engine) => {
  let db: TestDatabase;
  let businessId: string;

  async function debtorId(name: string): Promise<string> {
    return (await db.prisma.debtor.findFirstOrThrow({ where: { name } })).id;
  }

  async function openPromises(name: string) {
    return db.prisma.paymentPromise.findMany({ where: { debtorId: await debtorId(name), status: 'open' } });
  }

  beforeAll(async () => {
    db = await engine.open();
    await chat(db, [
      ...ONBOARD,
      ...[
        'add Ramesh Traders 12500 due 10 Nov #A-101',
        'add Ramesh Traders 5000 due 15 Nov #A-102',
        'add Gupta Stores 8000 due 1 Nov #G-1',
        'add Verma Kirana 3000 due 5 Nov #V-1',
        'add Verma Kirana 4000 due 12 Nov #V-2',
        'add Iyer Textiles 6000 due 1 Nov #I-1',
        'add Khan Hardware 9000 due 1 Nov #K-1',
        'add Mehta Foods 2000 due 1 Nov #M-1',
        'add Singh Motors 7000 due 1 Nov #S-1',
        'add Das Agencies 1500 due 1 Nov #D-1',
        'add Bose Electricals 2500 due 1 Nov #B-1',
        'add Pillai Stores 3000 due 1 Nov #P-1',
      ].flatMap((line) => [line, 'yes']),
    ]);
    businessId = (await db.prisma.business.findFirstOrThrow()).id;
  });
  afterAll(async () => db?.destroy());

  describe('a promise', () => {
    it('with an amount and a day is recorded, restated to the debtor, and reported to the owner', async () => {
      const transcript = await chat(db, ['/as ramesh', 'will pay 5000 by friday', '/owner']);
      expect(transcript).toContain('bot → Ramesh Traders: Noted: ₹5,000.00 by Fri 27 Nov. Thank you!');
      expect(transcript).toContain(
        'bot → owner: Ramesh Traders promised ₹5,000.00 by Fri 27 Nov:\n  "will pay 5000 by friday"\n  I\'ll hold their reminders until then.',
      );
      const [promise, ...more] = await openPromises('Ramesh Traders');
      expect(more).toHaveLength(0);
      expect(promise).toMatchObject({ amountMinor: 500000n, dateGiven: true });
      expect(day(promise!.promisedOn)).toBe('2026-11-27');
      const source = await db.prisma.inboundMessage.findUniqueOrThrow({ where: { id: promise!.sourceMessageId! } });
      expect(source).toMatchObject({ text: 'will pay 5000 by friday', intent: 'promise', debtorId: await debtorId('Ramesh Traders') });
    });

    it('in Hinglish without an amount is for the full balance, and replaces the earlier promise', async () => {
      const transcript = await chat(db, ['/as ramesh', 'kal tak kar dunga', '/owner']);
      expect(transcript).toContain('bot → Ramesh Traders: Noted: ₹17,500.00 (the full balance) by Sun 22 Nov. Thank you!');
      const open = await openPromises('Ramesh Traders');
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ amountMinor: null });
      expect(day(open[0]!.promisedOn)).toBe('2026-11-22');
      expect(await db.prisma.paymentPromise.count({ where: { debtorId: await debtorId('Ramesh Traders'), status: 'cancelled' } })).toBe(1);
    });

    it('in Devanagari is answered in Hindi', async () => {
      const transcript = await chat(db, ['/as bose', 'शुक्रवार तक दे दूंगा', '/owner']);
      expect(transcript).toMatch(/bot → Bose Electricals: नोट कर लिया: ₹2,500\.00 \(पूरा बकाया\), शुक्र 27 नव.* तक। धन्यवाद!/u);
      // The owner still reads it in their own language.
      expect(transcript).toContain('bot → owner: Bose Electricals promised ₹2,500.00 (the full balance) by Fri 27 Nov:');
    });

    it('without a day asks once for one, holding reminders for a week meanwhile, and takes the answer', async () => {
      const first = await chat(db, ['/as verma', 'will pay soon', '/owner']);
      expect(first).toContain(
        'bot → Verma Kirana: Thank you! By which day will you pay ₹7,000.00 (the full balance)? For example: Friday, 30 Nov, or in 5 days.',
      );
      expect(first).toContain(
        'bot → owner: Verma Kirana promised ₹7,000.00 (the full balance) without a date:\n  "will pay soon"\n  I\'ve asked them for one and will hold reminders until Sat 28 Nov.',
      );
      let [promise] = await openPromises('Verma Kirana');
      expect(promise).toMatchObject({ dateGiven: false });
      expect(day(promise!.promisedOn)).toBe('2026-11-28');

      const second = await chat(db, ['/as verma', 'monday', '/owner']);
      expect(second).toContain('bot → Verma Kirana: Noted: ₹7,000.00 (the full balance) by Mon 23 Nov. Thank you!');
      expect(second).toContain('bot → owner: Verma Kirana promised ₹7,000.00 (the full balance) by Mon 23 Nov:\n  "monday"');
      [promise] = await openPromises('Verma Kirana');
      expect(promise).toMatchObject({ dateGiven: true });
      expect(day(promise!.promisedOn)).toBe('2026-11-23');
    });

    it('without a day asks only once: an answer with no day is read as a message of its own', async () => {
      const transcript = await chat(db, ['/as das', 'will pay soon', 'ok', 'ok', '/owner']);
      expect(transcript.match(/By which day will you pay/g)).toHaveLength(1);
      expect(transcript).toContain("bot → Das Agencies: Thank you for your message. I've passed it to Sharma Distributors; they will get back to you.");
      expect(transcript).toContain('bot → owner: Message from Das Agencies:\n  "ok"');
      const [promise] = await openPromises('Das Agencies');
      expect(promise).toMatchObject({ dateGiven: false });
    });

    it('withdraws the reminders still waiting for approval, and planning drafts none until the date', async () => {
      // Khan's reminder is drafted today (approval mode, to the chat Khan is known on); then Khan promises.
      await chat(db, ['/as khan', '/owner']);
      await planReminders(db, { now: TEST_NOW, businessId });
      const khan = await debtorId('Khan Hardware');
      expect(await db.prisma.outboundMessage.count({ where: { debtorId: khan, kind: 'reminder', status: 'awaiting_approval' } })).toBe(1);
      await chat(db, ['/as khan', 'will pay on 30th', '/owner']);
      const reminders = await db.prisma.outboundMessage.findMany({ where: { debtorId: khan, kind: 'reminder' } });
      expect(reminders.map((r) => [r.status, r.lastError])).toEqual([['cancelled', 'debtor promised to pay']]);
      const tomorrow = new Date(TEST_NOW.getTime() + 86_400_000);
      await planReminders(db, { now: tomorrow, businessId });
      expect(await db.prisma.outboundMessage.count({ where: { debtorId: khan, kind: 'reminder' } })).toBe(1);
    });
  });

  describe('"paid already"', () => {
    it('thanks the debtor and asks the owner to confirm, with buttons', async () => {
      const transcript = await chat(db, ['/as gupta', 'UPI kar diya', '/owner']);
      expect(transcript).toContain(
        "bot → Gupta Stores: Thank you! I've asked Sharma Distributors to confirm your payment of ₹8,000.00. I'll let you know once it's confirmed.",
      );
      expect(transcript).toContain(
        'bot → owner: Gupta Stores says they have paid ₹8,000.00:\n  "UPI kar diya"\n  Did you receive it? Reply "confirm 1" to record the payment, or "reject 1".\n  [1] ✓ Received  [2] ✗ Not received',
      );
      const claim = await db.prisma.paymentClaim.findFirstOrThrow({ where: { debtorId: await debtorId('Gupta Stores') } });
      expect(claim).toMatchObject({ number: 1, status: 'open', amountMinor: null });
    });

    it('lists the claims waiting', async () => {
      const transcript = await chat(db, ['claims']);
      expect(transcript).toContain('bot → owner: 1 payment claim(s) waiting:\n  1. Gupta Stores · ₹8,000.00 · Sat 21 Nov\n  Reply "confirm N" to record one as a payment, or "reject N".');
    });

    it('confirmed by the owner becomes a payment: the invoice closes and the debtor is thanked', async () => {
      const transcript = await chat(db, ['confirm 1']);
      expect(transcript).toContain('bot → owner: Recorded ₹8,000.00 from Gupta Stores');
      expect(transcript).toMatch(/bot → Gupta Stores: .*Thank you/u);
      const gupta = await debtorId('Gupta Stores');
      const payment = await db.prisma.payment.findFirstOrThrow({ where: { debtorId: gupta } });
      expect(payment.amountMinor).toBe(800000n);
      expect(await db.prisma.invoice.findFirstOrThrow({ where: { number: 'G-1' } })).toMatchObject({ status: 'paid' });
      const claim = await db.prisma.paymentClaim.findFirstOrThrow({ where: { debtorId: gupta } });
      expect(claim).toMatchObject({ status: 'confirmed', paymentId: payment.id });
      expect(claim.resolvedBy).not.toBeNull();
    });

    it('rejected by the owner asks the debtor for the reference, and records nothing', async () => {
      const transcript = await chat(db, ['/as singh', 'paid 7000 yesterday', '/owner', 'reject 2', 'confirm 2', 'confirm 99']);
      expect(transcript).toContain('Singh Motors says they have paid ₹7,000.00:');
      expect(transcript).toContain("bot → owner: Okay. I've told Singh Motors you couldn't find the payment and asked for the reference.");
      expect(transcript).toContain(
        'bot → Singh Motors: Sharma Distributors could not find your payment of ₹7,000.00 yet. Please reply with the UPI or bank reference and the date you paid, and they will check again.',
      );
      expect(transcript).toContain('bot → owner: Payment claim 2 was already rejected.');
      expect(transcript).toContain('bot → owner: There is no payment claim 99 waiting. Send "claims" to see the ones that are.');
      expect(await db.prisma.payment.count({ where: { debtorId: await debtorId('Singh Motors') } })).toBe(0);
    });

    it('holds reminders while the owner has not answered, for five days at most', async () => {
      await chat(db, ['/as pillai', 'already paid', '/owner']);
      const pillai = await debtorId('Pillai Stores');
      const reminders = () => db.prisma.outboundMessage.count({ where: { debtorId: pillai, kind: 'reminder' } });
      await planReminders(db, { now: TEST_NOW, businessId });
      await planReminders(db, { now: new Date(TEST_NOW.getTime() + 4 * 86_400_000), businessId });
      expect(await reminders()).toBe(0);
      await planReminders(db, { now: new Date(TEST_NOW.getTime() + 6 * 86_400_000), businessId });
      expect(await reminders()).toBe(1);
    });

    it("waits in the owner's morning digest until answered", async () => {
      await sendDueDigests(db.prisma, { now: TEST_NOW });
      const digest = await db.prisma.outboundMessage.findFirstOrThrow({ where: { kind: 'digest', recipient: 'owner' } });
      expect(digest.body).toContain('1 customer says they paid: confirm or reject it (send "claims").');
    });

    it('is settled by a payment the owner records the usual way', async () => {
      await chat(db, ['/as singh', 'I have sent 7000 by NEFT', '/owner']);
      const singh = await debtorId('Singh Motors');
      expect(await db.prisma.paymentClaim.count({ where: { debtorId: singh, status: 'open' } })).toBe(1);
      await chat(db, ['Singh Motors paid 7000']);
      const claims = await db.prisma.paymentClaim.findMany({ where: { debtorId: singh }, orderBy: { number: 'asc' } });
      expect(claims.map((c) => c.status)).toEqual(['rejected', 'confirmed']);
      expect(claims[1]!.paymentId).not.toBeNull();
    });
  });

  describe('a dispute', () => {
    it('about the only open invoice pauses it and alerts the owner with the words', async () => {
      const transcript = await chat(db, ['/as iyer', 'wrong amount, I ordered only 5000', '/owner']);
      expect(transcript).toContain(
        "bot → Iyer Textiles: Sorry about that. I've stopped reminders for #I-1 and passed your message to Sharma Distributors; they will get back to you.",
      );
      expect(transcript).toContain(
        'bot → owner: Iyer Textiles disputes #I-1:\n  "wrong amount, I ordered only 5000"\n  Reminders for it are paused. When it is sorted out: resolve I-1',
      );
      const disputes = await db.prisma.dispute.findMany({ where: { debtorId: await debtorId('Iyer Textiles') }, include: { invoice: true } });
      expect(disputes.map((d) => [d.invoice?.number, d.status, d.reason])).toEqual([['I-1', 'open', 'wrong amount, I ordered only 5000']]);
    });

    it('that names an invoice pauses that one only', async () => {
      const transcript = await chat(db, ['/as ramesh', 'A-102 is wrong, goods returned', '/owner']);
      expect(transcript).toContain('Ramesh Traders disputes #A-102:');
      const disputes = await db.prisma.dispute.findMany({ where: { debtorId: await debtorId('Ramesh Traders') }, include: { invoice: true } });
      expect(disputes.map((d) => d.invoice?.number)).toEqual(['A-102']);
    });
  });

  describe('a request for a call or more time', () => {
    it('is acknowledged, and the owner gets the request and its time with no claim about their place in the follow-up list', async () => {
      const transcript = await chat(db, ['/as mehta', 'please call me after 6', '/owner', 'follow up']);
      expect(transcript).toContain("bot → Mehta Foods: Thank you. I've asked Sharma Distributors to call you.");
      expect(transcript).toContain('bot → owner: Mehta Foods asks you to call them:\n  "please call me after 6"\n  Please call them back.');
      expect(transcript).not.toContain('top of your follow-up list');
      const list = botLines(transcript.slice(transcript.indexOf('owner> follow up')));
      expect(list).toMatch(/\n?\s*1\. Mehta Foods/u);
    });

    it('for more time is passed to the owner with no claim about their place in the follow-up list', async () => {
      const transcript = await chat(db, ['/as das', 'thoda time do', '/owner']);
      expect(transcript).toContain("bot → Das Agencies: Thank you. I've passed your request to Sharma Distributors; they will get back to you.");
      expect(transcript).toContain('bot → owner: Das Agencies asks for more time:\n  "thoda time do"\n  Please let them know what you decide.');
      expect(transcript).not.toContain('top of your follow-up list');
    });
  });

  describe('a question', () => {
    it('about the balance is answered from the books', async () => {
      const transcript = await chat(db, ['/as verma', 'kitna baaki hai?', '/owner']);
      expect(transcript).toContain(
        'bot → Verma Kirana: You owe Sharma Distributors ₹7,000.00:\n  #V-1 · ₹3,000.00 · due Thu 5 Nov\n  #V-2 · ₹4,000.00 · due Thu 12 Nov\n  Please ask Sharma Distributors how to pay.',
      );
      expect(transcript).not.toContain('bot → owner: Verma Kirana asks');
    });

    it('about how to pay gets the UPI link once the business has a UPI id', async () => {
      const transcript = await chat(db, ['set upi sharma@okhdfc', '/as verma', 'UPI id bhejo', '/owner']);
      expect(transcript).toContain('Pay by UPI: upi://pay?pa=sharma@okhdfc&pn=Sharma%20Distributors&am=7000.00&tn=Invoices%20V-1%2C%20V-2&cu=INR');
    });

    it('the bot cannot answer is passed to the owner', async () => {
      const transcript = await chat(db, ['/as verma', 'do you give discount for early payment?', '/owner']);
      expect(transcript).toContain("bot → Verma Kirana: I've passed your question to Sharma Distributors; they will reply soon.");
      expect(transcript).toContain('bot → owner: Verma Kirana asks:\n  "do you give discount for early payment?"\n  Please reply to them directly.');
    });
  });

  describe('a refusal or anything else', () => {
    it('a refusal is passed to the owner with a polite answer that commits to nothing', async () => {
      const transcript = await chat(db, ['/as bose', 'nahi dunga', '/owner']);
      expect(transcript).toContain("bot → Bose Electricals: Thank you for your message. I've passed it to Sharma Distributors; they will get back to you.");
      expect(transcript).toContain('bot → owner: Bose Electricals says they won\'t pay:\n  "nahi dunga"\n  You may want to call them.');
    });

    it('an emoji is forwarded as a message', async () => {
      const transcript = await chat(db, ['/as bose', '👍', '/owner']);
      expect(transcript).toContain('bot → owner: Message from Bose Electricals:\n  "👍"');
    });
  });

  describe('an opt-out', () => {
    it('is confirmed once, and then nothing more goes to the debtor, until the owner allows it', async () => {
      const transcript = await chat(db, ['/as mehta', 'stop messaging me', 'hello?', '/owner', 'allow Mehta Foods', 'allow Mehta Foods']);
      expect(transcript).toContain(
        "bot → Mehta Foods: Done: you won't get more messages from Sharma Distributors here. For anything else, please contact them directly.",
      );
      expect(transcript.match(/bot → Mehta Foods/g)).toHaveLength(1);
      expect(transcript).toContain('bot → owner: Mehta Foods asked not to get messages:\n  "stop messaging me"');
      expect(transcript).toContain('bot → owner: Message from Mehta Foods:\n  "hello?"');
      expect(transcript).toContain('bot → owner: Mehta Foods can get messages and reminders again.');
      expect(transcript).toContain('bot → owner: Mehta Foods has not asked to stop messages.');
      expect(await db.prisma.debtor.findFirstOrThrow({ where: { name: 'Mehta Foods' } })).toMatchObject({ optedOut: false, optedOutAt: null });
      const actions = (await db.prisma.auditEvent.findMany({ where: { entityId: await debtorId('Mehta Foods') }, orderBy: { seq: 'asc' } })).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['debtor.opted_out', 'debtor.opted_in']));
      const history = await chat(db, ['history Mehta Foods']);
      expect(history).toContain('· Sharma Distributors · messages allowed again');
      expect(history).toContain('· Mehta Foods · asked not to get messages');
    });
  });

  describe('a chat the bot does not know', () => {
    const deps = () => ({ prisma: db.prisma, clock: new ManualClock(TEST_NOW), defaults: DEFAULTS });
    const message = (text: string, id: string) => ({ channel: 'telegram', address: '55501234', providerMessageId: id, text, receivedAt: TEST_NOW, senderName: 'Anil' });

    it('answering like a debtor gets a short polite answer, and the owner gets the message', async () => {
      const result = await handleInbound(deps(), message('will pay tomorrow', 'u-1'));
      expect(result.outgoing.map((o) => [o.recipient, o.body])).toEqual([
        [
          '55501234',
          'Thank you for your message. I don\'t know this chat yet, so I have kept your message for the business it is meant for. To use Paynudge for your own business, send "start".',
        ],
        ['owner', 'A message from a chat I don\'t know (Anil, telegram ••••1234):\n"will pay tomorrow"'],
      ]);
      const inbound = await db.prisma.inboundMessage.findFirstOrThrow({ where: { providerMessageId: 'u-1' } });
      expect(inbound).toMatchObject({ intent: 'promise', businessId, debtorId: null });
      expect(await db.prisma.business.count()).toBe(1);
    });

    it('saying hello is offered onboarding, as a new owner', async () => {
      const result = await handleInbound(deps(), message('hello', 'u-2'));
      expect(result.outgoing[0]!.body).toContain('Welcome to Paynudge!');
    });
  });

  it("tells the agent looking after the debtor as well as the owner, each in their own language", async () => {
    const agent = await db.prisma.member.create({ data: { businessId, role: 'agent', name: 'Ravi', channel: 'telegram', address: 'agent-ravi', language: 'hi' } });
    const das = await debtorId('Das Agencies');
    await db.prisma.debtor.update({ where: { id: das }, data: { assignedAgentId: agent.id } });
    const identity = await db.prisma.debtorIdentity.findFirstOrThrow({ where: { debtorId: das } });
    const result = await handleInbound(
      { prisma: db.prisma, clock: new ManualClock(TEST_NOW), defaults: DEFAULTS },
      { channel: identity.channel, address: identity.address, providerMessageId: 'agent-1', text: 'call me please', receivedAt: TEST_NOW },
    );
    const notices = result.outgoing.filter((o) => o.recipient !== identity.address).map((o) => [o.recipient, o.body.split('\n')[0]]);
    expect(notices).toEqual([
      ['owner', 'Das Agencies asks you to call them:'],
      ['agent-ravi', 'Das Agencies चाहते हैं कि आप उन्हें कॉल करें:'],
    ]);
  });

  it('a redelivered reply is handled once: one promise, one set of answers', async () => {
    const ramesh = await debtorId('Ramesh Traders');
    const identity = await db.prisma.debtorIdentity.findFirstOrThrow({ where: { debtorId: ramesh } });
    const deps = { prisma: db.prisma, clock: new ManualClock(TEST_NOW), defaults: DEFAULTS };
    const message = { channel: identity.channel, address: identity.address, providerMessageId: 'dup-1', text: 'will pay 1000 on 25th', receivedAt: TEST_NOW };
    const first = await handleInbound(deps, message);
    const again = await handleInbound(deps, message);
    expect(first.outgoing.length).toBeGreaterThan(1);
    expect(again).toEqual({ duplicate: true, outgoing: [] });
    expect(await db.prisma.paymentPromise.count({ where: { debtorId: ramesh, amountMinor: 100000n } })).toBe(1);
  });

  describe('replies that were misread (issue 11)', () => {
    beforeAll(async () => {
      await chat(db, [
        ...['add Rao Traders 10000 due 1 Nov #R-1', 'add Nair Mills 4000 due 1 Nov #N-1', 'add Joshi Paper 6000 due 1 Nov #J-1', 'add Kapoor Tiles 3000 due 1 Nov #T-1', 'add Menon Foods 5000 due 1 Nov #F-1'].flatMap(
          (line) => [line, 'yes'],
        ),
      ]);
    });

    it('a day and month already past is not a promise for next year: the debtor is asked which day and reminders are held a week only', async () => {
      const transcript = await chat(db, ['/as rao', 'will pay on 10 Nov', '/owner']);
      expect(transcript).toContain('bot → Rao Traders: Thank you! By which day will you pay ₹10,000.00 (the full balance)?');
      const [promise, ...more] = await openPromises('Rao Traders');
      expect(more).toHaveLength(0);
      expect(promise).toMatchObject({ dateGiven: false });
      expect(day(promise!.promisedOn)).toBe('2026-11-28');
      expect(transcript).not.toContain('2027');
    });

    it('a promised day in another year is shown with its year', async () => {
      const transcript = await chat(db, ['/as rao', 'will pay on 5 Jan', '/owner']);
      expect(transcript).toContain('bot → Rao Traders: Noted: ₹10,000.00 (the full balance) by Tue 5 Jan 2027. Thank you!');
      expect(transcript).toContain('bot → owner: Rao Traders promised ₹10,000.00 (the full balance) by Tue 5 Jan 2027:');
    });

    it('a payment described in the past tense with a time word is a claim for the owner, not a promise', async () => {
      const transcript = await chat(db, ['/as nair', 'maine aaj 4000 GPay kiya', '/owner']);
      expect(transcript).toContain("bot → Nair Mills: Thank you! I've asked Sharma Distributors to confirm your payment of ₹4,000.00.");
      expect(transcript).toContain('bot → owner: Nair Mills says they have paid ₹4,000.00:');
      expect(await openPromises('Nair Mills')).toHaveLength(0);
      expect(await db.prisma.paymentClaim.count({ where: { debtorId: await debtorId('Nair Mills'), amountMinor: 400000n } })).toBe(1);
    });

    it('a question about a discount is passed to the owner and records no promise', async () => {
      const transcript = await chat(db, ['/as joshi', 'can I get 5% discount if I pay today?', '/owner']);
      expect(transcript).toContain('bot → owner: Joshi Paper asks:\n  "can I get 5% discount if I pay today?"');
      expect(transcript).toContain('bot → Joshi Paper: I\'ve passed your question to Sharma Distributors; they will reply soon.');
      expect(await openPromises('Joshi Paper')).toHaveLength(0);
    });

    it('a number in exponent notation or below zero is not the promised amount: the promise is for the full balance', async () => {
      const transcript = await chat(db, ['/as kapoor', 'pay karunga 1e309', '/owner', '/as kapoor', 'tomorrow', '/as kapoor', 'will pay -500 on monday', '/owner']);
      expect(transcript).not.toMatch(/₹309|₹500\.00/u);
      const [promise] = await openPromises('Kapoor Tiles');
      expect(promise).toMatchObject({ amountMinor: null });
      expect(transcript).toContain('bot → Kapoor Tiles: Noted: ₹3,000.00 (the full balance) by Mon 23 Nov. Thank you!');
    });

    it('refusing to pay until the bill is fixed opens a dispute', async () => {
      const transcript = await chat(db, ['/as menon', "I won't pay until you fix the bill", '/owner']);
      expect(transcript).toContain('bot → owner: Menon Foods disputes #F-1:');
      const disputes = await db.prisma.dispute.findMany({ where: { debtorId: await debtorId('Menon Foods') } });
      expect(disputes.map((d) => d.status)).toEqual(['open']);
    });

    it('a part paid now and the rest on a day records a claim for the part and a promise for the rest, and tells the owner both', async () => {
      await chat(db, ['add Kulkarni Steel 35000 due 1 Nov #KS-1', 'yes']);
      const transcript = await chat(db, ['/as kulkarni', '20000 abhi, baaki 25 tareekh ko', '/owner']);
      expect(transcript).toContain(
        "bot → Kulkarni Steel: Noted: ₹20,000.00 paid now, which I've asked Sharma Distributors to confirm, and the remaining ₹15,000.00 by Wed 25 Nov. Thank you!",
      );
      expect(transcript).toMatch(/bot → owner: Kulkarni Steel says they are paying ₹20,000\.00 now and promise the remaining ₹15,000\.00 by Wed 25 Nov:/u);
      const [promise] = await openPromises('Kulkarni Steel');
      expect(promise).toMatchObject({ amountMinor: 1500000n, dateGiven: true });
      expect(day(promise!.promisedOn)).toBe('2026-11-25');
      expect(await db.prisma.paymentClaim.count({ where: { debtorId: await debtorId('Kulkarni Steel'), amountMinor: 2000000n, status: 'open' } })).toBe(1);
    });

    it('"aadha de dunga" is a promise of half the balance', async () => {
      await chat(db, ['add Reddy Glass 9000 due 1 Nov #RG-1', 'yes']);
      const transcript = await chat(db, ['/as reddy', 'aadha de dunga', '/owner']);
      expect(transcript).toContain('bot → Reddy Glass: Thank you! By which day will you pay ₹4,500.00?');
      const [promise] = await openPromises('Reddy Glass');
      expect(promise).toMatchObject({ amountMinor: 450000n });
    });
  });
});
