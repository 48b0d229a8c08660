import { expect } from 'chai';
import {
  histogramProblem,
  SCORE_GRID,
  scoreHistogram,
  thresholdsFromHistogram,
} from '../../../shared/federation/calibration.js';
import { bucketCount } from '../../../shared/stats/log-histogram.js';

describe('federated calibration', () => {
  const scores = (n: number, offset = 0) =>
    Float64Array.from({ length: n }, (_, i) => 5 + offset + (i * 40) / n);

  it('places a threshold with at most the target share of calibration flows above it', () => {
    const all = scores(10_000);
    const { targets } = thresholdsFromHistogram(scoreHistogram(all), [0.01, 0.001]);
    for (const { fpr, threshold } of targets) {
      const above = all.filter((s) => s > threshold).length;
      expect(above / all.length).to.be.at.most(fpr);
      // Conservative by at most about one bucket (~1.2%) of score.
      const exact = [...all].sort((a, b) => a - b)[Math.ceil((1 - fpr) * all.length) - 1]!;
      expect(threshold).to.be.within(exact, exact * 1.03);
    }
  });

  it('gives the same thresholds from merged site histograms as from one histogram of all scores', () => {
    const a = scores(3000);
    const b = scores(7000, 3);
    const merged = scoreHistogram(a).map((c, i) => c + scoreHistogram(b)[i]!);
    const whole = scoreHistogram(Float64Array.from([...a, ...b]));
    expect(merged).to.deep.equal(whole);
    expect(thresholdsFromHistogram(merged, [0.01])).to.deep.equal(
      thresholdsFromHistogram(whole, [0.01]),
    );
  });

  it('marks the thresholds as federated and counts the calibration flows', () => {
    const t = thresholdsFromHistogram(scoreHistogram(scores(500)), [0.01]);
    expect(t.source).to.equal('federated-calibration');
    expect(t.calibrationFlows).to.equal(500);
  });

  it('says what is wrong with a histogram that does not fit the grid', () => {
    const good = scoreHistogram(scores(10));
    expect(histogramProblem(good, 10)).to.equal(null);
    expect(histogramProblem(good.slice(1), 10)).to.match(/buckets, the score grid has/);
    expect(histogramProblem(good, 11)).to.match(/holds 10 flows, the report says 11/);
    const negative = [...good];
    negative[3] = -1;
    expect(histogramProblem(negative, 9)).to.match(/non-negative integers/);
    expect(bucketCount(SCORE_GRID)).to.equal(good.length);
  });

  it('refuses to place thresholds on no flows', () => {
    expect(() =>
      thresholdsFromHistogram(new Array(bucketCount(SCORE_GRID)).fill(0), [0.01]),
    ).to.throw(/no calibration flows/);
  });
});
