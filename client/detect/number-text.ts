/**
 * Numbers written into alert lines as the same text JavaScript gives them (`String(x)`,
 * `x.toPrecision(4)`), digit by digit, only where that text is provably the same; anything
 * else goes through JavaScript's own conversion. Alert lines name three numbers per top field
 * and a score per row, and the engine's conversions allocate a string each.
 *
 * Why the digits are the same: a double that is the nearest one to n / 10^d (n an integer,
 * |n| < 10^15, d <= 6) prints under String() as the decimal n * 10^-d itself. That decimal
 * has at most 15 significant digits, and two different decimals of 15 digits or fewer never
 * round to the same double, so no shorter or other decimal reads back as this one; String()
 * writes the shortest that does, in fixed notation for 10^-6 <= |x| < 10^21.
 */
import type { LineWriter } from './line-writer.js';

const ZERO = 0x30;
const MINUS = 0x2d;
const POINT = 0x2e;
const EXACT_DIGITS_LIMIT = 1e15;
/** Exact powers of ten as doubles (every 10^k with k <= 22 is). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const INT32_LIMIT = 2 ** 31;
/** Decimals tried for a number that is not an integer: Zeek's times are microseconds. */
const NUMBER_DECIMALS = 6;

/** The value written as a score and as nats: rounded to 4 decimals. */
export function round4(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

/** A non-negative integer below 2^53 in decimal. */
export function writeDigits(out: LineWriter, value: number): void {
  if (value < INT32_LIMIT) {
    writeSmallDigits(out, value | 0);
    return;
  }
  let digits = 10;
  while (digits < 22 && value >= POW10[digits]!) digits++;
  out.ensure(digits);
  const { buf } = out;
  let rest = value;
  for (let i = out.pos + digits - 1; i >= out.pos; i--) {
    const next = Math.floor(rest / 10);
    buf[i] = ZERO + (rest - next * 10);
    rest = next;
  }
  out.pos += digits;
}

/** A non-negative int32 in decimal. */
function writeSmallDigits(out: LineWriter, value: number): void {
  let digits = 1;
  for (let limit = 10; digits < 10 && value >= limit; limit *= 10) digits++;
  out.ensure(digits);
  const { buf } = out;
  const end = out.pos + digits;
  let rest = value;
  for (let i = end - 1; i >= out.pos; i--) {
    const next = (rest / 10) | 0;
    buf[i] = ZERO + rest - next * 10;
    rest = next;
  }
  out.pos = end;
}

/** `String(value)`. */
export function writeNumber(out: LineWriter, value: number): void {
  if (Number.isInteger(value) && Math.abs(value) < EXACT_DIGITS_LIMIT) {
    // String(-0) is '0'.
    if (value < 0) out.byte(MINUS);
    writeDigits(out, Math.abs(value));
    return;
  }
  const scaled = Math.round(value * POW10[NUMBER_DECIMALS]!);
  if (scaled / POW10[NUMBER_DECIMALS]! === value && Math.abs(scaled) < EXACT_DIGITS_LIMIT)
    writeFixed(out, scaled, NUMBER_DECIMALS);
  else out.text(String(value));
}

/** `String(round4(value))`. */
export function writeRound4(out: LineWriter, value: number): void {
  const scaled = Math.round(value * 1e4);
  if (Math.abs(scaled) < EXACT_DIGITS_LIMIT) writeFixed(out, scaled, 4);
  else out.text(String(scaled / 1e4));
}

/** `String(scaled / 10^decimals)` for an integer |scaled| < 10^15 and decimals <= 6. */
function writeFixed(out: LineWriter, scaled: number, decimals: number): void {
  if (scaled === 0) {
    out.byte(ZERO); // -0 as well
    return;
  }
  if (scaled < 0) out.byte(MINUS);
  const magnitude = Math.abs(scaled);
  const unit = POW10[decimals]!;
  const whole = Math.floor(magnitude / unit);
  writeDigits(out, whole);
  // Below 10^6: an int32, whose division the engine does in integer arithmetic.
  let fraction = (magnitude - whole * unit) | 0;
  if (fraction === 0) return;
  let digits = decimals;
  for (let next = (fraction / 10) | 0; next * 10 === fraction; next = (fraction / 10) | 0) {
    fraction = next;
    digits--;
  }
  out.ensure(digits + 1);
  const { buf } = out;
  buf[out.pos] = POINT;
  for (let i = out.pos + digits, rest = fraction; i > out.pos; i--) {
    const next = (rest / 10) | 0;
    buf[i] = ZERO + rest - next * 10;
    rest = next;
  }
  out.pos += digits + 1;
}

/**
 * How close (in units of the last kept digit) a scaled value may come to a rounding tie before
 * toPrecision decides: the scaled product is off by at most 10^4 * 2^-53 (~1.1e-12).
 */
const TIE_MARGIN = 1e-6;
/** The smallest value written with each exponent, 10^e for e = 2, 1, ..., -6 (approximate: checked after). */
const EXPONENT_FLOORS = [1e2, 1e1, 1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6];

/**
 * `value.toPrecision(4)`. toPrecision rounds the exact value to 4 significant digits (ties
 * up); scaling by an exact power of ten rounds once, so away from a tie the scaled value
 * rounds the same way, and near one (or outside 10^-6 .. 10^3, where the text changes form)
 * the engine decides.
 */
export function writePrecision4(out: LineWriter, value: number): void {
  if (!(value >= 1e-6 && value < 1e3)) {
    out.text(value.toPrecision(4));
    return;
  }
  let exponent = 2;
  while (exponent > -6 && value < EXPONENT_FLOORS[2 - exponent]!) exponent--;
  let scaled = value * POW10[3 - exponent]!;
  if (scaled < 1000 && exponent > -6) scaled = value * POW10[3 - --exponent]!;
  else if (scaled >= 10000 && exponent < 2) scaled = value * POW10[3 - ++exponent]!;
  const tie = Math.abs(scaled - Math.floor(scaled) - 0.5) < TIE_MARGIN;
  if (tie || scaled < 1000 || scaled >= 10000) {
    out.text(value.toPrecision(4));
    return;
  }
  let digits = Math.round(scaled);
  if (digits === 10000) {
    digits = 1000;
    exponent++;
  }
  writePrecisionDigits(out, digits, exponent);
}

/** Four digits (1000 .. 9999) times 10^(exponent - 3), -6 <= exponent <= 3, as toPrecision writes them. */
function writePrecisionDigits(out: LineWriter, digits: number, exponent: number): void {
  out.ensure(12);
  const { buf } = out;
  let at = out.pos;
  if (exponent < 0) {
    buf[at++] = ZERO;
    buf[at++] = POINT;
    for (let z = -1; z > exponent; z--) buf[at++] = ZERO;
  }
  const point = exponent >= 0 && exponent < 3;
  for (let i = 3, rest = digits | 0; i >= 0; i--) {
    const next = (rest / 10) | 0;
    // Digit i (0 = leading) goes after the point when i > exponent (for exponent >= 0).
    buf[at + i + (point && i > exponent ? 1 : 0)] = ZERO + rest - next * 10;
    rest = next;
  }
  if (point) buf[at + exponent + 1] = POINT;
  out.pos = at + 4 + (point ? 1 : 0);
}
