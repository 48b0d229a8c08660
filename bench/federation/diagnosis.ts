/**
 * Why FedAvg with local Adam stalls on sites that see different traffic (docs/federation.md):
 * 1. the fixed point without client drift (one local step per round, many rounds): local Adam
 *    steps are normalised per site, so their average is a weighted vote of per-coordinate
 *    directions; the same minibatch gradients averaged first and given one Adam step at the
 *    server (FedSGD with a server Adam, i.e. central training) fit every site;
 * 2. forgetting: Adam steps on one site alone, from the central model, and what they do to
 *    every site's held-out loss.
 */

import { prepareDataForSpec } from '../../client/pipeline/fixed-encoder-data.js';
import { DEFAULT_TRAINING, trainLocal } from '../../client/trainer/local-trainer.js';
import { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import type { FlowTable } from '../../shared/encoding/flow-table.js';
import { createDetector } from '../../shared/model/create-detector.js';
import type { ModelSpec } from '../../shared/model/model-spec.js';
import { MultiHotBuilder } from '../../shared/model/multi-hot.js';
import { registerGradients } from '../../shared/model/register-gradients.js';
import { meanScore } from '../../shared/model/score-table.js';
import { tf } from '../../shared/runtime/tf.js';
import type { TrainingData } from './reference-models.js';

export interface SiteTables {
  readonly name: string;
  readonly train: FlowTable;
  readonly validation: FlowTable;
}

const LEARNING_RATE = DEFAULT_TRAINING.learningRate;
const BATCH = DEFAULT_TRAINING.batchSize;

/** Each site's rows under `spec`'s encoder, split as its site worker splits them. */
export async function siteTables(
  spec: ModelSpec,
  sites: readonly (TrainingData & { name: string })[],
) {
  const tables: SiteTables[] = [];
  for (const [i, site] of sites.entries()) {
    const selection = { ...site, files: [...site.files], read: {} };
    const shares = { validation: 0.1, calibration: 0.1, seed: i + 1 };
    const data = await prepareDataForSpec(selection, spec, shares);
    tables.push({ name: site.name, train: data.train, validation: data.validation });
  }
  return tables;
}

/** Every site's held-out loss (nats) under `weights`. */
export function perSiteLoss(
  spec: ModelSpec,
  weights: Float32Array,
  sites: readonly SiteTables[],
): number[] {
  const vae = createDetector(spec, weights);
  const encoder = new FlowEncoder(spec.encoder);
  const losses = sites.map((s) => meanScore(vae, encoder, s.validation));
  vae.dispose();
  return losses;
}

/** One local step per site and round, `rounds` times; the two ways of combining them. */
export async function fixedPoint(
  spec: ModelSpec,
  start: Float32Array,
  sites: readonly SiteTables[],
  rounds: number,
) {
  const total = sites.reduce((n, s) => n + s.train.length, 0);
  const share = sites.map((s) => s.train.length / total);
  let localAdam = start;
  const server = new ServerAdam(start);
  for (let round = 0; round < rounds; round++) {
    const deltas: Float32Array[] = [];
    const gradients: Float32Array[] = [];
    for (const [k, site] of sites.entries()) {
      deltas.push(await oneAdamStep(spec, localAdam, site.train, round * 31 + k));
      gradients.push(minibatchGradient(spec, server.weights, site.train, round * 31 + k));
    }
    localAdam = localAdam.map((w, i) => w + deltas.reduce((s, d, k) => s + share[k]! * d[i]!, 0));
    server.step(gradients.map((g, k) => ({ g, share: share[k]! })));
  }
  return {
    rounds,
    localAdamAveraged: perSiteLoss(spec, localAdam, sites),
    gradientsAveragedThenServerAdam: perSiteLoss(spec, server.weights, sites),
  };
}

/** Held-out loss of every site after `steps` fresh-Adam steps on each site alone, from `start`. */
export async function forgetting(
  spec: ModelSpec,
  start: Float32Array,
  sites: readonly SiteTables[],
  steps: number,
) {
  const before = perSiteLoss(spec, start, sites);
  const after = [];
  for (const [k, site] of sites.entries()) {
    const vae = createDetector(spec, start);
    const options = {
      ...DEFAULT_TRAINING,
      epochs: 1_000,
      maxSteps: steps,
      klWarmupEpochs: 0,
      seed: k + 1,
    };
    await trainLocal(vae, new FlowEncoder(spec.encoder), site.train, null, options);
    after.push({ trainedOn: site.name, losses: perSiteLoss(spec, vae.getWeights(), sites) });
    vae.dispose();
  }
  return { steps, before, after };
}

async function oneAdamStep(spec: ModelSpec, from: Float32Array, train: FlowTable, seed: number) {
  const vae = createDetector(spec, from);
  const options = { ...DEFAULT_TRAINING, epochs: 1, maxSteps: 1, klWarmupEpochs: 0, seed };
  await trainLocal(vae, new FlowEncoder(spec.encoder), train, null, options);
  const w = vae.getWeights();
  vae.dispose();
  return w.map((v, i) => v - from[i]!);
}

function minibatchGradient(
  spec: ModelSpec,
  at: Float32Array,
  train: FlowTable,
  seed: number,
): Float32Array {
  const vae = createDetector(spec, at);
  const rows = Uint32Array.from(
    { length: Math.min(BATCH, train.length) },
    (_, i) => (i * 7919 + seed * BATCH) % train.length,
  );
  const x = new MultiHotBuilder(new FlowEncoder(spec.encoder)).build(
    train.codes,
    rows,
    0,
    rows.length,
  );
  const loss = { klWeight: 1, temperature: 1, seed, mixtureObjective: 'exact' as const };
  registerGradients();
  const { grads, value } = tf.variableGrads(() => vae.loss(x, loss), vae.variables);
  const flat = new Float32Array(at.length);
  let offset = 0;
  for (const v of vae.variables) {
    const g = grads[v.name]!.dataSync() as Float32Array;
    flat.set(g, offset);
    offset += g.length;
  }
  tf.dispose([x, value, ...Object.values(grads)]);
  vae.dispose();
  return flat;
}

/** Adam (Kingma & Ba) applied by the coordinator to the sites' example-weighted gradient. */
class ServerAdam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  weights: Float32Array;
  constructor(start: Float32Array) {
    this.weights = Float32Array.from(start);
    this.m = new Float64Array(start.length);
    this.v = new Float64Array(start.length);
  }
  step(parts: readonly { g: Float32Array; share: number }[]): void {
    this.t++;
    const next = new Float32Array(this.weights.length);
    for (let i = 0; i < next.length; i++) {
      const g = parts.reduce((s, p) => s + p.share * p.g[i]!, 0);
      this.m[i] = 0.9 * this.m[i]! + 0.1 * g;
      this.v[i] = 0.999 * this.v[i]! + 0.001 * g * g;
      const mHat = this.m[i]! / (1 - 0.9 ** this.t);
      const vHat = this.v[i]! / (1 - 0.999 ** this.t);
      next[i] = this.weights[i]! - (LEARNING_RATE * mHat) / (Math.sqrt(vHat) + 1e-7);
    }
    this.weights = next;
  }
}
