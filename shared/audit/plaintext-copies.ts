/**
 * Plaintext copies an audit log keeps beside it (`payloads/<seq>-<plaintextSha256>.bin`), so
 * an auditor can open what was sent: where they live, writing them, checking them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncDirectory, writeFileDurably } from '../fs/atomic-write.js';
import { type AuditEntry, type Finding, sha256Hex } from './audit-entry.js';

/** The directory where kept plaintexts of the log at `logPath` live (one log per directory). */
export function payloadDirectory(logPath: string): string {
  return join(dirname(logPath), 'payloads');
}

/** The file name of a kept plaintext. */
export function payloadFileName(seq: number, plaintextSha256: string): string {
  return `${seq}-${plaintextSha256}.bin`;
}

/** Writes the copy durably (temp file, fsync, rename, directory fsync) before returning. */
export function keepPlaintextCopy(
  logPath: string,
  seq: number,
  plaintextSha256: string,
  plaintext: Uint8Array,
): void {
  const dir = payloadDirectory(logPath);
  if (!existsSync(dir)) {
    mkdirSync(dir);
    fsyncDirectory(dirname(dir));
  }
  writeFileDurably(join(dir, payloadFileName(seq, plaintextSha256)), plaintext);
}

/**
 * The kept plaintext of `entry` in the log at `logPath`, or null when none was kept, it is
 * missing or unreadable, or it is not the entry's (checkPlaintextCopies reports why).
 */
export function keptPlaintext(logPath: string, entry: AuditEntry): Uint8Array | null {
  if (entry.plaintextSha256 === null) return null;
  const file = join(payloadDirectory(logPath), payloadFileName(entry.seq, entry.plaintextSha256));
  try {
    const bytes = readFileSync(file);
    return sha256Hex(bytes) === entry.plaintextSha256 ? bytes : null;
  } catch {
    return null;
  }
}

/**
 * Findings about the kept copies of the log at `path`: a copy whose SHA-256 is not the
 * entry's plaintextSha256 (error), a missing copy (warning, or error when `required`), a copy
 * no entry names (warning). Checked only when the payloads directory exists, or `required`.
 */
export function checkPlaintextCopies(
  path: string,
  located: readonly { readonly entry: AuditEntry; readonly line: number }[],
  required: boolean,
): Finding[] {
  const dir = payloadDirectory(path);
  const exists = existsSync(dir);
  if (!exists && !required) return [];
  const findings: Finding[] = [];
  let files: Set<string>;
  try {
    files = new Set(exists ? readdirSync(dir) : []);
  } catch (error) {
    const message = `cannot list the plaintext copies: ${(error as Error).message}`;
    return [{ severity: 'error', file: dir, line: null, seq: null, code: 'unreadable', message }];
  }
  const named = new Set<string>();
  for (const { entry, line } of located) {
    if (entry.plaintextSha256 === null) continue;
    const name = payloadFileName(entry.seq, entry.plaintextSha256);
    named.add(name);
    const at = { file: path, line, seq: entry.seq };
    if (!files.has(name)) {
      findings.push({
        ...at,
        severity: required ? 'error' : 'warning',
        code: 'plaintext-missing',
        message: `expected the plaintext copy ${join(dir, name)}, found none`,
      });
      continue;
    }
    const actual = hashFile(join(dir, name));
    if (actual instanceof Error)
      findings.push({ ...at, severity: 'error', code: 'unreadable', message: actual.message });
    else if (actual !== entry.plaintextSha256)
      findings.push({
        ...at,
        severity: 'error',
        code: 'plaintext-mismatch',
        message: `expected ${join(dir, name)} to hash to the entry's plaintextSha256 ${entry.plaintextSha256}, got ${actual}: the copy was replaced or altered`,
      });
  }
  for (const name of files)
    if (!named.has(name))
      findings.push({
        severity: 'warning',
        file: join(dir, name),
        line: null,
        seq: null,
        code: 'plaintext-orphan',
        message:
          'no entry names this plaintext copy (its entry was removed, an append failed after keeping it, or the file was put there)',
      });
  return findings;
}

function hashFile(path: string): string | Error {
  try {
    return sha256Hex(readFileSync(path));
  } catch (error) {
    return new Error(`cannot read the plaintext copy ${path}: ${(error as Error).message}`);
  }
}
