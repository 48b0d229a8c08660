import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  ReleaseMismatchError,
  releasedWeights,
} from '../../../client/transport/release-weights.js';
import { ModelReleases } from '../../../coordinator/service/model-releases.js';
import { loadRelease, saveRelease } from '../../../coordinator/store/release-file.js';
import { generateIdentity } from '../../../shared/crypto/identity.js';
import {
  decodeSignedBlob,
  SignedBlobError,
  verifyBlob,
} from '../../../shared/crypto/signed-blob.js';
import type { GlobalModel } from '../../../shared/federation/global-model.js';
import {
  applyReleaseDelta,
  quantizeRelease,
  weightsSha256,
} from '../../../shared/federation/release-delta.js';
import { MODEL_RELEASE_PURPOSE } from '../../../shared/federation/signed-statements.js';
import type { ModelSpec } from '../../../shared/model/model-spec.js';
import { decodeModelRelease } from '../../../shared/wire/payload-codec.js';

const N = 1000;
const ramp = (scale: number, offset = 0) =>
  Float32Array.from({ length: N }, (_, i) => Math.sin(i * 0.37 + offset) * scale);
const spec = { kind: 'toy' } as unknown as ModelSpec;
const model = (version: number, weights: Float32Array): GlobalModel => ({
  version,
  spec,
  weights,
  thresholds: null,
});
const same = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );

describe('quantised model releases', () => {
  const coordinator = generateIdentity('coordinator', 'coordinator');
  const v1 = ramp(0.5);
  const aggregated = Float32Array.from(v1, (w, i) => w + Math.cos(i) * 0.01);
  const { weights: v2, release } = quantizeRelease(v1, aggregated, null, 8, 1, 42);

  /** What a site holding `held` gets for v2, verified and decoded as the connection does. */
  const fetched = (releases: ModelReleases, held: GlobalModel | null, bytes?: Uint8Array) => {
    const signed =
      bytes ??
      releases.bytesOf(
        model(2, v2),
        release,
        held && { version: held.version, weightsSha256: weightsSha256(held.weights) },
      );
    const decoded = decodeModelRelease(
      verifyBlob(decodeSignedBlob(signed), coordinator.signPublicKey, MODEL_RELEASE_PURPOSE),
    );
    return { decoded, size: signed.length };
  };

  it('is rebuilt by a site holding the version before to exactly the weights the coordinator released', () => {
    const releases = new ModelReleases(coordinator);
    const { decoded, size } = fetched(releases, model(1, v1));
    expect(decoded.base?.version).to.equal(1);
    expect(size).to.be.below(N * 4 * 0.35); // 1 byte a weight, plus signatures and digests
    const { weights } = releasedWeights(decoded, model(1, v1));
    expect(same(weights, v2)).to.equal(true);
    expect(same(applyReleaseDelta(v1, release.delta), v2)).to.equal(true);
  });

  it('is the same every time for the same round (seeded rounding), and keeps what it left out', () => {
    const again = quantizeRelease(v1, aggregated, null, 8, 1, 42);
    expect(same(again.weights, v2)).to.equal(true);
    // Released plus residual is the aggregation, to float32 rounding.
    for (let i = 0; i < N; i++)
      expect(v2[i]! + release.residual[i]!).to.be.closeTo(aggregated[i]!, 1e-6);
  });

  it('carries the residual into the next release, so a weight that moves less than a step still arrives', () => {
    // One weight moves by a tenth of its block's step every round; the rest of the block is large.
    let released = Float32Array.from(v1);
    let truth = Float32Array.from(v1);
    let residual: Float32Array | null = null;
    for (let round = 1; round <= 50; round++) {
      truth = Float32Array.from(truth, (w, i) => w + (i === 3 ? 1e-4 : 0));
      const next = quantizeRelease(released, truth, residual, 8, round, round);
      released = Float32Array.from(next.weights);
      residual = next.release.residual;
    }
    expect(released[3]! - v1[3]!).to.be.closeTo(50e-4, 0.5 / 127);
  });

  it('is sent whole to a site that holds nothing, missed a round or holds other weights', () => {
    const releases = new ModelReleases(coordinator);
    const v0 = ramp(0.5, 1);
    for (const held of [null, model(0, v0), model(1, ramp(0.5, 2))]) {
      const { decoded, size } = fetched(releases, held);
      expect(decoded.base).to.equal(undefined);
      expect(size).to.be.above(N * 4);
      expect(same(releasedWeights(decoded, held).weights, v2)).to.equal(true);
    }
    // A site that holds v1 while the coordinator is at v3 (it missed round 2).
    const v3 = quantizeRelease(v2, aggregated, release.residual, 8, 2, 43);
    const bytes = releases.bytesOf(model(3, v3.weights), v3.release, {
      version: 1,
      weightsSha256: weightsSha256(v1),
    });
    expect(decodeModelRelease(decodeSignedBlob(bytes).payload).base).to.equal(undefined);
  });

  it('sends only the thresholds to a site that holds this very version', () => {
    const releases = new ModelReleases(coordinator);
    const { decoded, size } = fetched(releases, model(2, v2));
    expect(decoded.base).to.deep.include({ version: 2, delta: null });
    expect(size).to.be.below(400);
    expect(same(releasedWeights(decoded, model(2, v2)).weights, v2)).to.equal(true);
  });

  it('refuses a delta release whose bytes were altered after signing, naming the signature', () => {
    const bytes = new ModelReleases(coordinator).bytesOf(model(2, v2), release, {
      version: 1,
      weightsSha256: weightsSha256(v1),
    });
    const tampered = Uint8Array.from(bytes);
    tampered[tampered.length - 200]! ^= 0x01;
    expect(() => fetched(new ModelReleases(coordinator), null, tampered)).to.throw(
      SignedBlobError,
      /bad-signature.*altered after signing/,
    );
  });

  it('refuses a signed delta that does not rebuild the weights it names, or that starts from weights the site does not hold', () => {
    const { decoded } = fetched(new ModelReleases(coordinator), model(1, v1));
    const wrongDelta = {
      ...decoded,
      base: {
        ...decoded.base!,
        delta: quantizeRelease(v1, ramp(0.5, 3), null, 8, 1, 1).release.delta,
      },
    };
    expect(() => releasedWeights(wrongDelta, model(1, v1))).to.throw(
      ReleaseMismatchError,
      /^model release v2: the reconstructed weights have SHA-256 [0-9a-f]{16}\.\.\., the signed release names [0-9a-f]{16}\.\.\.$/,
    );
    expect(() => releasedWeights(decoded, model(1, ramp(0.5, 4)))).to.throw(
      ReleaseMismatchError,
      /^model release v2 is relative to v1 \(weights SHA-256 [0-9a-f]{16}\.\.\.\), but this site holds v1 \([0-9a-f]{16}\.\.\.\)$/,
    );
    expect(() => releasedWeights(decoded, null)).to.throw(ReleaseMismatchError, /holds no model$/);
  });

  it('survives a coordinator restart: the saved release and residual read back as they were', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedflow-release-'));
    try {
      saveRelease(dir, 2, release);
      const back = loadRelease(dir, 2)!;
      expect(back.baseVersion).to.equal(1);
      expect(Buffer.from(back.baseWeightsSha256).equals(Buffer.from(weightsSha256(v1)))).to.equal(
        true,
      );
      expect(same(back.residual, release.residual)).to.equal(true);
      expect(same(applyReleaseDelta(v1, back.delta), v2)).to.equal(true);
      expect(loadRelease(dir, 3)).to.equal(null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
