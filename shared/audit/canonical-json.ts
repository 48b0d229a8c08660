/**
 * The writer of an entry's canonical JSON, as audit-entry.ts specifies it (see entryBytes):
 * the member lists in their canonical order, and the one value encoding the format allows.
 * Kept apart from the specification so the format reads without the code that writes it.
 */
import type { AuditEntry, UnsignedAuditEntry } from './audit-entry.js';
import { SCREENING_MEMBERS } from './screening-entry.js';

/** The canonical member order; part of the format (see entryBytes in audit-entry.ts). */
export const ENTRY_MEMBERS = [
  'format',
  'version',
  'log',
  'seq',
  'time',
  'actor',
  'actorKey',
  'peer',
  'type',
  'round',
  'taskId',
  'bytes',
  'plaintextSha256',
  'sealedSha256',
  'outcome',
  'reason',
  'receipt',
  'screening',
  'prevHash',
  'signature',
] as const;
/** Members left out when absent. */
export const OPTIONAL_MEMBERS: ReadonlySet<string> = new Set(['reason', 'receipt', 'screening']);
/** The canonical member order of a receipt. */
export const RECEIPT_MEMBERS = ['digest', 'receivedMs', 'signature'] as const;

const NESTED_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  receipt: RECEIPT_MEMBERS,
  screening: SCREENING_MEMBERS,
};

/** The canonical JSON text of `entry`, with or without its `signature` member. */
export function canonicalJson(
  entry: UnsignedAuditEntry | AuditEntry,
  withSignature: boolean,
): string {
  const members: string[] = [];
  const record = entry as unknown as Record<string, unknown>;
  for (const name of ENTRY_MEMBERS) {
    if (name === 'signature' && !withSignature) continue;
    const value = record[name];
    if (value === undefined && OPTIONAL_MEMBERS.has(name)) continue;
    const nested = NESTED_MEMBERS[name];
    const text = nested ? objectJson(value as object, nested, name) : jsonValue(value, name);
    members.push(`${JSON.stringify(name)}:${text}`);
  }
  return `{${members.join(',')}}`;
}

/** Screening members that may be absent (then left out): the reason, and the privacy spent. */
const OPTIONAL_SCREENING_MEMBERS: ReadonlySet<string> = new Set(['reason', 'epsilon', 'delta']);

// A nested member (receipt, screening): its members in `order`; only a screening's optional
// members may be absent (then left out).
function objectJson(value: object, order: readonly string[], parent: string): string {
  const record = value as Record<string, unknown>;
  const optional = (name: string) =>
    parent === 'screening' && OPTIONAL_SCREENING_MEMBERS.has(name) && record[name] === undefined;
  const members = order
    .filter((name) => !optional(name))
    .map((name) => `${JSON.stringify(name)}:${jsonValue(record[name], `${parent}.${name}`)}`);
  return `{${members.join(',')}}`;
}

// Only the value kinds the format allows, so the canonical form cannot depend on how
// JSON.stringify would treat anything else (undefined, fractions, exponents).
function jsonValue(value: unknown, name: string): string {
  if (value === null || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  throw new RangeError(`${name}: expected a string, null or an integer >= 0, got ${show(value)}`);
}

/** A value in a message: JSON, cut at 80 characters. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
