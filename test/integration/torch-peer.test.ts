import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { checkPeerMatches } from '../../bench/peers/peer-match.js';
import { probePeer } from '../../bench/peers/python-peer.js';
import { openModel } from '../../client/detect/loaded-model.js';
import { createModel } from '../../shared/model/create-model.js';
import { saveModelDir } from '../../shared/model/model-dir.js';
import { defaultLatent } from '../../shared/model/model-spec.js';
import { TOY_SCHEMA, toyRows } from '../helpers/toy-flows.js';
import { toyEncoder, toyTable } from '../helpers/toy-model.js';

const peer = probePeer();
// Mocha's skip takes no reason: the title carries why (no python3, or no torch).
const skipped = 'missing' in peer ? ` (skipped: ${peer.missing})` : '';

describe(`the PyTorch peer of the mixture VAE (bench/peers)${skipped}`, function () {
  this.timeout(120_000);
  let work: string;

  before(function () {
    if (skipped) this.skip();
  });
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'fedflow-peer-test-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('gives the scores, per-field parts, loss and gradient of a saved model on the same codes within 1e-4 of their size', () => {
    const encoder = toyEncoder();
    const table = toyTable(encoder, toyRows(700, 9));
    const latent = { ...defaultLatent('mixture'), components: 6 };
    const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden: [16], latent }, 3);
    const dir = join(work, 'model');
    saveModelDir(dir, { spec: fresh.spec, weights: fresh.weights, thresholds: null });

    const match = checkPeerMatches(dir, openModel(dir), table, work, 256);

    expect(match.rows).to.equal(700);
    expect(match.gradientRows).to.equal(256);
    const { row, fedflow, peer } = match.worstScore;
    expect(match.maxScoreDiff, `row ${row}: fedflow ${fedflow}, peer ${peer}`).to.be.at.most(1e-4);
    expect(match.maxFieldNllDiff).to.be.at.most(1e-4);
    expect(match.lossDiff).to.be.at.most(1e-4);
    expect(match.maxGradientDiff).to.be.at.most(1e-4);
    expect(match.matches).to.equal(true);
  });

  it('refuses a Gaussian-latent model, which it does not implement, saying so', () => {
    const encoder = toyEncoder();
    const table = toyTable(encoder, toyRows(50));
    const latent = { kind: 'gaussian', dim: 4 } as const;
    const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden: [16], latent }, 1);
    const dir = join(work, 'model');
    saveModelDir(dir, { spec: fresh.spec, weights: fresh.weights, thresholds: null });

    expect(() => checkPeerMatches(dir, openModel(dir), table, work)).to.throw(
      /mixture latent only/,
    );
  });

  it('refuses a model directory whose weights were modified after saving', () => {
    const encoder = toyEncoder();
    const table = toyTable(encoder, toyRows(50));
    const latent = { ...defaultLatent('mixture'), components: 6 };
    const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden: [16], latent }, 1);
    const dir = join(work, 'model');
    saveModelDir(dir, { spec: fresh.spec, weights: fresh.weights, thresholds: null });
    const loaded = openModel(dir);
    const tampered = fresh.weights.slice();
    tampered[0] = tampered[0]! + 1;
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(tampered.buffer));

    expect(() => checkPeerMatches(dir, loaded, table, work)).to.throw(/does not match integrity/);
  });
});
