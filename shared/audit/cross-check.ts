/**
 * Cross-checks the sites' egress logs against the coordinator's ingress log: every result a
 * site sent arrived unaltered and in order, nothing arrived that no site sent, receipts are backed.
 */
import { fromBase64 } from '../crypto/base64.js';
import { type AuditEntry, type Finding, isResultType } from './audit-entry.js';
import { checkSiteReceipts, receiptSigned } from './cross-check-receipts.js';
import { describe, differences, short } from './cross-check-text.js';

/** One site's egress log: `site` names it in findings (with `file`, when known). */
export interface EgressLog {
  readonly site: string;
  readonly entries: readonly AuditEntry[];
  readonly file?: string;
}

export interface CrossCheckOptions {
  /** How findings name the ingress log (its path, when known). */
  readonly ingressFile?: string;
  /**
   * Only some sites' logs were given on purpose: a site whose results the coordinator
   * accepted but whose log is missing is then a warning, not an error.
   */
  readonly partial?: boolean;
}

/**
 * Matches result messages (types sketch, delta, histogram) between the logs. Run verifyLog
 * on each log first: this trusts each entry's own fields. The matching, precisely:
 *
 * 1. A site is the actor of its egress log; an ingress entry belongs to the site whose
 *    fingerprint is its peer. Every egress result must name the ingress log's actor (the
 *    coordinator) as peer, else `wrong-peer`.
 * 2. Pairs by digest: each site's egress results, in seq order, pair with the earliest
 *    unpaired ingress result of the same sealedSha256. A sealed message has a fresh random
 *    nonce, so equal digests mean the same bytes (sent again, or replayed).
 * 3. A pair must agree on type, round, taskId, bytes, and plaintextSha256 when both sides
 *    saw the plaintext (`mismatch`), and the ingress peer must be the site (`wrong-sender`).
 *    If the coordinator rejected it: a warning `rejected` with its reason.
 * 4. Per site, the ingress seqs of the pairs rise with the egress seqs, else `reordered`
 *    (a client sends one result at a time, logging each before sending).
 * 5. An unpaired egress result pairs with the earliest unpaired ingress result from the same
 *    site with the same type, round and taskId: `digest-mismatch` (the coordinator logged other
 *    bytes than were sent), an error if it accepted them, a warning if it rejected them.
 *    Left unpaired: `missing-ingress`, an error when the site holds a receipt for it, else a
 *    warning (a message lost in transit cannot be told from one dropped from the log).
 * 6. An unpaired ingress result: `extra-ingress` (no site logged sending it), an error if
 *    accepted, a warning with the reason if rejected. Results from a peer whose egress log was
 *    not given: one `no-egress-log` per peer, an error when the coordinator accepted any (the
 *    site took part; a warning with `partial`), else a warning.
 *    A paired result the coordinator receipted whose receipt the site's log lacks:
 *    `receipt-missing`, an error where the site's log ends at that result (entries removed
 *    from its end), else a warning (an answer lost in transit).
 * 7. Receipts (egress entries of type 'receipt'): the site's log must hold an earlier sent
 *    result with that sealedSha256, round, taskId and bytes (`receipt-orphan`); the ingress
 *    log an accepted entry of that digest (`receipt-unmatched`), with the same receivedMs and
 *    signature if it records the receipt too (`receipt-mismatch`). Every receipt's signature
 *    must verify under the ingress log's actorKey (`bad-receipt`).
 * Entries of other types are not cross-checked: enrol, ..., and screening, the coordinator's
 * own record of what its strategy did with a delta (no site sends it: screening-check.ts
 * ties it to the accepted delta instead). Findings name the file (or site)
 * and the entry's seq; `line` is null (after a clean verifyLog, an entry's line is seq + 1).
 * @example crossCheck([{ site: 'site-a', entries: a.entries, file: 'a/egress.jsonl' }], ingress.entries)
 */
export function crossCheck(
  egress: readonly EgressLog[],
  ingress: readonly AuditEntry[],
  options: CrossCheckOptions = {},
): Finding[] {
  return new CrossChecker(ingress, options.ingressFile ?? 'ingress', options.partial ?? false).run(
    egress,
  );
}

type Severity = Finding['severity'];

class CrossChecker {
  readonly findings: Finding[] = [];
  private readonly coordinator: AuditEntry | null;
  private readonly coordinatorKey: Uint8Array | null;
  /** Ingress results by sealedSha256, in seq order. */
  private readonly byDigest = new Map<string, AuditEntry[]>();
  private readonly results: readonly AuditEntry[];
  private readonly paired = new Set<AuditEntry>();

  constructor(
    private readonly ingress: readonly AuditEntry[],
    private readonly ingressFile: string,
    private readonly partial: boolean,
  ) {
    this.coordinator = ingress[0] ?? null;
    this.coordinatorKey = this.coordinator ? fromBase64(this.coordinator.actorKey) : null;
    this.results = ingress.filter((i) => isResultType(i.type));
    for (const i of this.results) {
      const list = this.byDigest.get(i.sealedSha256) ?? [];
      list.push(i);
      this.byDigest.set(i.sealedSha256, list);
    }
  }

  run(egress: readonly EgressLog[]): Finding[] {
    const sites = new Map<string, EgressLog>();
    for (const log of egress) {
      const actor = log.entries[0]?.actor;
      if (actor !== undefined) sites.set(actor, log);
    }
    for (const log of egress) {
      const unpaired = this.pairByDigest(log);
      this.pairByContext(log, unpaired);
      checkSiteReceipts(log.entries, this.byDigest, this.coordinatorKey, (e, code, message) =>
        this.onEgress(log, e, 'error', code, message),
      );
    }
    this.checkUnpairedIngress(sites);
    for (const i of this.ingress)
      if (i.receipt && this.coordinatorKey && !receiptSigned(i.receipt, this.coordinatorKey)) {
        const message = `the receipt recorded for ${describe(i)} is not signed by the coordinator's key ${i.actor}`;
        this.onIngress(i, 'error', 'bad-receipt', message);
      }
    return this.findings;
  }

  /** Rules 1-4; returns the site's results no ingress entry has the digest of. */
  private pairByDigest(log: EgressLog): AuditEntry[] {
    const unpaired: AuditEntry[] = [];
    let lastIngressSeq = -1;
    const receipted = new Set(
      log.entries.filter((e) => e.type === 'receipt').map((e) => e.sealedSha256),
    );
    for (const e of log.entries.filter((entry) => isResultType(entry.type))) {
      const coordinator = this.coordinator?.actor;
      if (coordinator !== undefined && e.peer !== coordinator) {
        const message = `${describe(e)} was addressed to ${e.peer}, not to the coordinator ${coordinator} whose ingress log this is`;
        this.onEgress(log, e, 'error', 'wrong-peer', message);
      }
      const i = this.byDigest.get(e.sealedSha256)?.find((r) => !this.paired.has(r));
      if (!i) {
        unpaired.push(e);
        continue;
      }
      this.paired.add(i);
      const differ = differences(e, i);
      if (differ.length > 0) {
        const message = `${describe(e)} differs from the coordinator's entry (ingress seq ${i.seq}), egress vs ingress: ${differ.join('; ')}`;
        this.onEgress(log, e, 'error', 'mismatch', message);
      }
      if (i.peer !== e.actor) {
        const message = `${describe(e)} from ${log.site} (${e.actor}) is logged by the coordinator as from ${i.peer ?? 'an unknown sender'} (ingress seq ${i.seq})`;
        this.onEgress(log, e, 'error', 'wrong-sender', message);
      }
      if (i.outcome === 'rejected') {
        const message = `the coordinator rejected ${describe(e)} (ingress seq ${i.seq}): ${i.reason}`;
        this.onEgress(log, e, 'warning', 'rejected', message);
      }
      if (i.receipt && !receipted.has(e.sealedSha256)) {
        // The site logs every receipt it gets. Where its log ends at the message, entries
        // were removed from its end; further on, the answer may have been lost in transit.
        // A site that finished notes it last; a log that ends at the message instead was cut
        // short (or the site stopped for good before its receipt arrived).
        const last = e === log.entries.at(-1);
        const message = last
          ? `the coordinator issued a receipt for ${describe(e)} (ingress seq ${i.seq}) that the site's log does not hold, and the log ends there: entries were removed from its end, or the site stopped for good before the receipt arrived`
          : `the coordinator issued a receipt for ${describe(e)} (ingress seq ${i.seq}) that the site's log does not hold (lost in transit?)`;
        this.onEgress(log, e, last ? 'error' : 'warning', 'receipt-missing', message);
      }
      if (i.seq < lastIngressSeq) {
        const message = `${describe(e)} was sent after a message the coordinator logged later (ingress seq ${i.seq} < ${lastIngressSeq})`;
        this.onEgress(log, e, 'error', 'reordered', message);
      }
      lastIngressSeq = Math.max(lastIngressSeq, i.seq);
    }
    return unpaired;
  }

  /** Rule 5: other bytes logged for the same message, or none at all. */
  private pairByContext(log: EgressLog, unpaired: readonly AuditEntry[]): void {
    const receipted = new Set(log.entries.filter((e) => e.receipt).map((e) => e.sealedSha256));
    for (const e of unpaired) {
      const i = this.results.find(
        (r) =>
          !this.paired.has(r) &&
          r.peer === e.actor &&
          r.type === e.type &&
          r.round === e.round &&
          r.taskId === e.taskId,
      );
      if (i) {
        this.paired.add(i);
        const rejected = i.outcome === 'rejected';
        const fate = rejected ? `rejected them: ${i.reason}` : 'accepted them';
        const message = `${describe(e)}: the coordinator logged other bytes for it (ingress seq ${i.seq}, sealed ${short(i.sealedSha256)}, ${i.bytes} bytes) and ${fate}`;
        this.onEgress(log, e, rejected ? 'warning' : 'error', 'digest-mismatch', message);
      } else if (receipted.has(e.sealedSha256)) {
        const message = `${describe(e)} is not in the coordinator's ingress log, though the site holds its receipt`;
        this.onEgress(log, e, 'error', 'missing-ingress', message);
      } else {
        const message = `${describe(e)} is not in the coordinator's ingress log and has no receipt: lost in transit, or dropped from the log`;
        this.onEgress(log, e, 'warning', 'missing-ingress', message);
      }
    }
  }

  /** Rule 6. */
  private checkUnpairedIngress(sites: ReadonlyMap<string, EgressLog>): void {
    const unknownPeers = new Map<string, number>();
    for (const i of this.results) {
      if (this.paired.has(i)) continue;
      if (i.peer !== null && !sites.has(i.peer)) {
        unknownPeers.set(i.peer, (unknownPeers.get(i.peer) ?? 0) + 1);
        continue;
      }
      const from = i.peer === null ? 'an unknown sender' : sites.get(i.peer)!.site;
      if (i.outcome === 'rejected') {
        const message = `the coordinator received ${describe(i)} from ${from} that no egress log holds, and rejected it: ${i.reason}`;
        this.onIngress(i, 'warning', 'extra-ingress', message);
      } else {
        const message = `the coordinator accepted ${describe(i)} from ${from} that no egress log holds`;
        this.onIngress(i, 'error', 'extra-ingress', message);
      }
    }
    for (const [peer, count] of unknownPeers) {
      // A site whose results the coordinator accepted took part: its log must be audited too.
      const accepted = this.results.some(
        (i) => i.peer === peer && i.outcome === 'accepted' && !this.paired.has(i),
      );
      const message = accepted
        ? `the coordinator accepted result message(s) from ${peer}, but no egress log of that site was given: the site took part, so its log is needed to verify what left it (${count} message(s) unchecked)`
        : `${count} result message(s) from ${peer} cannot be cross-checked: no egress log of that site was given`;
      const file = this.ingressFile;
      this.findings.push({
        severity: accepted && !this.partial ? 'error' : 'warning',
        file,
        line: null,
        seq: null,
        code: 'no-egress-log',
        message,
      });
    }
  }

  private onEgress(
    log: EgressLog,
    e: AuditEntry,
    severity: Severity,
    code: string,
    message: string,
  ) {
    const file = log.file ?? log.site;
    this.findings.push({ severity, file, line: null, seq: e.seq, code, message, site: log.site });
  }

  private onIngress(i: AuditEntry, severity: Severity, code: string, message: string) {
    const file = this.ingressFile;
    const site = i.peer ?? undefined;
    this.findings.push({ severity, file, line: null, seq: i.seq, code, message, site });
  }
}
