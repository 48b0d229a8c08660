/** Signed, serialised global models, built once per published version for clients to fetch. */
import type { Identity } from '../../shared/crypto/identity.js';
import { encodeSignedBlob, signBlob } from '../../shared/crypto/signed-blob.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import { MODEL_RELEASE_PURPOSE } from '../../shared/federation/signed-statements.js';
import { encodeModelRelease } from '../../shared/wire/payload-codec.js';

export class ModelReleases {
  private latest: { version: number; thresholds: string; bytes: Uint8Array } | null = null;

  constructor(private readonly signer: Identity) {}

  /** The signed release bytes of `model` (rebuilt when thresholds are added to a version). */
  bytesOf(model: GlobalModel): Uint8Array {
    const thresholds = model.thresholds ? JSON.stringify(model.thresholds) : '';
    if (this.latest?.version !== model.version || this.latest.thresholds !== thresholds) {
      const release = encodeModelRelease({
        version: model.version,
        specJson: JSON.stringify(model.spec),
        weights: model.weights,
        thresholdsJson: thresholds,
        createdMs: Date.now(),
      });
      this.latest = {
        version: model.version,
        thresholds,
        bytes: encodeSignedBlob(signBlob(this.signer, MODEL_RELEASE_PURPOSE, release)),
      };
    }
    return this.latest.bytes;
  }
}
