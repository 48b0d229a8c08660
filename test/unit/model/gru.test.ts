import { expect } from 'chai';
import { DEFAULT_TRAINING, trainLocal } from '../../../client/trainer/local-trainer.js';
import { secondCore } from '../../../client/trainer/second-core.js';
import type { FlowEncoder } from '../../../shared/encoding/flow-encoder.js';
import { FlowTable } from '../../../shared/encoding/flow-table.js';
import { HostHistory } from '../../../shared/encoding/host-history.js';
import type { FlowRow } from '../../../shared/flows/schema.js';
import { createDetector } from '../../../shared/model/create-detector.js';
import { createModel } from '../../../shared/model/create-model.js';
import type { DetectorModel } from '../../../shared/model/detector-model.js';
import { withHistory } from '../../../shared/model/model-rows.js';
import { MultiHotBuilder } from '../../../shared/model/multi-hot.js';
import { scoreTable } from '../../../shared/model/score-table.js';
import { type BackendName, initBackend } from '../../../shared/runtime/backend.js';
import { tf } from '../../../shared/runtime/tf.js';
import { TOY_SCHEMA, toyRows } from '../../helpers/toy-flows.js';
import { toyEncoder } from '../../helpers/toy-model.js';

const STEPS = 4;

/** Rows of several hosts, interleaved, each host's rows in its own order; histories as training builds them. */
function tableWithHistory(encoder: FlowEncoder, flows: { host: string; row: FlowRow }[]) {
  const table = new FlowTable(encoder.fieldCount, flows.length);
  const hosts = new HostHistory(encoder.fieldCount, {
    steps: STEPS,
    maxHosts: 1000,
    gapSeconds: null,
  });
  const earlier = new Int32Array(flows.length * STEPS);
  flows.forEach(({ host, row }, r) => {
    const at = table.appendRow(row.label);
    encoder.encodeInto(row, table.codes, at);
    hosts.next(host, null, table.codes, at, r, null, 0, earlier, r * STEPS);
  });
  table.history = { steps: STEPS, source: table.codes, rows: earlier };
  return table;
}

/** 60 hosts, each cycling http -> https -> dns from its own phase: a strict repeating pattern. */
function patternFlows(perHost: number) {
  const cycle = toyRows(3);
  const flows: { host: string; row: FlowRow }[] = [];
  for (let i = 0; i < perHost; i++)
    for (let h = 0; h < 60; h++) flows.push({ host: `10.0.0.${h}`, row: cycle[(h + i) % 3]! });
  return flows;
}

function freshGru(encoder: FlowEncoder, seed: number): DetectorModel {
  const sequence = { steps: STEPS, embedding: 8, state: 16, maxHosts: 1000, gapSeconds: null };
  const architecture = { hidden: [16], latent: { kind: 'gaussian', dim: 4 } as const, sequence };
  const fresh = createModel(TOY_SCHEMA, encoder.spec, architecture, seed, 'gru');
  return createDetector(fresh.spec, fresh.weights);
}

describe('the sequence model (gru)', function () {
  this.timeout(60_000);
  let encoder: FlowEncoder;
  let model: DetectorModel;
  const cycle = toyRows(3);

  before(async () => {
    await initBackend();
    encoder = toyEncoder(toyRows(1000));
    model = freshGru(encoder, 3);
    const train = tableWithHistory(encoder, patternFlows(12));
    const options = { ...DEFAULT_TRAINING, epochs: 40, batchSize: 64, patience: 40 };
    await trainLocal(model, encoder, train, null, { ...options, learningRate: 0.01 });
  });
  after(() => model.dispose());

  /** Scores of one host's flows `sequence` (indices into the http/https/dns cycle), in order. */
  const scoreSequence = (sequence: number[]) =>
    scoreTable(
      model,
      encoder,
      tableWithHistory(
        encoder,
        sequence.map((i) => ({ host: 'h', row: cycle[i]! })),
      ),
    );

  it('scores the next flow of a repeating pattern low and a break in it high', () => {
    // http https dns http https | then dns (the pattern) or http (a break: https expected).
    const onPattern = scoreSequence([0, 1, 2, 0, 1, 2]).at(-1)!;
    const broken = scoreSequence([0, 1, 2, 0, 1, 0]).at(-1)!;
    expect(onPattern).to.be.lessThan(0.5);
    expect(broken - onPattern).to.be.greaterThan(3);
  });

  it('samples flows field by field, each field given the ones before it', () => {
    const codes = (row: FlowRow) => {
      const t = new FlowTable(encoder.fieldCount, 1);
      encoder.encodeInto(row, t.codes, t.appendRow(null));
      return t.codes.subarray(0, encoder.fieldCount).join(',');
    };
    const sampled = model.sample(encoder, 600, 9);
    const counts = new Map<string, number>();
    for (let r = 0; r < sampled.length; r++) {
      const key = sampled.codes.subarray(r * 4, r * 4 + 4).join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // The three flows of the pattern, whole: fields drawn independently would give each
    // ~1/27 of the samples (proto, service and bytes' bin one in three each), not ~1/4.
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    expect(
      ranked
        .slice(0, 3)
        .map(([key]) => key)
        .sort(),
    ).to.deep.equal(cycle.map(codes).sort());
    for (const [, n] of ranked.slice(0, 3)) expect(n / 600).to.be.within(0.18, 0.4);
  });

  it('trains on two threads to the weights one thread gives, the worker given each row its history', async () => {
    const train = tableWithHistory(encoder, patternFlows(8));
    const options = {
      ...DEFAULT_TRAINING,
      epochs: 2,
      batchSize: 240,
      patience: 9,
      learningRate: 0.01,
    };
    const core = secondCore(tf.getBackend() as BackendName);
    const [one, two] = [freshGru(encoder, 4), freshGru(encoder, 4)];
    await trainLocal(one, encoder, train, null, { ...options, threads: 1 });
    const before = core.stepsDone;
    await trainLocal(two, encoder, train, null, { ...options, threads: 2 });
    expect(core.stepsDone - before).to.equal(4); // 480 rows: 2 batches of 240, split, per epoch
    const [wa, wb] = [one.getWeights(), two.getWeights()];
    for (let i = 0; i < wa.length; i++) expect(wb[i]).to.be.closeTo(wa[i]!, 1e-4);
    // Without the histories the worker's half would learn the marginal: the weights would differ.
    one.dispose();
    two.dispose();
  });

  it("scores a flow without history by the distribution of hosts' first flows, whatever came before on other hosts", () => {
    // First flows of the training hosts are http, https and dns a third each: the marginal.
    const first = scoreSequence([2])[0]!;
    const builder = new MultiHotBuilder(encoder);
    const table = tableWithHistory(encoder, [{ host: 'x', row: cycle[2]! }]);
    const noHistory = model.score(builder.rows(table.codes, null, 0, 1)).scores[0]!;
    expect(first).to.equal(noHistory);
    // A dns flow is one in three of them: its proto (udp) says so first (log 3), and then
    // fixes its service, its bytes' bin and syn_only (the fields before each one vouch for it).
    expect(first).to.be.closeTo(Math.log(3), 0.4);
    const otherHostsBefore = tableWithHistory(encoder, [
      { host: 'y', row: cycle[0]! },
      { host: 'y', row: cycle[1]! },
      { host: 'x', row: cycle[2]! },
    ]);
    const rows = withHistory(
      builder.rows(otherHostsBefore.codes, null, 2, 1),
      otherHostsBefore.history,
      null,
      2,
    );
    expect(model.score(rows).scores[0]).to.equal(first);
  });
});
