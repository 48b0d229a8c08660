/**
 * Draws encoded flows from a model's own distribution: a latent from the prior (a mixture
 * component by the mixture weights, or a standard normal point), then every field's code from
 * its softmax.
 * Sites replay such flows from the global model in local training, so fitting their own
 * traffic does not unlearn what the model knows of everyone else's (see docs/federation.md).
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { FlowEncoder } from '../encoding/flow-encoder.js';
import { FlowTable } from '../encoding/flow-table.js';
import { tf } from '../runtime/tf.js';
import type { ModelSpec } from './model-spec.js';

/** What sampling needs of a model: its spec and the decoder's logits for latent rows. */
export interface SampleSource {
  readonly spec: ModelSpec;
  decodeLogits(z: tf.Tensor2D): tf.Tensor2D;
  /** The mixture weights over components (a stick-breaking latent's; else uniform). */
  mixtureWeights?(): Float32Array;
}

type Rng = ReturnType<typeof xoroshiro128plus>;

/** `count` flows (unlabelled) drawn from `model`; the same seed gives the same flows. */
export function sampleFlows(
  model: SampleSource,
  encoder: FlowEncoder,
  count: number,
  seed: number,
): FlowTable {
  const rng = xoroshiro128plus(seed);
  const table = new FlowTable(encoder.fieldCount, Math.max(1, count));
  const latent = model.spec.architecture.latent;
  if (latent.kind !== 'gaussian') {
    const components = tf.eye(latent.components) as tf.Tensor2D;
    const probs = fieldProbabilities(model, components, encoder);
    components.dispose();
    const weights = latent.kind === 'stick-breaking' ? model.mixtureWeights?.() : undefined;
    for (let r = 0; r < count; r++) {
      const c = weights ? drawIndex(weights, rng) : uniformInt(rng, 0, latent.components - 1);
      drawRow(probs, c, encoder, table, rng);
    }
    return table;
  }
  for (let done = 0; done < count; done += 1024) {
    const rows = Math.min(1024, count - done);
    const z = tf.randomNormal([rows, latent.dim], 0, 1, 'float32', seed * 7919 + done);
    const probs = fieldProbabilities(model, z as tf.Tensor2D, encoder);
    z.dispose();
    for (let r = 0; r < rows; r++) drawRow(probs, r, encoder, table, rng);
  }
  return table;
}

/** Per-field softmax probabilities of the decoder's logits for latent rows `z` (the caller disposes z). */
export function fieldProbabilities(
  model: SampleSource,
  z: tf.Tensor2D,
  encoder: FlowEncoder,
): Float64Array {
  const logits = model.decodeLogits(z);
  const values = logits.dataSync() as Float32Array;
  logits.dispose();
  const probs = new Float64Array(values.length);
  const { width, fieldCount, offsets, cardinalities } = encoder;
  for (let row = 0; row < values.length / width; row++) {
    for (let f = 0; f < fieldCount; f++) {
      const start = row * width + offsets[f]!;
      const end = start + cardinalities[f]!;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = start; j < end; j++) max = Math.max(max, values[j]!);
      let total = 0;
      for (let j = start; j < end; j++) total += probs[j] = Math.exp(values[j]! - max);
      for (let j = start; j < end; j++) probs[j]! /= total;
    }
  }
  return probs;
}

/** An index drawn with probabilities `weights` (the last takes whatever rounding leaves). */
function drawIndex(weights: Float32Array, rng: Rng): number {
  let u = uniformFloat64(rng);
  for (let i = 0; i < weights.length - 1; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

function drawRow(
  probs: Float64Array,
  row: number,
  encoder: FlowEncoder,
  table: FlowTable,
  rng: Rng,
): void {
  const at = table.appendRow(null);
  const { width, fieldCount, offsets, cardinalities } = encoder;
  for (let f = 0; f < fieldCount; f++) {
    const start = row * width + offsets[f]!;
    let u = uniformFloat64(rng);
    let code = 0;
    // The last code takes whatever rounding leaves.
    for (; code < cardinalities[f]! - 1; code++) {
      u -= probs[start + code]!;
      if (u < 0) break;
    }
    table.codes[at + f] = code;
  }
}
