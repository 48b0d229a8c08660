/** Real keys, real sealed messages and receipts, and logs written with a fixed clock. */
import nacl from 'tweetnacl';
import { type AuditReceipt, sha256Hex, toAuditReceipt } from '../../../shared/audit/audit-entry.js';
import type { AuditFields, AuditLogOptions } from '../../../shared/audit/audit-log-writer.js';
import { type ScreeningNumbers, toAuditScreening } from '../../../shared/audit/screening-entry.js';
import { sha256 } from '../../../shared/crypto/bytes.js';
import { fingerprint, type Identity } from '../../../shared/crypto/identity.js';
import { type EnvelopeKind, sealEnvelope } from '../../../shared/crypto/sealed-envelope.js';
import { signBlob } from '../../../shared/crypto/signed-blob.js';
import { RECEIPT_PURPOSE, receiptStatement } from '../../../shared/federation/signed-statements.js';
import { seededIdentity } from '../crypto/fixtures.js';

export const siteA = seededIdentity('client', 'site-a', 1);
export const siteB = seededIdentity('client', 'site-b', 2);
export const coordinator = seededIdentity('coordinator', 'coordinator', 9);
export const mallory = seededIdentity('client', 'mallory', 66);

/** A result message as a site seals it: the plaintext and the bytes on the wire. */
export interface Message {
  readonly from: Identity;
  readonly kind: EnvelopeKind;
  readonly round: number;
  readonly taskId: string;
  readonly plaintext: Uint8Array;
  readonly sealed: Uint8Array;
}

/** Seals `text` from `from` to the coordinator with a nonce derived from `nonceByte`. */
export function message(
  from: Identity,
  kind: EnvelopeKind,
  round: number,
  text: string,
  nonceByte: number,
): Message {
  const taskId = `t-${round}`;
  const plaintext = new TextEncoder().encode(text);
  const envelope = sealEnvelope(
    from,
    coordinator.boxPublicKey,
    { kind, round, taskId },
    plaintext,
    new Uint8Array(24).fill(nonceByte),
  );
  return { from, kind, round, taskId, plaintext, sealed: envelope.ciphertext };
}

/** What a site logs before sending `m`. */
export function sentFields(m: Message): AuditFields {
  return {
    peer: fingerprint(coordinator.signPublicKey),
    type: m.kind,
    round: m.round,
    taskId: m.taskId,
    bytes: m.sealed.length,
    sealedSha256: sha256Hex(m.sealed),
    outcome: 'sent',
  };
}

/** What the coordinator logs on receiving `m`. */
export function receivedFields(m: Message, reason?: string): AuditFields {
  return {
    ...sentFields(m),
    peer: fingerprint(m.from.signPublicKey),
    outcome: reason === undefined ? 'accepted' : 'rejected',
    ...(reason === undefined ? {} : { reason, plaintextSha256: null }),
  };
}

/** What the coordinator logs when its strategy has screened the delta `m` it accepted. */
export function screeningFields(
  m: Message,
  decision: Omit<ScreeningNumbers, 'strategy'>,
  strategy = 'fedavg+norm-bound',
): AuditFields {
  return {
    ...receivedFields(m),
    type: 'screening',
    outcome: 'screened',
    screening: toAuditScreening({ ...decision, strategy }),
  };
}

/** The coordinator's signed receipt for `m`. */
export function receiptFor(
  m: Pick<Message, 'sealed'>,
  receivedMs: number,
  signer = coordinator,
): AuditReceipt {
  const digest = sha256(m.sealed);
  const signature = signBlob(
    signer,
    RECEIPT_PURPOSE,
    receiptStatement(digest, receivedMs),
  ).signature;
  return toAuditReceipt({ digest, receivedMs, coordinatorSignature: signature });
}

/** What a site logs when the receipt for `m` comes. */
export function receiptFields(m: Message, receipt: AuditReceipt): AuditFields {
  return { ...sentFields(m), type: 'receipt', outcome: 'accepted', receipt };
}

/** A clock that starts at 2026-01-01T00:00:00Z and ticks one second per call. */
export function fixedClock(): Required<Pick<AuditLogOptions, 'now'>> {
  let tick = 0;
  return { now: () => new Date(Date.UTC(2026, 0, 1) + 1000 * tick++) };
}

/** A random 32-byte value as hex (a digest nobody sent). */
export function randomDigest(): string {
  return Buffer.from(nacl.randomBytes(32)).toString('hex');
}
