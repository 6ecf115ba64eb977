import { describe, expect, it } from 'vitest';
import { findAmounts, parseAmount, parseNumberWords } from '../../src/engine/amount.ts';

function valueOf(text: string): number | string {
  const result = parseAmount(text);
  return result.ok ? result.value : result.reason;
}

describe('parseAmount (strict, owner commands)', () => {
  it.each([
    ['12500', 12500],
    ['12,500', 12500],
    ['12,50,000', 1250000],
    ['1,00,000', 100000],
    ['1,23,45,678', 12345678],
    ['1,250,000', 1250000],
    ['12500.50', 12500.5],
    ['12,500.75', 12500.75],
    ['₹12,500', 12500],
    ['₹ 12,500', 12500],
    ['Rs 12500', 12500],
    ['rs.12500', 12500],
    ['Rs. 12,500/-', 12500],
    ['INR 12500', 12500],
    ['12500 INR', 12500],
    ['OMR 40.500', 40.5],
    ['AED 1,500', 1500],
    ['$275', 275],
    ['12.5k', 12500],
    ['5k', 5000],
    ['5K', 5000],
    ['1.2 lakh', 120000],
    ['1.2L', 120000],
    ['2.5 lakh', 250000],
    ['1.15 lakh', 115000],
    ['2 lac', 200000],
    ['3 lakhs', 300000],
    ['1 crore', 10000000],
    ['1cr', 10000000],
    ['1.5 cr', 15000000],
    ['5 hazar', 5000],
    ['5 hazaar', 5000],
    ['5 hajar', 5000],
    ['५०००', 5000],
    ['paanch hazar', 5000],
    ['dedh lakh', 150000],
  ])('accepts %s as %d', (text, expected) => {
    expect(valueOf(text)).toBe(expected);
  });

  it.each([
    ['1,2,3', 'malformed'],
    ['12..500', 'malformed'],
    ['12,5,00', 'malformed'],
    ['1.2.3', 'malformed'],
    ['12,50', 'malformed'],
    ['1,2345', 'malformed'],
    ['0', 'not_positive'],
    ['0.00', 'not_positive'],
    ['-500', 'not_positive'],
    ['₹-500', 'not_positive'],
    ['12abc', 'letters'],
    ['abc', 'letters'],
    ['5 apples', 'letters'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['99999999999999999', 'too_large'],
    ['2 lakh crore', 'letters'],
  ])('rejects %j as %s', (text, reason) => {
    expect(valueOf(text)).toBe(reason);
  });
});

describe('number words', () => {
  it.each([
    ['paanch sau', 500],
    ['do hazar', 2000],
    ['dedh lakh', 150000],
    ['dhai hazar', 2500],
    ['sawa lakh', 125000],
    ['saade teen hazar', 3500],
    ['paune do lakh', 175000],
    ['das hazar', 10000],
    ['do hazar paanch sau', 2500],
    ['twenty five thousand', 25000],
    ['a thousand', 1000],
    ['पांच हज़ार', 5000],
    ['पाँच सौ', 500],
    ['ढाई लाख', 250000],
    ['डेढ़ हजार', 1500],
  ])('reads %s as %d', (text, expected) => {
    expect(parseNumberWords(text)).toBe(expected);
  });

  it('does not read ordinary words as numbers', () => {
    expect(parseNumberWords('do it')).toBeNull();
    expect(parseNumberWords('hazar')).toBeNull();
    expect(parseNumberWords('no')).toBeNull();
  });
});

describe('findAmounts (lenient, replies)', () => {
  const values = (text: string): number[] => findAmounts(text).map((mention) => mention.value);

  it.each([
    ['5k kal bhej dunga', [5000]],
    ['Tomorrow you will get your $275 then', [275]],
    ['9,000 credited to your a/c', [9000]],
    ['is mahine ke aakhir tak 40 hazar', [40000]],
    ['8000 रुपये बुधवार तक', [8000]],
    ['paanch sau aaj', [500]],
    ['dedh lakh next week', [150000]],
    ['dhai hazar parso', [2500]],
    ['1 lakh 20 hazar kal', [120000]],
    ['₹12,500 tonight', [12500]],
    ['Rs.5000/- only', [5000]],
    ['OMR 40.500 tomorrow', [40.5]],
    ['£400 will be paid', [400]],
    ['२५०० भेज दिए', [2500]],
    ['paid 5000, rest 3000 on friday', [5000, 3000]],
  ])('finds the money in %j', (text, expected) => {
    expect(values(text)).toEqual(expected);
  });

  it.each([
    ['Invoice 1045 - will clear by 12th'],
    ['NEFT ref 88213 - sent on Monday'],
    ['bill no 554 paid'],
    ['UTR 412345678901'],
    ['call me on 9876543210'],
    ['call after 6'],
    ['can I pay in 3 parts'],
    ['4 din mein'],
    ['100% kar dunga'],
    ['on 25th'],
    ['25 Nov'],
    ['Dec 25'],
    ['3/12 ko'],
    ['10 tarikh tak'],
    ['15 ke baad'],
    ['5 pm'],
    ['do din'],
  ])('finds no money in %j (identifiers, counts, times, dates)', (text) => {
    expect(values(text)).toEqual([]);
  });
});

describe('numbers that are not money', () => {
  it('exponent notation and a negative number are not found as amounts', () => {
    expect(findAmounts('pay karunga 1e309').map((mention) => mention.value)).toEqual([]);
    expect(findAmounts('will pay -500').map((mention) => mention.value)).toEqual([]);
    expect(findAmounts('5-10k').length).toBeGreaterThan(0);
  });
});
