/**
 * Coordinator-signed releases (global model, thresholds, encoder spec): a payload signed
 * for a stated purpose, and its single-byte-string form for chunked transfer.
 */
import nacl from 'tweetnacl';
import { ByteReader, ByteWriter, bytesEqual, sha256, utf8Bytes } from './bytes.js';
import { fingerprint, type Identity, KEY_LENGTHS } from './identity.js';

/** Domain-separation tag: these signatures can never be taken for another fedflow statement. */
export const SIGNED_BLOB_DOMAIN_TAG = 'fedflow/v1/signed-blob';
/** First bytes of an encoded signed blob: ASCII "FFSB". */
export const SIGNED_BLOB_MAGIC = Uint8Array.of(0x46, 0x46, 0x53, 0x42);
export const SIGNED_BLOB_VERSION = 1;

/** A payload with its signer's signature; unverified until verifyBlob says otherwise. */
export interface SignedBlob {
  readonly payload: Uint8Array;
  /** Ed25519 signature (64 bytes) of signedBlobStatement(purpose, SHA-256(payload)). */
  readonly signature: Uint8Array;
  /** The signer's Ed25519 public key (32 bytes). */
  readonly signerKey: Uint8Array;
  /** What the payload is, e.g. 'global-model': a model cannot be passed off as thresholds. */
  readonly purpose: string;
}

export type SignedBlobRejection = 'malformed' | 'wrong-signer' | 'wrong-purpose' | 'bad-signature';

/** A refused signed blob; `reason` is stable, the message says what was expected and what came. */
export class SignedBlobError extends Error {
  constructor(
    readonly reason: SignedBlobRejection,
    detail: string,
  ) {
    super(`signed blob refused (${reason}): ${detail}`);
    this.name = 'SignedBlobError';
  }
}

const PURPOSE_PATTERN = /^[a-z0-9][a-z0-9._/-]{0,63}$/;

/** Throws unless `purpose` is 1-64 characters of lower-case letters, digits, '.', '_', '/', '-'. */
export function validatePurpose(purpose: string): void {
  if (typeof purpose !== 'string' || !PURPOSE_PATTERN.test(purpose))
    throw new RangeError(
      `purpose: expected 1-64 characters of a-z, 0-9, '.', '_', '/', '-', got ${JSON.stringify(purpose)}`,
    );
}

/**
 * The signed statement. Layout:
 *
 * | bytes | field                                                 |
 * | ----- | ----------------------------------------------------- |
 * | 23    | ASCII `fedflow/v1/signed-blob` followed by one 0x00   |
 * | 1     | P = length of purpose                                 |
 * | P     | purpose, ASCII                                        |
 * | 32    | SHA-256 of the payload                                |
 *
 * The payload enters as its digest so that a log can record what was released, and anyone
 * check the signature, from 32 bytes instead of the whole model.
 */
export function signedBlobStatement(purpose: string, payloadSha256: Uint8Array): Uint8Array {
  validatePurpose(purpose);
  if (payloadSha256.length !== 32)
    throw new RangeError(`payload digest: expected 32 bytes, got ${payloadSha256.length}`);
  return new ByteWriter()
    .bytes(utf8Bytes(`${SIGNED_BLOB_DOMAIN_TAG}\0`, 'tag'))
    .shortString(purpose, 'purpose')
    .bytes(payloadSha256)
    .finish();
}

/**
 * Signs `payload` for `purpose` with the signer's Ed25519 key.
 * @example const release = signBlob(coordinator, 'global-model', modelBytes);
 */
export function signBlob(signer: Identity, purpose: string, payload: Uint8Array): SignedBlob {
  const statement = signedBlobStatement(purpose, sha256(payload));
  return {
    payload,
    signature: nacl.sign.detached(statement, signer.signSecretKey),
    signerKey: signer.signPublicKey,
    purpose,
  };
}

/**
 * Returns the payload if `trustedSignerKey` signed it for `purpose`, else throws a
 * SignedBlobError ('wrong-signer', 'wrong-purpose', 'bad-signature' or 'malformed').
 * A valid signature proves origin, not freshness: check the version inside the payload
 * against the one announced, or an old release could be served again.
 */
export function verifyBlob(
  blob: SignedBlob,
  trustedSignerKey: Uint8Array,
  purpose: string,
): Uint8Array {
  if (
    blob.signerKey.length !== KEY_LENGTHS.signPublicKey ||
    blob.signature.length !== nacl.sign.signatureLength
  )
    throw new SignedBlobError(
      'malformed',
      `expected a ${KEY_LENGTHS.signPublicKey}-byte signer key and a ${nacl.sign.signatureLength}-byte signature, got ${blob.signerKey.length} and ${blob.signature.length} bytes`,
    );
  if (!bytesEqual(blob.signerKey, trustedSignerKey))
    throw new SignedBlobError(
      'wrong-signer',
      `expected a signature by ${fingerprint(trustedSignerKey)}, got one by ${fingerprint(blob.signerKey)}`,
    );
  if (blob.purpose !== purpose)
    throw new SignedBlobError(
      'wrong-purpose',
      `expected ${JSON.stringify(purpose)}, got ${JSON.stringify(blob.purpose)}`,
    );
  const statement = signedBlobStatement(purpose, sha256(blob.payload));
  if (!nacl.sign.detached.verify(statement, blob.signature, trustedSignerKey))
    throw new SignedBlobError(
      'bad-signature',
      `the signature does not cover this ${purpose} payload of ${blob.payload.length} bytes (altered after signing)`,
    );
  return blob.payload;
}

/**
 * One byte string holding a signed blob. Layout (integers big-endian):
 *
 * | bytes | field                                   |
 * | ----- | --------------------------------------- |
 * | 4     | magic, ASCII `FFSB`                     |
 * | 1     | format version, 1                       |
 * | 1     | P = length of purpose                   |
 * | P     | purpose, ASCII                          |
 * | 32    | signer's Ed25519 public key             |
 * | 64    | signature                               |
 * | 4     | N = payload length, unsigned 32-bit     |
 * | N     | payload                                 |
 *
 * Nothing follows the payload: decoding refuses trailing bytes.
 */
export function encodeSignedBlob(blob: SignedBlob): Uint8Array {
  validatePurpose(blob.purpose);
  return new ByteWriter()
    .bytes(SIGNED_BLOB_MAGIC)
    .u8(SIGNED_BLOB_VERSION, 'version')
    .shortString(blob.purpose, 'purpose')
    .bytes(fixedLength(blob.signerKey, KEY_LENGTHS.signPublicKey, 'signer key'))
    .bytes(fixedLength(blob.signature, nacl.sign.signatureLength, 'signature'))
    .u32(blob.payload.length, 'payload length')
    .bytes(blob.payload)
    .finish();
}

/**
 * Reads encodeSignedBlob's output (the payload is a view into `bytes`, not a copy).
 * Throws SignedBlobError 'malformed' naming the field; verify the result before use.
 */
export function decodeSignedBlob(bytes: Uint8Array): SignedBlob {
  try {
    const reader = new ByteReader(bytes);
    const magic = reader.bytes(SIGNED_BLOB_MAGIC.length, 'magic');
    if (!bytesEqual(magic, SIGNED_BLOB_MAGIC))
      throw new RangeError(
        `magic: expected "FFSB", got ${Buffer.from(magic).toString('hex')} (hex)`,
      );
    const version = reader.u8('version');
    if (version !== SIGNED_BLOB_VERSION)
      throw new RangeError(`version: expected ${SIGNED_BLOB_VERSION}, got ${version}`);
    const purpose = reader.shortString('purpose');
    validatePurpose(purpose);
    const signerKey = reader.bytes(KEY_LENGTHS.signPublicKey, 'signer key');
    const signature = reader.bytes(nacl.sign.signatureLength, 'signature');
    const payload = reader.bytes(reader.u32('payload length'), 'payload');
    reader.end();
    return { payload, signature, signerKey, purpose };
  } catch (error) {
    throw new SignedBlobError('malformed', (error as Error).message);
  }
}

function fixedLength(bytes: Uint8Array, length: number, field: string): Uint8Array {
  if (bytes.length !== length)
    throw new RangeError(`${field}: expected ${length} bytes, got ${bytes.length}`);
  return bytes;
}
