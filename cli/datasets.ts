/**
 * Locates the data sets provided beside the repository (never copied into it): NSL-KDD in
 * $FEDFLOW_NSL_KDD_DIR, else ../shared/datasets/nsl-kdd relative to the repository root; the
 * IoT-23 captures in $FEDFLOW_IOT23_DIR, else ../shared/datasets/iot23.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../shared/runtime/package-root.js';

export const NSL_KDD_ENV = 'FEDFLOW_NSL_KDD_DIR';

export const IOT23_ENV = 'FEDFLOW_IOT23_DIR';

function candidates(env: string, folder: string): string[] {
  const fromEnv = process.env[env];
  return [
    ...(fromEnv ? [resolve(fromEnv)] : []),
    resolve(packageRoot(import.meta.url), '..', 'shared', 'datasets', folder),
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
