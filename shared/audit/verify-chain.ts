/**
 * Offline verification of one audit log: every line well-formed and canonical, signed by one
 * key, seqs without gaps, each prevHash the hash of the line before, kept plaintexts intact.
 */
import { readFileSync } from 'node:fs';
import { fromBase64, toBase64 } from '../crypto/base64.js';
import { bytesEqual } from '../crypto/bytes.js';
import { fingerprint, KEY_LENGTHS } from '../crypto/identity.js';
import {
  type AuditEntry,
  entryBytes,
  type Finding,
  GENESIS_PREV_HASH,
  sha256Hex,
  verifyAuditEntrySignature,
} from './audit-entry.js';
import { checkAuditEntry } from './check-audit-entry.js';
import { checkPlaintextCopies } from './plaintext-copies.js';
import { checkQuarantinedBytes } from './quarantine-check.js';

export type { Finding } from './audit-entry.js';

export interface VerifyOptions {
  /**
   * Treat a missing plaintext copy as an error (the log was written with keepPlaintext from
   * its first entry). By default a missing copy is a warning, and checked only when the
   * log's payloads directory exists.
   */
  readonly requirePlaintext?: boolean;
}

/** A well-formed entry and the line it came from. */
interface Located {
  readonly entry: AuditEntry;
  readonly line: number;
}

/**
 * Verifies the audit log at `path`. Signatures are checked against `expectedActorKey` when
 * given (proving who wrote the log), else against the key of the first entry (proving only
 * that one key wrote all of it: a warning says so). Never throws on a bad file: everything
 * wrong is a finding naming file and line. `entries` holds every well-formed entry in file
 * order, including those that have findings: trust them only when no error names them.
 *
 * What one log cannot show: that entries were cut off its end (the rest still verifies).
 * Compare against the other side's log (crossCheck) or a head hash recorded elsewhere.
 * @example const { findings } = verifyLog('state/egress.jsonl', site.signPublicKey);
 */
export function verifyLog(
  path: string,
  expectedActorKey?: Uint8Array,
  options: VerifyOptions = {},
): { entries: AuditEntry[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const report: Report = (severity, line, seq, code, message) =>
    findings.push({ severity, file: path, line, seq, code, message });
  const length = KEY_LENGTHS.signPublicKey;
  if (expectedActorKey !== undefined && expectedActorKey.length !== length) {
    const message = `expected a ${length}-byte Ed25519 public key to check against, got ${expectedActorKey.length} bytes`;
    report('error', null, null, 'bad-key', message);
    return { entries: [], findings };
  }
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    report('error', null, null, 'unreadable', `cannot read the log: ${(error as Error).message}`);
    return { entries: [], findings };
  }
  if (data.length === 0) report('warning', null, null, 'empty-log', 'the log has no entries');
  const located = new LineChecker(splitLines(data), expectedActorKey, report).run();
  if (!expectedActorKey && located.length > 0) {
    const message = `signatures were checked against the key the log names itself (${located[0]!.entry.actor}); pass the actor's public key to prove who wrote it`;
    report('warning', null, null, 'key-not-pinned', message);
  }
  findings.push(...checkPlaintextCopies(path, located, options.requirePlaintext ?? false));
  findings.push(...checkQuarantinedBytes(path, located));
  return { entries: located.map((l) => l.entry), findings };
}

type Report = (
  severity: Finding['severity'],
  line: number | null,
  seq: number | null,
  code: string,
  message: string,
) => void;

interface RawLine {
  /** 1-based. */
  readonly number: number;
  /** Without the newline. */
  readonly bytes: Buffer;
  /** False for a last line without its newline. */
  readonly complete: boolean;
}

function splitLines(data: Buffer): RawLine[] {
  const lines: RawLine[] = [];
  let start = 0;
  while (start < data.length) {
    const newline = data.indexOf(0x0a, start);
    const end = newline === -1 ? data.length : newline;
    const line = {
      number: lines.length + 1,
      bytes: data.subarray(start, end),
      complete: newline !== -1,
    };
    lines.push(line);
    start = end + 1;
  }
  return lines;
}

/** Checks each line, then how it follows the lines before: signer, log kind, seq, chain. */
class LineChecker {
  // The chain links raw lines, so a line that does not parse still has a hash.
  private readonly hashes: string[];
  private readonly lineOfHash = new Map<string, number>();
  private readonly seen = new Set<number>();
  private nextSeq = 0;
  private pinnedKey: string | null;
  private logKind: string | null = null;
  private lastTime: string | null = null;

  constructor(
    private readonly lines: readonly RawLine[],
    private readonly expectedKey: Uint8Array | undefined,
    private readonly report: Report,
  ) {
    this.hashes = lines.map((line) => sha256Hex(line.bytes));
    this.hashes.forEach((hash, i) => {
      if (!this.lineOfHash.has(hash)) this.lineOfHash.set(hash, i + 1);
    });
    this.pinnedKey = expectedKey ? toBase64(expectedKey) : null;
  }

  run(): Located[] {
    const located: Located[] = [];
    for (const raw of this.lines) {
      if (!raw.complete) {
        const message = 'the last line has no newline: the write was cut off, or the file cut';
        this.report('error', raw.number, null, 'truncated', message);
      }
      const entry = this.parse(raw);
      if (!entry) continue;
      located.push({ entry, line: raw.number });
      if (!bytesEqual(entryBytes(entry), raw.bytes)) {
        const message =
          'the line differs from its canonical form (spacing, member order, escapes or a repeated member): hashes and signatures are defined over the canonical form';
        this.report('error', raw.number, entry.seq, 'not-canonical', message);
      }
      this.checkSigner(entry, raw.number);
      this.checkSeq(entry, raw.number);
      this.checkChain(entry, raw.number);
    }
    return located;
  }

  private parse(raw: RawLine): AuditEntry | null {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw.bytes));
    } catch (error) {
      // A cut-off last line already has its finding; it is not also bad JSON.
      const got = raw.bytes.length === 0 ? 'an empty line' : (error as Error).message;
      if (raw.complete)
        this.report('error', raw.number, null, 'bad-json', `expected one JSON object, got ${got}`);
      return null;
    }
    try {
      return checkAuditEntry(value);
    } catch (error) {
      const seq = (value as { seq?: unknown } | null)?.seq;
      const at = typeof seq === 'number' ? seq : null;
      this.report('error', raw.number, at, 'bad-format', (error as Error).message);
      return null;
    }
  }

  private checkSigner(entry: AuditEntry, line: number): void {
    this.pinnedKey ??= entry.actorKey;
    if (entry.actorKey !== this.pinnedKey) {
      const whose = this.expectedKey ? 'the key given' : 'the key of the first entry';
      const message = `expected an entry signed by ${fingerprint(fromBase64(this.pinnedKey))} (${whose}), got one by ${entry.actor}`;
      this.report('error', line, entry.seq, 'wrong-actor', message);
    }
    if (!verifyAuditEntrySignature(entry)) {
      const message = `the signature does not cover this entry under its key ${entry.actor} (altered after signing, or signed by another key)`;
      this.report('error', line, entry.seq, 'bad-signature', message);
    }
    this.logKind ??= entry.log;
    if (entry.log !== this.logKind) {
      const message = `expected an ${this.logKind} entry like the first, got an ${entry.log} entry`;
      this.report('error', line, entry.seq, 'wrong-log', message);
    }
  }

  private checkSeq(entry: AuditEntry, line: number): void {
    const { seq } = entry;
    const missing = seq - this.nextSeq;
    if (missing > 0) {
      const message = `expected seq ${this.nextSeq}, got ${seq}: ${missing} ${missing === 1 ? 'entry is' : 'entries are'} missing`;
      this.report('error', line, seq, 'seq-gap', message);
    } else if (this.seen.has(seq)) {
      this.report('error', line, seq, 'seq-repeat', `seq ${seq} appears a second time`);
    } else if (missing < 0) {
      const message = `seq ${seq} comes after seq ${this.nextSeq - 1}: entries are out of order`;
      this.report('error', line, seq, 'seq-order', message);
    }
    this.seen.add(seq);
    this.nextSeq = Math.max(this.nextSeq, seq + 1);
    if (this.lastTime !== null && entry.time < this.lastTime) {
      const message = `time ${entry.time} is before the previous entry's ${this.lastTime}`;
      this.report('warning', line, seq, 'time-backwards', message);
    }
    this.lastTime = entry.time;
  }

  private checkChain(entry: AuditEntry, line: number): void {
    const expected = line === 1 ? GENESIS_PREV_HASH : this.hashes[line - 2]!;
    if (entry.prevHash !== expected)
      this.report(
        'error',
        line,
        entry.seq,
        'chain-broken',
        chainMessage(entry.prevHash, line, this.lineOfHash),
      );
  }
}

// Says where a wrong prevHash points, which tells a reordering from a deletion or an edit.
function chainMessage(prevHash: string, line: number, lineOfHash: Map<string, number>): string {
  if (line === 1)
    return `expected the first line to start the chain (prevHash of 64 zeros), got ${prevHash.slice(0, 16)}...: the log's head was cut off or replaced`;
  if (prevHash === GENESIS_PREV_HASH)
    return `expected prevHash to be the hash of line ${line - 1}, got the zeros that start a log: another log was spliced in`;
  const points = lineOfHash.get(prevHash);
  if (points !== undefined)
    return `expected prevHash to be the hash of line ${line - 1}, got the hash of line ${points}: entries were reordered`;
  return `expected prevHash to be the hash of line ${line - 1}, got a hash of no line in this file: the entry before it was altered or removed`;
}
