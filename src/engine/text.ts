// Text normalisation shared by the amount, date and reply scanners.
// The result is idempotent: normalising normalised text changes nothing, so
// positions found in normalised text stay valid when a scanner normalises again.

const DEVANAGARI_ZERO = 0x0966;
const ARABIC_INDIC_ZERO = 0x0660;
const EXTENDED_ARABIC_INDIC_ZERO = 0x06f0;

const NON_ASCII_DIGIT = /[\u0966-\u096f\u0660-\u0669\u06f0-\u06f9]/g;
const NUKTA = /\u093c/g;
const CHANDRABINDU = /\u0901/g;
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032`´]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033]/g;
const DASHES = /[\u2010-\u2015\u2212]/g;
const DANDA = /[\u0964\u0965]/g;
const LONG_LETTER_RUNS = /([a-z])\1{2,}/g;
const WHITESPACE = /\s+/g;

/** Converts Devanagari and Arabic-Indic digits to ASCII digits. */
export function toAsciiDigits(text: string): string {
  return text.replace(NON_ASCII_DIGIT, (digit) => {
    const code = digit.charCodeAt(0);
    const zero =
      code >= DEVANAGARI_ZERO ? DEVANAGARI_ZERO : code >= EXTENDED_ARABIC_INDIC_ZERO ? EXTENDED_ARABIC_INDIC_ZERO : ARABIC_INDIC_ZERO;
    return String(code - zero);
  });
}

/**
 * Lower-cased, NFKC, ASCII digits, Devanagari nukta dropped and chandrabindu read as
 * anusvara (so "पाँच" = "पांच", "हज़ार" = "हजार"), curly quotes and dashes made plain,
 * letter runs of three or more squashed to two ("pleeease" → "pleease"), single spaces.
 */
export function normalizeText(text: string): string {
  return toAsciiDigits(text.normalize('NFKC'))
    .toLowerCase()
    .replace(NUKTA, '')
    .replace(CHANDRABINDU, '\u0902')
    .replace(ZERO_WIDTH, '')
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, '-')
    .replace(DANDA, '.')
    .replace(LONG_LETTER_RUNS, '$1$1')
    .replace(WHITESPACE, ' ')
    .trim();
}

/**
 * Word boundaries that also work for Devanagari (JavaScript's \b is ASCII-only). Normalised text
 * is lower-case, so Latin letters, digits, underscore and the Devanagari block are the word
 * characters; a plain range is much faster than Unicode property classes in a lookbehind.
 */
const WORD_CHARACTER = '[a-z0-9_\\u00c0-\\u024f\\u0900-\\u097f]';
export const WORD_START = `(?<!${WORD_CHARACTER})`;
export const WORD_END = `(?!${WORD_CHARACTER})`;

/** Applies the Devanagari parts of normalizeText to a pattern's source, so patterns can be written naturally ("थोड़ा", "पाँच"). */
export function normalizePatternSource(source: string): string {
  return source.normalize('NFKC').replace(NUKTA, '').replace(CHANDRABINDU, '\u0902');
}

/** A regular expression for `source` wrapped in Unicode-aware word boundaries. */
export function wordPattern(source: string, flags = 'u'): RegExp {
  return new RegExp(`${WORD_START}(?:${normalizePatternSource(source)})${WORD_END}`, flags.includes('u') ? flags : `${flags}u`);
}

/** An English possessive: "Ramesh's", "Ramesh Traders'" (a name ending in s takes only the apostrophe). */
export function possessive(name: string): string {
  return /s$/i.test(name.trim()) ? `${name}'` : `${name}'s`;
}
