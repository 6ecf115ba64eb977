import { describe, expect, it } from 'vitest';
import { addDays, formatDay } from '../../src/engine/calendar.ts';
import { DEFAULT_LADDER } from '../../src/engine/ladder.ts';
import {
  TEMPLATE_PLACEHOLDERS,
  renderApprovalRequest,
  renderDigest,
  renderPromiseBroken,
  renderReminder,
  renderSendFailed,
  renderThanks,
  upiLink,
  validateTemplate,
  type DigestInput,
  type ReminderBusiness,
  type ReminderInput,
} from '../../src/engine/reminder-text.ts';

const SHARMA: ReminderBusiness = {
  name: 'Sharma Distributors',
  currency: 'INR',
  country: 'IN',
  upiId: 'sharma@okhdfcbank',
  paymentDetails: null,
};
const AL_NOOR: ReminderBusiness = {
  name: 'Al Noor Trading',
  currency: 'OMR',
  country: 'OM',
  upiId: null,
  paymentDetails: 'Bank Muscat, a/c 0123-456789-001',
};
const DUE = '2026-11-30'; // a Monday
/** Intl keeps a currency code and its number together with a no-break space: "OMR 40.000". */
const NBSP = '\u00a0';

function reminder(overrides: Partial<ReminderInput> = {}): string {
  return renderReminder({
    stage: 'polite',
    tone: 'polite',
    language: 'en',
    business: SHARMA,
    debtorName: 'Ramesh Traders',
    invoices: [{ number: 'A-102', balanceMinor: 1_250_000, dueOn: DUE }],
    today: addDays(DUE, 3),
    ...overrides,
  }).text;
}

describe('UPI payment link', () => {
  it('builds the exact upi://pay link with the amount in rupees and two decimals', () => {
    expect(upiLink({ upiId: 'sharma@okhdfcbank', payeeName: 'Sharma Distributors', amountMinor: 1_250_000, currency: 'INR', note: 'Invoice A-102' })).toBe(
      'upi://pay?pa=sharma@okhdfcbank&pn=Sharma%20Distributors&am=12500.00&tn=Invoice%20A-102&cu=INR',
    );
  });

  it('keeps paise exact without floating-point noise', () => {
    expect(upiLink({ upiId: 'a@upi', payeeName: 'A', amountMinor: 1_250_050, currency: 'INR', note: 'x' })).toContain('&am=12500.50&');
    expect(upiLink({ upiId: 'a@upi', payeeName: 'A', amountMinor: 5, currency: 'INR', note: 'x' })).toContain('&am=0.05&');
    expect(upiLink({ upiId: 'a@upi', payeeName: 'A', amountMinor: 1_999, currency: 'INR', note: 'x' })).toContain('&am=19.99&');
  });

  it('percent-encodes names and notes so &, =, #, spaces and Hindi cannot break the query', () => {
    const link = upiLink({ upiId: 'gupta.sons@oksbi', payeeName: 'Gupta & Sons #1', amountMinor: 100_000, currency: 'INR', note: 'बिल A=1?' });
    expect(link).toBe('upi://pay?pa=gupta.sons@oksbi&pn=Gupta%20%26%20Sons%20%231&am=1000.00&tn=%E0%A4%AC%E0%A4%BF%E0%A4%B2%20A%3D1%3F&cu=INR');
    const params = new URL(link!).searchParams;
    expect(params.get('pn')).toBe('Gupta & Sons #1');
    expect(params.get('tn')).toBe('बिल A=1?');
    expect([...params.keys()]).toEqual(['pa', 'pn', 'am', 'tn', 'cu']);
  });

  it('is only made for rupees: other currencies, a blank UPI id or a zero amount give null', () => {
    expect(upiLink({ upiId: 'a@upi', payeeName: 'A', amountMinor: 40_000, currency: 'OMR', note: 'x' })).toBeNull();
    expect(upiLink({ upiId: '  ', payeeName: 'A', amountMinor: 100, currency: 'INR', note: 'x' })).toBeNull();
    expect(upiLink({ upiId: 'a@upi', payeeName: 'A', amountMinor: 0, currency: 'INR', note: 'x' })).toBeNull();
  });
});

describe('a reminder at each stage', () => {
  for (const language of ['en', 'hi'] as const) {
    for (const step of DEFAULT_LADDER) {
      it(`${step.stage} in ${language} names the business, invoice, amount, due date and UPI link, and invites a reply`, () => {
        const text = reminder({ stage: step.stage, tone: step.tone, language, today: addDays(DUE, step.offsetDays) });
        expect(text).toContain('Ramesh Traders');
        expect(text).toContain('Sharma Distributors');
        expect(text).toContain('#A-102');
        expect(text).toContain('₹12,500.00');
        expect(text).toContain(formatDay(DUE, language));
        expect(text).toContain('upi://pay?pa=sharma@okhdfcbank&pn=Sharma%20Distributors&am=12500.00&tn=Invoice%20A-102&cu=INR');
        expect(text).toContain("'paid'");
        expect(text.length).toBeLessThan(500);
        expect(text).not.toMatch(/legal|court|police|lawyer|वकील|कोर्ट|पुलिस|कानूनी/i);
      });
    }
  }

  it('the heads-up says in how many days the invoice is due', () => {
    expect(reminder({ stage: 'heads_up', tone: 'friendly', today: addDays(DUE, -3) })).toContain('is due on Mon 30 Nov, in 3 days');
    expect(reminder({ stage: 'heads_up', tone: 'friendly', today: addDays(DUE, -3), language: 'hi' })).toContain('(3 दिन बाद)');
  });

  it('the due-today reminder says it is due today', () => {
    expect(reminder({ stage: 'due_today', tone: 'friendly', today: DUE })).toContain('is due today, Mon 30 Nov');
    expect(reminder({ stage: 'due_today', tone: 'friendly', today: DUE, language: 'hi' })).toContain('आज, सोम 30 नव॰ को देय है');
  });

  it('the polite reminder is a gentle nudge that counts the days overdue', () => {
    const text = reminder({ stage: 'polite', tone: 'polite', today: addDays(DUE, 3) });
    expect(text).toContain('gentle reminder');
    expect(text).toContain('3 days overdue');
  });

  it('the firm reminder asks for the date they will pay', () => {
    expect(reminder({ stage: 'firm', tone: 'firm', today: addDays(DUE, 7) })).toContain('tell us the exact date you will');
    expect(reminder({ stage: 'firm', tone: 'firm', today: addDays(DUE, 7), language: 'hi' })).toContain('किस तारीख़ को भुगतान करेंगे');
  });

  it('the firmer reminder mentions that further credit and supplies may be put on hold', () => {
    expect(reminder({ stage: 'firmer', tone: 'firmer', today: addDays(DUE, 15) })).toContain('further credit and supplies on hold');
    expect(reminder({ stage: 'firmer', tone: 'firmer', today: addDays(DUE, 15), language: 'hi' })).toContain('आगे का उधार और माल की सप्लाई');
  });

  it('the final reminder says it is the final notice before escalation, and stays polite', () => {
    const en = reminder({ stage: 'final', tone: 'final', today: addDays(DUE, 30) });
    expect(en).toContain('final notice before the matter is escalated');
    expect(en).toContain('30 days overdue');
    expect(en).toContain('Thank you');
    const hi = reminder({ stage: 'final', tone: 'final', today: addDays(DUE, 30), language: 'hi' });
    expect(hi).toContain('अंतिम सूचना');
    expect(hi).toContain('धन्यवाद');
  });

  it('the timing follows the dates, so a bumped reminder before the due date never says overdue', () => {
    const text = reminder({ stage: 'due_today', tone: 'friendly', today: addDays(DUE, -2) });
    expect(text).toContain('in 2 days');
    expect(text).not.toContain('overdue');
  });

  it('without a UPI id the payment details are given', () => {
    const text = reminder({ business: { ...SHARMA, upiId: null, paymentDetails: 'HDFC a/c 50100012345, IFSC HDFC0000123' } });
    expect(text).toContain('Payment details: HDFC a/c 50100012345, IFSC HDFC0000123');
    expect(text).not.toContain('upi://');
  });

  it('with neither UPI nor payment details, the debtor is asked to reply to arrange payment', () => {
    expect(reminder({ business: { ...SHARMA, upiId: null } })).toContain('Reply to this message to arrange payment.');
    expect(reminder({ business: { ...SHARMA, upiId: null }, language: 'hi' })).toContain('भुगतान की व्यवस्था के लिए इस संदेश का जवाब दें।');
  });

  it('a UPI id on a non-rupee business is not used; the payment details are', () => {
    const text = reminder({ business: { ...AL_NOOR, upiId: 'noor@upi' }, invoices: [{ number: 'M-7', balanceMinor: 40_000, dueOn: DUE }] });
    expect(text).not.toContain('upi://');
    expect(text).toContain('Payment details: Bank Muscat, a/c 0123-456789-001');
  });

  it('Omani rials are shown with three decimals in English and Hindi', () => {
    const invoices = [{ number: 'M-7', balanceMinor: 40_000, dueOn: DUE }];
    expect(reminder({ business: AL_NOOR, invoices })).toContain(`invoice #M-7 for OMR${NBSP}40.000`);
    expect(reminder({ business: AL_NOOR, invoices, language: 'hi' })).toContain(`बिल #M-7 (OMR${NBSP}40.000)`);
  });
});

describe('one reminder for several invoices', () => {
  const invoices = [
    { number: 'A-118', balanceMinor: 500_000, dueOn: '2026-12-01' },
    { number: 'A-102', balanceMinor: 1_250_000, dueOn: '2026-11-20' },
  ];

  it('lists each invoice oldest first with balance and due date, then the total', () => {
    const text = reminder({ stage: 'firm', tone: 'firm', invoices, today: '2026-12-03' });
    const lines = text.split('\n');
    expect(lines).toContain('• #A-102 · ₹12,500.00 · due Fri 20 Nov (13 days overdue)');
    expect(lines).toContain('• #A-118 · ₹5,000.00 · due Tue 1 Dec (2 days overdue)');
    expect(lines.indexOf('• #A-102 · ₹12,500.00 · due Fri 20 Nov (13 days overdue)')).toBeLessThan(lines.indexOf('• #A-118 · ₹5,000.00 · due Tue 1 Dec (2 days overdue)'));
    expect(lines).toContain('Total: ₹17,500.00');
    expect(text).toContain('Please pay them now');
  });

  it('the UPI link asks for the total and names every invoice', () => {
    const text = reminder({ invoices, today: '2026-12-03' });
    expect(text).toContain('&am=17500.00&tn=Invoices%20A-102%2C%20A-118&cu=INR');
  });

  it('in Hindi the list and total are in Hindi with the same amounts', () => {
    const text = reminder({ invoices, today: '2026-12-03', language: 'hi' });
    expect(text).toContain('• #A-102 · ₹12,500.00 · देय शुक्र 20 नव॰ (13 दिन से बकाया)');
    expect(text).toContain('कुल: ₹17,500.00');
  });

  it('a long list shows the first eight and how many more, while the total covers them all', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ number: `B-${10 + i}`, balanceMinor: 100_000, dueOn: addDays('2026-10-01', i) }));
    const text = reminder({ invoices: many, today: '2026-12-03' });
    expect(text.split('\n').filter((line) => line.startsWith('• #B-'))).toHaveLength(8);
    expect(text).toContain('…and 3 more');
    expect(text).toContain('Total: ₹11,000.00');
  });

  it('a bill not yet due is listed apart as coming up; the total and the UPI link ask only for what is due', () => {
    const mixed = [
      { number: 'A-102', balanceMinor: 1_250_000, dueOn: '2026-11-01' },
      { number: 'A-130', balanceMinor: 250_000, dueOn: '2026-12-06' },
    ];
    const text = reminder({ stage: 'final', tone: 'final', invoices: mixed, today: '2026-12-03' });
    expect(text.split('\n')).toEqual([
      'Hello Ramesh Traders, this is Sharma Distributors.',
      "This is our final notice before the matter is escalated: invoice #A-102 for ₹12,500.00 was due on Sun 1 Nov and is 32 days overdue. Please pay or contact us now; we'd much rather settle this with you directly.",
      'Coming up, not due yet:',
      '• #A-130 · ₹2,500.00 · due Sun 6 Dec (in 3 days)',
      'Pay by UPI to sharma@okhdfcbank: upi://pay?pa=sharma@okhdfcbank&pn=Sharma%20Distributors&am=12500.00&tn=Invoice%20A-102&cu=INR',
      "Reply with a date you'll pay, or 'paid' if you already have. Thank you!",
    ]);
  });

  it('in Hindi a bill not yet due is listed apart as coming up too', () => {
    const mixed = [
      { number: 'A-102', balanceMinor: 1_250_000, dueOn: '2026-11-01' },
      { number: 'A-118', balanceMinor: 500_000, dueOn: '2026-11-20' },
      { number: 'A-130', balanceMinor: 250_000, dueOn: '2026-12-06' },
    ];
    const text = reminder({ stage: 'firm', tone: 'firm', invoices: mixed, today: '2026-12-03', language: 'hi' });
    expect(text).toContain('कुल: ₹17,500.00\n');
    expect(text).toContain('आने वाला बिल, अभी देय नहीं:\n• #A-130 · ₹2,500.00 · देय रवि 6 दिस॰ (3 दिन बाद)');
  });

  it('a reminder without invoices is a programming error', () => {
    expect(() => reminder({ invoices: [] })).toThrow(RangeError);
  });
});

describe('custom templates', () => {
  it('fills every placeholder instead of the built-in text', () => {
    const text = reminder({
      custom: 'Namaste {customer}, {business} here. {invoices}: {amount}, due {due}. Pay: {pay}',
      invoices: [
        { number: 'A-102', balanceMinor: 1_250_000, dueOn: DUE },
        { number: 'A-118', balanceMinor: 500_000, dueOn: '2026-12-05' },
      ],
    });
    expect(text).toBe(
      'Namaste Ramesh Traders, Sharma Distributors here. #A-102, #A-118: ₹17,500.00, due Mon 30 Nov. Pay: upi://pay?pa=sharma@okhdfcbank&pn=Sharma%20Distributors&am=17500.00&tn=Invoices%20A-102%2C%20A-118&cu=INR',
    );
  });

  it('forgives capitals and spaces inside the braces', () => {
    expect(reminder({ custom: 'Dear { Customer }, {AMOUNT} please.' })).toBe('Dear Ramesh Traders, ₹12,500.00 please.');
  });

  it('{pay} is the payment details, or the reply-to-arrange sentence in the reminder language', () => {
    expect(reminder({ custom: 'Pay: {pay}', business: AL_NOOR, invoices: [{ number: 'M-7', balanceMinor: 40_000, dueOn: DUE }] })).toBe(
      'Pay: Bank Muscat, a/c 0123-456789-001',
    );
    expect(reminder({ custom: '{pay}', business: { ...SHARMA, upiId: null }, language: 'hi' })).toBe('भुगतान की व्यवस्था के लिए इस संदेश का जवाब दें।');
  });

  it('a blank or invalid template falls back to the built-in reminder rather than sending a broken one', () => {
    const builtIn = reminder();
    expect(reminder({ custom: '   ' })).toBe(builtIn);
    expect(reminder({ custom: null })).toBe(builtIn);
    expect(reminder({ custom: 'Hi {name}, pay {amount}' })).toBe(builtIn);
  });

  it('a template with known placeholders is valid', () => {
    expect(validateTemplate('Hi {customer}, {amount} for {invoices} was due {due}. {pay} — {business}')).toEqual({ ok: true });
    expect(validateTemplate('No placeholders at all.')).toEqual({ ok: true });
  });

  it('an unknown placeholder is refused, listing it and the valid ones', () => {
    expect(validateTemplate('Hi {name}, pay {amount} by {date}')).toEqual({ ok: false, unknown: ['name', 'date'], valid: [...TEMPLATE_PLACEHOLDERS] });
    expect(TEMPLATE_PLACEHOLDERS).toEqual(['customer', 'business', 'amount', 'invoices', 'due', 'pay']);
  });

  it('unbalanced braces are refused, showing where', () => {
    expect(validateTemplate('Hi {customer, pay now')).toMatchObject({ ok: false, unknown: ['{customer, pay now'] });
    expect(validateTemplate('Pay {amount}} now')).toMatchObject({ ok: false, unknown: ['}'] });
    expect(validateTemplate('Pay {amount {due}')).toMatchObject({ ok: false, unknown: ['{amount'] });
    expect(validateTemplate('Pay {} now')).toMatchObject({ ok: false, unknown: ['{}'] });
  });
});

describe('thank-you note', () => {
  it('thanks the debtor for paying one invoice in full', () => {
    const text = renderThanks({ language: 'en', business: SHARMA, debtorName: 'Ramesh Traders', invoices: [{ number: 'A-102', amountMinor: 1_250_000 }] }).text;
    expect(text).toBe("Thank you, Ramesh Traders! We've received your payment of ₹12,500.00 for invoice #A-102 in full. We appreciate it.\n— Sharma Distributors");
  });

  it('names every invoice and the total when several were paid, in Hindi too', () => {
    const invoices = [
      { number: 'A-102', amountMinor: 1_250_000 },
      { number: 'A-118', amountMinor: 500_000 },
    ];
    expect(renderThanks({ language: 'en', business: SHARMA, debtorName: 'Ramesh Traders', invoices }).text).toContain('₹17,500.00 for invoices #A-102, #A-118 in full');
    const hi = renderThanks({ language: 'hi', business: SHARMA, debtorName: 'Ramesh Traders', invoices }).text;
    expect(hi).toContain('धन्यवाद, Ramesh Traders!');
    expect(hi).toContain('बिल #A-102, #A-118 का पूरा भुगतान (₹17,500.00) मिल गया है');
  });

  it('says an invoice paid wholly from credit was paid from their credit, and what credit is left, in English and Hindi', () => {
    const input = { business: SHARMA, debtorName: 'Ramesh Traders', invoices: [{ number: 'INV-0004', amountMinor: 500_000 }], fromCreditMinor: 500_000, creditLeftMinor: 7_360_000 };
    expect(renderThanks({ ...input, language: 'en' }).text).toBe(
      'Thank you, Ramesh Traders! Invoice #INV-0004 (₹5,000.00) is now paid in full from your credit with us. You still have ₹73,600.00 of credit. We appreciate it.\n— Sharma Distributors',
    );
    expect(renderThanks({ ...input, language: 'hi' }).text).toBe(
      'धन्यवाद, Ramesh Traders! बिल #INV-0004 (₹5,000.00) का पूरा भुगतान हमारे पास जमा आपके क्रेडिट से हो गया है। आपका ₹73,600.00 क्रेडिट अभी बाकी है। आपका बहुत आभार।\n— Sharma Distributors',
    );
  });

  it('names the part that came from credit when a payment and credit together paid the invoices, with no credit left', () => {
    const invoices = [
      { number: 'A-102', amountMinor: 1_250_000 },
      { number: 'A-118', amountMinor: 500_000 },
    ];
    const text = renderThanks({ language: 'en', business: SHARMA, debtorName: 'Ramesh Traders', invoices, fromCreditMinor: 200_000, creditLeftMinor: 0 }).text;
    expect(text).toBe('Thank you, Ramesh Traders! Invoices #A-102, #A-118 (₹17,500.00) are now paid in full, ₹2,000.00 of it from your credit with us. We appreciate it.\n— Sharma Distributors');
  });
});

describe('approval request', () => {
  const names = ['Ramesh Traders', 'Gupta Stores', 'Patel Clinic', 'Verma & Sons', 'Shah Agencies', 'Khan Traders'];
  const stages = ['polite', 'firm', 'heads_up', 'due_today', 'firmer', 'final'] as const;
  const items = names.map((debtorName, i) => ({ index: i + 1, debtorName, stage: stages[i]!, amountMinor: (i + 1) * 250_000, invoiceCount: i === 1 ? 3 : 1 }));

  it('lists each reminder with its stage and amount, and shows the replies that work', () => {
    expect(renderApprovalRequest({ language: 'en', items, currency: 'INR', locale: 'en-IN' }).text).toBe(
      [
        '6 reminders ready:',
        '1. Ramesh Traders · polite · ₹2,500.00',
        '2. Gupta Stores · firm · ₹5,000.00 (3 invoices)',
        '3. Patel Clinic · heads-up · ₹7,500.00',
        '4. Verma & Sons · due today · ₹10,000.00',
        '5. Shah Agencies · firmer · ₹12,500.00',
        '6. Khan Traders · final · ₹15,000.00',
        'Reply: approve all · approve 1 3 · skip 2 · snooze 4 2d · edit 6 <text> · show 3',
      ].join('\n'),
    );
  });

  it('with a single reminder, every example reply names that reminder', () => {
    const text = renderApprovalRequest({ language: 'en', items: [items[0]!], currency: 'INR', locale: 'en-IN' }).text;
    expect(text).toBe('1 reminder ready:\n1. Ramesh Traders · polite · ₹2,500.00\nReply: approve all · approve 1 · skip 1 · snooze 1 2d · edit 1 <text> · show 1');
    expect(renderApprovalRequest({ language: 'hi', items: [items[0]!], currency: 'INR', locale: 'hi-IN' }).text).toMatch(/^1 रिमाइंडर तैयार है:/);
  });

  it('in Hindi, stages are in Hindi and the commands stay as typed', () => {
    const text = renderApprovalRequest({ language: 'hi', items, currency: 'INR', locale: 'hi-IN' }).text;
    expect(text).toContain('6 रिमाइंडर तैयार हैं:');
    expect(text).toContain('1. Ramesh Traders · विनम्र · ₹2,500.00');
    expect(text).toContain('2. Gupta Stores · सख़्त · ₹5,000.00 (3 बिल)');
    expect(text).toContain('approve all · approve 1 3 · skip 2 · snooze 4 2d');
  });

  it('an empty list says nothing is waiting', () => {
    expect(renderApprovalRequest({ language: 'en', items: [], currency: 'INR', locale: 'en-IN' }).text).toBe('No reminders are waiting for your approval.');
    expect(renderApprovalRequest({ language: 'hi', items: [], currency: 'INR', locale: 'hi-IN' }).text).toBe('मंज़ूरी के लिए कोई रिमाइंडर नहीं है।');
  });
});

describe('morning digest', () => {
  const empty: DigestInput = {
    language: 'en',
    businessName: 'Sharma Distributors',
    today: '2026-12-01',
    currency: 'INR',
    locale: 'en-IN',
    expectedThisWeekMinor: 0,
    overdueByBucket: [],
    followUps: [],
    promisesDueToday: [],
    promisesBrokenYesterday: [],
    receivedYesterday: [],
    awaitingApproval: 0,
    claimsWaiting: 0,
    remindersSentYesterday: 0,
  };
  const full: DigestInput = {
    ...empty,
    expectedThisWeekMinor: 4_500_000,
    overdueByBucket: [
      { label: '1–30 days', amountMinor: 2_000_000 },
      { label: '31–60 days', amountMinor: 0 },
      { label: '61–90 days', amountMinor: 500_000 },
    ],
    followUps: [{ name: 'Ramesh Traders', overdueMinor: 1_250_000, why: 'promise of Mon 30 Nov missed' }],
    promisesDueToday: [
      { name: 'Gupta Stores', amountMinor: 500_000, owedMinor: 900_000 },
      { name: 'Patel Clinic', amountMinor: null, owedMinor: 300_000 },
    ],
    promisesBrokenYesterday: [{ name: 'Verma & Sons' }],
    receivedYesterday: [
      { name: 'Shah Agencies', amountMinor: 800_000 },
      { name: 'Khan Traders', amountMinor: 200_000 },
    ],
    awaitingApproval: 3,
    claimsWaiting: 2,
    remindersSentYesterday: 1,
    unreachable: { names: ['Plain Traders', 'Quiet Stores'], total: 2 },
  };

  it('shows every section that has something, with totals, one line after another', () => {
    expect(renderDigest(full).text).toBe(
      [
        'Good morning! Sharma Distributors · Tue 1 Dec',
        'Expected this week: ₹45,000.00',
        'Overdue: ₹25,000.00',
        '• 1–30 days: ₹20,000.00',
        '• 61–90 days: ₹5,000.00',
        'Follow up today:',
        '1. Ramesh Traders — ₹12,500.00 overdue · promise of Mon 30 Nov missed',
        "Can't reach 2 customers (no chat yet): send each their link:",
        '• link Plain Traders',
        '• link Quiet Stores',
        'Promises due today:',
        '• Gupta Stores — ₹5,000.00',
        '• Patel Clinic — ₹3,000.00 owed',
        'Promises broken yesterday:',
        '• Verma & Sons',
        'Received yesterday: ₹10,000.00',
        '• Shah Agencies — ₹8,000.00',
        '• Khan Traders — ₹2,000.00',
        '2 customers say they paid: confirm or reject each (send "claims").',
        '3 reminders are waiting for your approval.',
        '1 reminder was sent yesterday.',
      ].join('\n'),
    );
  });

  it('skips empty sections', () => {
    const text = renderDigest({ ...empty, receivedYesterday: [{ name: 'Shah Agencies', amountMinor: 800_000 }] }).text;
    expect(text).toBe('Good morning! Sharma Distributors · Tue 1 Dec\nReceived yesterday: ₹8,000.00\n• Shah Agencies — ₹8,000.00');
  });

  it('names one customer no chat can reach with the command that sends their link, in English and Hindi', () => {
    const one = { ...empty, unreachable: { names: ['Plain Traders'], total: 1 } };
    expect(renderDigest(one).text).toBe("Good morning! Sharma Distributors · Tue 1 Dec\nCan't reach Plain Traders (no chat yet): send them their link: link Plain Traders");
    expect(renderDigest({ ...one, language: 'hi', locale: 'hi-IN' }).text).toContain(
      'Plain Traders तक रिमाइंडर नहीं पहुँच सकता (अभी कोई चैट नहीं): उन्हें उनका लिंक भेजें: link Plain Traders',
    );
  });

  it('names at most five customers no chat can reach, then how many more', () => {
    const names = ['A1 Traders', 'B2 Traders', 'C3 Traders', 'D4 Traders', 'E5 Traders'];
    const text = renderDigest({ ...empty, unreachable: { names, total: 8 } }).text;
    expect(text).toContain("Can't reach 8 customers (no chat yet): send each their link:\n• link A1 Traders");
    expect(text).toContain('• link E5 Traders\n…and 3 more');
  });

  it('a promise without an amount shows what the customer owes, and one with nothing owed only the name', () => {
    const text = renderDigest({ ...empty, promisesDueToday: [{ name: 'Patel Clinic', amountMinor: null, owedMinor: 0 }, { name: 'Shah Agencies', amountMinor: null, owedMinor: 250_000 }] }).text;
    expect(text).toContain('Promises due today:\n• Patel Clinic\n• Shah Agencies — ₹2,500.00 owed');
    expect(renderDigest({ ...empty, language: 'hi', locale: 'hi-IN', promisesDueToday: [{ name: 'Shah Agencies', amountMinor: null, owedMinor: 250_000 }] }).text).toContain(
      '• Shah Agencies — ₹2,500.00 कुल बकाया',
    );
  });

  it('has no blank lines, whichever sections are empty', () => {
    const variants: DigestInput[] = [
      empty,
      full,
      { ...full, expectedThisWeekMinor: 0, followUps: [], unreachable: { names: [], total: 0 } },
      { ...empty, awaitingApproval: 1 },
      { ...empty, followUps: [{ name: 'Ramesh Traders', overdueMinor: 0, why: '  ' }], receivedYesterday: [{ name: 'Shah Agencies', amountMinor: 800_000 }] },
      { ...full, language: 'hi', locale: 'hi-IN' },
    ];
    for (const input of variants) {
      const text = renderDigest(input).text;
      expect(text).not.toMatch(/\n\s*\n/);
      expect(text.split('\n').every((line) => line.trim() !== '')).toBe(true);
    }
  });

  it('caps each list at five with how many more', () => {
    const followUps = Array.from({ length: 7 }, (_, i) => ({ name: `Debtor ${i + 1}`, overdueMinor: 100_000, why: '10 days overdue' }));
    const broken = Array.from({ length: 6 }, (_, i) => ({ name: `Late ${i + 1}` }));
    const text = renderDigest({ ...empty, followUps, promisesBrokenYesterday: broken }).text;
    expect(text).toContain('5. Debtor 5 — ₹1,000.00 overdue · 10 days overdue\n…and 2 more');
    expect(text).not.toContain('Debtor 6');
    expect(text).toContain('• Late 5\n…and 1 more');
    expect(text).not.toContain('Late 6');
  });

  it('says so when nothing needs the owner', () => {
    expect(renderDigest(empty).text).toBe('Good morning! Sharma Distributors · Tue 1 Dec\nNothing needs you today: nothing is overdue and no promise is due. 🎉');
  });

  it('is written in Hindi for a Hindi-speaking owner, amounts unchanged', () => {
    const text = renderDigest({ ...full, language: 'hi', locale: 'hi-IN' }).text;
    expect(text).toContain('सुप्रभात! Sharma Distributors · मंगल 1 दिस॰');
    expect(text).toContain('इस हफ़्ते अपेक्षित: ₹45,000.00');
    expect(text).toContain('आज फॉलो-अप करें:\n1. Ramesh Traders — ₹12,500.00 बकाया');
    expect(text).toContain('कल टूटे वादे:\n• Verma & Sons');
    expect(text).toContain('कल मिला: ₹10,000.00');
    expect(text).toContain('3 रिमाइंडर आपकी मंज़ूरी का इंतज़ार कर रहे हैं।');
  });

  it('stays short enough to read on a phone even when every list is long', () => {
    const many = <T>(make: (i: number) => T): T[] => Array.from({ length: 40 }, (_, i) => make(i));
    const text = renderDigest({
      ...full,
      followUps: many((i) => ({ name: `Customer number ${i}`, overdueMinor: 1_000_000, why: 'promise missed, 2 broken promises' })),
      promisesDueToday: many((i) => ({ name: `Customer number ${i}`, amountMinor: 500_000, owedMinor: 500_000 })),
      promisesBrokenYesterday: many((i) => ({ name: `Customer number ${i}` })),
      receivedYesterday: many((i) => ({ name: `Customer number ${i}`, amountMinor: 100_000 })),
    }).text;
    expect(text.split('\n').length).toBeLessThan(45);
    expect(text.length).toBeLessThan(1_600);
  });
});

describe('owner alerts', () => {
  it('a broken promise tells the owner what was promised and how to record a late payment', () => {
    const text = renderPromiseBroken({ language: 'en', debtorName: 'Ramesh Traders', promisedOn: DUE, today: addDays(DUE, 1), amountMinor: 500_000, currency: 'INR', locale: 'en-IN' }).text;
    expect(text).toBe(
      "Ramesh Traders promised to pay ₹5,000.00 by Mon 30 Nov, and the payment hasn't arrived. You may want to give them a call.\nIf they have paid, tell me: Ramesh Traders paid 5000",
    );
  });

  it('a broken promise without an amount names only the date, in English and Hindi', () => {
    const input = { debtorName: 'Ramesh Traders', promisedOn: DUE, today: addDays(DUE, 1), amountMinor: null, currency: 'OMR', locale: 'en-OM' };
    expect(renderPromiseBroken({ ...input, language: 'en' }).text).toBe(
      "Ramesh Traders promised to pay by Mon 30 Nov, and the payment hasn't arrived. You may want to give them a call.",
    );
    expect(renderPromiseBroken({ ...input, language: 'hi' }).text).toBe(
      'Ramesh Traders ने सोम 30 नव॰ तक भुगतान करने का वादा किया था, पर भुगतान नहीं आया। शायद उन्हें फ़ोन करना ठीक रहेगा।',
    );
  });

  it('a promise broken across the new year shows the year of the promised day', () => {
    const text = renderPromiseBroken({ language: 'en', debtorName: 'Ramesh Traders', promisedOn: '2026-12-31', today: '2027-01-01', amountMinor: null, currency: 'INR', locale: 'en-IN' }).text;
    expect(text).toContain('by Thu 31 Dec 2026,');
  });

  it('the payment hint keeps the fils of a rial promise so the owner can type it back', () => {
    const text = renderPromiseBroken({ language: 'hi', debtorName: 'Al Noor', promisedOn: DUE, today: addDays(DUE, 1), amountMinor: 40_500, currency: 'OMR', locale: 'hi-OM' }).text;
    expect(text).toContain(`OMR${NBSP}40.500`);
    expect(text).toContain('Al Noor paid 40.500');
  });

  it('a failed send tells the owner who was not reached and after how many attempts', () => {
    expect(renderSendFailed({ language: 'en', debtorName: 'Ramesh Traders', attempts: 6 }).text).toBe(
      "I couldn't deliver the reminder to Ramesh Traders after 6 attempts. Please check their phone number, or contact them yourself.",
    );
    expect(renderSendFailed({ language: 'hi', debtorName: 'Ramesh Traders', attempts: 6 }).text).toBe(
      'Ramesh Traders को रिमाइंडर 6 कोशिशों के बाद भी नहीं पहुँच सका। कृपया उनका फ़ोन नंबर जाँचें, या खुद उनसे संपर्क करें।',
    );
  });
});
