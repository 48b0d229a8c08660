/**
 * Locates the data sets provided beside the repository (never copied into it): NSL-KDD in
 * $FEDFLOW_NSL_KDD_DIR, else ../shared/datasets/nsl-kdd relative to the repository root; the
 * IoT-23 captures in $FEDFLOW_IOT23_DIR, else ../shared/datasets/iot23.
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

export const IOT23_ENV = 'FEDFLOW_IOT23_DIR';

function candidates(env: string, folder: string): string[] {
  const fromEnv = process.env[env];
  return [
    ...(fromEnv ? [resolve(fromEnv)] : []),
    resolve(repoRoot(), '..', 'shared', 'datasets', folder),
  ];
}

/** Where NSL-KDD was looked for, in order. */
export function nslKddCandidates(): string[] {
  return candidates(NSL_KDD_ENV, 'nsl-kdd');
}

/** Where the IoT-23 captures were looked for, in order. */
export function iot23Candidates(): string[] {
  return candidates(IOT23_ENV, 'iot23');
}

/** The IoT-23 directory, or null when no candidate holds the Hakai capture. */
export function iot23Dir(): string | null {
  return (
    iot23Candidates().find((dir) => existsSync(join(dir, 'malware-8-1-hakai.conn.log'))) ?? null
  );
}

/** The NSL-KDD directory, or null when no candidate holds KDDTest+.txt. */
export function nslKddDir(): string | null {
  return nslKddCandidates().find((dir) => existsSync(join(dir, 'KDDTest+.txt'))) ?? null;
}
