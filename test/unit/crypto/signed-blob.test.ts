import { createHash } from 'node:crypto';
import { expect } from 'chai';
import nacl from 'tweetnacl';
import {
  decodeSignedBlob,
  encodeSignedBlob,
  type SignedBlob,
  SignedBlobError,
  type SignedBlobRejection,
  signBlob,
  verifyBlob,
} from '../../../shared/crypto/signed-blob.js';
import { flipByte, seededIdentity } from './fixtures.js';

const coordinator = seededIdentity('coordinator', 'hub', 1);
const impostor = seededIdentity('coordinator', 'impostor', 2);
const model = new Uint8Array(1000).map((_, i) => i % 251);

function rejection(verify: () => unknown): SignedBlobRejection {
  try {
    verify();
  } catch (error) {
    if (error instanceof SignedBlobError) return error.reason;
    throw error;
  }
  throw new Error('the blob was accepted');
}

describe('signed blob', () => {
  const blob = signBlob(coordinator, 'global-model', model);
  const verify = (b: SignedBlob, key = coordinator.signPublicKey, purpose = 'global-model') =>
    verifyBlob(b, key, purpose);

  it('verifies a release signed by the trusted coordinator for its purpose', () => {
    expect(verify(blob)).to.deep.equal(model);
  });

  it('rejects a release for another purpose', () => {
    expect(rejection(() => verify(blob, coordinator.signPublicKey, 'thresholds'))).to.equal(
      'wrong-purpose',
    );
    expect(() => verify(blob, coordinator.signPublicKey, 'thresholds')).to.throw(
      'expected "thresholds", got "global-model"',
    );
    // relabelling the purpose breaks the signature
    const relabelled = { ...blob, purpose: 'thresholds' };
    expect(rejection(() => verify(relabelled, coordinator.signPublicKey, 'thresholds'))).to.equal(
      'bad-signature',
    );
  });

  it('rejects a release signed by another key', () => {
    const forged = signBlob(impostor, 'global-model', model);
    expect(rejection(() => verify(forged))).to.equal('wrong-signer');
    expect(rejection(() => verify({ ...forged, signerKey: coordinator.signPublicKey }))).to.equal(
      'bad-signature',
    );
  });

  it('rejects a flipped payload or signature byte', () => {
    expect(rejection(() => verify({ ...blob, payload: flipByte(blob.payload, 500) }))).to.equal(
      'bad-signature',
    );
    expect(rejection(() => verify({ ...blob, signature: flipByte(blob.signature, 63) }))).to.equal(
      'bad-signature',
    );
  });

  it('signs exactly the documented statement', () => {
    const documented = Buffer.concat([
      Buffer.from('fedflow/v1/signed-blob\0', 'ascii'),
      Buffer.from([12]),
      Buffer.from('global-model', 'ascii'),
      createHash('sha256').update(model).digest(),
    ]);
    expect(
      nacl.sign.detached.verify(documented, blob.signature, coordinator.signPublicKey),
    ).to.equal(true);
  });

  it('refuses to sign for a purpose outside the allowed characters', () => {
    expect(() => signBlob(coordinator, 'Global Model', model)).to.throw(
      /purpose: expected 1-64 characters/,
    );
    expect(() => signBlob(coordinator, '', model)).to.throw(/purpose/);
  });

  it('round-trips through the documented byte layout', () => {
    const encoded = encodeSignedBlob(blob);
    const documented = Buffer.concat([
      Buffer.from('FFSB', 'ascii'),
      Buffer.from([1, 12]),
      Buffer.from('global-model', 'ascii'),
      Buffer.from(coordinator.signPublicKey),
      Buffer.from(blob.signature),
      Buffer.from([0, 0, 0x03, 0xe8]),
      Buffer.from(model),
    ]);
    expect(Buffer.from(encoded).equals(documented)).to.equal(true);
    const decoded = decodeSignedBlob(encoded);
    expect(decoded).to.deep.equal(blob);
    expect(verify(decoded)).to.deep.equal(model);
  });

  it('round-trips an empty payload', () => {
    const empty = signBlob(coordinator, 'thresholds', new Uint8Array(0));
    expect(
      verifyBlob(
        decodeSignedBlob(encodeSignedBlob(empty)),
        coordinator.signPublicKey,
        'thresholds',
      ),
    ).to.have.length(0);
  });

  it('detects a flipped byte anywhere in the encoded blob', () => {
    const encoded = encodeSignedBlob(blob);
    for (const index of [0, 4, 6, 20, 60, 150, 165, encoded.length - 1]) {
      const damaged = flipByte(encoded, index);
      expect(() => verify(decodeSignedBlob(damaged)), `byte ${index}`).to.throw(SignedBlobError);
    }
  });

  it('names what is wrong with a malformed encoding', () => {
    const encoded = encodeSignedBlob(blob);
    const malformed = (bytes: Uint8Array) => () => decodeSignedBlob(bytes);
    expect(malformed(flipByte(encoded, 0))).to.throw(/malformed.*magic: expected "FFSB"/);
    expect(
      malformed(Uint8Array.from([...encoded.subarray(0, 4), 2, ...encoded.subarray(5)])),
    ).to.throw(/version: expected 1, got 2/);
    expect(malformed(encoded.subarray(0, encoded.length - 1))).to.throw(
      /payload: expected 1000 bytes/,
    );
    expect(malformed(Uint8Array.from([...encoded, 0]))).to.throw(/got 1 more bytes/);
    expect(malformed(encoded.subarray(0, 3))).to.throw(
      /magic: expected 4 bytes at offset 0, got 3/,
    );
  });
});
