import { expect } from 'chai';
import { scaledDiff, TOLERANCE } from '../../../bench/peers/peer-match.js';

describe('the peer check’s scaled difference', () => {
  it('is the absolute difference for values up to 1', () => {
    expect(scaledDiff(0.5, 0.25)).to.equal(0.25);
    expect(scaledDiff(-0.001, 0)).to.equal(0.001);
  });

  it('is relative to the peer’s value above 1, so a 40-nat score may differ 40 times more', () => {
    expect(scaledDiff(40.004, 40)).to.be.closeTo(1e-4, 1e-9);
    expect(scaledDiff(40.004, 40)).to.be.at.most(TOLERANCE * (1 + 1e-6));
    expect(scaledDiff(1.004, 1)).to.be.above(TOLERANCE);
  });

  it('never lets a NaN or an infinity pass', () => {
    expect(scaledDiff(Number.NaN, 1)).to.equal(Number.POSITIVE_INFINITY);
    expect(scaledDiff(1, Number.NaN)).to.equal(Number.POSITIVE_INFINITY);
    expect(scaledDiff(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY)).to.equal(
      Number.POSITIVE_INFINITY,
    );
    expect(scaledDiff(Number.POSITIVE_INFINITY, 5)).to.be.above(TOLERANCE);
  });
});
