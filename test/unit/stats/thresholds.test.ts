import { expect } from 'chai';
import { thresholdsAtFpr } from '../../../shared/stats/thresholds.js';

// 1..100 in a scrambled order, so the function has to sort.
const oneToHundred = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);

describe('thresholdsAtFpr', () => {
  it('picks the lowest threshold with at most the target share of normal scores above it', () => {
    const [onePercent, fivePercent, tenPercent] = thresholdsAtFpr(oneToHundred, [0.01, 0.05, 0.1]);
    expect(onePercent).to.deep.equal({
      targetFpr: 0.01,
      threshold: 99,
      normalsAbove: 1,
      empiricalFpr: 0.01,
      belowResolution: false,
    });
    expect(fivePercent!.threshold).to.equal(95);
    expect(tenPercent!.threshold).to.equal(90);
  });

  it('allows exactly targetFpr * n scores above even when that product rounds down', () => {
    // 0.29 * 100 is 28.999999999999996 in floating point.
    const [result] = thresholdsAtFpr(oneToHundred, [0.29]);
    expect(result!.threshold).to.equal(71);
    expect(result!.normalsAbove).to.equal(29);
  });

  it('rounds the allowed count down when the target is between two counts', () => {
    // 0.015 * 100 = 1.5 scores: only 1 may be above.
    expect(thresholdsAtFpr(oneToHundred, [0.015])[0]!.threshold).to.equal(99);
  });

  it('lands below the target FPR rather than above it when scores are tied', () => {
    const scores = [0, 0, 0, 0, 0, 0, 0, 0, 5, 5];
    const [tenPercent, twentyPercent] = thresholdsAtFpr(scores, [0.1, 0.2]);
    expect(tenPercent).to.include({ threshold: 5, normalsAbove: 0, empiricalFpr: 0 });
    expect(twentyPercent).to.include({ threshold: 0, normalsAbove: 2, empiricalFpr: 0.2 });
  });

  it('returns the highest score and flags it when there are too few scores for the target', () => {
    const scores = Float64Array.from({ length: 500 }, (_, i) => i / 10);
    const [tenthPercent, onePercent] = thresholdsAtFpr(scores, [0.001, 0.01]);
    expect(tenthPercent).to.deep.equal({
      targetFpr: 0.001,
      threshold: 49.9,
      normalsAbove: 0,
      empiricalFpr: 0,
      belowResolution: true,
    });
    expect(onePercent).to.include({ threshold: 49.4, normalsAbove: 5, belowResolution: false });
  });

  it('does not reorder the caller’s scores', () => {
    const scores = [3, 1, 2];
    thresholdsAtFpr(scores, [0.5]);
    expect(scores).to.deep.equal([3, 1, 2]);
  });

  it('refuses an empty score list, a NaN score and a target outside (0, 1)', () => {
    expect(() => thresholdsAtFpr([], [0.01])).to.throw(RangeError, /no normal scores/);
    expect(() => thresholdsAtFpr([1, Number.NaN], [0.01])).to.throw(RangeError, /score 1 is NaN/);
    for (const target of [0, 1, -0.1, Number.NaN]) {
      expect(() => thresholdsAtFpr([1, 2], [target])).to.throw(RangeError, /must be in \(0, 1\)/);
    }
  });
});
