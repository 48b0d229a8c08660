import { expect } from 'chai';
import {
  type EncodedBatch,
  packedValueAt,
  packValues,
  valueAt,
} from '../../../client/detect/encoded-batch.js';

/** A batch holding just `rows`' values, packed as the encode worker packs them. */
function batchOf(rows: (string | number)[][]): EncodedBatch {
  const fields = rows[0]!.length;
  const numbers = new Float64Array(rows.length * fields);
  const packedValues = rows.map((values, r) => packValues(values, numbers, r * fields));
  const none = new Uint32Array(rows.length);
  return {
    count: rows.length,
    codes: new Uint16Array(rows.length * fields),
    numbers,
    lines: none,
    files: none,
    labels: [],
    packedValues,
    contexts: [],
  };
}

describe('packed row values', () => {
  it('gives back each value of a row by its field index, first, middle and last, numbers as their text', () => {
    const batch = batchOf([
      ['udp', 1, '-', 3.5, 'SF'],
      ['tcp', 12, '', 0.2402, 'S0'],
    ]);
    expect([0, 1, 2, 3, 4].map((i) => valueAt(batch, 1, i))).to.deep.equal([
      'tcp',
      '12',
      '',
      '0.2402',
      'S0',
    ]);
    expect(valueAt(batch, 0, 2)).to.equal('-');
  });

  it('keeps numbers out of the packed text and text out of the numbers', () => {
    const numbers = new Float64Array(5);
    const packed = packValues(['tcp', 12, '', 1e-7, 'S0'], numbers, 0);
    expect(packed.split('\x1f')).to.deep.equal(['tcp', '', '', '', 'S0']);
    expect(Array.from(numbers, (n) => (Number.isNaN(n) ? 'text' : n))).to.deep.equal([
      'text',
      12,
      'text',
      1e-7,
      'text',
    ]);
    expect(packedValueAt(packed, 4)).to.equal('S0');
  });

  it('gives back the only value of a one-field row', () => {
    expect(valueAt(batchOf([['x']]), 0, 0)).to.equal('x');
    expect(valueAt(batchOf([[7]]), 0, 0)).to.equal('7');
  });
});
