import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { dataSets, MODELS, modelName } from '../../../bench/models-bench.js';
import {
  type ModelRun,
  markdownTable,
  mergeTables,
  modelTable,
} from '../../../bench/models-table.js';

const run = (model: string, test: string, seed: number, auroc: number, tpr = 0.5): ModelRun => ({
  model,
  dataset: test.split(' ')[0]!,
  test,
  seed,
  trainRows: 100,
  testRows: 50,
  testAttacks: 10,
  epochs: 10 * seed,
  auroc,
  auprc: auroc - 0.1,
  thresholds: [
    { targetFpr: 0.01, tpr, observedFpr: 0.02 * seed },
    { targetFpr: 0.001, tpr: tpr / 2, observedFpr: 0.001 * seed },
  ],
  trainFlowsPerSecond: 1000 * seed,
  scoringFlowsPerSecond: 2000 * seed,
});

describe('the all-models table', () => {
  it('gives one row per model and test set, in the order the runs came', () => {
    const rows = modelTable([
      run('vae', 'nsl a', 1, 0.9),
      run('gan', 'nsl a', 1, 0.8),
      run('vae', 'iot b', 1, 0.7),
      run('vae', 'nsl a', 2, 0.95),
    ]);
    expect(rows.map((r) => [r.model, r.test, r.seeds])).to.deep.equal([
      ['vae', 'nsl a', [1, 2]],
      ['gan', 'nsl a', [1]],
      ['vae', 'iot b', [1]],
    ]);
  });

  it('takes medians over the seeds of every figure, and the AUROC range', () => {
    const [row] = modelTable([
      run('vae', 'nsl a', 1, 0.9, 0.6),
      run('vae', 'nsl a', 2, 0.97, 0.2),
      run('vae', 'nsl a', 3, 0.93, 0.4),
    ]);
    expect(row!.auroc).to.equal(0.93);
    expect([row!.minAuroc, row!.maxAuroc]).to.deep.equal([0.9, 0.97]);
    expect(row!.auprc).to.be.closeTo(0.83, 1e-12);
    expect(row!.atOwnThresholds).to.deep.equal([
      { targetFpr: 0.01, tpr: 0.4, observedFpr: 0.04 },
      { targetFpr: 0.001, tpr: 0.2, observedFpr: 0.002 },
    ]);
    expect(row!.medianEpochs).to.equal(20);
    expect(row!.trainFlowsPerSecond).to.equal(2000);
    expect(row!.scoringFlowsPerSecond).to.equal(4000);
  });

  it('refuses to take medians over seeds whose thresholds have different targets', () => {
    const odd = {
      ...run('vae', 'nsl a', 2, 0.9),
      thresholds: [run('vae', 'nsl a', 2, 0.9).thresholds[0]!],
    };
    expect(() => modelTable([run('vae', 'nsl a', 1, 0.9), odd])).to.throw(
      /vae on nsl a, seed 2: threshold targets/,
    );
  });

  it('writes markdown grouped by test set with the best AUROC of each test set in bold', () => {
    const text = markdownTable(
      modelTable([
        run('vae', 'nsl a', 1, 0.9),
        run('vae', 'iot b', 1, 0.6),
        run('gan', 'nsl a', 1, 0.8),
        run('gan', 'iot b', 1, 0.7),
      ]),
    );
    const lines = text.trim().split('\n');
    expect(lines[0]).to.equal(
      '| test set | model | AUROC (min-max) | AUPRC | TPR at own 1% (observed FPR) | TPR at own 0.1% (observed FPR) | train flows/s | score flows/s |',
    );
    expect(lines.slice(2).map((l) => l.split(' | ').slice(0, 3))).to.deep.equal([
      ['| nsl a', 'vae', '**0.9000 (0.9000-0.9000)**'],
      ['| nsl a', 'gan', '0.8000 (0.8000-0.8000)'],
      ['| iot b', 'vae', '0.6000 (0.6000-0.6000)'],
      ['| iot b', 'gan', '**0.7000 (0.7000-0.7000)**'],
    ]);
    expect(lines[2]).to.contain('| 0.500 (2.00%) | 0.250 (0.100%) | 1,000 | 2,000 |');
  });

  it("merges another table's rows after each test set's own, test sets it lacks last", () => {
    const models = modelTable([run('vae', 'nsl a', 1, 0.9), run('vae', 'iot b', 1, 0.8)]);
    const classical = modelTable([
      run('pca', 'iot b', 1, 0.95),
      run('pca', 'syn c', 1, 0.7),
      run('pca', 'nsl a', 1, 0.85),
    ]);
    const merged = mergeTables(models, classical);
    expect(merged.map((r) => `${r.test}/${r.model}`)).to.deep.equal([
      'nsl a/vae',
      'nsl a/pca',
      'iot b/vae',
      'iot b/pca',
      'syn c/pca',
    ]);
    // The best AUROC of a test set is bolded across both tables' rows.
    expect(markdownTable(merged)).to.contain('| iot b | pca | **0.9500 (0.9500-0.9500)** |');
  });

  it("names the GRU's rows 'no history' on a data set without addresses, and no other kind's", () => {
    const gru = MODELS.find(
      (m) => (m.overrides as Record<string, unknown>)['model.kind'] === 'gru',
    )!;
    expect(modelName(gru, { addresses: true })).to.equal(gru.name);
    expect(modelName(gru, { addresses: false })).to.equal(
      'GRU, no history (NSL-KDD has no addresses)',
    );
    for (const model of MODELS.filter((m) => m !== gru))
      expect(modelName(model, { addresses: false })).to.equal(model.name);
  });

  it('says NSL-KDD has no addresses and the Zeek data sets have them', async () => {
    const work = mkdtempSync(join(tmpdir(), 'models-bench-sets-'));
    try {
      const sets = await dataSets({ nslKdd: join(work, 'nsl'), iot23: join(work, 'iot') }, work);
      expect(sets.map((s) => [s.name, s.addresses])).to.deep.equal([
        ['IoT-23', true],
        ['synthetic sites', true],
        ['NSL-KDD', false],
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
