import { createHash } from 'node:crypto';
import { expect } from 'chai';
import nacl from 'tweetnacl';
import { publicIdentity } from '../../../shared/crypto/identity.js';
import {
  type EnvelopeContext,
  EnvelopeError,
  type EnvelopeRejection,
  envelopeStatement,
  openEnvelope,
  type SealedEnvelope,
  sealEnvelope,
} from '../../../shared/crypto/sealed-envelope.js';
import { flipByte, seededIdentity } from './fixtures.js';

const coordinator = seededIdentity('coordinator', 'hub', 1);
const otherCoordinator = seededIdentity('coordinator', 'other-hub', 2);
const acme = seededIdentity('client', 'acme', 3);
const globex = seededIdentity('client', 'globex', 4);
const context: EnvelopeContext = { kind: 'delta', round: 3, taskId: 'train-3' };
const payload = new TextEncoder().encode('a model delta, in its wire encoding');

function rejection(open: () => unknown): EnvelopeRejection {
  try {
    open();
  } catch (error) {
    if (error instanceof EnvelopeError) return error.reason;
    throw error;
  }
  throw new Error('the envelope was accepted');
}

describe('sealed envelope', () => {
  let envelope: SealedEnvelope;
  beforeEach(() => {
    envelope = sealEnvelope(acme, coordinator.boxPublicKey, context, payload);
  });
  const open = (e: SealedEnvelope, expected = context, sender = acme) =>
    openEnvelope(coordinator, publicIdentity(sender), e, expected);

  it('opens what a client sealed to the coordinator', () => {
    expect(envelope.nonce).to.have.length(24);
    expect(envelope.signature).to.have.length(64);
    expect(envelope.ciphertext).to.have.length(payload.length + 16);
    expect(Buffer.from(open(envelope)).toString()).to.equal('a model delta, in its wire encoding');
  });

  it('does not carry the plaintext in the clear', () => {
    expect(Buffer.from(envelope.ciphertext).includes(Buffer.from('model delta'))).to.equal(false);
  });

  it('uses a fresh nonce for each envelope', () => {
    const again = sealEnvelope(acme, coordinator.boxPublicKey, context, payload);
    expect(Buffer.from(again.nonce).equals(envelope.nonce)).to.equal(false);
  });

  it('rejects a flipped ciphertext byte as a bad signature', () => {
    const tampered = { ...envelope, ciphertext: flipByte(envelope.ciphertext, 20) };
    expect(rejection(() => open(tampered))).to.equal('bad-signature');
  });

  it('rejects a flipped signature byte as a bad signature', () => {
    const tampered = { ...envelope, signature: flipByte(envelope.signature, 5) };
    expect(rejection(() => open(tampered))).to.equal('bad-signature');
  });

  it('rejects a flipped nonce byte as a bad signature', () => {
    const tampered = { ...envelope, nonce: flipByte(envelope.nonce) };
    expect(rejection(() => open(tampered))).to.equal('bad-signature');
  });

  it('rejects an envelope whose clear-text context was edited in transit', () => {
    const tampered = { ...envelope, context: { ...context, round: 4 } };
    expect(rejection(() => open(tampered, { ...context, round: 4 }))).to.equal('bad-signature');
  });

  it('rejects an envelope signed by another client than the expected one', () => {
    const fromGlobex = sealEnvelope(globex, coordinator.boxPublicKey, context, payload);
    expect(rejection(() => open(fromGlobex))).to.equal('wrong-sender');
    // and a claimed sender key that does not match the signature
    const relabelled = { ...fromGlobex, senderSignKey: acme.signPublicKey };
    expect(rejection(() => open(relabelled))).to.equal('bad-signature');
  });

  it('names the expected and the actual sender', () => {
    const fromGlobex = sealEnvelope(globex, coordinator.boxPublicKey, context, payload);
    expect(() => open(fromGlobex)).to.throw(
      /expected a signature by acme \([0-9a-f]{16}\), got one by key [0-9a-f]{16}/,
    );
  });

  it('rejects an authentic envelope for another round as wrong context', () => {
    expect(rejection(() => open(envelope, { ...context, round: 4 }))).to.equal('wrong-context');
    expect(() => open(envelope, { ...context, round: 4 })).to.throw(
      'expected delta for round 4, task "train-3", got delta for round 3, task "train-3" from acme',
    );
  });

  it('rejects an authentic envelope for another task or kind as wrong context', () => {
    expect(rejection(() => open(envelope, { ...context, taskId: 'train-3b' }))).to.equal(
      'wrong-context',
    );
    expect(rejection(() => open(envelope, { ...context, kind: 'histogram' }))).to.equal(
      'wrong-context',
    );
  });

  it('rejects a message sealed to another coordinator as undecryptable', () => {
    const misdirected = sealEnvelope(acme, otherCoordinator.boxPublicKey, context, payload);
    expect(rejection(() => open(misdirected))).to.equal('undecryptable');
  });

  it('rejects envelopes with fields of the wrong length as malformed', () => {
    expect(rejection(() => open({ ...envelope, nonce: envelope.nonce.subarray(0, 23) }))).to.equal(
      'malformed',
    );
    expect(rejection(() => open({ ...envelope, signature: new Uint8Array(63) }))).to.equal(
      'malformed',
    );
    expect(rejection(() => open({ ...envelope, senderSignKey: new Uint8Array(33) }))).to.equal(
      'malformed',
    );
    expect(rejection(() => open({ ...envelope, ciphertext: new Uint8Array(15) }))).to.equal(
      'malformed',
    );
    const badContext = { ...envelope, context: { ...context, round: -1 } };
    expect(rejection(() => open(badContext))).to.equal('malformed');
  });

  it('refuses to seal a context that cannot be signed', () => {
    const seal = (c: EnvelopeContext) => () =>
      sealEnvelope(acme, coordinator.boxPublicKey, c, payload);
    expect(seal({ ...context, round: 1.5 })).to.throw(/round: expected an integer/);
    expect(seal({ ...context, round: 2 ** 32 })).to.throw(/round: expected an integer/);
    expect(seal({ ...context, taskId: '' })).to.throw(/taskId: expected 1-255 bytes/);
    expect(seal({ ...context, taskId: 'x'.repeat(256) })).to.throw(/taskId: expected 1-255 bytes/);
    expect(seal({ ...context, taskId: '\ud800' })).to.throw(/lone surrogate/);
    expect(seal({ ...context, kind: 'flows' as 'delta' })).to.throw(
      /kind: expected one of sketch, delta, histogram/,
    );
  });

  it('signs exactly the documented statement, so auditors can check it with any Ed25519 library', () => {
    const nonce = new Uint8Array(24).map((_, i) => i);
    const sealed = sealEnvelope(acme, coordinator.boxPublicKey, context, payload, nonce);
    const ciphertextDigest = createHash('sha256').update(sealed.ciphertext).digest();
    const documented = Buffer.concat([
      Buffer.from('fedflow/v1/envelope\0', 'ascii'),
      Buffer.from([5]),
      Buffer.from('delta', 'ascii'),
      Buffer.from([0, 0, 0, 3]),
      Buffer.from([7]),
      Buffer.from('train-3', 'utf8'),
      Buffer.from(nonce),
      ciphertextDigest,
    ]);
    expect(nacl.sign.detached.verify(documented, sealed.signature, acme.signPublicKey)).to.equal(
      true,
    );
    expect(
      Buffer.from(envelopeStatement(context, nonce, ciphertextDigest)).equals(documented),
    ).to.equal(true);
    // and the ciphertext is plain nacl.box under the envelope's nonce
    const opened = nacl.box.open(
      sealed.ciphertext,
      nonce,
      acme.boxPublicKey,
      coordinator.boxSecretKey,
    );
    expect(Buffer.from(opened!).equals(payload)).to.equal(true);
  });

  it('seals deterministically for a given nonce and keys', () => {
    const nonce = new Uint8Array(24).fill(9);
    const a = sealEnvelope(acme, coordinator.boxPublicKey, context, payload, nonce);
    const b = sealEnvelope(acme, coordinator.boxPublicKey, context, payload, nonce);
    expect(a).to.deep.equal(b);
  });
});
