/**
 * The weights a verified model release stands for: its own, or (relative to a version this
 * site holds) the held weights plus the quantised change. Either way they must hash to the
 * SHA-256 the coordinator signed, so a site uses exactly the coordinator's release or nothing.
 */
import { bytesEqual } from '../../shared/crypto/bytes.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import { applyReleaseDelta, weightsSha256 } from '../../shared/federation/release-delta.js';
import type { ModelRelease } from '../../shared/wire/payload-codec.js';

/** A signed release that does not give this site the weights it names. */
export class ReleaseMismatchError extends Error {
  override readonly name = 'ReleaseMismatchError';
}

const short = (sha: Uint8Array) => Buffer.from(sha).toString('hex').slice(0, 16);

/** The released weights, and the spec JSON to read (the held model's for a relative release). */
export function releasedWeights(
  release: ModelRelease,
  held: GlobalModel | null,
): { weights: Float32Array; spec: GlobalModel['spec'] | string } {
  const what = `model release v${release.version}`;
  let weights: Float32Array;
  let spec: GlobalModel['spec'] | string = release.specJson;
  if (!release.base) {
    weights = release.weights;
  } else {
    const base = release.base;
    const heldSha = held ? weightsSha256(held.weights) : null;
    if (!held || held.version !== base.version || !bytesEqual(heldSha!, base.weightsSha256))
      throw new ReleaseMismatchError(
        `${what} is relative to v${base.version} (weights SHA-256 ${short(base.weightsSha256)}...), but this site holds ${held ? `v${held.version} (${short(heldSha!)}...)` : 'no model'}`,
      );
    if (base.delta && base.delta.length !== held.weights.length)
      throw new ReleaseMismatchError(
        `${what} changes ${base.delta.length} weights, the held v${base.version} has ${held.weights.length}`,
      );
    weights = base.delta ? applyReleaseDelta(held.weights, base.delta) : held.weights.slice();
    spec = release.specJson || held.spec;
  }
  // A coordinator older than releases relative to a base signs no weights digest.
  const signed = release.weightsSha256 ?? new Uint8Array(0);
  if (signed.length > 0 || release.base) {
    const sha = weightsSha256(weights);
    if (!bytesEqual(sha, signed))
      throw new ReleaseMismatchError(
        `${what}: the ${release.base ? 'reconstructed' : 'received'} weights have SHA-256 ${short(sha)}..., the signed release names ${short(signed)}...`,
      );
  }
  return { weights, spec };
}
