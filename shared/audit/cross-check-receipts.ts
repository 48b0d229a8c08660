/**
 * The receipts side of crossCheck (its rule 7): every receipt a site logged must stand for a
 * result it sent and the coordinator accepted, and be signed by the coordinator's key. Apart
 * from the pairing of results because it reads each site's log on its own.
 */
import nacl from 'tweetnacl';
import { fromBase64 } from '../crypto/base64.js';
import { sha256 } from '../crypto/bytes.js';
import { signedBlobStatement } from '../crypto/signed-blob.js';
import { RECEIPT_PURPOSE, receiptStatement } from '../federation/signed-statements.js';
import { type AuditEntry, type AuditReceipt, isResultType } from './audit-entry.js';
import { describe, differences, short } from './cross-check-text.js';

/** Reports an error about one entry of the site's egress log. */
export type EgressError = (entry: AuditEntry, code: string, message: string) => void;

/**
 * Rule 7 for one site's egress `entries`: `ingressByDigest` holds the coordinator's result
 * entries by sealedSha256 (in seq order); `coordinatorKey` is null when the ingress log is empty.
 */
export function checkSiteReceipts(
  entries: readonly AuditEntry[],
  ingressByDigest: ReadonlyMap<string, readonly AuditEntry[]>,
  coordinatorKey: Uint8Array | null,
  report: EgressError,
): void {
  const sentByDigest = new Map<string, AuditEntry>();
  for (const r of entries) {
    if (isResultType(r.type) && !sentByDigest.has(r.sealedSha256))
      sentByDigest.set(r.sealedSha256, r);
    if (r.type !== 'receipt' || !r.receipt) continue;
    const sent = sentByDigest.get(r.sealedSha256);
    const differ = sent ? differences(sent, r, ['round', 'taskId', 'bytes']) : [];
    if (!sent || differ.length > 0) {
      const message = sent
        ? `the receipt differs from the sent ${describe(sent)}, sent vs receipt: ${differ.join('; ')}`
        : `receipt for sealed ${short(r.sealedSha256)}: no earlier result in this log was sent with that digest`;
      report(r, 'receipt-orphan', message);
    }
    const accepted = ingressByDigest.get(r.sealedSha256)?.find((i) => i.outcome === 'accepted');
    if (!accepted) {
      const message = `the site holds a receipt for sealed ${short(r.sealedSha256)}, but the coordinator's ingress log has no accepted message with that digest`;
      report(r, 'receipt-unmatched', message);
    } else if (
      accepted.receipt &&
      (accepted.receipt.receivedMs !== r.receipt.receivedMs ||
        accepted.receipt.signature !== r.receipt.signature)
    ) {
      const message = `the receipt differs from the one the coordinator recorded (ingress seq ${accepted.seq}): receivedMs ${r.receipt.receivedMs} vs ${accepted.receipt.receivedMs}`;
      report(r, 'receipt-mismatch', message);
    }
    if (coordinatorKey && !receiptSigned(r.receipt, coordinatorKey)) {
      const message = `the receipt for sealed ${short(r.sealedSha256)} is not signed by the coordinator's key`;
      report(r, 'bad-receipt', message);
    }
  }
}

/** Whether the coordinator's key signed this receipt (as the client transport checks it). */
export function receiptSigned(receipt: AuditReceipt, coordinatorKey: Uint8Array): boolean {
  const statement = receiptStatement(Buffer.from(receipt.digest, 'hex'), receipt.receivedMs);
  const message = signedBlobStatement(RECEIPT_PURPOSE, sha256(statement));
  return nacl.sign.detached.verify(message, fromBase64(receipt.signature), coordinatorKey);
}
