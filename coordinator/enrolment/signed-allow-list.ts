/**
 * The allow-list as one file signed by the coordinator's key, so that the operator can enrol
 * and revoke sites on a running coordinator (`fedflow admin`), and a file written by anyone
 * without that key is refused. A serial number that only grows keeps an older list, signed
 * too, from being put back to re-admit a revoked site.
 */
import { readFileSync } from 'node:fs';
import { fromBase64, toBase64 } from '../../shared/crypto/base64.js';
import { fingerprint, type Identity, type PublicIdentity } from '../../shared/crypto/identity.js';
import { parsePublicKeyFile, publicKeyFileText } from '../../shared/crypto/key-file-format.js';
import { signBlob, verifyBlob } from '../../shared/crypto/signed-blob.js';
import { writeFileDurably } from '../../shared/fs/atomic-write.js';

export const ALLOW_LIST_FORMAT = 'fedflow-allow-list';
const ALLOW_LIST_VERSION = 1;
const PURPOSE = 'allow-list';

export interface AllowListFile {
  /** 1, 2, 3, ...: each change signs a larger one. */
  readonly serial: number;
  readonly sites: readonly PublicIdentity[];
}

/** A file that is not a valid allow-list signed by the coordinator: names the file and why. */
export class AllowListError extends Error {
  constructor(path: string, reason: string) {
    super(`allow-list ${path}: ${reason}`);
    this.name = 'AllowListError';
  }
}

/** The signed bytes: the file's fields but the signature, in this order. */
function signedBytes(serial: number, sites: readonly unknown[]): Uint8Array {
  const body = { format: ALLOW_LIST_FORMAT, version: ALLOW_LIST_VERSION, serial, sites };
  return new TextEncoder().encode(JSON.stringify(body));
}

/** The file's text for `list`, signed by `coordinator`. */
export function allowListText(list: AllowListFile, coordinator: Identity): string {
  const sites = list.sites.map((site) => JSON.parse(publicKeyFileText(site)) as unknown);
  const names = new Set<string>();
  for (const site of list.sites) {
    if (site.role !== 'client') throw new Error(`${site.name}: only client keys can be allowed`);
    if (names.has(site.name)) throw new Error(`two sites named ${site.name}`);
    names.add(site.name);
  }
  const { signature } = signBlob(coordinator, PURPOSE, signedBytes(list.serial, sites));
  const document = {
    format: ALLOW_LIST_FORMAT,
    version: ALLOW_LIST_VERSION,
    serial: list.serial,
    sites,
    signature: toBase64(signature),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Writes `list` signed by `coordinator` to `path`, whole or not at all. */
export function writeAllowList(path: string, list: AllowListFile, coordinator: Identity): void {
  writeFileDurably(path, allowListText(list, coordinator));
}

/** Reads `path` and returns its list if the coordinator whose key is `coordinatorKey` signed it. */
export function readAllowList(path: string, coordinatorKey: Uint8Array): AllowListFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AllowListError(
      path,
      `cannot read: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  return parseAllowList(path, text, coordinatorKey);
}

export function parseAllowList(
  path: string,
  text: string,
  coordinatorKey: Uint8Array,
): AllowListFile {
  const fail = (reason: string): never => {
    throw new AllowListError(path, reason);
  };
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    return fail(`not JSON: ${(error as Error).message}`);
  }
  if (typeof document !== 'object' || document === null || document.format !== ALLOW_LIST_FORMAT)
    fail(`format: expected '${ALLOW_LIST_FORMAT}'`);
  if (document.version !== ALLOW_LIST_VERSION)
    fail(`version: expected ${ALLOW_LIST_VERSION}, got ${JSON.stringify(document.version)}`);
  const { serial, sites, signature } = document;
  if (!Number.isSafeInteger(serial) || (serial as number) < 1)
    fail('serial: expected a whole number >= 1');
  if (!Array.isArray(sites)) return fail('sites: expected a list');
  if (typeof signature !== 'string') return fail('signature: missing');
  try {
    verifyBlob(
      {
        payload: signedBytes(serial as number, sites),
        signature: fromBase64(signature),
        signerKey: coordinatorKey,
        purpose: PURPOSE,
      },
      coordinatorKey,
      PURPOSE,
    );
  } catch {
    fail(
      `signature: does not verify with the coordinator's key ${fingerprint(coordinatorKey)} (edited, or signed by another key)`,
    );
  }
  const parsed = sites.map((site, i) =>
    parsePublicKeyFile(`${path} sites[${i}]`, JSON.stringify(site)),
  );
  return { serial: serial as number, sites: parsed };
}
