import { expect } from 'chai';
import {
  auprc,
  auroc,
  ratesAtThreshold,
  rocCurve,
} from '../../../shared/stats/detection-metrics.js';

// A small seeded generator, so the randomised cross-checks are reproducible.
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// Definitions written the slow, obvious way, to check the fast ones against.
function pairwiseAuroc(scores: number[], positives: boolean[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (!positives[i]) return;
    scores.forEach((t, j) => {
      if (positives[j]) return;
      pairs++;
      wins += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

function bruteForceAveragePrecision(scores: number[], positives: boolean[]): number {
  const total = positives.filter(Boolean).length;
  const distinct = [...new Set(scores)].sort((a, b) => b - a);
  let ap = 0;
  let previousRecall = 0;
  for (const t of distinct) {
    const alerted = scores.map((s, i) => [s >= t, positives[i]] as const).filter(([a]) => a);
    const tp = alerted.filter(([, p]) => p).length;
    const recall = tp / total;
    ap += (recall - previousRecall) * (tp / alerted.length);
    previousRecall = recall;
  }
  return ap;
}

describe('detection metrics', () => {
  describe('auroc', () => {
    it('counts the share of attack-normal pairs ranked correctly', () => {
      expect(auroc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).to.equal(0.75);
    });

    it('counts a tie between an attack and a normal flow as half a pair', () => {
      // Pairs: 0.9>0.5, 0.9>0.2, 0.5=0.5 (half), 0.5>0.2 -> 3.5 of 4.
      expect(auroc([0.9, 0.5, 0.5, 0.2], [true, true, false, false])).to.equal(0.875);
    });

    it('gives 0.5 when every score is the same', () => {
      expect(auroc([3, 3, 3, 3], [true, false, true, false])).to.equal(0.5);
    });

    it('gives 1 for a perfect ranking and 0 for an inverted one', () => {
      const positives = [false, false, true, true];
      expect(auroc([0.1, 0.2, 0.9, 0.8], positives)).to.equal(1);
      expect(auroc([0.9, 0.8, 0.1, 0.2], positives)).to.equal(0);
    });

    it('accepts typed arrays for scores and labels', () => {
      const scores = Float64Array.from([0.1, 0.4, 0.35, 0.8]);
      expect(auroc(scores, Uint8Array.from([0, 0, 1, 1]))).to.equal(0.75);
    });

    it('agrees with pairwise counting on random scores with many ties', () => {
      const random = lcg(7);
      for (let trial = 0; trial < 20; trial++) {
        const n = 50 + trial * 10;
        const positives = Array.from({ length: n }, () => random() < 0.3);
        positives[0] = true;
        positives[1] = false;
        const scores = positives.map((p) => Math.round((random() + (p ? 0.3 : 0)) * 8));
        expect(auroc(scores, positives)).to.be.closeTo(pairwiseAuroc(scores, positives), 1e-12);
      }
    });

    it('refuses labels without a positive, saying AUROC is undefined', () => {
      expect(() => auroc([1, 2], [false, false])).to.throw(
        RangeError,
        /AUROC is undefined.*attack/,
      );
    });

    it('refuses labels without a negative, saying AUROC is undefined', () => {
      expect(() => auroc([1, 2], [true, true])).to.throw(RangeError, /AUROC is undefined.*normal/);
    });

    it('refuses scores and labels of different lengths, naming both', () => {
      expect(() => auroc([1, 2, 3], [true, false])).to.throw(RangeError, /3 scores and 2 labels/);
    });

    it('refuses a NaN score, naming its index', () => {
      expect(() => auroc([1, Number.NaN, 3], [true, false, true])).to.throw(
        RangeError,
        /score 1 is NaN/,
      );
    });

    it('refuses empty input', () => {
      expect(() => auroc([], [])).to.throw(RangeError, /no scores/);
    });

    it('ranks a million scores quickly', function () {
      this.timeout(20_000);
      const random = lcg(3);
      const n = 1_000_000;
      const positives = new Uint8Array(n);
      const scores = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        positives[i] = random() < 0.2 ? 1 : 0;
        scores[i] = random() + positives[i]! * 0.5;
      }
      const started = performance.now();
      const area = auroc(scores, positives);
      const elapsed = performance.now() - started;
      // Uniform(0,1) + 0.5 against Uniform(0,1): P(attack > normal) = 1 - 0.5^2 / 2 = 0.875.
      expect(area).to.be.closeTo(0.875, 0.003);
      expect(elapsed).to.be.below(5000);
    });
  });

  describe('auprc', () => {
    it('sums recall gained times precision over distinct thresholds', () => {
      // 0.8 (attack): precision 1, recall 1/2; 0.35 (attack): precision 2/3, recall 1.
      expect(auprc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).to.be.closeTo(5 / 6, 1e-15);
    });

    it('takes tied scores together as one threshold', () => {
      // 0.9: precision 1, recall 1/2; the tie at 0.5 adds one attack and one normal: 2/3.
      expect(auprc([0.9, 0.5, 0.5, 0.2], [true, true, false, false])).to.be.closeTo(5 / 6, 1e-15);
      expect(auprc([3, 3, 3, 3], [true, false, true, false])).to.equal(0.5);
    });

    it('gives 1 for a perfect ranking and the attack share at the bottom for an inverted one', () => {
      const positives = [false, false, true, true];
      expect(auprc([0.1, 0.2, 0.9, 0.8], positives)).to.equal(1);
      // Attacks found third (precision 1/3) and fourth (precision 2/4).
      expect(auprc([0.9, 0.8, 0.1, 0.2], positives)).to.be.closeTo(5 / 12, 1e-15);
    });

    it('agrees with the step-wise definition on random scores with many ties', () => {
      const random = lcg(11);
      for (let trial = 0; trial < 20; trial++) {
        const n = 40 + trial * 7;
        const positives = Array.from({ length: n }, () => random() < 0.25);
        positives[0] = true;
        const scores = positives.map((p) => Math.round((random() + (p ? 0.4 : 0)) * 6));
        expect(auprc(scores, positives)).to.be.closeTo(
          bruteForceAveragePrecision(scores, positives),
          1e-12,
        );
      }
    });

    it('gives 1 when every flow is an attack', () => {
      expect(auprc([1, 2, 3], [true, true, true])).to.equal(1);
    });

    it('refuses labels without a positive, saying AUPRC is undefined', () => {
      expect(() => auprc([1, 2], [false, false])).to.throw(RangeError, /AUPRC is undefined/);
    });
  });

  describe('rocCurve', () => {
    it('walks the distinct scores from the highest down, with the threshold of each point', () => {
      const curve = rocCurve([0.1, 0.4, 0.35, 0.8], [false, false, true, true]);
      expect(Array.from(curve.fpr)).to.deep.equal([0, 0, 0.5, 0.5, 1]);
      expect(Array.from(curve.tpr)).to.deep.equal([0, 0.5, 0.5, 1, 1]);
      expect(Array.from(curve.thresholds)).to.deep.equal([
        0.8,
        0.4,
        0.35,
        0.1,
        Number.NEGATIVE_INFINITY,
      ]);
    });

    it('drops points in the middle of a straight segment', () => {
      const curve = rocCurve([4, 3, 2, 1], [true, true, false, false]);
      expect(Array.from(curve.fpr)).to.deep.equal([0, 0, 1]);
      expect(Array.from(curve.tpr)).to.deep.equal([0, 1, 1]);
      expect(Array.from(curve.thresholds)).to.deep.equal([4, 2, Number.NEGATIVE_INFINITY]);
    });

    it('makes a tied group one diagonal step', () => {
      const curve = rocCurve([3, 3, 3, 3], [true, false, true, false]);
      expect(Array.from(curve.fpr)).to.deep.equal([0, 1]);
      expect(Array.from(curve.tpr)).to.deep.equal([0, 1]);
    });

    it('thins a long curve to at most maxPoints exact points, from (0, 0) to (1, 1)', () => {
      const random = lcg(5);
      const n = 20_000;
      const positives = Array.from({ length: n }, () => random() < 0.3);
      const scores = positives.map((p) => random() + (p ? 0.3 : 0));
      const curve = rocCurve(scores, positives, 100);
      const last = curve.fpr.length - 1;
      expect(curve.fpr.length).to.be.at.most(100).and.at.least(25);
      expect([curve.fpr[0], curve.tpr[0], curve.fpr[last], curve.tpr[last]]).to.deep.equal([
        0, 0, 1, 1,
      ]);
      for (let k = 1; k <= last; k++) {
        expect(curve.fpr[k]).to.be.at.least(curve.fpr[k - 1]!);
        expect(curve.tpr[k]).to.be.at.least(curve.tpr[k - 1]!);
      }
      // Every kept point is a real operating point: its threshold reproduces it.
      for (let k = 0; k <= last; k += 7) {
        const rates = ratesAtThreshold(scores, positives, curve.thresholds[k]!);
        expect([rates.fpr, rates.tpr]).to.deep.equal([curve.fpr[k], curve.tpr[k]]);
      }
    });

    it('keeps low false-positive rates resolved when thinning', () => {
      const random = lcg(9);
      const n = 100_000;
      const positives = Array.from({ length: n }, () => random() < 0.5);
      // A chance-level curve: below 1% FPR it gains only ~1% TPR, so a spacing even along a
      // linear axis alone would leave one or two points there.
      const scores = positives.map(() => random());
      const curve = rocCurve(scores, positives, 200);
      const below1Percent = Array.from(curve.fpr).filter((f) => f > 0 && f < 0.01).length;
      expect(below1Percent).to.be.at.least(12);
    });

    it('refuses labels without both classes and a maxPoints below 2', () => {
      expect(() => rocCurve([1, 2], [true, true])).to.throw(RangeError, /ROC curve is undefined/);
      expect(() => rocCurve([1, 2], [true, false], 1)).to.throw(RangeError, /maxPoints/);
    });
  });

  describe('ratesAtThreshold', () => {
    it('alerts on scores strictly above the threshold and counts each cell', () => {
      const rates = ratesAtThreshold(
        [0.1, 0.5, 0.5, 0.9, 0.3],
        [false, true, false, true, true],
        0.5,
      );
      expect(rates).to.deep.equal({ tpr: 1 / 3, fpr: 0, tp: 1, fp: 0, tn: 2, fn: 2 });
    });

    it('alerts on everything below the lowest score', () => {
      const rates = ratesAtThreshold([0.1, 0.5, 0.9], [false, true, true], 0);
      expect(rates).to.deep.equal({ tpr: 1, fpr: 1, tp: 2, fp: 1, tn: 0, fn: 0 });
    });

    it('gives NaN, not 0, for the rate of a class that has no flows', () => {
      const rates = ratesAtThreshold([0.1, 0.9], [false, false], 0.5);
      expect(rates.fpr).to.equal(0.5);
      expect(rates.tpr).to.be.NaN;
    });

    it('refuses a NaN threshold and a NaN score', () => {
      expect(() => ratesAtThreshold([1], [true], Number.NaN)).to.throw(RangeError, /threshold/);
      expect(() => ratesAtThreshold([Number.NaN], [true], 0)).to.throw(RangeError, /score 0/);
    });
  });
});
