/**
 * The VAE's parameters: their manifest (names and shapes, in flat-vector order), seeded
 * initialisation, and conversion to and from one flat Float32 vector.
 */
import * as tf from '@tensorflow/tfjs';
import { type ArchitectureSpec, parameterCount, type WeightEntry } from './model-spec.js';

/** Latent input width of the decoder: the Gaussian dimension or the number of components. */
export function latentWidth(architecture: ArchitectureSpec): number {
  return architecture.latent.kind === 'gaussian'
    ? architecture.latent.dim
    : architecture.latent.components;
}

/** The weight manifest for an architecture over a one-hot input of `inputWidth` columns. */
export function weightManifest(architecture: ArchitectureSpec, inputWidth: number): WeightEntry[] {
  const entries: WeightEntry[] = [];
  const layer = (name: string, from: number, to: number) => {
    entries.push(
      { name: `${name}.kernel`, shape: [from, to] },
      { name: `${name}.bias`, shape: [to] },
    );
  };
  const { hidden, latent } = architecture;
  let width = inputWidth;
  hidden.forEach((h, i) => {
    layer(`encoder.${i}`, width, h);
    width = h;
  });
  layer('encoder.latent', width, latent.kind === 'gaussian' ? 2 * latent.dim : latent.components);
  width = latentWidth(architecture);
  [...hidden].reverse().forEach((h, i) => {
    layer(`decoder.${i}`, width, h);
    width = h;
  });
  layer('decoder.out', width, inputWidth);
  return entries;
}

/** Glorot-uniform kernels and zero biases, reproducible from `seed`. */
export function initialWeights(manifest: readonly WeightEntry[], seed: number): Float32Array {
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
