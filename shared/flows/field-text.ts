/**
 * Parsing of one numeric field's text, on the hot path of every reader: a char-code loop instead
 * of a regex, and a plain -1 for "invalid" so valid values cost no allocation. Reasons for invalid
 * values are built only when needed.
 */

/** Returned by the parsers below for text that is not a valid value (every valid value is >= 0). */
export const INVALID = -1;

/** Largest digit count whose integer is exact in a double, so it can be accumulated directly. */
const MAX_EXACT_DIGITS = 15;

/**
 * The value of a plain non-negative decimal (`12`, `0.05`, `.5`, `3e-4`), or {@link INVALID} for
 * anything else: empty, signs, spaces, hex, `Infinity`, overflow.
 */
export function parseNonNegative(text: string): number {
  const length = text.length;
  let index = 0;
  let integer = 0;
  while (index < length) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) break;
    integer = integer * 10 + digit;
    index++;
  }
  if (index === length) {
    if (length === 0) return INVALID;
    return length <= MAX_EXACT_DIGITS ? integer : slowParse(text);
  }
  let digits = index;
  if (text.charCodeAt(index) === 46 /* . */) {
    index++;
    const fractionStart = index;
    while (index < length && isDigit(text.charCodeAt(index))) index++;
    digits += index - fractionStart;
  }
  if (digits === 0) return INVALID;
  if (index < length && (text.charCodeAt(index) | 32) === 101 /* e or E */) {
    index++;
    const sign = text.charCodeAt(index);
    if (sign === 43 /* + */ || sign === 45 /* - */) index++;
    const exponentStart = index;
    while (index < length && isDigit(text.charCodeAt(index))) index++;
    if (index === exponentStart) return INVALID;
  }
  return index === length ? slowParse(text) : INVALID;
}

/**
 * {@link parseNonNegative} of the ASCII text `bytes[start, end)`, read from the bytes without
 * a string: the same syntax, the same value. A decimal whose digits make an integer below 2^53
 * is that integer divided by a power of ten up to 10^22, both exact, so the one rounding of
 * the division gives the nearest double, as Number() does; anything else goes to Number().
 */
export function parseNonNegativeBytes(bytes: Buffer, start: number, end: number): number {
  let index = start;
  let mantissa = 0;
  while (index < end) {
    const digit = bytes[index]! - 48;
    if (digit < 0 || digit > 9) break;
    mantissa = mantissa * 10 + digit;
    index++;
  }
  let digits = index - start;
  if (index === end) {
    if (digits === 0) return INVALID;
    return mantissa < EXACT_INTEGER_LIMIT ? mantissa : slowParseBytes(bytes, start, end);
  }
  let fraction = 0;
  if (bytes[index] === 46 /* . */) {
    index++;
    while (index < end && isDigit(bytes[index]!)) {
      mantissa = mantissa * 10 + (bytes[index]! - 48);
      index++;
      fraction++;
    }
    digits += fraction;
  }
  if (digits === 0) return INVALID;
  if (index === end) {
    return mantissa < EXACT_INTEGER_LIMIT && fraction < POWERS_OF_TEN.length
      ? mantissa / POWERS_OF_TEN[fraction]!
      : slowParseBytes(bytes, start, end);
  }
  if ((bytes[index]! | 32) !== 101 /* e or E */) return INVALID;
  index++;
  const sign = bytes[index];
  if (sign === 43 /* + */ || sign === 45 /* - */) index++;
  const exponentStart = index;
  while (index < end && isDigit(bytes[index]!)) index++;
  if (index === exponentStart || index !== end) return INVALID;
  return slowParseBytes(bytes, start, end);
}

/** {@link parseFlag} of the ASCII text `bytes[start, end)`. */
export function parseFlagBytes(bytes: Buffer, start: number, end: number): number {
  const value = parseNonNegativeBytes(bytes, start, end);
  return value === 0 || value === 1 ? value : INVALID;
}

/** While below this, a mantissa accumulated digit by digit is exact (it may pass it once, inexactly). */
const EXACT_INTEGER_LIMIT = 2 ** 53;
/** 10^0 .. 10^22: the powers of ten a double holds exactly. */
const POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

function slowParseBytes(bytes: Buffer, start: number, end: number): number {
  return slowParse(bytes.toString('latin1', start, end));
}

/** 0 or 1 (also written `0.0`, `1.0`), else {@link INVALID}. */
export function parseFlag(text: string): number {
  if (text === '0') return 0;
  if (text === '1') return 1;
  const value = parseNonNegative(text);
  return value === 0 || value === 1 ? value : INVALID;
}

/** Why {@link parseNonNegative} rejected `text`. */
export function numberProblem(text: string): string {
  const value = Number(text.trim());
  const overflow = value === Number.POSITIVE_INFINITY && /\d/.test(text);
  if (overflow || /^\+?(inf|infinity|nan)$/i.test(text.trim())) {
    return `expected a finite number, got ${quoteValue(text)}`;
  }
  return `expected a non-negative number, got ${quoteValue(text)}`;
}

/** Why {@link parseFlag} rejected `text`. */
export function flagProblem(text: string): string {
  return `expected 0 or 1, got ${quoteValue(text)}`;
}

/** A value quoted for a message, cut short so a garbage line cannot flood the log. */
export function quoteValue(text: string): string {
  return text.length > 40 ? `'${text.slice(0, 40)}...'` : `'${text}'`;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The syntax is already checked; only overflow to Infinity remains to reject. */
function slowParse(text: string): number {
  const value = Number(text);
  return value < Number.POSITIVE_INFINITY ? value : INVALID;
}
