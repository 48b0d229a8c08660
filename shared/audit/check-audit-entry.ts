/** Checks that a parsed JSON value is a well-formed audit entry, naming the member at fault. */
import nacl from 'tweetnacl';
import { fromBase64 } from '../crypto/base64.js';
import { utf8Bytes } from '../crypto/bytes.js';
import { validateTaskId } from '../crypto/envelope-statement.js';
import { fingerprint, KEY_LENGTHS } from '../crypto/identity.js';
import {
  ALLOW_LIST_TYPE,
  AUDIT_FORMAT,
  AUDIT_VERSION,
  type AuditEntry,
  isResultType,
  QUARANTINE_TYPE,
  SCREENING_TYPE,
  type UnsignedAuditEntry,
} from './audit-entry.js';
import { ENTRY_MEMBERS, OPTIONAL_MEMBERS, RECEIPT_MEMBERS, show } from './canonical-json.js';
import { readDecimal, SCREENING_ACTIONS, SCREENING_MEMBERS } from './screening-entry.js';

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
const STRATEGY = /^[a-z0-9][a-z0-9+._-]{0,63}$/;
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
  if ((isResultType(type) || type === SCREENING_TYPE) && (e.round === null || e.taskId === null))
    return `round, taskId: expected both for a ${type} ${isResultType(type) ? 'result' : 'entry'}, got ${show(e.round)}, ${show(e.taskId)}`;
  if (type === SCREENING_TYPE && e.log !== 'ingress')
    return `type: expected no screening entry in an ${e.log} log (screening is the coordinator's record)`;
  if (type === ALLOW_LIST_TYPE && e.log !== 'ingress')
    return `type: expected no allow-list entry in an ${e.log} log (the allow-list is the coordinator's)`;
  const outcomes =
    type === SCREENING_TYPE
      ? ['screened']
      : type === ALLOW_LIST_TYPE
        ? ['enrolled', 'revoked']
        : type === QUARANTINE_TYPE
          ? ['quarantined']
          : e.log === 'ingress'
            ? ['accepted', 'rejected']
            : [type === 'receipt' ? 'accepted' : 'sent'];
  if (!outcomes.includes(e.outcome as string))
    return `outcome: expected ${outcomes.map((o) => `"${o}"`).join(' or ')} for a ${type} entry of an ${e.log} log, got ${show(e.outcome)}`;
  if (e.outcome === 'rejected' || e.outcome === 'quarantined') {
    if (typeof e.reason !== 'string' || e.reason.length < 1 || e.reason.length > MAX_REASON_LENGTH)
      return `reason: expected 1-${MAX_REASON_LENGTH} characters for a ${e.outcome} entry, got ${show(e.reason)}`;
    if (!wellFormed(e.reason)) return 'reason: expected well-formed Unicode, got a lone surrogate';
  } else if ('reason' in e)
    return `reason: expected none unless rejected or quarantined, got ${show(e.reason)}`;
  const screening = screeningRule(e, type);
  if (screening !== null) return screening;
  const receiptExpected = e.log === 'egress' && type === 'receipt';
  const receiptAllowed = receiptExpected || (e.log === 'ingress' && e.outcome === 'accepted');
  if (!('receipt' in e))
    return receiptExpected ? 'receipt: missing (required on a receipt entry)' : null;
  if (!receiptAllowed)
    return `receipt: expected none on a${e.log === 'ingress' ? ' rejected' : 'n egress'} ${type} entry`;
  return receiptProblem(e.receipt, e.sealedSha256 as string);
}

// A screening member exactly on screening entries, judging a known site's delta.
function screeningRule(e: Record<string, unknown>, type: string): string | null {
  const isScreening = type === SCREENING_TYPE;
  if (!('screening' in e))
    return isScreening ? 'screening: missing (required on a screening entry)' : null;
  if (!isScreening) return `screening: expected none on a ${type} entry`;
  if (e.peer === null)
    return 'peer: expected the fingerprint of the site whose delta was screened, got null';
  return screeningProblem(e.screening);
}

function screeningProblem(value: unknown): string | null {
  if (!isPlainObject(value)) return `screening: expected an object, got ${show(value)}`;
  const names: readonly string[] = SCREENING_MEMBERS;
  for (const name of Object.keys(value))
    if (!names.includes(name)) return `screening: unexpected member ${JSON.stringify(name)}`;
  const optional = ['reason', 'epsilon', 'delta'];
  for (const name of names)
    if (!optional.includes(name) && !(name in value)) return `screening.${name}: missing`;
  const s = value as Record<string, unknown>;
  const [norm, cosine, weight] = [
    readDecimal(s.norm),
    readDecimal(s.cosine),
    readDecimal(s.weight),
  ];
  const decimal = 'a decimal string as String(x) writes it';
  const actions: readonly unknown[] = SCREENING_ACTIONS;
  const rules: [ok: boolean, member: string, expected: string][] = [
    [matches(STRATEGY, s.strategy), 'strategy', 'a strategy name (1-64 of a-z, 0-9, +, ., _, -)'],
    [norm !== null && norm >= 0, 'norm', `${decimal}, finite and >= 0`],
    [cosine !== null && Math.abs(cosine) <= 1, 'cosine', `${decimal}, in [-1, 1]`],
    [actions.includes(s.action), 'action', '"kept", "clipped" or "excluded"'],
    [weight !== null && weight >= 0 && weight <= 1, 'weight', `${decimal}, in [0, 1]`],
    [s.action !== 'excluded' || weight === 0, 'weight', '"0" for an excluded update'],
  ];
  const broken = rules.find(([ok]) => !ok);
  if (broken) return mustBe(false, `screening.${broken[1]}`, broken[2], s[broken[1]]);
  return screeningPrivacyProblem(s) ?? screeningReasonProblem(s);
}

// Under differential privacy a decision states the epsilon spent so far and its delta: both or neither.
function screeningPrivacyProblem(s: Record<string, unknown>): string | null {
  if (!('epsilon' in s) && !('delta' in s)) return null;
  if (!('epsilon' in s) || !('delta' in s))
    return `screening.${'epsilon' in s ? 'delta' : 'epsilon'}: missing (epsilon and delta come together)`;
  const [epsilon, delta] = [readDecimal(s.epsilon), readDecimal(s.delta)];
  const decimal = 'a decimal string as String(x) writes it';
  if (epsilon === null || epsilon < 0)
    return mustBe(false, 'screening.epsilon', `${decimal}, finite and >= 0`, s.epsilon);
  if (delta === null || !(delta > 0 && delta < 1))
    return mustBe(false, 'screening.delta', `${decimal}, in (0, 1)`, s.delta);
  return null;
}

// Clipped and excluded updates say why; a kept one may (screening that ran weaker than configured).
function screeningReasonProblem(s: Record<string, unknown>): string | null {
  if (s.action === 'kept' && !('reason' in s)) return null;
  const when = s.action === 'kept' ? 'when present' : `for a ${s.action} update`;
  if (typeof s.reason !== 'string' || s.reason.length < 1 || s.reason.length > MAX_REASON_LENGTH)
    return `screening.reason: expected 1-${MAX_REASON_LENGTH} characters ${when}, got ${show(s.reason)}`;
  return wellFormed(s.reason)
    ? null
    : 'screening.reason: expected well-formed Unicode, got a lone surrogate';
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
