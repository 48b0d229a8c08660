/**
 * Client-to-coordinator messages: the payload sealed with nacl.box to the coordinator's
 * X25519 key and signed with the client's Ed25519 key over its kind, round, task and nonce.
 */
import nacl from 'tweetnacl';
import { bytesEqual, sha256 } from './bytes.js';
import { EnvelopeError } from './envelope-error.js';
import {
  describeEnvelopeContext,
  ENVELOPE_NONCE_LENGTH,
  type EnvelopeContext,
  envelopeStatement,
  sameEnvelopeContext,
  validateEnvelopeContext,
} from './envelope-statement.js';
import { fingerprint, type Identity, KEY_LENGTHS, type PublicIdentity } from './identity.js';

export { EnvelopeError, type EnvelopeRejection } from './envelope-error.js';
export {
  ENVELOPE_DOMAIN_TAG,
  ENVELOPE_KINDS,
  type EnvelopeContext,
  type EnvelopeKind,
  envelopeStatement,
} from './envelope-statement.js';

/** A sealed, signed payload as it travels; the context is sent in the clear. */
export interface SealedEnvelope {
  /** The sender's Ed25519 public key (32 bytes). */
  readonly senderSignKey: Uint8Array;
  /** Fresh random nonce of nacl.box (24 bytes); also what replay detection remembers. */
  readonly nonce: Uint8Array;
  /** nacl.box output: the payload plus a 16-byte authenticator. */
  readonly ciphertext: Uint8Array;
  /** Ed25519 signature (64 bytes) of envelopeStatement(context, nonce, SHA-256(ciphertext)). */
  readonly signature: Uint8Array;
  readonly context: EnvelopeContext;
}

/**
 * Seals `plaintext` from `sender` to the holder of `recipientBoxKey` for `context`.
 * The nonce is random unless given (tests); never reuse one with the same pair of keys.
 * @example const envelope = sealEnvelope(client, coordinator.boxPublicKey, { kind: 'delta', round: 3, taskId: 't-3' }, bytes);
 */
export function sealEnvelope(
  sender: Identity,
  recipientBoxKey: Uint8Array,
  context: EnvelopeContext,
  plaintext: Uint8Array,
  nonce: Uint8Array = nacl.randomBytes(ENVELOPE_NONCE_LENGTH),
): SealedEnvelope {
  validateEnvelopeContext(context);
  if (recipientBoxKey.length !== KEY_LENGTHS.boxPublicKey)
    throw new RangeError(
      `recipient box key: expected ${KEY_LENGTHS.boxPublicKey} bytes, got ${recipientBoxKey.length}`,
    );
  if (nonce.length !== ENVELOPE_NONCE_LENGTH)
    throw new RangeError(`nonce: expected ${ENVELOPE_NONCE_LENGTH} bytes, got ${nonce.length}`);
  const ciphertext = nacl.box(plaintext, nonce, recipientBoxKey, sender.boxSecretKey);
  const statement = envelopeStatement(context, nonce, sha256(ciphertext));
  return {
    senderSignKey: sender.signPublicKey,
    nonce,
    ciphertext,
    signature: nacl.sign.detached(statement, sender.signSecretKey),
    context: { kind: context.kind, round: context.round, taskId: context.taskId },
  };
}

/**
 * Opens an envelope that `senderPublic` sealed to `recipient` for the `expected` context,
 * or throws an EnvelopeError. Checks run in this order so that each reason means one thing:
 * shape (`malformed`), the claimed sender (`wrong-sender`), the signature
 * (`bad-signature`), the signed context (`wrong-context`: authentic but stale or misrouted),
 * then decryption (`undecryptable`). Replays are the ReplayGuard's job, after this.
 */
export function openEnvelope(
  recipient: Identity,
  senderPublic: PublicIdentity,
  envelope: SealedEnvelope,
  expected: EnvelopeContext,
): Uint8Array {
  checkEnvelopeShape(envelope);
  if (!bytesEqual(envelope.senderSignKey, senderPublic.signPublicKey))
    throw new EnvelopeError(
      'wrong-sender',
      `expected a signature by ${senderPublic.name} (${fingerprint(senderPublic.signPublicKey)}), got one by key ${fingerprint(envelope.senderSignKey)}`,
    );
  const statement = envelopeStatement(
    envelope.context,
    envelope.nonce,
    sha256(envelope.ciphertext),
  );
  if (!nacl.sign.detached.verify(statement, envelope.signature, senderPublic.signPublicKey))
    throw new EnvelopeError(
      'bad-signature',
      `the signature of ${senderPublic.name} does not cover this ${describeEnvelopeContext(envelope.context)} (altered after signing)`,
    );
  if (!sameEnvelopeContext(envelope.context, expected))
    throw new EnvelopeError(
      'wrong-context',
      `expected ${describeEnvelopeContext(expected)}, got ${describeEnvelopeContext(envelope.context)} from ${senderPublic.name}`,
    );
  const plaintext = nacl.box.open(
    envelope.ciphertext,
    envelope.nonce,
    senderPublic.boxPublicKey,
    recipient.boxSecretKey,
  );
  if (!plaintext)
    throw new EnvelopeError(
      'undecryptable',
      `the ${describeEnvelopeContext(envelope.context)} from ${senderPublic.name} was not sealed to ${recipient.name}'s key by ${senderPublic.name}'s box key`,
    );
  return plaintext;
}

function checkEnvelopeShape(envelope: SealedEnvelope): void {
  const lengths: [string, Uint8Array, number][] = [
    ['senderSignKey', envelope.senderSignKey, KEY_LENGTHS.signPublicKey],
    ['nonce', envelope.nonce, ENVELOPE_NONCE_LENGTH],
    ['signature', envelope.signature, nacl.sign.signatureLength],
  ];
  for (const [field, bytes, expected] of lengths)
    if (!(bytes instanceof Uint8Array) || bytes.length !== expected)
      throw new EnvelopeError(
        'malformed',
        `${field}: expected ${expected} bytes, got ${bytes?.length}`,
      );
  if (
    !(envelope.ciphertext instanceof Uint8Array) ||
    envelope.ciphertext.length < nacl.box.overheadLength
  )
    throw new EnvelopeError(
      'malformed',
      `ciphertext: expected at least ${nacl.box.overheadLength} bytes, got ${envelope.ciphertext?.length}`,
    );
  try {
    validateEnvelopeContext(envelope.context);
  } catch (error) {
    throw new EnvelopeError('malformed', `context: ${(error as Error).message}`);
  }
}
