/**
 * A file the operator signs with the coordinator's own key so that a running coordinator may
 * act on it (the allow-list, the job requests): JSON with a format, a version, a serial that
 * only grows, the kind's own fields and a signature over all of them. A file written by anyone
 * without that key is refused, and a serial that only grows keeps an older file, signed too,
 * from being put back.
 */
import { fromBase64, toBase64 } from '../../shared/crypto/base64.js';
import { fingerprint, type Identity } from '../../shared/crypto/identity.js';
import { signBlob, verifyBlob } from '../../shared/crypto/signed-blob.js';

/** One kind of signed admin file. */
export interface AdminFileKind {
  /** How errors name the file, e.g. 'allow-list'. */
  readonly label: string;
  readonly format: string;
  readonly version: number;
  /** The signature's purpose, so one kind's signature never passes for another's. */
  readonly purpose: string;
}

/** A file that is not a valid admin file signed by the coordinator: names the file and why. */
export class AdminFileError extends Error {
  constructor(kind: AdminFileKind, path: string, reason: string) {
    super(`${kind.label} ${path}: ${reason}`);
    this.name = 'AdminFileError';
  }
}

/** The signed bytes: format, version, serial, then the kind's fields, in this order. */
function signedBytes(kind: AdminFileKind, serial: number, fields: object): Uint8Array {
  const body = { format: kind.format, version: kind.version, serial, ...fields };
  return new TextEncoder().encode(JSON.stringify(body));
}

/** The file's text: `fields` (plain JSON values) at `serial`, signed by `coordinator`. */
export function signedAdminText(
  kind: AdminFileKind,
  serial: number,
  fields: Record<string, unknown>,
  coordinator: Identity,
): string {
  const { signature } = signBlob(coordinator, kind.purpose, signedBytes(kind, serial, fields));
  const document = {
    format: kind.format,
    version: kind.version,
    serial,
    ...fields,
    signature: toBase64(signature),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * The serial and the kind's fields of `text` (read from `path`) if the coordinator whose key
 * is `coordinatorKey` signed them; `fields` names the fields the kind signs, in order.
 */
export function parseSignedAdminFile(
  kind: AdminFileKind,
  path: string,
  text: string,
  fields: readonly string[],
  coordinatorKey: Uint8Array,
): { serial: number; fields: Record<string, unknown> } {
  const fail = (reason: string): never => {
    throw new AdminFileError(kind, path, reason);
  };
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    return fail(`not JSON: ${(error as Error).message}`);
  }
  if (typeof document !== 'object' || document === null || document.format !== kind.format)
    fail(`format: expected '${kind.format}'`);
  if (document.version !== kind.version)
    fail(`version: expected ${kind.version}, got ${JSON.stringify(document.version)}`);
  const { serial, signature } = document;
  if (!Number.isSafeInteger(serial) || (serial as number) < 1)
    fail('serial: expected a whole number >= 1');
  if (typeof signature !== 'string') return fail('signature: missing');
  const signed = Object.fromEntries(fields.map((name) => [name, document[name]]));
  try {
    verifyBlob(
      {
        payload: signedBytes(kind, serial as number, signed),
        signature: fromBase64(signature),
        signerKey: coordinatorKey,
        purpose: kind.purpose,
      },
      coordinatorKey,
      kind.purpose,
    );
  } catch {
    fail(
      `signature: does not verify with the coordinator's key ${fingerprint(coordinatorKey)} (edited, or signed by another key)`,
    );
  }
  return { serial: serial as number, fields: signed };
}
