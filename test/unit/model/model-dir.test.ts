import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadModelDir, MODEL_FILES, saveModelDir } from '../../../shared/model/model-dir.js';
import { scoreTable } from '../../../shared/model/score-table.js';
import type { ThresholdSet } from '../../../shared/model/thresholds.js';
import { CategoricalVae } from '../../../shared/model/vae.js';
import { initBackend } from '../../../shared/runtime/backend.js';
import { toyRows } from '../../helpers/toy-flows.js';
import { toyEncoder, toyModel, toyTable } from '../../helpers/toy-model.js';

const THRESHOLDS: ThresholdSet = {
  source: 'local-calibration',
  calibrationFlows: 100,
  targets: [{ fpr: 0.01, threshold: 12.5 }],
};

describe('model directory', () => {
  let dir: string;
  before(async () => {
    await initBackend();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-model-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves and loads a model that scores identically', () => {
    const encoder = toyEncoder();
    const model = toyModel(encoder, 'mixture');
    const table = toyTable(encoder, toyRows(200, 9));
    const before = scoreTable(model, encoder, table);
    saveModelDir(join(dir, 'm'), {
      spec: model.spec,
      weights: model.getWeights(),
      thresholds: THRESHOLDS,
      metadata: { note: 'test' },
    });
    const loaded = loadModelDir(join(dir, 'm'));
    expect(loaded.spec).to.deep.equal(model.spec);
    expect(loaded.thresholds).to.deep.equal(THRESHOLDS);
    expect(loaded.metadata).to.deep.equal({ note: 'test' });
    const again = new CategoricalVae(loaded.spec, loaded.weights);
    expect([...scoreTable(again, encoder, table)]).to.deep.equal([...before]);
    model.dispose();
    again.dispose();
  });

  it('detects a modified weights file and names it', () => {
    const encoder = toyEncoder();
    const model = toyModel(encoder);
    saveModelDir(join(dir, 'm'), {
      spec: model.spec,
      weights: model.getWeights(),
      thresholds: THRESHOLDS,
    });
    const weights = join(dir, 'm', MODEL_FILES.weights);
    const bytes = readFileSync(weights);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(weights, bytes);
    expect(() => loadModelDir(join(dir, 'm'))).to.throw(
      /weights\.bin is corrupted or was modified/,
    );
    model.dispose();
  });

  it('says which file is missing from an incomplete directory', () => {
    expect(() => loadModelDir(dir)).to.throw(/missing integrity\.json/);
  });

  it('replaces an existing model as a whole, leaving no staging files behind', () => {
    const encoder = toyEncoder();
    const first = toyModel(encoder, 'gaussian', 1);
    const second = toyModel(encoder, 'gaussian', 2);
    saveModelDir(join(dir, 'm'), {
      spec: first.spec,
      weights: first.getWeights(),
      thresholds: null,
    });
    saveModelDir(join(dir, 'm'), {
      spec: second.spec,
      weights: second.getWeights(),
      thresholds: THRESHOLDS,
    });
    const loaded = loadModelDir(join(dir, 'm'));
    expect([...loaded.weights]).to.deep.equal([...second.getWeights()]);
    expect(loaded.thresholds).to.deep.equal(THRESHOLDS);
    expect(readdirSync(dir)).to.deep.equal(['m']);
    first.dispose();
    second.dispose();
  });
});
