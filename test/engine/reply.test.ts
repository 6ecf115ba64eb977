import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPartialPayment, REPLY_INTENTS, understandReply, type ReplyUnderstanding } from '../../src/engine/reply.ts';
import {
  ALL_REPLY_CASES,
  CALENDAR_EDGE_CASES,
  CALLBACK_CASES,
  CONTEXT_CASES,
  DEFAULT_NOW,
  DEFAULT_TZ,
  DISPUTE_CASES,
  EXTENSION_CASES,
  LATE_CASES,
  MIXED_CASES,
  OPT_OUT_CASES,
  OTHER_CASES,
  PAID_CASES,
  PROMISE_CASES,
  QUESTION_CASES,
  REFUSE_CASES,
  SHORT_FORM_CASES,
  WORLDWIDE_CASES,
  type ReplyCase,
} from './reply-cases.ts';

function understand(replyCase: Pick<ReplyCase, 'text' | 'now' | 'tz'>): ReplyUnderstanding {
  return understandReply({ text: replyCase.text, now: new Date(replyCase.now ?? DEFAULT_NOW), tz: replyCase.tz ?? DEFAULT_TZ });
}

function pinCases(cases: ReplyCase[]): void {
  it.each(cases.map((replyCase) => [replyCase.text, replyCase] as const))('%j', (_text, replyCase) => {
    expect(understand(replyCase)).toEqual({ intent: replyCase.intent, promisedDate: replyCase.promisedDate, amount: replyCase.amount });
  });
}

describe('understanding a reply, intent by intent', () => {
  describe('promise: commits to pay, with or without a date', () => pinCases(PROMISE_CASES));
  describe('paid: says the payment was already made', () => pinCases(PAID_CASES));
  describe('dispute: contests the bill', () => pinCases(DISPUTE_CASES));
  describe('extension: asks for more time or instalments without naming a date', () => pinCases(EXTENSION_CASES));
  describe('callback: asks to talk', () => pinCases(CALLBACK_CASES));
  describe('opt_out: asks for no more messages', () => pinCases(OPT_OUT_CASES));
  describe('question: asks for details or how to pay', () => pinCases(QUESTION_CASES));
  describe('refuse: refuses to pay', () => pinCases(REFUSE_CASES));
  describe('other: greetings, acknowledgements, anything else', () => pinCases(OTHER_CASES));
  describe('dates follow the business time zone and calendar edges', () => pinCases(CALENDAR_EDGE_CASES));
  describe('mixed phrasings', () => pinCases(MIXED_CASES));
  describe('replies with context around the point', () => pinCases(CONTEXT_CASES));
  describe('US, UK and Gulf debtors in their own zones', () => pinCases(WORLDWIDE_CASES));
  describe('number formats, one-word replies and short forms', () => pinCases(SHORT_FORM_CASES));
  describe('sample-like replies', () => pinCases(LATE_CASES));
});

describe('the rules of the contract', () => {
  const wednesday = { now: DEFAULT_NOW, tz: DEFAULT_TZ };

  it('a dated commitment to pay wins over a payment already made', () => {
    expect(understand({ ...wednesday, text: 'paid half, rest on friday' })).toEqual({ intent: 'promise', promisedDate: '2026-11-20', amount: null });
  });

  it('a dated commitment to pay wins over a dispute, an opt-out and a call request', () => {
    expect(understand({ ...wednesday, text: 'amount is wrong, but will pay 4000 on monday' }).intent).toBe('promise');
    expect(understand({ ...wednesday, text: 'stop messaging, will pay on 25th' }).promisedDate).toBe('2026-11-25');
    expect(understand({ ...wednesday, text: 'call me tomorrow, payment on friday' }).promisedDate).toBe('2026-11-20');
  });

  it('a date in a refused or negated clause is not the promised date', () => {
    expect(understand({ ...wednesday, text: "can't pay tomorrow, will pay monday" }).promisedDate).toBe('2026-11-23');
    expect(understand({ ...wednesday, text: 'kal nahi, parso pakka' }).promisedDate).toBe('2026-11-20');
    expect(understand({ ...wednesday, text: 'not today, tomorrow' }).promisedDate).toBe('2026-11-19');
  });

  it('a date that belongs to a call or a past payment does not make a promise', () => {
    expect(understand({ ...wednesday, text: 'call me tomorrow' }).intent).toBe('callback');
    expect(understand({ ...wednesday, text: 'sent on Monday' }).intent).toBe('paid');
    expect(understand({ ...wednesday, text: 'kal hi bhej diya tha' }).intent).toBe('paid');
  });

  it('a promise with no date keeps promisedDate null', () => {
    expect(understand({ ...wednesday, text: 'will pay soon' })).toEqual({ intent: 'promise', promisedDate: null, amount: null });
    expect(understand({ ...wednesday, text: 'salary aate hi de dunga' }).promisedDate).toBeNull();
  });

  it('an amount is reported only for a promise or a payment, never an invoice number or a disputed figure', () => {
    expect(understand({ ...wednesday, text: 'Invoice 1045 - will clear by 12th' }).amount).toBeNull();
    expect(understand({ ...wednesday, text: 'bill is 5000 but we ordered only 3000 worth, wrong amount' })).toEqual({
      intent: 'dispute',
      promisedDate: null,
      amount: null,
    });
    expect(understand({ ...wednesday, text: 'how much, 5000?' }).amount).toBeNull();
    expect(understand({ ...wednesday, text: 'paid 5000' }).amount).toBe(5000);
    expect(understand({ ...wednesday, text: '5000 on friday' }).amount).toBe(5000);
  });

  it('the amount of a promise is the amount promised, not the part already paid', () => {
    expect(understand({ ...wednesday, text: 'paid 5000 today, balance 3000 on saturday' }).amount).toBe(3000);
    expect(understand({ ...wednesday, text: 'paid 5000 today, rest on saturday' }).amount).toBeNull();
  });

  it('case, emoji and repeated letters do not change the meaning', () => {
    expect(understand({ ...wednesday, text: 'WILL PAY TOMORROW 🙏🙏' }).promisedDate).toBe('2026-11-19');
    expect(understand({ ...wednesday, text: 'pleeeease give me time' }).intent).toBe('extension');
    expect(understand({ ...wednesday, text: '   ' })).toEqual({ intent: 'other', promisedDate: null, amount: null });
  });

  it('every case file intent is one of the nine intents', () => {
    for (const replyCase of ALL_REPLY_CASES) expect(REPLY_INTENTS).toContain(replyCase.intent);
    expect(new Set(ALL_REPLY_CASES.map((replyCase) => replyCase.intent)).size).toBe(9);
  });
});

interface SampleRow {
  id: string;
  text: string;
  now: string;
  tz: string;
  intent: string;
  promisedDate: string | null;
  amount: number | null;
}

describe('the shared sample', () => {
  it('is understood at 95% or better on intent, date and amount', () => {
    const samplePath = resolve(import.meta.dirname, '../../../shared/spec/replies-sample.jsonl');
    const rows = readFileSync(samplePath, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as SampleRow);
    expect(rows.length).toBeGreaterThanOrEqual(60);
    let intentHits = 0;
    let dateHits = 0;
    let amountHits = 0;
    for (const row of rows) {
      const got = understand(row);
      intentHits += Number(got.intent === row.intent);
      dateHits += Number(got.promisedDate === row.promisedDate);
      amountHits += Number(got.amount === row.amount);
    }
    expect(intentHits / rows.length).toBeGreaterThanOrEqual(0.95);
    expect(dateHits / rows.length).toBeGreaterThanOrEqual(0.95);
    expect(amountHits / rows.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe('issue 11: replies that were misread', () => {
  const december4 = { now: '2026-12-04T10:00:00+05:30', tz: DEFAULT_TZ };

  it('a day and month already past gives no promised date rather than one next year', () => {
    expect(understand({ ...december4, text: 'will pay on 30/11' })).toEqual({ intent: 'promise', promisedDate: null, amount: null });
    expect(understand({ ...december4, text: 'will pay on 30 Nov' })).toEqual({ intent: 'promise', promisedDate: null, amount: null });
  });

  it('a day and month more than 120 days ahead gives no promised date', () => {
    expect(understand({ ...december4, text: 'will pay on 10 Apr' }).promisedDate).toBeNull();
    expect(understand({ ...december4, text: 'will pay on 1 Apr' }).promisedDate).toBe('2027-04-01');
  });

  it('a January date named in December is next January', () => {
    expect(understand({ ...december4, text: 'will pay on 5 Jan' }).promisedDate).toBe('2027-01-05');
  });

  it('a payment means in the past tense with a time word is a payment claim, not a promise', () => {
    expect(understand({ ...december4, text: 'maine aaj 10550 GPay kiya' })).toEqual({ intent: 'paid', promisedDate: null, amount: 10550 });
    expect(understand({ ...december4, text: 'kal UPI kiya tha' }).intent).toBe('paid');
  });

  it('a question about a discount is a question, even when it mentions paying today', () => {
    expect(understand({ ...december4, text: 'can I get 5% discount if I pay today?' })).toEqual({ intent: 'question', promisedDate: null, amount: null });
  });

  it('exponent notation and negative numbers are not amounts', () => {
    expect(understand({ ...december4, text: 'pay karunga 1e309' }).amount).toBeNull();
    expect(understand({ ...december4, text: 'will pay -500' }).amount).toBeNull();
    expect(understand({ ...december4, text: 'will pay 500' }).amount).toBe(500);
  });

  it('refusing to pay until the bill is fixed is a dispute', () => {
    expect(understand({ ...december4, text: "I won't pay until you fix the bill" }).intent).toBe('dispute');
    expect(understand({ ...december4, text: "I won't pay" }).intent).toBe('refuse');
  });
});

describe('a reply that pays part now and the rest later', () => {
  it('the amount before the rest clause is the part paid now', () => {
    expect(readPartialPayment('20000 abhi, baaki 15 tareekh ko', '2026-12-04')).toEqual({ partPaid: 20000, share: null });
    expect(readPartialPayment('paid 10000, rest on friday', '2026-12-04')).toEqual({ partPaid: 10000, share: null });
  });

  it('"aadha de dunga" is a promise of half the balance', () => {
    expect(readPartialPayment('aadha de dunga', '2026-12-04')).toEqual({ partPaid: null, share: 0.5 });
  });

  it('a promise of one amount is not a split', () => {
    expect(readPartialPayment('will pay 5000 by friday', '2026-12-04')).toBeNull();
  });
});
