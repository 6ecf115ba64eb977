// Amounts as people write them: "12,500", "12,50,000", "₹12,500", "Rs 12500/-", "OMR 40.500",
// "12.5k", "1.2 lakh", "2 lac", "1cr", "5 hazar", "paanch sau", "dedh lakh", "दो हज़ार".
// Values are major units and may be fractional; nothing is rounded to minor units here.
import { normalizePatternSource, normalizeText } from './text.ts';

export type ParseAmountFailure = 'empty' | 'malformed' | 'not_positive' | 'letters' | 'too_large';
export type ParseAmountResult = { ok: true; value: number } | { ok: false; reason: ParseAmountFailure };

/** The largest amount accepted (major units): ten lakh crore, far above any small-business invoice. */
export const MAX_AMOUNT = 1_000_000_000_000;

const SCALE_BY_WORD = new Map<string, number>();
function addScale(value: number, words: string): void {
  for (const word of words.split(' ')) SCALE_BY_WORD.set(normalizePatternSource(word), value);
}
addScale(100, 'hundred hundreds sau सौ');
addScale(1_000, 'k thousand thousands thou grand hazar hazaar hajar hajaar hazzar hazzaar hzar hzr hazar hajjar hazara हजार');
addScale(100_000, 'l lakh lakhs lac lacs lakhs lkh lk laakh lakha लाख');
addScale(10_000_000, 'cr crore crores crs karod karor karore करोड');
addScale(1_000_000, 'million millions mn');

/** Scale words an owner may attach to a strict amount ("12.5k", "1.2 lakh", "5 hazar"). Excludes "hundred"/"sau". */
const STRICT_SCALE_WORDS = new Set([...SCALE_BY_WORD.entries()].filter(([, value]) => value >= 1000).map(([word]) => word));

const NUMERAL_BY_WORD = new Map<string, number>();
function addNumeral(value: number, words: string): void {
  for (const word of words.split(' ')) NUMERAL_BY_WORD.set(normalizePatternSource(word), value);
}
// English
addNumeral(1, 'one a an');
addNumeral(2, 'two');
addNumeral(3, 'three');
addNumeral(4, 'four');
addNumeral(5, 'five');
addNumeral(6, 'six');
addNumeral(7, 'seven');
addNumeral(8, 'eight');
addNumeral(9, 'nine');
addNumeral(10, 'ten');
addNumeral(11, 'eleven');
addNumeral(12, 'twelve');
addNumeral(13, 'thirteen');
addNumeral(14, 'fourteen');
addNumeral(15, 'fifteen');
addNumeral(16, 'sixteen');
addNumeral(17, 'seventeen');
addNumeral(18, 'eighteen');
addNumeral(19, 'nineteen');
addNumeral(20, 'twenty');
addNumeral(30, 'thirty');
addNumeral(40, 'forty fourty');
addNumeral(50, 'fifty');
addNumeral(60, 'sixty');
addNumeral(70, 'seventy');
addNumeral(80, 'eighty');
addNumeral(90, 'ninety');
// Roman Hindi
addNumeral(1, 'ek');
addNumeral(2, 'do');
addNumeral(3, 'teen tin');
addNumeral(4, 'char chaar chār');
addNumeral(5, 'panch paanch paach pach panj paanj');
addNumeral(6, 'chhe chhah chah che chhey chhai');
addNumeral(7, 'saat sat');
addNumeral(8, 'aath aat ath');
addNumeral(9, 'nau no');
addNumeral(10, 'das dus dass');
addNumeral(11, 'gyarah gyara gyaarah');
addNumeral(12, 'barah bara baarah');
addNumeral(13, 'terah tera');
addNumeral(14, 'chaudah chauda chodah choda');
addNumeral(15, 'pandrah pandra pundrah');
addNumeral(16, 'solah sola');
addNumeral(17, 'satrah satra');
addNumeral(18, 'atharah athara attharah');
addNumeral(19, 'unnis unees unis');
addNumeral(20, 'bees bis');
addNumeral(25, 'pachees pachis pachchis pacchis');
addNumeral(30, 'tees tis');
addNumeral(40, 'chalis chaalis chalees chaalees');
addNumeral(50, 'pachas pachaas pachaas pachass');
addNumeral(60, 'saath sath');
addNumeral(70, 'sattar sattarr');
addNumeral(75, 'pachattar pachhattar');
addNumeral(80, 'assi assee asi');
addNumeral(90, 'nabbe nabe');
// Devanagari (normalised: nukta dropped, chandrabindu read as anusvara)
addNumeral(1, 'एक');
addNumeral(2, 'दो');
addNumeral(3, 'तीन');
addNumeral(4, 'चार');
addNumeral(5, 'पांच पाच');
addNumeral(6, 'छह छः छे छह');
addNumeral(7, 'सात');
addNumeral(8, 'आठ');
addNumeral(9, 'नौ');
addNumeral(10, 'दस');
addNumeral(11, 'ग्यारह');
addNumeral(12, 'बारह');
addNumeral(15, 'पंद्रह पन्द्रह');
addNumeral(20, 'बीस');
addNumeral(25, 'पच्चीस');
addNumeral(30, 'तीस');
addNumeral(40, 'चालीस');
addNumeral(50, 'पचास');
addNumeral(60, 'साठ');
addNumeral(70, 'सत्तर');
addNumeral(80, 'अस्सी');
addNumeral(90, 'नब्बे');

const ENGLISH_TENS = new Set(['twenty', 'thirty', 'forty', 'fourty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']);
/** Numeral words that are also ordinary words; they count only right before a scale word. */
const AMBIGUOUS_NUMERAL_WORDS = new Set(['a', 'an', 'do', 'no', 'sat', 'saath', 'sath', 'bis', 'tin', 'che', 'das', 'ath', 'char']);

/** "dedh" = 1½, "dhai" = 2½ (stand in for a number). */
const FRACTIONAL_NUMERAL_BY_WORD = new Map<string, number>([
  ['dedh', 1.5], ['dedhh', 1.5], ['derh', 1.5], ['dhedh', 1.5], ['deढ', 1.5], ['डेढ', 1.5],
  ['dhai', 2.5], ['dhaai', 2.5], ['adhai', 2.5], ['arhai', 2.5], ['dhaii', 2.5], ['ढाई', 2.5], ['अढाई', 2.5],
]);
/** "sawa N" = N + ¼, "saade N" = N + ½, "paune N" = N − ¼. */
const NUMERAL_ADJUSTMENT_BY_WORD = new Map<string, number>([
  ['sawa', 0.25], ['sava', 0.25], ['savaa', 0.25], ['sawaa', 0.25], ['सवा', 0.25],
  ['saade', 0.5], ['sade', 0.5], ['saadhe', 0.5], ['sadhe', 0.5], ['saare', 0.5], ['साढे', 0.5],
  ['paune', -0.25], ['pone', -0.25], ['poune', -0.25], ['पौने', -0.25],
]);

const CURRENCY_SYMBOLS = new Set(['₹', '$', '£', '€']);
const CURRENCY_WORDS = new Set(
  (
    'rs rs. inr rupees rupee rupaye rupay rupaiye rupiya rupya rupye rupiye rupaye rupe rp ' +
    'usd dollars dollar bucks aed dhs dh dirham dirhams omr ro rial rials riyal riyals sar qar qr kwd kd bhd bd ' +
    'gbp pounds eur euro euros baisa ' +
    'रुपये रुपए रूपये रुपया रूपए रूपया रु रू'
  ).split(' '),
);
/** Currency words safe to read as a prefix ("Rs 500", "OMR 40"): ordinary words like "ro" or "bd" are excluded. */
const CURRENCY_PREFIX_WORDS = new Set(['rs', 'inr', 'usd', 'aed', 'dhs', 'omr', 'sar', 'qar', 'kwd', 'bhd', 'gbp', 'eur', 'रु', 'रू', 'rupees', 'rupaye']);

/** Words after a number that make it a count, a time or a date rather than money. */
const UNIT_WORDS = new Set(
  (
    'day days din dino dinon dinn week weeks wk wks hafte hafta hafton haftey month months mahine mahina mahino mahinon ' +
    'year years yr yrs saal sal part parts installment installments instalment instalments kisht kishton kist emi emis ' +
    'hour hours hr hrs ghante ghanta ghanton minute minutes min mins mint second seconds baje bje baaje am pm oclock ' +
    'item items pcs pc piece pieces box boxes kg kgs gm gms bag bags carton cartons unit units qty nos ' +
    'invoice invoices inv bill bills tarikh tareekh tarik taarikh tarikh tareek tarikh date dates st nd rd th ' +
    'times baar bar people log percent pct % x ' +
    'jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october nov november dec december ' +
    'दिन हफ्ते हफ्ता हफ्तों महीने महीना साल बजे तारीख किश्त किस्त प्रतिशत बार'
  ).split(' '),
);
const MONTH_WORDS = new Set(
  'jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october nov november dec december जनवरी फरवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर सितम्बर अक्टूबर नवंबर नवम्बर दिसंबर दिसम्बर'.split(
    ' ',
  ),
);
/** Words before a number that make it an identifier ("invoice 1045", "ref 88213"). */
const IDENTIFIER_WORDS = new Set(
  'invoice inv invoices ref reference refno utr txn txnid transaction transection id order po challan receipt docket awb ticket case rrn upi_ref imps_ref'.split(
    ' ',
  ),
);
/** Words that make a number an identifier when followed by "no", "number" or "#" ("bill no 77", "cheque no 123"). */
const NUMBERED_THING_WORDS = new Set('bill cheque chq check account a/c ac acc mobile phone ph mob whatsapp contact sr serial gst'.split(' '));
const NUMBER_LABEL_WORDS = new Set(['no', 'number', 'num', 'nos', 'nbr', 'n']);
/** A small number after these is a time or a day ("call after 6", "by 25"), not money. */
const TIME_OR_DAY_PREPOSITIONS = new Set(['at', 'after', 'around', 'by', 'before', 'till', 'til', 'until', 'untill', 'on', 'upto', 'from', 'se', 'ko', 'baad']);
const DAY_PARTICLES_AFTER = new Set(['tak', 'tk', 'ko', 'tarikh', 'se', 'ke', 'ki', 'baad', 'bad', 'tarik', 'tareekh', 'को', 'तक', 'के']);

// ---------------------------------------------------------------------------------------------
// Strict parsing of an amount token (owner commands)

const STRICT_AMOUNT = /^([-+])?\s*(\d[\d,]*(?:\.\d+)?|\.\d+)\s*([\p{L}\p{M}]+)?$/u;
const WESTERN_GROUPING = /^\d{1,3}(?:,\d{3})+$/;
const INDIAN_GROUPING = /^\d{1,2}(?:,\d{2})*,\d{3}$/;
const STRICT_CURRENCY_PREFIX = /^(?:₹|\$|£|€|rs\.?|inr|rupees|usd|us\$|aed|dhs|omr|sar|qar|kwd|bhd|gbp|eur|रु\.?|रू\.?)\s*/u;
const STRICT_CURRENCY_SUFFIX =
  /\s*(?:₹|\$|rs\.?|inr|rupees?|rupaye|rupay|usd|dollars?|aed|dhs|omr|rials?|riyals?|sar|qar|kwd|bhd|gbp|eur|रुपये|रुपए|रूपये)$/u;
const STRICT_TRAILERS = /\s*(?:\/-|\/=|only|\.\s*)+$/u;
const HAS_LETTER = /[\p{L}]/u;

/** Digits of a plain or grouped number as an exact (mantissa, decimals) pair, or null if the grouping is malformed. */
function readDecimal(token: string, strictGrouping: boolean): { mantissa: number; decimals: number } | null {
  const [integerPart = '', fractionPart = '', ...rest] = token.split('.');
  if (rest.length > 0) return null;
  if (token.includes('.') && fractionPart === '') return null;
  let digits = integerPart;
  if (integerPart.includes(',')) {
    if (strictGrouping) {
      if (!WESTERN_GROUPING.test(integerPart) && !INDIAN_GROUPING.test(integerPart)) return null;
    } else if (!/^\d{1,3}(?:,\d{2,3})+$/.test(integerPart)) {
      return null;
    }
    digits = integerPart.replace(/,/g, '');
  }
  if (fractionPart.includes(',')) return null;
  const all = `${digits}${fractionPart}`;
  if (all.length === 0 || all.length > 16) return all.length > 16 ? { mantissa: Number.POSITIVE_INFINITY, decimals: 0 } : null;
  return { mantissa: Number(all), decimals: fractionPart.length };
}

function decimalTimes(decimal: { mantissa: number; decimals: number }, scale: number): number {
  return (decimal.mantissa * scale) / 10 ** decimal.decimals;
}

/**
 * Strictly parses text that should be one amount: "12500", "12,500", "12,50,000", "1,250,000",
 * "12500.50", "₹12,500", "Rs 12500", "rs.12500", "INR 12500", "OMR 40.500", "12.5k", "1.2 lakh",
 * "1.2L", "2 lac", "1 crore", "1cr", "5 hazar", "12,500/-". Also a whole phrase of number words
 * ("paanch hazar", "dedh lakh"). Malformed grouping ("1,2,3", "12,5,00"), "12..500", "1.2.3",
 * zero, negatives and stray letters are rejected with a reason.
 */
export function parseAmount(text: string): ParseAmountResult {
  let rest = normalizeText(text);
  if (rest === '') return { ok: false, reason: 'empty' };
  rest = rest.replace(STRICT_TRAILERS, '');
  let sign = '';
  if (/^[-+]/.test(rest)) {
    sign = rest[0] ?? '';
    rest = rest.slice(1).trim();
  }
  rest = rest.replace(STRICT_CURRENCY_PREFIX, '').replace(STRICT_CURRENCY_SUFFIX, '').replace(STRICT_TRAILERS, '').trim();
  if (/^[-+]/.test(rest) && sign === '') {
    sign = rest[0] ?? '';
    rest = rest.slice(1).trim();
  }
  if (rest === '') return { ok: false, reason: 'malformed' };

  const match = STRICT_AMOUNT.exec(rest);
  if (!match) {
    const spelled = sign === '' ? parseNumberWords(rest) : null;
    if (spelled !== null) return checkRange(spelled);
    return { ok: false, reason: HAS_LETTER.test(rest) ? 'letters' : 'malformed' };
  }
  const [, , numberToken = '', scaleWord] = match;
  let scale = 1;
  if (scaleWord !== undefined) {
    const known = STRICT_SCALE_WORDS.has(scaleWord) ? SCALE_BY_WORD.get(scaleWord) : undefined;
    if (known === undefined) return { ok: false, reason: 'letters' };
    scale = known;
  }
  const decimal = readDecimal(numberToken, true);
  if (decimal === null) return { ok: false, reason: 'malformed' };
  const value = decimalTimes(decimal, scale);
  if (sign === '-') return { ok: false, reason: 'not_positive' };
  return checkRange(value);
}

function checkRange(value: number): ParseAmountResult {
  if (!(value > 0)) return { ok: false, reason: 'not_positive' };
  if (!Number.isFinite(value) || value > MAX_AMOUNT) return { ok: false, reason: 'too_large' };
  return { ok: true, value };
}

/** The value of a phrase made only of number words ("paanch sau", "dedh lakh", "do hazar paanch sau"), or null. */
export function parseNumberWords(text: string): number | null {
  const tokens = tokenize(normalizeText(text));
  if (tokens.length === 0) return null;
  const quantity = readQuantity(tokens, 0);
  if (quantity === null || quantity.next !== tokens.length || !quantity.hasScale) return null;
  return quantity.value;
}

// ---------------------------------------------------------------------------------------------
// Lenient scanning of free text (debtor replies)

interface Token {
  kind: 'number' | 'word' | 'symbol';
  text: string;
  start: number;
  end: number;
}

const TOKEN = /(\d[\d,]*\d(?:\.\d+)?|\d(?:\.\d+)?)|([\p{L}\p{M}]+)|(\S)/gu;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index;
    const kind = match[1] !== undefined ? 'number' : match[2] !== undefined ? 'word' : 'symbol';
    tokens.push({ kind, text: match[0], start, end: start + match[0].length });
  }
  return tokens;
}

interface Quantity {
  value: number;
  next: number; // index of the first token after the quantity
  hasScale: boolean;
  hasWords: boolean;
  digitTokens: number;
  grouped: boolean;
  hasDecimals: boolean;
}

function adjacent(a: Token | undefined, b: Token | undefined): boolean {
  return a !== undefined && b !== undefined && a.end === b.start;
}

/**
 * Reads "12.5k", "1 lakh 20 hazar", "paanch sau", "sawa do lakh", "twenty five thousand", "2 hazar 500"
 * starting at tokens[start]. Returns null when no number starts there.
 */
function readQuantity(tokens: Token[], start: number): Quantity | null {
  let index = start;
  let total = 0;
  let current: number | null = null; // pending numeral not yet multiplied by a scale
  let currentIsDigits = false;
  let currentIsEnglishTens = false;
  let smallestScale = Number.POSITIVE_INFINITY;
  let hasScale = false;
  let hasWords = false;
  let digitTokens = 0;
  let grouped = false;
  let hasDecimals = false;
  let adjustment = 0;
  let lastConsumed = start - 1;

  for (; index < tokens.length; index++) {
    const token = tokens[index];
    if (token === undefined) break;
    if (token.kind === 'number') {
      if (current !== null) break; // two numbers in a row: "5000 3000"
      const decimal = readDecimal(token.text, false);
      if (decimal === null) break;
      const numeral = decimalTimes(decimal, 1);
      if (index > start && hasScale && numeral >= smallestScale) break; // "5 hazar 5000" are two amounts
      current = numeral + adjustment;
      adjustment = 0;
      currentIsDigits = true;
      currentIsEnglishTens = false;
      digitTokens++;
      grouped ||= token.text.includes(',');
      hasDecimals ||= token.text.includes('.');
      lastConsumed = index;
      continue;
    }
    if (token.kind !== 'word') break;
    const word = token.text;

    const scale = SCALE_BY_WORD.get(word);
    if (scale !== undefined) {
      if (current === null) {
        // "sawa lakh" = 1¼ lakh; a lone scale word with nothing before it is not a number.
        if (adjustment === 0) break;
        current = 1 + adjustment;
        adjustment = 0;
      }
      if (scale >= smallestScale) break;
      // single-letter scales only right after digits: "5k", "1.2L", "5 k"
      if ((word === 'l' || word === 'k') && !currentIsDigits) break;
      if (scale === 100) {
        current *= scale;
        currentIsDigits = false;
      } else {
        total += current * scale;
        current = null;
      }
      smallestScale = scale;
      hasScale = true;
      lastConsumed = index;
      continue;
    }

    const fractional = FRACTIONAL_NUMERAL_BY_WORD.get(word);
    if (fractional !== undefined) {
      if (current !== null) break;
      current = fractional;
      currentIsDigits = false;
      hasWords = true;
      lastConsumed = index;
      continue;
    }
    const adjust = NUMERAL_ADJUSTMENT_BY_WORD.get(word);
    if (adjust !== undefined) {
      if (current !== null || adjustment !== 0) break;
      adjustment = adjust;
      hasWords = true;
      continue;
    }
    const numeral = NUMERAL_BY_WORD.get(word);
    if (numeral !== undefined) {
      if (current !== null) {
        // "twenty five"
        if (currentIsEnglishTens && numeral < 10 && !AMBIGUOUS_NUMERAL_WORDS.has(word)) {
          current += numeral;
          currentIsEnglishTens = false;
          lastConsumed = index;
          continue;
        }
        break;
      }
      const nextWord = tokens[index + 1];
      const nextIsScale = nextWord !== undefined && nextWord.kind === 'word' && SCALE_BY_WORD.has(nextWord.text);
      const nextIsNumeral = nextWord !== undefined && nextWord.kind === 'word' && NUMERAL_BY_WORD.has(nextWord.text);
      if (AMBIGUOUS_NUMERAL_WORDS.has(word) && !nextIsScale) break;
      if (!nextIsScale && !nextIsNumeral) break;
      current = numeral + adjustment;
      adjustment = 0;
      currentIsDigits = false;
      currentIsEnglishTens = ENGLISH_TENS.has(word);
      hasWords = true;
      lastConsumed = index;
      continue;
    }
    break;
  }

  if (lastConsumed < start) return null;
  let value = total;
  if (current !== null) {
    // A trailing bare number after a scale ("2 hazar 500") joins only when nothing marks it as a count or day.
    const trailing = tokens[lastConsumed];
    const afterTrailing = tokens[lastConsumed + 1];
    if (hasScale && total > 0 && currentIsDigits && trailing !== undefined) {
      const marksCount =
        afterTrailing !== undefined && afterTrailing.kind !== 'number' && (UNIT_WORDS.has(afterTrailing.text) || afterTrailing.text === '%');
      if (marksCount) {
        return finish(total, lastConsumed);
      }
    }
    value += current;
  }
  return finish(value, lastConsumed + 1);

  function finish(amount: number, next: number): Quantity | null {
    if (!(amount > 0) || !Number.isFinite(amount)) return null;
    return { value: cleanFloat(amount), next, hasScale, hasWords, digitTokens, grouped, hasDecimals };
  }
}

function cleanFloat(value: number): number {
  const rounded = Math.round(value * 1e6) / 1e6;
  return Math.abs(rounded - value) < 1e-7 ? rounded : value;
}

export interface AmountMention {
  /** Major units. */
  value: number;
  /** Position in the normalised text (see normalizeText). */
  start: number;
  end: number;
  /** The matched text, normalised. */
  text: string;
  /** A currency symbol or word was attached ("₹", "Rs", "/-", "rupaye", "$"). */
  hasCurrency: boolean;
  /** A scale word was used ("k", "lakh", "hazar", "sau"). */
  hasScale: boolean;
  /** Written (at least partly) in number words ("paanch sau", "dedh lakh"). */
  hasWords: boolean;
}

function isCurrencyToken(token: Token | undefined): boolean {
  if (token === undefined) return false;
  if (token.kind === 'symbol') return CURRENCY_SYMBOLS.has(token.text);
  return token.kind === 'word' && CURRENCY_WORDS.has(token.text);
}

/**
 * Money amounts named in free text, in order. Bare numbers count only when nothing marks them
 * as something else: an identifier ("invoice 1045", "ref 88213", "#12"), a count or duration
 * ("3 parts", "4 days"), a time ("after 6", "5pm"), a date ("25th", "3/12", "25 Nov", "10 tarikh"),
 * a percentage, a phone-length number, or a single digit.
 */
export function findAmounts(text: string): AmountMention[] {
  return findAmountsInNormalizedText(normalizeText(text));
}

/** As findAmounts, for text that is already the output of normalizeText (saves normalising twice). */
/**
 * Number tokens that are not an amount of money: a negative number ("-500") and the parts of
 * exponent notation ("1e309", "2E+5"). Neither is a sum a debtor owes or pays.
 */
function notMoneyNumbers(tokens: Token[]): Set<number> {
  const excluded = new Set<number>();
  tokens.forEach((token, index) => {
    if (token.kind !== 'number') return;
    const before = tokens[index - 1];
    const beforeThat = tokens[index - 2];
    if (before !== undefined && before.kind === 'symbol' && (before.text === '-' || before.text === '−') && adjacent(before, token) && !(beforeThat !== undefined && adjacent(beforeThat, before) && beforeThat.kind !== 'symbol'))
      excluded.add(index);
    const exponent = tokens[index + 1];
    if (exponent === undefined || exponent.kind !== 'word' || !/^e$/i.test(exponent.text) || !adjacent(token, exponent)) return;
    let power = index + 2;
    const sign = tokens[power];
    if (sign !== undefined && sign.kind === 'symbol' && (sign.text === '+' || sign.text === '-') && adjacent(exponent, sign)) power++;
    const digits = tokens[power];
    if (digits === undefined || digits.kind !== 'number' || !adjacent(tokens[power - 1], digits)) return;
    for (let part = index; part <= power; part++) excluded.add(part);
  });
  return excluded;
}

export function findAmountsInNormalizedText(normalized: string): AmountMention[] {
  const tokens = tokenize(normalized);
  const excluded = notMoneyNumbers(tokens);
  const mentions: AmountMention[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const first = tokens[index];
    if (first === undefined) continue;
    let quantityStart = index;
    let hasCurrency = false;
    if (isCurrencyToken(first) && (first.kind === 'symbol' || CURRENCY_PREFIX_WORDS.has(first.text))) {
      quantityStart = index + 1;
      const dot = tokens[quantityStart];
      if (dot !== undefined && dot.kind === 'symbol' && dot.text === '.' && adjacent(first, dot)) quantityStart++;
      hasCurrency = true;
    }
    const quantityToken = tokens[quantityStart];
    if (quantityToken === undefined || quantityToken.kind === 'symbol' || excluded.has(quantityStart)) continue;
    const quantity = readQuantity(tokens, quantityStart);
    if (quantity === null) continue;
    let next = quantity.next;
    const after = tokens[next];
    if (isCurrencyToken(after) && after !== undefined) {
      hasCurrency = true;
      next++;
      const dot = tokens[next];
      if (dot !== undefined && dot.text === '.' && adjacent(after, dot)) next++;
    } else if (after !== undefined && after.text === '/' && tokens[next + 1]?.text === '-' && adjacent(after, tokens[next + 1])) {
      hasCurrency = true;
      next += 2;
    }
    const startToken = tokens[index];
    const endToken = tokens[next - 1];
    if (startToken === undefined || endToken === undefined) continue;

    const isMoney =
      hasCurrency ||
      (quantity.hasScale && !isIdentifierContext(tokens, quantityStart)) ||
      isPlausibleBareAmount(tokens, quantityStart, quantity);
    if (isMoney) {
      mentions.push({
        value: quantity.value,
        start: startToken.start,
        end: endToken.end,
        text: normalized.slice(startToken.start, endToken.end),
        hasCurrency,
        hasScale: quantity.hasScale,
        hasWords: quantity.hasWords,
      });
    }
    index = next - 1;
  }
  return mentions;
}

function isIdentifierContext(tokens: Token[], index: number): boolean {
  // Look back over labels and punctuation: "invoice no. 1045", "ref: 88213", "bill #77".
  let cursor = index - 1;
  let sawLabel = false;
  for (let steps = 0; steps < 4 && cursor >= 0; steps++, cursor--) {
    const token = tokens[cursor];
    if (token === undefined) break;
    if (token.kind === 'symbol') {
      if (token.text === '#') return true;
      if (token.text === ':' || token.text === '.' || token.text === '-' || token.text === '/') continue;
      return false;
    }
    if (token.kind !== 'word') return false;
    if (IDENTIFIER_WORDS.has(token.text)) return true;
    if (NUMBERED_THING_WORDS.has(token.text)) return sawLabel;
    if (NUMBER_LABEL_WORDS.has(token.text)) {
      sawLabel = true;
      continue;
    }
    if (token.text === 'a' && tokens[cursor - 1]?.text === '/') continue;
    return false;
  }
  return false;
}

function isPlausibleBareAmount(tokens: Token[], index: number, quantity: Quantity): boolean {
  if (quantity.hasWords) return false;
  const token = tokens[index];
  if (token === undefined) return false;
  const value = quantity.value;
  const digits = token.text.replace(/[,.]/g, '').length;
  if (value < 10) return false;
  if (!quantity.grouped && digits >= 9) return false; // phone numbers, UTRs, account numbers
  const previous = tokens[index - 1];
  const next = tokens[quantity.next];
  const afterNext = tokens[quantity.next + 1];

  if (next !== undefined) {
    if (next.kind === 'symbol') {
      if (next.text === '%') return false;
      if ((next.text === '/' || next.text === ':' || next.text === '-' || next.text === '.') && afterNext?.kind === 'number' && adjacent(next, afterNext))
        return false;
    } else if (next.kind === 'word') {
      if (UNIT_WORDS.has(next.text)) return false;
      if (value <= 31 && DAY_PARTICLES_AFTER.has(next.text)) return false;
    }
  }
  if (previous !== undefined) {
    if (previous.kind === 'symbol') {
      if (previous.text === '#' || previous.text === '+') return false;
      const beforePrevious = tokens[index - 2];
      if ((previous.text === '/' || previous.text === ':' || previous.text === '-') && beforePrevious?.kind === 'number' && adjacent(beforePrevious, previous))
        return false;
    } else if (previous.kind === 'word') {
      if (MONTH_WORDS.has(previous.text)) return false;
      if (value <= 31 && TIME_OR_DAY_PREPOSITIONS.has(previous.text)) return false;
      if (value >= 1990 && value <= 2100 && (previous.text === 'of' || previous.text === 'year' || previous.text === 'saal')) return false;
    }
  }
  if (isIdentifierContext(tokens, index)) return false;
  return true;
}
