/**
 * How cross-check findings word things: an entry named by type, round, task, seq and digest,
 * and the fields in which two entries that should agree differ.
 */
import type { AuditEntry } from './audit-entry.js';

const PAIR_FIELDS = ['type', 'round', 'taskId', 'bytes', 'plaintextSha256'] as const;

/** "field A vs B" for each field where the two entries differ (unseen plaintexts aside). */
export function differences(
  a: AuditEntry,
  b: AuditEntry,
  fields: readonly (typeof PAIR_FIELDS)[number][] = PAIR_FIELDS,
): string[] {
  return fields
    .filter((field) => !(field === 'plaintextSha256' && (a[field] === null || b[field] === null)))
    .filter((field) => a[field] !== b[field])
    .map((field) => `${field} ${JSON.stringify(a[field])} vs ${JSON.stringify(b[field])}`);
}

/** An entry as findings name it: type, round, task, seq and (the start of) its digest. */
export function describe(entry: AuditEntry): string {
  return `${entry.type} for round ${entry.round}, task ${JSON.stringify(entry.taskId)} (seq ${entry.seq}, sealed ${short(entry.sealedSha256)})`;
}

/** The start of a hex digest, enough to tell entries apart in a message. */
export function short(digest: string): string {
  return `${digest.slice(0, 16)}...`;
}
