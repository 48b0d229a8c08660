import { expect } from 'chai';
import { packedValueAt, packValues } from '../../../client/detect/encoded-batch.js';

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
});
