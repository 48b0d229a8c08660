import { expect } from 'chai';
import {
  INVALID,
  numberProblem,
  parseFlag,
  parseNonNegative,
} from '../../../shared/flows/field-text.js';

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
