import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { attackMask, detectorRuns } from '../../../bench/classical-bench.js';
import {
  CLASSICAL_DETECTORS,
  exportParts,
  parseClassicalAnswer,
  probeClassical,
  readScores,
  runClassical,
  runClassicalScript,
} from '../../../bench/peers/classical-peer.js';
import { FlowTable } from '../../../shared/encoding/flow-table.js';
import { auroc } from '../../../shared/stats/detection-metrics.js';
import { toyRows } from '../../helpers/toy-flows.js';
import { toyEncoder, toyTable } from '../../helpers/toy-model.js';

const answer = (detectors: string[], fitSeconds = 0.5) =>
  JSON.stringify({
    seed: 1,
    width: 20,
    detectors: detectors.map((detector) => ({
      detector,
      settings: {},
      fitRows: 100,
      fitSeconds,
      scoreRows: 50,
      scoreSeconds: 0.1,
    })),
  });

describe('the classical detectors bench', () => {
  it('places thresholds on the calibration scores and measures TPR and FPR on the test set', () => {
    // 100 calibration scores 0..99: at 1% one may lie above, so the threshold is 98.
    const calibration = Array.from({ length: 100 }, (_, i) => i);
    const scores = [10, 50, 98.5, 99, 120, 97, 200, 300];
    const attacks = Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 1]);
    const [run] = detectorRuns(
      { model: 'kNN', dataset: 'toy', seed: 2, trainRows: 400 },
      calibration,
      [0.01],
      [{ name: 'toy test', scores, attacks }],
      { train: 1000, score: 2000 },
    );
    expect(run!.thresholds).to.deep.equal([{ targetFpr: 0.01, tpr: 0.75, observedFpr: 0.5 }]);
    expect(run!.auroc).to.equal(auroc(scores, attacks));
    expect([run!.test, run!.testRows, run!.testAttacks, run!.seed]).to.deep.equal([
      'toy test',
      8,
      4,
      2,
    ]);
    expect([run!.trainFlowsPerSecond, run!.scoringFlowsPerSecond]).to.deep.equal([1000, 2000]);
  });

  it("counts a row as an attack when its label's category is not normal, and refuses unlabelled rows", () => {
    const table = new FlowTable(1);
    for (const label of ['normal', 'neptune', 'normal', 'attack']) table.appendRow(label);
    expect([...attackMask(table, 'KDDTest+')]).to.deep.equal([0, 1, 0, 1]);
    table.appendRow(null);
    expect(() => attackMask(table, 'KDDTest+')).to.throw(/KDDTest\+: row 4 has no label/);
  });

  it("accepts classical.py's answer only with every detector once and finite timings", () => {
    const all = Object.keys(CLASSICAL_DETECTORS);
    expect(parseClassicalAnswer(answer(all)).detectors).to.have.length(4);
    expect(() => parseClassicalAnswer(answer(['knn', 'gmm', 'pca']))).to.throw(
      /answered detectors knn, gmm, pca; wanted knn, gmm, pca, iforest/,
    );
    expect(() => parseClassicalAnswer(answer(all, -1))).to.throw(/knn's fitSeconds is -1/);
    expect(() => parseClassicalAnswer('Traceback (most recent call last)')).to.throw(
      /answered no JSON/,
    );
  });
});

const sklearn = probeClassical();
// Mocha's skip takes no reason: the title carries why (no python3, or no scikit-learn).
const skipped = 'missing' in sklearn ? ` (skipped: ${sklearn.missing})` : '';

describe(`classical.py on fedflow's codes${skipped}`, function () {
  this.timeout(120_000);
  let work: string;
  before(function () {
    if (skipped) this.skip();
  });
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'fedflow-classical-test-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('passes its self-test: each detector ranks an obvious outlier of toy codes first', () => {
    expect(JSON.parse(runClassicalScript(['--self-test']))).to.deep.include({
      selfTest: 'passed',
    });
  });

  it('scores every exported row and ranks odd flows (unseen protocol, huge transfer) above normal ones', () => {
    const encoder = toyEncoder();
    const train = toyTable(encoder, toyRows(600));
    const calibration = toyTable(encoder, toyRows(100));
    const test = toyTable(encoder, toyRows(200, 10));
    exportParts(work, encoder, { train, calibration, test0: test });
    const result = runClassical(work, 1);
    expect(result.width).to.equal(encoder.width);
    const attacks = attackMask(test, 'toy');
    for (const d of result.detectors) {
      expect(d.fitRows).to.equal(600);
      expect(d.scoreRows).to.equal(300);
      expect(readScores(work, d.detector, 'calibration', 100)).to.have.length(100);
      const scores = readScores(work, d.detector, 'test0', 200);
      // Isolation Forest never splits on a column no training row sets: unseen codes are invisible to it.
      if (d.detector !== 'iforest') expect(auroc(scores, attacks), d.detector).to.equal(1);
    }
    expect(() => readScores(work, 'knn', 'test0', 199)).to.throw(/wanted 199 float64 scores/);
  });
});
