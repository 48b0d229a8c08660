/**
 * Finds an audit's inputs under the auditor's paths: files by name (the logs), the public key
 * files that pin who may have signed a log, and the published model specs kept plaintexts are
 * checked against. Whatever cannot be read becomes a finding, never an exception.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fingerprint } from '../crypto/identity.js';
import { loadKeyFile } from '../crypto/key-files.js';
import type { ModelSpec } from '../model/model-spec.js';
import { ModelSpecError, readModelSpec } from '../model/read-model-spec.js';
import type { Finding } from './audit-entry.js';

/** A signer vouched for by a public key file: its name and Ed25519 public key. */
export interface PinnedKey {
  readonly name: string;
  readonly signPublicKey: Uint8Array;
}

/** Files under `paths` that pass `test` (recursively; shallow enough for state directories). */
export function findFiles(
  paths: readonly string[],
  test: (file: string) => boolean,
  findings: Finding[],
  depth = 6,
): string[] {
  const found: string[] = [];
  const walk = (path: string, left: number) => {
    try {
      if (!existsSync(path)) return;
      if (statSync(path).isFile()) {
        if (test(path)) found.push(path);
        return;
      }
      if (left === 0 || basename(path) === 'payloads' || basename(path) === 'node_modules') return;
      for (const name of readdirSync(path).sort()) walk(join(path, name), left - 1);
    } catch (error) {
      findings.push({
        severity: 'error',
        file: path,
        line: null,
        seq: null,
        code: 'unreadable',
        message: (error as Error).message,
      });
    }
  };
  for (const p of paths) walk(p, depth);
  return found;
}

/** The identities of the `*.public.json` key files under `paths`, by fingerprint. */
export function pinnedKeys(paths: readonly string[], findings: Finding[]): Map<string, PinnedKey> {
  const keys = new Map<string, PinnedKey>();
  // A party's state folder in its kit (kits/site-a/state) has the kit's keys/ beside it.
  const besideStates = paths
    .map((p) => join(dirname(resolve(p)), 'keys'))
    .filter((dir, i, all) => all.indexOf(dir) === i && existsSync(dir));
  const searched = [...paths, ...besideStates];
  for (const file of findFiles(searched, (f) => f.endsWith('.public.json'), findings)) {
    try {
      const { identity } = loadKeyFile(file);
      keys.set(fingerprint(identity.signPublicKey), identity);
    } catch (error) {
      findings.push({
        severity: 'warning',
        file,
        line: null,
        seq: null,
        code: 'bad-key-file',
        message: (error as Error).message,
      });
    }
  }
  return keys;
}

/** Published model specs by version, from the coordinator's `models/vN/model.json`. */
export function publishedModels(
  paths: readonly string[],
  findings: Finding[],
): Map<number, ModelSpec> {
  const models = new Map<number, ModelSpec>();
  const isSpec = (f: string) => basename(f) === 'model.json' && /^v\d+$/.test(basename(dirname(f)));
  for (const file of findFiles(paths, isSpec, findings)) {
    try {
      const spec = readModelSpec(JSON.parse(readFileSync(file, 'utf8')), file);
      models.set(Number(basename(dirname(file)).slice(1)), spec);
    } catch (error) {
      findings.push({
        severity: 'error',
        file,
        line: null,
        seq: null,
        code: 'bad-model',
        message: `cannot use this published model spec: ${error instanceof ModelSpecError ? error.problem : (error as Error).message}`,
      });
    }
  }
  return models;
}
