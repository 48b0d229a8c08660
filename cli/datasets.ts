/**
 * Locates the NSL-KDD files provided beside the repository (never copied into it):
 * $FEDFLOW_NSL_KDD_DIR, else ../shared/datasets/nsl-kdd relative to the repository root.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NSL_KDD_ENV = 'FEDFLOW_NSL_KDD_DIR';

function repoRoot(): string {
  // This file lives at cli/datasets.ts (or dist/cli/datasets.js once built).
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/** Where NSL-KDD was looked for, in order. */
export function nslKddCandidates(): string[] {
  const fromEnv = process.env[NSL_KDD_ENV];
  return [
    ...(fromEnv ? [resolve(fromEnv)] : []),
    resolve(repoRoot(), '..', 'shared', 'datasets', 'nsl-kdd'),
  ];
}

/** The NSL-KDD directory, or null when no candidate holds KDDTest+.txt. */
export function nslKddDir(): string | null {
  return nslKddCandidates().find((dir) => existsSync(join(dir, 'KDDTest+.txt'))) ?? null;
}
