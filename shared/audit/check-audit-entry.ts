/** Checks that a parsed JSON value is a well-formed audit entry, naming the member at fault. */
import nacl from 'tweetnacl';
import { fromBase64 } from '../crypto/base64.js';
import { utf8Bytes } from '../crypto/bytes.js';
import { validateTaskId } from '../crypto/envelope-statement.js';
import { fingerprint, KEY_LENGTHS } from '../crypto/identity.js';
import {
  AUDIT_FORMAT,
  AUDIT_VERSION,
  type AuditEntry,
  ENTRY_MEMBERS,
  isResultType,
  OPTIONAL_MEMBERS,
  RECEIPT_MEMBERS,
  show,
  type UnsignedAuditEntry,
} from './audit-entry.js';

const MAX_REASON_LENGTH = 1000;

/**
 * Returns `value` as an AuditEntry, or throws a RangeError naming the first member that is
 * wrong, what was expected and what came. Signature and chain are not checked here.
 */
export function checkAuditEntry(value: unknown): AuditEntry {
  const problem = entryProblem(value, true);
  if (problem) throw new RangeError(problem);
  return value as AuditEntry;
}

/** checkAuditEntry for an entry about to be signed (no `signature` member yet). */
export function checkUnsignedAuditEntry(value: unknown): UnsignedAuditEntry {
  const problem = entryProblem(value, false);
  if (problem) throw new RangeError(problem);
  return value as UnsignedAuditEntry;
}

const HEX64 = /^[0-9a-f]{64}$/;
const FINGERPRINT = /^[0-9a-f]{16}$/;
const TYPE = /^[a-z][a-z0-9-]{0,31}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function entryProblem(value: unknown, signed: boolean): string | null {
  if (!isPlainObject(value)) return `expected a JSON object, got ${show(value)}`;
  const members: readonly string[] = signed
    ? ENTRY_MEMBERS
    : ENTRY_MEMBERS.filter((name) => name !== 'signature');
  for (const name of Object.keys(value))
    if (!members.includes(name)) return `unexpected member ${JSON.stringify(name)}`;
  for (const name of members)
    if (!OPTIONAL_MEMBERS.has(name) && !(name in value)) return `${name}: missing`;
  const e = value as Record<string, unknown>;
  const problems: (string | null)[] = [
    mustBe(e.format === AUDIT_FORMAT, 'format', JSON.stringify(AUDIT_FORMAT), e.format),
    mustBe(e.version === AUDIT_VERSION, 'version', String(AUDIT_VERSION), e.version),
    mustBe(e.log === 'egress' || e.log === 'ingress', 'log', '"egress" or "ingress"', e.log),
    mustBe(isCount(e.seq), 'seq', 'an integer >= 0', e.seq),
    mustBe(isIsoTime(e.time), 'time', 'ISO-8601 UTC like 2026-01-02T03:04:05.678Z', e.time),
    mustBe(matches(FINGERPRINT, e.actor), 'actor', '16 lower-case hex digits', e.actor),
    keyProblem(e.actorKey, 'actorKey', KEY_LENGTHS.signPublicKey),
    mustBe(e.actor === actorOf(e.actorKey), 'actor', 'the fingerprint of actorKey', e.actor),
    mustBe(
      e.peer === null || matches(FINGERPRINT, e.peer),
      'peer',
      'null or a fingerprint',
      e.peer,
    ),
    mustBe(matches(TYPE, e.type), 'type', '1-32 characters of a-z, 0-9, -', e.type),
    mustBe(
      e.round === null || isRound(e.round),
      'round',
      'null or an integer in [0, 2^32)',
      e.round,
    ),
    taskIdProblem(e.taskId),
    mustBe(isCount(e.bytes), 'bytes', 'an integer >= 0', e.bytes),
    mustBe(
      e.plaintextSha256 === null || matches(HEX64, e.plaintextSha256),
      'plaintextSha256',
      'null or 64 lower-case hex digits',
      e.plaintextSha256,
    ),
    mustBe(
      matches(HEX64, e.sealedSha256),
      'sealedSha256',
      '64 lower-case hex digits',
      e.sealedSha256,
    ),
    mustBe(matches(HEX64, e.prevHash), 'prevHash', '64 lower-case hex digits', e.prevHash),
    signed ? keyProblem(e.signature, 'signature', nacl.sign.signatureLength) : null,
  ];
  return problems.find((p) => p !== null) ?? ruleProblem(e);
}

// The rules that tie members together (see AuditEntry).
function ruleProblem(e: Record<string, unknown>): string | null {
  const type = e.type as string;
  if (isResultType(type) && (e.round === null || e.taskId === null))
    return `round, taskId: expected both for a ${type} result, got ${show(e.round)}, ${show(e.taskId)}`;
  const outcomes =
    e.log === 'ingress' ? ['accepted', 'rejected'] : [type === 'receipt' ? 'accepted' : 'sent'];
  if (!outcomes.includes(e.outcome as string))
    return `outcome: expected ${outcomes.map((o) => `"${o}"`).join(' or ')} for a ${type} entry of an ${e.log} log, got ${show(e.outcome)}`;
  if (e.outcome === 'rejected') {
    if (typeof e.reason !== 'string' || e.reason.length < 1 || e.reason.length > MAX_REASON_LENGTH)
      return `reason: expected 1-${MAX_REASON_LENGTH} characters for a rejected message, got ${show(e.reason)}`;
    if (!wellFormed(e.reason)) return 'reason: expected well-formed Unicode, got a lone surrogate';
  } else if ('reason' in e) return `reason: expected none unless rejected, got ${show(e.reason)}`;
  const receiptExpected = e.log === 'egress' && type === 'receipt';
  const receiptAllowed = receiptExpected || (e.log === 'ingress' && e.outcome === 'accepted');
  if (!('receipt' in e))
    return receiptExpected ? 'receipt: missing (required on a receipt entry)' : null;
  if (!receiptAllowed)
    return `receipt: expected none on a${e.log === 'ingress' ? ' rejected' : 'n egress'} ${type} entry`;
  return receiptProblem(e.receipt, e.sealedSha256 as string);
}

function receiptProblem(value: unknown, sealedSha256: string): string | null {
  if (!isPlainObject(value)) return `receipt: expected an object, got ${show(value)}`;
  const names = Object.keys(value);
  if (names.length !== RECEIPT_MEMBERS.length || !RECEIPT_MEMBERS.every((n) => n in value))
    return `receipt: expected exactly the members ${RECEIPT_MEMBERS.join(', ')}, got ${names.join(', ')}`;
  const r = value as Record<string, unknown>;
  return (
    mustBe(r.digest === sealedSha256, 'receipt.digest', "the entry's sealedSha256", r.digest) ??
    mustBe(isCount(r.receivedMs), 'receipt.receivedMs', 'an integer >= 0', r.receivedMs) ??
    keyProblem(r.signature, 'receipt.signature', nacl.sign.signatureLength)
  );
}

function keyProblem(value: unknown, name: string, length: number): string | null {
  const what = `${length} bytes as padded base64`;
  if (typeof value !== 'string') return `${name}: expected ${what}, got ${show(value)}`;
  try {
    const bytes = fromBase64(value);
    return bytes.length === length ? null : `${name}: expected ${what}, got ${bytes.length} bytes`;
  } catch {
    return `${name}: expected ${what}, got ${show(value)}`;
  }
}

function taskIdProblem(value: unknown): string | null {
  if (value === null) return null;
  try {
    validateTaskId(value);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function actorOf(actorKey: unknown): string | null {
  return keyProblem(actorKey, 'actorKey', KEY_LENGTHS.signPublicKey) === null
    ? fingerprint(fromBase64(actorKey as string))
    : null;
}

function mustBe(ok: boolean, name: string, expected: string, got: unknown): string | null {
  return ok ? null : `${name}: expected ${expected}, got ${show(got)}`;
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isRound(value: unknown): boolean {
  return isCount(value) && (value as number) <= 0xffffffff;
}

function isIsoTime(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    ISO_TIME.test(value) &&
    !Number.isNaN(Date.parse(value)) &&
    new Date(value).toISOString() === value
  );
}

function matches(pattern: RegExp, value: unknown): boolean {
  return typeof value === 'string' && pattern.test(value);
}

function wellFormed(text: string): boolean {
  try {
    utf8Bytes(text, 'text');
    return true;
  } catch {
    return false;
  }
}
