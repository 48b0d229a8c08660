/**
 * Identities of coordinators and clients: an Ed25519 key pair that signs and an X25519 key
 * pair that seals (tweetnacl `sign` and `box`), under a role and a name.
 */
import nacl from 'tweetnacl';
import { bytesEqual, sha256 } from './bytes.js';
import { ROLES, type Role } from './roles.js';

export { ROLES, type Role };

/** Lengths of tweetnacl keys in bytes. */
export const KEY_LENGTHS = {
  signPublicKey: nacl.sign.publicKeyLength,
  signSecretKey: nacl.sign.secretKeyLength,
  boxPublicKey: nacl.box.publicKeyLength,
  boxSecretKey: nacl.box.secretKeyLength,
} as const;

/** What others may know about a party: its role, name and public keys. */
export interface PublicIdentity {
  readonly role: Role;
  readonly name: string;
  /** Ed25519 public key (32 bytes): identifies the party. */
  readonly signPublicKey: Uint8Array;
  /** X25519 public key (32 bytes): what messages to the party are sealed to. */
  readonly boxPublicKey: Uint8Array;
}

/** A party's own identity, secrets included. */
export interface Identity extends PublicIdentity {
  /** Ed25519 secret key in tweetnacl's form: 32-byte seed followed by the public key. */
  readonly signSecretKey: Uint8Array;
  /** X25519 secret key (32 bytes). */
  readonly boxSecretKey: Uint8Array;
}

// Names become file names (NAME.public.json) and appear in logs, so no path separators,
// no leading dot and nothing a shell or a log parser would trip over.
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Throws unless `name` can name an identity (and its key files). */
export function validateIdentityName(name: string): string {
  if (!NAME_PATTERN.test(name))
    throw new Error(
      `identity name must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit; got ${JSON.stringify(name)}`,
    );
  return name;
}

/** Throws unless `role` is one of ROLES. */
export function validateRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw new Error(`role must be one of ${ROLES.join(', ')}; got ${JSON.stringify(role)}`);
  return role as Role;
}

/**
 * Creates a fresh identity from the system's secure random source.
 * @example const coordinator = generateIdentity('coordinator', 'consortium');
 */
export function generateIdentity(role: Role, name: string): Identity {
  validateRole(role);
  validateIdentityName(name);
  const sign = nacl.sign.keyPair();
  const box = nacl.box.keyPair();
  return {
    role,
    name,
    signPublicKey: sign.publicKey,
    signSecretKey: sign.secretKey,
    boxPublicKey: box.publicKey,
    boxSecretKey: box.secretKey,
  };
}

/** The public part of an identity (a copy without the secrets, safe to log or send). */
export function publicIdentity(identity: PublicIdentity): PublicIdentity {
  const { role, name, signPublicKey, boxPublicKey } = identity;
  return { role, name, signPublicKey, boxPublicKey };
}

/**
 * Which secret key, if any, does not belong to its public key: the Ed25519 secret must
 * derive the public key from its seed (and end with it), the X25519 secret must derive the
 * box public key. Returns the field name, or null when both match.
 */
export function mismatchedSecret(identity: Identity): 'signSecretKey' | 'boxSecretKey' | null {
  const seed = identity.signSecretKey.subarray(0, nacl.sign.seedLength);
  const derivedSign = nacl.sign.keyPair.fromSeed(seed).publicKey;
  if (
    !bytesEqual(derivedSign, identity.signPublicKey) ||
    !bytesEqual(identity.signSecretKey.subarray(nacl.sign.seedLength), identity.signPublicKey)
  )
    return 'signSecretKey';
  const derivedBox = nacl.box.keyPair.fromSecretKey(identity.boxSecretKey).publicKey;
  if (!bytesEqual(derivedBox, identity.boxPublicKey)) return 'boxSecretKey';
  return null;
}

/**
 * A short name for a signing key in logs and on screen: the first 16 hex digits of the
 * SHA-256 of the 32 public key bytes (`sha256sum` of the raw key gives the same digits).
 * 64 bits tell keys apart at a glance; decisions (allow-lists, trust) compare whole keys.
 * @example fingerprint(identity.signPublicKey) // '3f9a0c2e71d4b8a5'
 */
export function fingerprint(signPublicKey: Uint8Array): string {
  if (signPublicKey.length !== KEY_LENGTHS.signPublicKey)
    throw new RangeError(
      `fingerprint: expected a ${KEY_LENGTHS.signPublicKey}-byte signing public key, got ${signPublicKey.length} bytes`,
    );
  return Buffer.from(sha256(signPublicKey)).toString('hex').slice(0, 16);
}
