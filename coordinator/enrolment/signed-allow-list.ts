/**
 * The allow-list as one file signed by the coordinator's key, so that the operator can enrol
 * and revoke sites on a running coordinator (`fedflow admin`), and a file written by anyone
 * without that key is refused. A serial number that only grows keeps an older list, signed
 * too, from being put back to re-admit a revoked site.
 */
import { readFileSync } from 'node:fs';
import type { Identity, PublicIdentity } from '../../shared/crypto/identity.js';
import { parsePublicKeyFile, publicKeyFileText } from '../../shared/crypto/key-file-format.js';
import { writeFileDurably } from '../../shared/fs/atomic-write.js';
import {
  AdminFileError,
  type AdminFileKind,
  parseSignedAdminFile,
  signedAdminText,
} from '../admin/signed-admin-file.js';

export const ALLOW_LIST_FORMAT = 'fedflow-allow-list';
const ALLOW_LIST: AdminFileKind = {
  label: 'allow-list',
  format: ALLOW_LIST_FORMAT,
  version: 1,
  purpose: 'allow-list',
};

export interface AllowListFile {
  /** 1, 2, 3, ...: each change signs a larger one. */
  readonly serial: number;
  readonly sites: readonly PublicIdentity[];
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
  return signedAdminText(ALLOW_LIST, list.serial, { sites }, coordinator);
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
    throw new AdminFileError(
      ALLOW_LIST,
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
  const { serial, fields } = parseSignedAdminFile(
    ALLOW_LIST,
    path,
    text,
    ['sites'],
    coordinatorKey,
  );
  const { sites } = fields;
  if (!Array.isArray(sites)) throw new AdminFileError(ALLOW_LIST, path, 'sites: expected a list');
  const parsed = sites.map((site, i) =>
    parsePublicKeyFile(`${path} sites[${i}]`, JSON.stringify(site)),
  );
  return { serial, sites: parsed };
}
