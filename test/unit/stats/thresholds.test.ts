import { expect } from 'chai';
import {
  assertThresholdsFit,
  scoreForThresholds,
  type ThresholdSet,
  validateThresholds,
} from '../../../shared/model/thresholds.js';
import {
  fprInterval,
  thinThresholdWarnings,
  thresholdsAtFpr,
} from '../../../shared/stats/thresholds.js';

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

describe('how far a threshold can be trusted', () => {
  it('gives the 95% Wilson interval of the true FPR from the flows above it', () => {
    const { low, high } = fprInterval(50, 5000);
    expect(low).to.be.closeTo(0.0076, 0.0002);
    expect(high).to.be.closeTo(0.0132, 0.0002);
    expect(fprInterval(0, 100).low).to.equal(0);
  });

  it('warns only for targets backed by fewer than 10 / FPR flows, saying how many were wanted', () => {
    const placed = [
      { targetFpr: 0.01, normalsAbove: 48 },
      { targetFpr: 0.001, normalsAbove: 4 },
    ];
    const warnings = thinThresholdWarnings(placed, 4853);

    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(
      /^warning: only 4853 calibration flows back the threshold at FPR 0\.001 \(10000 wanted\); its true FPR is likely between 0\.032% and 0\.21%$/,
    );
    expect(thinThresholdWarnings(placed, 20_000)).to.deep.equal([]);
  });
});

describe('thresholds and the score they were placed on', () => {
  const placed = (importanceSamples?: number): ThresholdSet => ({
    source: 'local-calibration',
    calibrationFlows: 1000,
    targets: [{ fpr: 0.01, threshold: 20 }],
    ...(importanceSamples === undefined ? {} : { importanceSamples }),
  });

  it('lets a score of the same kind use them, models made before the kind was recorded counting as the ELBO', () => {
    expect(() => assertThresholdsFit(placed(0), 0, 'm')).not.to.throw();
    expect(() => assertThresholdsFit(placed(), 0, 'm')).not.to.throw();
    expect(() => assertThresholdsFit(placed(8), 8, 'm')).not.to.throw();
    expect(() => assertThresholdsFit(null, 8, 'm')).not.to.throw();
  });

  it('scores as asked, else as the thresholds were placed, else as configured', () => {
    expect(scoreForThresholds(placed(8), undefined, 0, 'm')).to.equal(8);
    expect(scoreForThresholds(placed(8), 8, 0, 'm')).to.equal(8);
    expect(scoreForThresholds(null, undefined, 4, 'm')).to.equal(4);
    expect(() => scoreForThresholds(placed(8), 0, 0, 'm')).to.throw(/placed on scores from 8/);
  });

  it('refuses another kind, naming both and what to do', () => {
    expect(() => assertThresholdsFit(placed(), 4, 'models/a')).to.throw(
      'models/a: its thresholds were placed on scores from the ELBO (no importance samples); scoring with 4 importance samples would apply them to another score. Score with --importance-samples 0',
    );
  });

  it('reads a site-calibrated set with where it was placed, and refuses a bad importance-sample count', () => {
    const site = {
      ...placed(0),
      source: 'site-calibration',
      placedOn: { files: ['a.log'], at: 'now' },
    };
    expect(validateThresholds(site, 't.json')).to.deep.equal(site);
    expect(() => validateThresholds({ ...placed(), importanceSamples: -1 }, 't.json')).to.throw(
      "t.json: invalid thresholds: 'importanceSamples' must be a non-negative integer",
    );
  });
});
