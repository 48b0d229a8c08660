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
