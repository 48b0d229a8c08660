import { expect } from 'chai';
import { fromBase64, toBase64 } from '../../../shared/crypto/base64.js';

describe('base64', () => {
  it('round-trips bytes of every length modulo three', () => {
    for (const length of [0, 1, 2, 3, 32, 64]) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 37) & 0xff);
      expect(fromBase64(toBase64(bytes))).to.deep.equal(bytes);
    }
  });

  it('encodes a view of a larger buffer as the view only', () => {
    const whole = Uint8Array.of(1, 2, 3, 4, 5);
    expect(toBase64(whole.subarray(1, 4))).to.equal(Buffer.from([2, 3, 4]).toString('base64'));
  });

  it('refuses text that Buffer would silently repair', () => {
    expect(() => fromBase64('AAE')).to.throw(/padded base64/); // missing padding
    expect(() => fromBase64('AA E=')).to.throw(/padded base64/); // stray character
    expect(() => fromBase64('AA-_')).to.throw(/padded base64/); // base64url alphabet
    expect(() => fromBase64('AAF=')).to.throw(/canonical/); // non-zero padding bits
  });
});
