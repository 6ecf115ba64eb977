// Reading owners' commands (pure): names that hold digits or invisible marks, Hinglish and Hindi commands.
import { describe, expect, it } from 'vitest';
import { messagesFor } from '../../src/engine/messages.ts';
import { nameKey, parseOwnerCommand } from '../../src/engine/owner-command.ts';
import { possessive } from '../../src/engine/text.ts';

const ctx = { today: '2026-12-04', country: 'IN' };
const parse = (text: string) => parseOwnerCommand(text, ctx);

describe('names that hold digits', () => {
  it('"add Shop 24 Traders 500 due 30 Dec" keeps 24 in the name and reads 500 as the amount', () => {
    expect(parse('add Shop 24 Traders 500 due 30 Dec')).toEqual({
      kind: 'add',
      natural: false,
      draft: { debtorName: 'Shop 24 Traders', amount: 500, amountText: '500', dueOn: '2026-12-30' },
    });
  });

  it('"add Crash Customer 0001 700" keeps 0001 in the name and reads 700 as the amount', () => {
    const command = parse('add Crash Customer 0001 700 due 30 Dec');
    expect(command).toMatchObject({ kind: 'add', draft: { debtorName: 'Crash Customer 0001', amount: 700 } });
  });

  it('"add 12500 Shop 24 Traders": with the name last, the amount is the number typed first, and 24 stays in the name', () => {
    expect(parse('add 12500 Shop 24 Traders due 30 Dec')).toMatchObject({ kind: 'add', draft: { debtorName: 'Shop 24 Traders', amount: 12500 } });
    expect(parse('add ₹500 Sai 786 Stores')).toMatchObject({ kind: 'add', draft: { debtorName: 'Sai 786 Stores', amount: 500 } });
    expect(parse('add 5 lakh Agarwal Steel due 15 Jan')).toMatchObject({ kind: 'add', draft: { debtorName: 'Agarwal Steel', amount: 500000 } });
  });

  it('reads "Shop No. 12", "24x7 Mart" and "Sai 786 Stores" as names, with a currency word or a unit on the amount', () => {
    expect(parse('add Shop No. 12 Rs 5000 due 30 Dec')).toMatchObject({ draft: { debtorName: 'Shop No. 12', amount: 5000 } });
    expect(parse('add 24x7 Mart 1.2 lakh due 30 Dec')).toMatchObject({ draft: { debtorName: '24x7 Mart', amount: 120000 } });
    expect(parse('Sai 786 Stores owes 5000 due 30 Dec')).toMatchObject({ kind: 'add', draft: { debtorName: 'Sai 786 Stores', amount: 5000 } });
  });

  it('"link Shop 24 Traders" asks for that customer\'s link, and "link Traders paid 5000" is still a payment', () => {
    expect(parse('link Shop 24 Traders')).toEqual({ kind: 'debtor_link', debtorName: 'Shop 24 Traders' });
    expect(parse('Link Traders paid 5000')).toMatchObject({ kind: 'payment', draft: { debtorName: 'Link Traders', amount: 5000 } });
  });

  it('"Sai 786 Stores paid 5000" and "received 5000 from Shop 24 Traders" are payments by those customers', () => {
    expect(parse('Sai 786 Stores paid 5000')).toMatchObject({ kind: 'payment', draft: { debtorName: 'Sai 786 Stores', amount: 5000 } });
    expect(parse('received 5000 from Shop 24 Traders')).toMatchObject({ kind: 'payment', draft: { debtorName: 'Shop 24 Traders', amount: 5000 } });
  });

  it('"statement Shop 24 Traders" asks for that customer\'s statement', () => {
    expect(parse('statement Shop 24 Traders')).toEqual({ kind: 'statement', debtorName: 'Shop 24 Traders' });
  });
});

describe('Hinglish and Hindi commands', () => {
  it('"Ramesh ne 5000 diye" and "रमेश ने 5000 दिए" are payments', () => {
    expect(parse('Ramesh ne 5000 diye')).toMatchObject({ kind: 'payment', draft: { debtorName: 'Ramesh', amount: 5000 } });
    expect(parse('Ramesh Traders ne 12,500 rupaye bheje')).toMatchObject({ kind: 'payment', draft: { debtorName: 'Ramesh Traders', amount: 12500 } });
    expect(parse('रमेश ने 5000 दिए')).toMatchObject({ kind: 'payment', draft: { debtorName: 'रमेश', amount: 5000 } });
  });

  it('"Agarwal Steel ko 2,35,000 dena hai 15 jan tak" is an invoice of 2,35,000 due 15 Jan', () => {
    expect(parse('Agarwal Steel ko 2,35,000 dena hai 15 jan tak')).toEqual({
      kind: 'add',
      natural: true,
      draft: { debtorName: 'Agarwal Steel', amount: 235000, amountText: '2,35,000', dueOn: '2027-01-15' },
    });
    expect(parse('Sharma se 5000 lena hai')).toMatchObject({ kind: 'add', draft: { debtorName: 'Sharma', amount: 5000 } });
    expect(parse('शर्मा को 5000 देना है 15 jan तक')).toMatchObject({ kind: 'add', draft: { debtorName: 'शर्मा', amount: 5000, dueOn: '2027-01-15' } });
  });

  it('"kisko call karu aaj" and "आज किसको कॉल करूं" ask for the follow-up list', () => {
    for (const text of ['kisko call karu aaj', 'kisko call karun', 'aaj kisko phone karu?', 'आज किसको कॉल करूं', 'किसको फोन करूं']) {
      expect(parse(text), text).toEqual({ kind: 'follow_up' });
    }
  });

  it('"सूची", "suchi" and "list dikhao" list the open invoices', () => {
    for (const text of ['सूची', 'suchi', 'list dikhao', 'सूची दिखाओ']) expect(parse(text), text).toEqual({ kind: 'list' });
  });
});

describe('names with invisible characters', () => {
  it('drops zero-width and direction marks from typed names, so they match the plain name', () => {
    const marks = ['\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff'];
    for (const mark of marks) {
      expect(parse(`add Ramesh${mark} Traders 500 due 30 Dec`), `U+${mark.charCodeAt(0).toString(16)}`).toMatchObject({ draft: { debtorName: 'Ramesh Traders' } });
      expect(nameKey(`${mark}Ramesh Tra${mark}ders`)).toBe(nameKey('Ramesh Traders'));
    }
  });
});

describe('possessives in English messages', () => {
  it('"Ramesh Traders" takes only an apostrophe and "Ramesh" takes \'s when an invoice is not theirs', () => {
    const m = messagesFor('en');
    expect(m.invoiceNotForCustomer({ number: 'A-1', name: 'Ramesh Traders' })).toBe('Invoice #A-1 isn\'t one of Ramesh Traders\'. Check the number with "Ramesh Traders".');
    expect(m.invoiceNotForCustomer({ number: 'A-1', name: 'Ramesh' })).toContain("isn't one of Ramesh's.");
    expect(possessive('Sai 786 Stores')).toBe("Sai 786 Stores'");
  });
});

describe('a phone number another customer has', () => {
  it('is pointed out in English and in Hindi, naming that customer', () => {
    expect(messagesFor('en').phoneHeldByOther({ phone: '+919812345670', name: 'Sharma Stores' })).toBe(
      'Note: +919812345670 is already the phone number of Sharma Stores. Check it before saving.',
    );
    expect(messagesFor('hi').phoneHeldByOther({ phone: '+919812345670', name: 'Sharma Stores' })).toBe(
      'ध्यान दें: +919812345670 पहले से Sharma Stores का फ़ोन नंबर है। सेव करने से पहले जाँच लें।',
    );
  });
});
