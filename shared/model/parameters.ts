/**
 * The VAE's parameters: their manifest (names and shapes, in flat-vector order), seeded
 * initialisation, and conversion to and from one flat Float32 vector.
 */
import { tf } from '../runtime/tf.js';
import {
  type ArchitectureSpec,
  type LatentSpec,
  parameterCount,
  type WeightEntry,
} from './model-spec.js';
import { initialStickLogits, STICKS_WEIGHT } from './stick-breaking.js';

/** Latent input width of the decoder: the Gaussian dimension or the number of components. */
export function latentWidth(architecture: ArchitectureSpec): number {
  return architecture.latent.kind === 'gaussian'
    ? architecture.latent.dim
    : architecture.latent.components;
}

/** Where a dense layer sits in the VAE. */
export type LayerRole = 'encoder' | 'latent' | 'decoder' | 'output';

export interface LayerPlan {
  readonly name: string;
  readonly role: LayerRole;
  readonly from: number;
  readonly to: number;
}

/**
 * The VAE's dense layers in weight order: encoder, latent head, decoder (the encoder mirrored),
 * output. The one place this order is written: the manifest and the model both follow it.
 */
export function vaeLayers(architecture: ArchitectureSpec, inputWidth: number): LayerPlan[] {
  const layers: LayerPlan[] = [];
  let width = inputWidth;
  const add = (name: string, role: LayerRole, to: number) => {
    layers.push({ name, role, from: width, to });
    width = to;
  };
  const { hidden, latent } = architecture;
  for (const [i, h] of hidden.entries()) add(`encoder.${i}`, 'encoder', h);
  add('encoder.latent', 'latent', latent.kind === 'gaussian' ? 2 * latent.dim : latent.components);
  width = latentWidth(architecture);
  for (const [i, h] of [...hidden].reverse().entries()) add(`decoder.${i}`, 'decoder', h);
  add('decoder.out', 'output', inputWidth);
  return layers;
}

/**
 * The weight manifest for an architecture over a one-hot input of `inputWidth` columns: every
 * layer's kernel and bias, then a stick-breaking latent's K - 1 stick logits.
 */
export function weightManifest(architecture: ArchitectureSpec, inputWidth: number): WeightEntry[] {
  const layers = vaeLayers(architecture, inputWidth).flatMap(({ name, from, to }) => [
    { name: `${name}.kernel`, shape: [from, to] },
    { name: `${name}.bias`, shape: [to] },
  ]);
  const { latent } = architecture;
  if (latent.kind !== 'stick-breaking') return layers;
  return [...layers, { name: STICKS_WEIGHT, shape: [latent.components - 1] }];
}

/**
 * Glorot-uniform kernels, zero biases and (for a stick-breaking `latent`) sticks at the prior's
 * mean, reproducible from `seed`.
 */
export function initialWeights(
  manifest: readonly WeightEntry[],
  seed: number,
  latent?: LatentSpec,
): Float32Array {
  const flat = new Float32Array(parameterCount(manifest));
  let at = 0;
  manifest.forEach((entry, i) => {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.shape.length === 2) {
      const limit = Math.sqrt(6 / (entry.shape[0]! + entry.shape[1]!));
      const values = tf.tidy(() =>
        tf.randomUniform([size], -limit, limit, 'float32', seed * 1000 + i).dataSync(),
      );
      flat.set(values, at);
    } else if (entry.name === STICKS_WEIGHT) {
      const concentration = latent?.kind === 'stick-breaking' ? latent.concentration : 1;
      flat.set(initialStickLogits(size + 1, concentration), at);
    }
    at += size;
  });
  return flat;
}

/** Splits a flat vector into tensors of the manifest's shapes, checking its length. */
export function unflatten(
  flat: Float32Array,
  manifest: readonly WeightEntry[],
  source: string,
): tf.Tensor[] {
  const expected = parameterCount(manifest);
  if (flat.length !== expected) {
    throw new Error(
      `${source}: expected ${expected} weights (${manifest.length} tensors), got ${flat.length}`,
    );
  }
  let at = 0;
  return manifest.map((entry) => {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    const tensor = tf.tensor(flat.subarray(at, at + size), entry.shape as number[], 'float32');
    at += size;
    return tensor;
  });
}

/** The variables' values as one flat vector, in their order (a model's getWeights). */
export function flattenVariables(variables: readonly tf.Variable[]): Float32Array {
  const parts = variables.map((v) => v.dataSync() as Float32Array);
  const flat = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    flat.set(p, at);
    at += p.length;
  }
  return flat;
}

/** Assigns a flat vector to the variables, split by the manifest (a model's setWeights). */
export function assignFlat(
  variables: readonly tf.Variable[],
  flat: Float32Array,
  manifest: readonly WeightEntry[],
): void {
  unflatten(flat, manifest, 'model weights').forEach((t, i) => {
    variables[i]!.assign(t);
    t.dispose();
  });
}
