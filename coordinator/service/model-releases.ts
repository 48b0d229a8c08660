/**
 * Signed, serialised global models for clients to fetch: the whole weights, or, to a client
 * that holds the version before (or this version, before thresholds were added), the change
 * from it. Each form is built once per version and thresholds and then served as is.
 */
import { bytesEqual } from '../../shared/crypto/bytes.js';
import type { Identity } from '../../shared/crypto/identity.js';
import { encodeSignedBlob, signBlob } from '../../shared/crypto/signed-blob.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import { type ReleaseDelta, weightsSha256 } from '../../shared/federation/release-delta.js';
import { MODEL_RELEASE_PURPOSE } from '../../shared/federation/signed-statements.js';
import { encodeModelRelease, type ModelRelease } from '../../shared/wire/payload-codec.js';

/** What a client says it holds when it fetches a version (FetchModelRequest.held_*). */
export interface HeldModel {
  readonly version: number;
  readonly weightsSha256: Uint8Array;
}

type Form = 'full' | 'delta' | 'same';

export class ModelReleases {
  private built = new Map<Form, Uint8Array>();
  private key = '';
  private sha: Uint8Array | null = null;

  constructor(private readonly signer: Identity) {}

  /**
   * The signed release bytes of `model` for a client holding `held`: relative to it when it is
   * the coordinator's own release of this version or (with `release`) of the version before;
   * the whole weights otherwise (a new site, a restarted one, one that missed a round).
   */
  bytesOf(
    model: GlobalModel,
    release: ReleaseDelta | null = null,
    held: HeldModel | null = null,
  ): Uint8Array {
    const thresholds = model.thresholds ? JSON.stringify(model.thresholds) : '';
    const key = `${model.version}\n${thresholds}`;
    if (this.key !== key) {
      this.built.clear();
      this.key = key;
      this.sha = weightsSha256(model.weights);
    }
    const form = this.formFor(model, release, held);
    let bytes = this.built.get(form);
    if (!bytes) {
      bytes = this.sign(this.releaseOf(model, thresholds, form, release));
      this.built.set(form, bytes);
    }
    return bytes;
  }

  /** Which form `held` can use; `full` unless its weights are exactly a release's of ours. */
  formFor(model: GlobalModel, release: ReleaseDelta | null, held: HeldModel | null): Form {
    if (!held || held.version === 0) return 'full';
    if (held.version === model.version && bytesEqual(held.weightsSha256, this.sha!)) return 'same';
    if (
      release &&
      held.version === release.baseVersion &&
      release.baseVersion + 1 === model.version &&
      bytesEqual(held.weightsSha256, release.baseWeightsSha256)
    )
      return 'delta';
    return 'full';
  }

  private releaseOf(
    model: GlobalModel,
    thresholdsJson: string,
    form: Form,
    release: ReleaseDelta | null,
  ): ModelRelease {
    const common = {
      version: model.version,
      thresholdsJson,
      createdMs: Date.now(),
      weightsSha256: this.sha!,
    };
    if (form === 'full')
      return { ...common, specJson: JSON.stringify(model.spec), weights: model.weights };
    // Relative to a base: the spec is the base's (a new spec always comes as a full release).
    const base =
      form === 'same'
        ? { version: model.version, weightsSha256: this.sha!, delta: null }
        : {
            version: release!.baseVersion,
            weightsSha256: release!.baseWeightsSha256,
            delta: release!.delta,
          };
    return { ...common, specJson: '', weights: new Float32Array(0), base };
  }

  private sign(release: ModelRelease): Uint8Array {
    return encodeSignedBlob(
      signBlob(this.signer, MODEL_RELEASE_PURPOSE, encodeModelRelease(release)),
    );
  }
}
