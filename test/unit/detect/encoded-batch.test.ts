import { expect } from 'chai';
import { packedValueAt, packedValuesAt, packValues } from '../../../client/detect/encoded-batch.js';

describe('packed row values', () => {
  it('gives back each value of a packed row by its field index, first, middle and last', () => {
    const values = ['tcp', 12, '', 0.2402, 'S0'];
    const packed = packValues(values);

    expect(values.map((_, i) => packedValueAt(packed, i))).to.deep.equal([
      'tcp',
      '12',
      '',
      '0.2402',
      'S0',
    ]);
  });

  it('gives back the only value of a one-field row', () => {
    expect(packedValueAt(packValues(['x']), 0)).to.equal('x');
  });

  it('gives back several values in one pass, in the order asked, last and empty fields included', () => {
    const packed = packValues(['tcp', 12, '', 0.2402, 'S0']);
    const out = ['', '', '', ''];
    packedValuesAt(packed, Int32Array.of(4, 0, 2, 3), 3, out);

    // Only the first three indices count; the fourth slot keeps what it held.
    expect(out).to.deep.equal(['S0', 'tcp', '', '']);
    packedValuesAt(packed, Int32Array.of(3, 1), 2, out);
    expect(out.slice(0, 2)).to.deep.equal(['0.2402', '12']);
  });
});
