import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { INITIAL_STATE } from '../../../coordinator/store/federation-state.js';
import { FileFederationStore } from '../../../coordinator/store/file-store.js';
import { saveModelDir } from '../../../shared/model/model-dir.js';
import { initBackend } from '../../../shared/runtime/backend.js';
import { toyEncoder, toyModel } from '../../helpers/toy-model.js';

describe('coordinator state on disk', () => {
  let dir: string;
  before(async () => {
    await initBackend();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts empty and reloads exactly what was saved, model weights included', () => {
    const store = new FileFederationStore(dir);
    expect(store.load()).to.equal(null);
    const vae = toyModel(toyEncoder());
    const model = { version: 3, spec: vae.spec, weights: vae.getWeights(), thresholds: null };
    const record = {
      round: 2,
      kind: 'train' as const,
      taskId: 't',
      modelVersion: 2,
      selected: ['a'],
      results: [{ clientId: 'a', examples: 5, validationLoss: 1.5 }],
      failures: [],
      startedMs: 1,
      collectMs: 2,
      aggregateMs: 3,
      outcome: 'closed' as const,
    };
    store.save({ ...INITIAL_STATE, phase: 'training', nextRound: 3, model, rounds: [record] });
    store.save({
      ...INITIAL_STATE,
      phase: 'training',
      nextRound: 3,
      model,
      rounds: [record, { ...record, round: 3 }],
    });
    const journal = readFileSync(join(dir, 'journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(journal.map((e) => e.round)).to.deep.equal([2, 3]);
    const again = new FileFederationStore(dir).load()!;
    expect(again.phase).to.equal('training');
    expect(again.nextRound).to.equal(3);
    expect(again.rounds.map((r) => r.round)).to.deep.equal([2, 3]);
    expect(again.model!.version).to.equal(3);
    expect([...again.model!.weights]).to.deep.equal([...model.weights]);
    vae.dispose();
  });

  it("keeps the server optimiser's state with the model version it belongs to", () => {
    const store = new FileFederationStore(dir);
    const vae = toyModel(toyEncoder());
    const weights = vae.getWeights();
    vae.dispose();
    const model = { version: 2, spec: vae.spec, weights, thresholds: null };
    const serverState = {
      optimizer: 'fedadam',
      step: 4,
      slots: { momentum: weights.map((w) => w / 2), variance: weights.map((w) => w * w) },
    };
    store.save({ ...INITIAL_STATE, phase: 'training', nextRound: 2, model, serverState });
    const again = new FileFederationStore(dir).load()!;
    expect(again.serverState!.step).to.equal(4);
    expect(again.serverState!.optimizer).to.equal('fedadam');
    expect([...again.serverState!.slots.momentum!]).to.deep.equal([...serverState.slots.momentum]);
    expect([...again.serverState!.slots.variance!]).to.deep.equal([...serverState.slots.variance]);
  });

  it('refuses a damaged server state header, naming the file and what is wrong', () => {
    const store = new FileFederationStore(dir);
    const vae = toyModel(toyEncoder());
    const weights = vae.getWeights();
    vae.dispose();
    const model = { version: 2, spec: vae.spec, weights, thresholds: null };
    const serverState = { optimizer: 'fedavgm', step: 1, slots: { momentum: weights } };
    store.save({ ...INITIAL_STATE, phase: 'training', nextRound: 2, model, serverState });
    const header = join(dir, 'server-state', 'v2.json');
    const saved = readFileSync(header, 'utf8');
    writeFileSync(header, '{"format":');
    expect(() => new FileFederationStore(dir).load()).to.throw(
      `${header}: not a server state header:`,
    );
    writeFileSync(header, JSON.stringify({ ...JSON.parse(saved), optimizer: undefined }));
    expect(() => new FileFederationStore(dir).load()).to.throw(
      `${header}: optimizer must name the server optimiser that wrote it; the server state is damaged`,
    );
    writeFileSync(header, JSON.stringify({ ...JSON.parse(saved), step: -1 }));
    expect(() => new FileFederationStore(dir).load()).to.throw(
      `${header}: step must be a non-negative integer, got -1`,
    );
    writeFileSync(header, saved);
    rmSync(join(dir, 'server-state', 'v2.bin'));
    expect(() => new FileFederationStore(dir).load()).to.throw(
      `${join(dir, 'server-state', 'v2.bin')} is missing`,
    );
  });

  it('has no server state for a stateless strategy, and drops one the state never named', () => {
    const store = new FileFederationStore(dir);
    const vae = toyModel(toyEncoder());
    const weights = vae.getWeights();
    vae.dispose();
    const model = { version: 2, spec: vae.spec, weights, thresholds: null };
    store.save({ ...INITIAL_STATE, phase: 'training', nextRound: 2, model });
    expect(new FileFederationStore(dir).load()!.serverState).to.equal(null);
    // A crash after writing v3's server state but before state.json named v3.
    mkdirSync(join(dir, 'server-state'));
    writeFileSync(join(dir, 'server-state', 'v3.json'), '{}');
    new FileFederationStore(dir).load();
    expect(existsSync(join(dir, 'server-state', 'v3.json'))).to.equal(false);
  });

  it('drops a model version written just before a crash that the state never named', () => {
    const store = new FileFederationStore(dir);
    const vae = toyModel(toyEncoder());
    const model = { version: 2, spec: vae.spec, weights: vae.getWeights(), thresholds: null };
    store.save({ ...INITIAL_STATE, phase: 'training', nextRound: 2, model, rounds: [] });
    // Simulate the crash: v3's directory exists, state.json still names v2.
    saveModelDir(store.modelDir(3), {
      spec: vae.spec,
      weights: vae.getWeights(),
      thresholds: null,
    });
    const again = new FileFederationStore(dir);
    expect(again.load()!.model!.version).to.equal(2);
    expect(existsSync(again.modelDir(3))).to.equal(false);
    vae.dispose();
  });

  it('refuses a damaged state file with a clear message', () => {
    writeFileSync(join(dir, 'state.json'), '{ not json');
    expect(() => new FileFederationStore(dir).load()).to.throw(/state\.json: not valid JSON/);
  });
});
