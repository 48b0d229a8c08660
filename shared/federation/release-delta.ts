/**
 * Quantised model releases: a training round's new global model travels to a site that holds
 * the version before as a quantised change from it. The coordinator defines the released model
 * as exactly what a site reconstructs (its previous release plus the dequantised change, added
 * in float32 here, on both sides), and keeps what the quantisation left out for the next
 * release (error feedback), so sites and coordinator hold bit-identical weights and nothing the
 * aggregation made is lost, only released a round later.
 */
import {
  dequantizeBlocks,
  type QuantizedVector,
  quantizeBlocks,
} from '../codec/block-quantizer.js';
import { seededUniform } from '../codec/stochastic-rounding.js';
import { sha256 } from '../crypto/bytes.js';

/** A release's change from the version before, and what its quantisation left out. */
export interface ReleaseDelta {
  /** The version this delta starts from (the new version is baseVersion + 1). */
  readonly baseVersion: number;
  /** SHA-256 of the base version's weights: a site holding other weights gets a full release. */
  readonly baseWeightsSha256: Uint8Array;
  readonly delta: QuantizedVector;
  /** Aggregated minus released weights: added to the next release's change. */
  readonly residual: Float32Array;
}

/** SHA-256 of weights as float32 little-endian bytes (what releases and audit logs name). */
export function weightsSha256(weights: Float32Array): Uint8Array {
  return sha256(new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength));
}

/** `base` plus the dequantised `delta`, value by value in float32: what a site reconstructs. */
export function applyReleaseDelta(base: Float32Array, delta: QuantizedVector): Float32Array {
  if (delta.length !== base.length)
    throw new RangeError(
      `a delta of ${delta.length} values cannot apply to ${base.length} weights`,
    );
  const change = dequantizeBlocks(delta);
  const out = new Float32Array(base.length);
  for (let i = 0; i < base.length; i++) out[i] = base[i]! + change[i]!;
  return out;
}

/**
 * The release of `aggregated` to sites holding `released` (version `baseVersion`): the change,
 * with the residual an earlier release left out added first, quantised with rounding seeded by
 * `seed` (the same inputs release the same weights, after a restart too).
 */
export function quantizeRelease(
  released: Float32Array,
  aggregated: Float32Array,
  residual: Float32Array | null,
  bits: 8 | 4,
  baseVersion: number,
  seed: number,
): { weights: Float32Array; release: ReleaseDelta } {
  const change = new Float32Array(aggregated.length);
  const carried = residual?.length === aggregated.length ? residual : null;
  for (let i = 0; i < change.length; i++)
    change[i] = aggregated[i]! - released[i]! + (carried ? carried[i]! : 0);
  const delta = quantizeBlocks(change, bits, seededUniform(seed));
  const weights = applyReleaseDelta(released, delta);
  // The aggregation's weights plus what was carried, minus what the sites now hold.
  const left = new Float32Array(change.length);
  for (let i = 0; i < left.length; i++)
    left[i] = aggregated[i]! + (carried ? carried[i]! : 0) - weights[i]!;
  const baseWeightsSha256 = weightsSha256(released);
  return { weights, release: { baseVersion, baseWeightsSha256, delta, residual: left } };
}

/** The seed of a round's release rounding: fixed by the federation's seed and the round. */
export function releaseSeed(federationSeed: number, round: number): number {
  return (federationSeed * 104_729 + round * 7_919 + 17) | 0;
}
