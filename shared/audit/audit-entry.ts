/**
 * The audit log's entry: one signed, hash-chained JSON line per message a site sent (egress)
 * or the coordinator received (ingress), or per screening decision the coordinator took on a
 * received delta, with the canonical bytes its hash and signature cover.
 */
import nacl from 'tweetnacl';
import { fromBase64, toBase64 } from '../crypto/base64.js';
import { sha256, utf8Bytes } from '../crypto/bytes.js';
import { ENVELOPE_KINDS } from '../crypto/envelope-statement.js';
import { fingerprint, type Identity } from '../crypto/identity.js';
import { canonicalJson } from './canonical-json.js';
import type { AuditScreening } from './screening-entry.js';

export type { AuditScreening } from './screening-entry.js';

export const AUDIT_FORMAT = 'fedflow-audit';
export const AUDIT_VERSION = 1;
/** Domain-separation tag: an entry signature can never be taken for another fedflow statement. */
export const AUDIT_ENTRY_DOMAIN_TAG = 'fedflow/v1/audit-entry';
/** The prevHash of the first entry (seq 0). */
export const GENESIS_PREV_HASH = '0'.repeat(64);
/** Entry types that record a result message (a sealed ClientPayload). */
export const RESULT_TYPES: readonly string[] = ENVELOPE_KINDS;
/** The entry type of a coordinator's screening decision on a delta (see AuditEntry). */
export const SCREENING_TYPE = 'screening';
/**
 * A writer's note, in either log, that it found the log's last line cut off (a crash mid
 * append), moved those bytes to a side file and went on: outcome 'quarantined', `reason`
 * naming the file, `bytes` and `sealedSha256` the moved bytes' length and SHA-256.
 */
export const QUARANTINE_TYPE = 'quarantine';
/**
 * A site's last egress entry once the federation finished: `bytes` and `sealedSha256` are the
 * size and the weights' SHA-256 of the final model it received (outcome 'sent').
 */
export const FINISHED_TYPE = 'finished';

export type AuditLogKind = 'egress' | 'ingress';
/**
 * The coordinator's record of a change to its allow-list while it runs (fedflow admin): one
 * entry per site enrolled or revoked (outcome 'enrolled' or 'revoked'), `peer` the site's
 * fingerprint, `bytes` and `sealedSha256` the signed allow-list file's size and SHA-256, no
 * round. Only in ingress logs; no egress log holds it.
 */
export const ALLOW_LIST_TYPE = 'allow-list';

export type AuditOutcome =
  | 'sent'
  | 'accepted'
  | 'rejected'
  | 'screened'
  | 'quarantined'
  | 'enrolled'
  | 'revoked';

/** The coordinator's signed receipt for an accepted result (shared/federation RECEIPT_PURPOSE). */
export interface AuditReceipt {
  /** Hex SHA-256 of the sealed message acknowledged (equal to the entry's sealedSha256). */
  readonly digest: string;
  /** When the coordinator accepted it (epoch milliseconds), as signed. */
  readonly receivedMs: number;
  /** Base64 Ed25519 signature of signBlob('receipt', receiptStatement(digest, receivedMs)). */
  readonly signature: string;
}

/**
 * One line of an audit log. Rules beyond the types (checked by checkAuditEntry):
 * - egress logs: `outcome` is 'sent' for a message the site sent; an entry of type 'receipt'
 *   (outcome 'accepted', `receipt` required) records the coordinator's receipt for an earlier
 *   sent message and repeats that message's round, taskId, bytes and sealedSha256. Receipts
 *   are separate entries because a line, once written, is never rewritten.
 * - ingress logs: `outcome` is 'accepted' or 'rejected'; an accepted entry may carry the
 *   receipt the coordinator issued.
 * - ingress logs, type 'screening' (outcome 'screened', `screening` required, and only
 *   here): when a training round closes, what the aggregation strategy did with each accepted
 *   delta. It is the coordinator's own record, not a message: no egress log holds it. It
 *   repeats the judged delta's peer, round, taskId, bytes and sealedSha256 (as a receipt
 *   entry repeats its message's); plaintextSha256 is null (the delta's entry has it).
 * - either log, type 'quarantine' (outcome 'quarantined'): see QUARANTINE_TYPE.
 * - `reason` is present exactly when outcome is 'rejected' or 'quarantined' (a screening's
 *   reason is inside `screening`).
 * - result types (sketch, delta, histogram) and screening entries have a round and a taskId.
 */
export interface AuditEntry {
  readonly format: typeof AUDIT_FORMAT;
  readonly version: typeof AUDIT_VERSION;
  readonly log: AuditLogKind;
  /** 0, 1, 2, ... without gaps. */
  readonly seq: number;
  /** ISO-8601 UTC with milliseconds, as Date.toISOString writes it. */
  readonly time: string;
  /** fingerprint() of actorKey: a short name for the signer. */
  readonly actor: string;
  /** The signer's Ed25519 public key, base64: lets anyone check signatures from the log alone. */
  readonly actorKey: string;
  /** The other side's fingerprint (ingress: the sender, null if unknown; egress: the coordinator). */
  readonly peer: string | null;
  /** 'sketch' | 'delta' | 'histogram' for results, 'receipt', 'screening', 'enrol', ... */
  readonly type: string;
  readonly round: number | null;
  readonly taskId: string | null;
  /** Size of the sealed message as sent or received. */
  readonly bytes: number;
  /** Hex SHA-256 of the plaintext; null when the logger cannot see it (e.g. undecryptable). */
  readonly plaintextSha256: string | null;
  /** Hex SHA-256 of the bytes on the wire. */
  readonly sealedSha256: string;
  readonly outcome: AuditOutcome;
  readonly reason?: string;
  readonly receipt?: AuditReceipt;
  readonly screening?: AuditScreening;
  /** Hex SHA-256 of the previous entry's line (GENESIS_PREV_HASH for seq 0). */
  readonly prevHash: string;
  /** Base64 Ed25519 signature by actorKey (see entrySigningMessage). */
  readonly signature: string;
}

/**
 * One thing an auditor must look at. `line` is 1-based; `seq` is the entry's seq when the
 * line parsed that far. Codes of verifyLog:
 * - unreadable, empty-log: the file as a whole;
 * - truncated: the last line has no newline (a cut-off write, or a cut file);
 * - bad-json, bad-format, not-canonical: a line that is not a valid entry in canonical form;
 * - seq-gap, seq-repeat, seq-order: seqs not 0, 1, 2, ... in file order;
 * - chain-broken: prevHash is not the hash of the line before;
 * - bad-signature, wrong-actor, wrong-log, key-not-pinned: who signed what;
 * - time-backwards: a warning (clocks can step back);
 * - plaintext-missing, plaintext-mismatch, plaintext-orphan: kept plaintext copies.
 */
export interface Finding {
  readonly severity: 'error' | 'warning';
  readonly file: string;
  readonly line: number | null;
  readonly seq: number | null;
  readonly code: string;
  readonly message: string;
  /** The fingerprint of the site the finding is about, where one is (a summary per site). */
  readonly site?: string;
}

/** An entry before signing. */
export type UnsignedAuditEntry = Omit<AuditEntry, 'signature'>;

/**
 * The canonical bytes of an entry WITH its signature: the exact bytes of its line in the log
 * (without the trailing "\n"). The entry hash, which the next entry's prevHash holds in
 * lower-case hex, is SHA-256 of these bytes.
 *
 * Canonical form: a JSON object whose members appear in exactly this order, `reason`,
 * `receipt` and `screening` left out when absent, and no others:
 *   format, version, log, seq, time, actor, actorKey, peer, type, round, taskId, bytes,
 *   plaintextSha256, sealedSha256, outcome, reason, receipt, screening, prevHash, signature
 * `receipt`, when present, is an object with exactly: digest, receivedMs, signature.
 * `screening`, when present, is an object with, in this order: strategy, norm, cosine,
 * action, reason (left out when absent), weight; all of them strings (screening-entry.ts).
 * No whitespace anywhere; `,` between members, `:` after names. Strings in double quotes,
 * escaping `"` as `\"`, `\` as `\\`, U+0008, U+0009, U+000A, U+000C, U+000D as `\b`, `\t`,
 * `\n`, `\f`, `\r`, any other U+0000-U+001F as `\u00xx` (lower-case hex), every other
 * character literal (strings never hold lone surrogates). Numbers are integers in
 * [0, 2^53 - 1], written in decimal without sign, exponent or leading zeros; null as `null`.
 * The text is encoded as UTF-8 without BOM. This is what JSON.stringify writes, and in Python:
 *
 *   ORDER = ['format', 'version', 'log', 'seq', 'time', 'actor', 'actorKey', 'peer', 'type',
 *            'round', 'taskId', 'bytes', 'plaintextSha256', 'sealedSha256', 'outcome',
 *            'reason', 'receipt', 'screening', 'prevHash', 'signature']
 *   SCREENING = ['strategy', 'norm', 'cosine', 'action', 'reason', 'weight']
 *   def canonical(e, with_signature=True):
 *       d = {k: e[k] for k in ORDER if k in e and (with_signature or k != 'signature')}
 *       if 'receipt' in d:
 *           d['receipt'] = {k: d['receipt'][k] for k in ('digest', 'receivedMs', 'signature')}
 *       if 'screening' in d:
 *           d['screening'] = {k: d['screening'][k] for k in SCREENING if k in d['screening']}
 *       return json.dumps(d, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
 *   e = json.loads(line)            # line: the bytes between two newlines
 *   assert canonical(e) == line     # else the line was edited (or has extra members)
 *   entry_hash = hashlib.sha256(line).hexdigest()   # the next entry's prevHash
 */
export function entryBytes(entry: AuditEntry): Uint8Array {
  return utf8Bytes(canonicalJson(entry, true), 'audit entry');
}

/** The canonical bytes WITHOUT the `signature` member (the object ends with prevHash). */
export function unsignedEntryBytes(entry: UnsignedAuditEntry): Uint8Array {
  return utf8Bytes(canonicalJson(entry, false), 'audit entry');
}

/**
 * What the Ed25519 signature (RFC 8032, pure Ed25519) covers: ASCII `fedflow/v1/audit-entry`,
 * one 0x00 byte, then unsignedEntryBytes. In Python with PyNaCl:
 *   VerifyKey(b64decode(e['actorKey'])).verify(
 *       b'fedflow/v1/audit-entry\x00' + canonical(e, False), b64decode(e['signature']))
 */
export function entrySigningMessage(entry: UnsignedAuditEntry): Uint8Array {
  const tag = utf8Bytes(`${AUDIT_ENTRY_DOMAIN_TAG}\0`, 'tag');
  const body = unsignedEntryBytes(entry);
  const out = new Uint8Array(tag.length + body.length);
  out.set(tag, 0);
  out.set(body, tag.length);
  return out;
}

/** Lower-case hex SHA-256 of entryBytes: the next entry's prevHash. */
export function entryHash(entry: AuditEntry): string {
  return sha256Hex(entryBytes(entry));
}

/** Signs `entry` with `signer`'s Ed25519 key (which must be the entry's actorKey). */
export function signAuditEntry(entry: UnsignedAuditEntry, signer: Identity): AuditEntry {
  if (entry.actorKey !== toBase64(signer.signPublicKey))
    throw new RangeError(
      `actorKey: expected the signer's key ${fingerprint(signer.signPublicKey)}, got ${entry.actor}`,
    );
  const signature = nacl.sign.detached(entrySigningMessage(entry), signer.signSecretKey);
  return { ...entry, signature: toBase64(signature) };
}

/** Whether the entry's signature verifies under its own actorKey (format checked first). */
export function verifyAuditEntrySignature(entry: AuditEntry): boolean {
  return nacl.sign.detached.verify(
    entrySigningMessage(entry),
    fromBase64(entry.signature),
    fromBase64(entry.actorKey),
  );
}

/** Lower-case hex SHA-256 of `data`. */
export function sha256Hex(data: Uint8Array): string {
  return Buffer.from(sha256(data)).toString('hex');
}

/**
 * The audit form of a receipt as the client transport returns it.
 * @example writer.append({ ...sent, type: 'receipt', outcome: 'accepted', receipt: toAuditReceipt(r) });
 */
export function toAuditReceipt(receipt: {
  readonly digest: Uint8Array;
  readonly receivedMs: number;
  readonly coordinatorSignature: Uint8Array;
}): AuditReceipt {
  return {
    digest: Buffer.from(receipt.digest).toString('hex'),
    receivedMs: receipt.receivedMs,
    signature: toBase64(receipt.coordinatorSignature),
  };
}

/** Whether `type` names a result message (sketch, delta or histogram). */
export function isResultType(type: string): boolean {
  return RESULT_TYPES.includes(type);
}
