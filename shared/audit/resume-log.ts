/**
 * Resuming an existing audit log: the checks its last entry must pass before anything is
 * appended, and the side files that keep a cut-off last line (see AuditLogWriter.open).
 */
import { closeSync, fsyncSync, openSync, readdirSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { toBase64 } from '../crypto/base64.js';
import { bytesEqual } from '../crypto/bytes.js';
import { fingerprint, type Identity } from '../crypto/identity.js';
import {
  type AuditEntry,
  type AuditLogKind,
  entryBytes,
  GENESIS_PREV_HASH,
  QUARANTINE_TYPE,
  sha256Hex,
  verifyAuditEntrySignature,
} from './audit-entry.js';
import { checkAuditEntry } from './check-audit-entry.js';

export const NEWLINE = Buffer.from('\n');

/**
 * Where `torn`, cut off at byte `offset` of the log, goes: named by the offset and the bytes'
 * digest, so a retry of the same repair rewrites the same file, and other bytes cut off at
 * the same offset later (a crash that tore the repair's own note) never overwrite it.
 */
export function sideFileAt(path: string, offset: number, torn: Uint8Array): string {
  return `${path}.torn-at-${offset}-${sha256Hex(torn).slice(0, 16)}.bin`;
}

/**
 * Side files of this log that no quarantine entry names yet. Only entries of type
 * `quarantine` count: other entries carry text a peer chose (a rejection's reason).
 */
export function unnotedSideFiles(path: string, data: Buffer): string[] {
  const prefix = `${basename(path)}.torn-at-`;
  const sides = readdirSync(dirname(path)).filter(
    (name) => name.startsWith(prefix) && name.endsWith('.bin'),
  );
  // Reading the whole log's quarantine entries only when there is a side file to look up.
  if (sides.length === 0) return [];
  const noted = notedSideFiles(data);
  return sides
    .filter((name) => !noted.has(name))
    .map((name) => join(dirname(path), name))
    .sort((a, b) => offsetOf(a) - offsetOf(b));
}

/** The side files the log's quarantine entries name. */
function notedSideFiles(data: Buffer): Set<string> {
  const noted = new Set<string>();
  const marker = `"type":"${QUARANTINE_TYPE}"`;
  for (const line of data.toString('utf8').split('\n')) {
    if (!line.includes(marker)) continue;
    try {
      const entry = JSON.parse(line) as { type?: unknown; reason?: unknown };
      const name = typeof entry.reason === 'string' ? /moved to (\S+)$/.exec(entry.reason) : null;
      if (entry.type === QUARANTINE_TYPE && name) noted.add(name[1]!);
    } catch {
      // Not an entry: it names nothing.
    }
  }
  return noted;
}

const offsetOf = (side: string) => Number(/torn-at-(\d+)-/.exec(side)?.[1] ?? 0);

/** Whether `data` plus a newline ends in a whole, signed, chained entry of this log. */
export function wholeEntry(
  path: string,
  data: Buffer,
  signer: Identity,
  log: AuditLogKind,
): boolean {
  try {
    resumePoint(path, Buffer.concat([data, NEWLINE]), signer, log);
    return true;
  } catch {
    return false;
  }
}

export function appendDurably(path: string, bytes: Buffer): void {
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Where an existing log continues, after checking its last entry and its link. */
export function resumePoint(
  path: string,
  data: Buffer,
  signer: Identity,
  log: AuditLogKind,
): { nextSeq: number; lastHash: string } {
  if (data.length === 0) return { nextSeq: 0, lastHash: GENESIS_PREV_HASH };
  let lines = 0;
  for (const byte of data) if (byte === 0x0a) lines += 1;
  const refuse = (line: number, problem: string): never => {
    throw new Error(
      `cannot resume audit log ${path}: line ${line}: ${problem}; the file is left as it is for an auditor (run verifyLog on it), start a new log elsewhere`,
    );
  };
  const end = data.length - 1;
  const start = lineStart(data, end);
  const lastBytes = data.subarray(start, end);
  const last = parseLine(lastBytes, (problem) => refuse(lines, problem));
  if (!bytesEqual(entryBytes(last), lastBytes))
    refuse(lines, 'expected the entry in canonical form, got other bytes');
  if (last.log !== log) refuse(lines, `expected an ${log} log, got an ${last.log} entry`);
  if (last.actorKey !== toBase64(signer.signPublicKey))
    refuse(
      lines,
      `expected entries signed by ${fingerprint(signer.signPublicKey)}, got one by ${last.actor}`,
    );
  if (!verifyAuditEntrySignature(last)) refuse(lines, 'the signature does not cover this entry');
  if (start === 0) {
    if (last.seq !== 0 || last.prevHash !== GENESIS_PREV_HASH)
      refuse(lines, `expected the first entry (seq 0, prevHash of zeros), got seq ${last.seq}`);
  } else {
    const previousStart = lineStart(data, start - 1);
    const previousBytes = data.subarray(previousStart, start - 1);
    const previous = parseLine(previousBytes, (problem) => refuse(lines - 1, problem));
    if (last.seq !== previous.seq + 1)
      refuse(lines, `expected seq ${previous.seq + 1} after the line before, got ${last.seq}`);
    if (last.prevHash !== sha256Hex(previousBytes))
      refuse(lines, 'expected prevHash to be the hash of the line before, got another hash');
  }
  return { nextSeq: last.seq + 1, lastHash: sha256Hex(lastBytes) };
}

function parseLine(bytes: Uint8Array, refuse: (problem: string) => never): AuditEntry {
  try {
    return checkAuditEntry(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
  } catch (error) {
    return refuse(`expected an audit entry, got ${(error as Error).message}`);
  }
}

// Where the line ending at index `newline` starts; guards 0 because Buffer.lastIndexOf
// reads a negative offset from the end.
function lineStart(data: Buffer, newline: number): number {
  return newline === 0 ? 0 : data.lastIndexOf(0x0a, newline - 1) + 1;
}
