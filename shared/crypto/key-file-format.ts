/**
 * The JSON documents of key files: `NAME.public.json` (shared with others) and
 * `NAME.private.json` (public parts plus secrets), keys in padded base64. Parsing checks
 * every field and names the file and field that is wrong.
 */
import { fromBase64, toBase64 } from './base64.js';
import {
  type Identity,
  KEY_LENGTHS,
  mismatchedSecret,
  type PublicIdentity,
  validateIdentityName,
  validateRole,
} from './identity.js';

export const PUBLIC_KEY_FORMAT = 'fedflow-public-key';
export const PRIVATE_KEY_FORMAT = 'fedflow-private-key';
export const KEY_FILE_VERSION = 1;

const PUBLIC_FIELDS = ['format', 'version', 'role', 'name', 'signPublicKey', 'boxPublicKey'];
const PRIVATE_FIELDS = [...PUBLIC_FIELDS, 'signSecretKey', 'boxSecretKey'];

/** A key file that cannot be used, naming the file and the field at fault. */
export class KeyFileError extends Error {
  constructor(
    readonly path: string,
    readonly field: string | null,
    reason: string,
  ) {
    super(`key file ${path}: ${field ? `${field}: ` : ''}${reason}`);
    this.name = 'KeyFileError';
  }
}

/** The public key file's text: fixed field order, two-space indent, final newline. */
export function publicKeyFileText(identity: PublicIdentity): string {
  return documentText({
    format: PUBLIC_KEY_FORMAT,
    version: KEY_FILE_VERSION,
    ...publicFields(identity),
  });
}

/** The private key file's text (public fields first, then the secrets). */
export function privateKeyFileText(identity: Identity): string {
  return documentText({
    format: PRIVATE_KEY_FORMAT,
    version: KEY_FILE_VERSION,
    ...publicFields(identity),
    signSecretKey: toBase64(identity.signSecretKey),
    boxSecretKey: toBase64(identity.boxSecretKey),
  });
}

/** Which kind of key file `text` holds, and its identity; `path` only names it in errors. */
export function parseKeyFile(
  path: string,
  text: string,
): { kind: 'public'; identity: PublicIdentity } | { kind: 'private'; identity: Identity } {
  const document = parseDocument(path, text);
  if (document.format === PUBLIC_KEY_FORMAT)
    return { kind: 'public', identity: parsePublicKeyFile(path, text) };
  if (document.format === PRIVATE_KEY_FORMAT)
    return { kind: 'private', identity: parsePrivateKeyFile(path, text) };
  throw formatError(path, document.format, `'${PUBLIC_KEY_FORMAT}' or '${PRIVATE_KEY_FORMAT}'`);
}

/** Parses a public key file, refusing private ones (their secrets must not travel). */
export function parsePublicKeyFile(path: string, text: string): PublicIdentity {
  const document = parseDocument(path, text);
  if (document.format === PRIVATE_KEY_FORMAT)
    throw new KeyFileError(
      path,
      'format',
      `expected a public key file ('${PUBLIC_KEY_FORMAT}'), got a private one: use NAME.public.json and keep the private file where it is`,
    );
  if (document.format !== PUBLIC_KEY_FORMAT)
    throw formatError(path, document.format, `'${PUBLIC_KEY_FORMAT}'`);
  checkFields(path, document, PUBLIC_FIELDS);
  return readPublicFields(path, document);
}

/** Parses a private key file and checks that each secret belongs to its public key. */
export function parsePrivateKeyFile(path: string, text: string): Identity {
  const document = parseDocument(path, text);
  if (document.format !== PRIVATE_KEY_FORMAT)
    throw formatError(path, document.format, `'${PRIVATE_KEY_FORMAT}'`);
  checkFields(path, document, PRIVATE_FIELDS);
  const identity: Identity = {
    ...readPublicFields(path, document),
    signSecretKey: readKey(path, document, 'signSecretKey'),
    boxSecretKey: readKey(path, document, 'boxSecretKey'),
  };
  const mismatch = mismatchedSecret(identity);
  if (mismatch)
    throw new KeyFileError(
      path,
      mismatch,
      `does not match ${mismatch === 'signSecretKey' ? 'signPublicKey' : 'boxPublicKey'} (the file was edited or assembled from two identities)`,
    );
  return identity;
}

type Document = Record<string, unknown>;

function publicFields(identity: PublicIdentity) {
  return {
    role: identity.role,
    name: identity.name,
    signPublicKey: toBase64(identity.signPublicKey),
    boxPublicKey: toBase64(identity.boxPublicKey),
  };
}

function documentText(document: Document): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

function parseDocument(path: string, text: string): Document {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new KeyFileError(
      path,
      null,
      `expected JSON, got a parse error: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new KeyFileError(path, null, `expected a JSON object, got ${describe(value)}`);
  return value as Document;
}

function checkFields(path: string, document: Document, expected: readonly string[]): void {
  for (const field of expected)
    if (!(field in document)) throw new KeyFileError(path, field, 'missing');
  // Unknown fields are refused rather than ignored: a misspelt or foreign field in a key
  // file is a sign of the wrong file, and version 1 has no optional fields.
  for (const field of Object.keys(document))
    if (!expected.includes(field))
      throw new KeyFileError(
        path,
        field,
        `unexpected field (expected only ${expected.join(', ')})`,
      );
  if (document.version !== KEY_FILE_VERSION)
    throw new KeyFileError(
      path,
      'version',
      `expected ${KEY_FILE_VERSION}, got ${describe(document.version)}`,
    );
}

function readPublicFields(path: string, document: Document): PublicIdentity {
  return {
    role: readText(path, 'role', document.role, validateRole),
    name: readText(path, 'name', document.name, validateIdentityName),
    signPublicKey: readKey(path, document, 'signPublicKey'),
    boxPublicKey: readKey(path, document, 'boxPublicKey'),
  };
}

function readText<T>(path: string, field: string, value: unknown, validate: (s: string) => T): T {
  if (typeof value !== 'string')
    throw new KeyFileError(path, field, `expected a string, got ${describe(value)}`);
  try {
    return validate(value);
  } catch (error) {
    throw new KeyFileError(path, field, (error as Error).message);
  }
}

function readKey(path: string, document: Document, field: keyof typeof KEY_LENGTHS): Uint8Array {
  const value = document[field];
  const expected = KEY_LENGTHS[field];
  if (typeof value !== 'string')
    throw new KeyFileError(
      path,
      field,
      `expected ${expected} bytes as base64, got ${describe(value)}`,
    );
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(value);
  } catch (error) {
    // The text itself stays out of the message: it may be a (damaged) secret key.
    throw new KeyFileError(
      path,
      field,
      `${(error as Error).message}, got ${value.length} characters that are not`,
    );
  }
  if (bytes.length !== expected)
    throw new KeyFileError(path, field, `expected ${expected} bytes, got ${bytes.length}`);
  return bytes;
}

function formatError(path: string, format: unknown, expected: string): KeyFileError {
  return new KeyFileError(path, 'format', `expected ${expected}, got ${describe(format)}`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : JSON.stringify(value);
}
