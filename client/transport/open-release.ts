/**
 * A signed model release as a site takes it: the coordinator's signature verified, the version
 * checked to be the one asked for, then decoded into a global model, rebuilt from the change
 * against the model the site holds where the release carries one (release-weights.ts).
 */
import { decodeSignedBlob, verifyBlob } from '../../shared/crypto/signed-blob.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import { MODEL_RELEASE_PURPOSE } from '../../shared/federation/signed-statements.js';
import type { ModelSpec } from '../../shared/model/model-spec.js';
import { parseSpecJson } from '../../shared/model/model-spec-error.js';
import { validateThresholds } from '../../shared/model/thresholds.js';
import { FedflowError } from '../../shared/wire/errors.js';
import { decodeModelRelease, type ModelRelease } from '../../shared/wire/payload-codec.js';
import { releasedWeights } from './release-weights.js';

/** The release in `bytes`, signed by `signPublicKey`, of exactly `version`. */
export function verifiedRelease(
  bytes: Uint8Array,
  signPublicKey: Uint8Array,
  version: number,
): ModelRelease {
  const blob = decodeSignedBlob(bytes);
  const release = decodeModelRelease(verifyBlob(blob, signPublicKey, MODEL_RELEASE_PURPOSE));
  // A valid signature proves who made it, not that it is the one asked for.
  if (release.version !== version)
    throw new FedflowError(
      'failed-precondition',
      `asked for model version ${version}, got a signed release of version ${release.version}`,
    );
  return release;
}

/**
 * The global model a release gives a site holding `held`. Throws ReleaseMismatchError when a
 * change does not rebuild the signed weights. The spec is only parsed here: the site (client/
 * agent), which may reach the model code, checks it against the weights.
 */
export function globalModelFrom(release: ModelRelease, held: GlobalModel | null): GlobalModel {
  const released = releasedWeights(release, held);
  const where = `model release v${release.version}`;
  const spec = (
    typeof released.spec === 'string' ? parseSpecJson(released.spec, where) : released.spec
  ) as ModelSpec;
  const thresholds = release.thresholdsJson
    ? validateThresholds(JSON.parse(release.thresholdsJson), where)
    : null;
  return { version: release.version, spec, weights: released.weights, thresholds };
}
