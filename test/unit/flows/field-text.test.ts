import { expect } from 'chai';
import {
  INVALID,
  numberProblem,
  parseFlag,
  parseFlagBytes,
  parseNonNegative,
  parseNonNegativeBytes,
} from '../../../shared/flows/field-text.js';

/** Texts the byte parser must read as the string parser does: valid, invalid, and at the limits of exactness. */
const NUMBER_TEXTS = [
  ...['0', '7', '491', '0.00', '0.05', '1.', '.5', '12983', '3e-4', '1.5E+3', '0.1', '0.3'],
  ...['1533042911.474174', '9007199254740991', '9007199254740993', '123456789012345678'],
  ...['0.1234567890123456789012', '0.12345678901234567890123', '00012.50', '4.35', '1e22'],
  ...['', ' ', ' 1', '1 ', '-1', '+1', '0x10', '1e', '.', 'e5', '1.2.3', 'Infinity', 'NaN'],
  ...['1e999', '1,5', '"3"', `${'9'.repeat(400)}`, `${'9'.repeat(400)}.5`],
];

describe('numeric field text', () => {
  it('parses plain non-negative decimals exactly as Number does', () => {
    for (const text of [
      '0',
      '7',
      '491',
      '0.00',
      '0.05',
      '1.',
      '.5',
      '12983',
      '3e-4',
      '1.5E+3',
      '123456789012345678',
    ]) {
      expect(parseNonNegative(text), text).to.equal(Number(text));
    }
  });

  it('rejects everything else', () => {
    for (const text of [
      '',
      ' ',
      ' 1',
      '1 ',
      '-1',
      '+1',
      '-0',
      '0x10',
      '1e',
      '.',
      'e5',
      '1.2.3',
      'Infinity',
      'NaN',
      '1e999',
      '1,5',
    ]) {
      expect(parseNonNegative(text), `'${text}'`).to.equal(INVALID);
    }
  });

  it('parses 0/1 flags, also written as decimals', () => {
    expect(['0', '1', '0.0', '1.00'].map(parseFlag)).to.deep.equal([0, 1, 0, 1]);
    expect(['2', '-1', 'T', ''].map(parseFlag)).to.deep.equal([INVALID, INVALID, INVALID, INVALID]);
  });

  it('reads numbers from ASCII bytes to the same value (or rejection) as from their text', () => {
    for (const text of NUMBER_TEXTS) {
      const bytes = Buffer.from(`,${text},`);
      expect(parseNonNegativeBytes(bytes, 1, bytes.length - 1), `'${text}'`).to.equal(
        parseNonNegative(text),
      );
      expect(parseFlagBytes(bytes, 1, bytes.length - 1), `flag '${text}'`).to.equal(
        parseFlag(text),
      );
    }
  });

  it('reads random decimals from bytes exactly as Number does', () => {
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (let k = 0; k < 20_000; k++) {
      const whole = String(next() % 10 ** (next() % 10));
      const fraction = String(next()).slice(0, next() % 11);
      const text = fraction === '' ? whole : `${whole}.${fraction}`;
      const bytes = Buffer.from(text);
      expect(parseNonNegativeBytes(bytes, 0, bytes.length), text).to.equal(Number(text));
    }
  });

  it('says why a value was rejected, cutting long values short', () => {
    expect(numberProblem('abc')).to.equal("expected a non-negative number, got 'abc'");
    expect(numberProblem('-2.5')).to.equal("expected a non-negative number, got '-2.5'");
    expect(numberProblem('inf')).to.equal("expected a finite number, got 'inf'");
    expect(numberProblem('1e400')).to.equal("expected a finite number, got '1e400'");
    expect(numberProblem('x'.repeat(100))).to.equal(
      `expected a non-negative number, got '${'x'.repeat(40)}...'`,
    );
  });
});
