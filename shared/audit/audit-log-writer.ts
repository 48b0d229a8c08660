/**
 * Appends signed, hash-chained entries to an audit log, each fsynced before append returns,
 * and optionally keeps a durable copy of each plaintext beside the log for auditors.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import { toBase64 } from '../crypto/base64.js';
import { fingerprint, type Identity } from '../crypto/identity.js';
import { fsyncDirectory, writeFileDurably } from '../fs/atomic-write.js';
import {
  AUDIT_FORMAT,
  AUDIT_VERSION,
  type AuditEntry,
  type AuditLogKind,
  entryBytes,
  QUARANTINE_TYPE,
  sha256Hex,
  signAuditEntry,
} from './audit-entry.js';
import { checkUnsignedAuditEntry } from './check-audit-entry.js';
import { keepPlaintextCopy } from './plaintext-copies.js';
import {
  appendDurably,
  NEWLINE,
  resumePoint,
  sideFileAt,
  unnotedSideFiles,
  wholeEntry,
} from './resume-log.js';

/** What the caller says about a message; the writer fills in the rest. */
export interface AuditFields {
  readonly peer: string | null;
  readonly type: string;
  readonly round: number | null;
  readonly taskId: string | null;
  readonly bytes: number;
  /** Hex SHA-256 of the plaintext; computed from `plaintext` when left out, else null. */
  readonly plaintextSha256?: string | null;
  readonly sealedSha256: string;
  readonly outcome: AuditEntry['outcome'];
  readonly reason?: string | undefined;
  readonly receipt?: AuditEntry['receipt'] | null;
  /** A screening entry's decision (type 'screening', outcome 'screened'; see toAuditScreening). */
  readonly screening?: AuditEntry['screening'];
}

export interface AuditLogOptions {
  /**
   * Keep each plaintext passed to append as `payloads/<seq>-<plaintextSha256>.bin` in the
   * log's directory (one log per directory), so an auditor can open what was sent.
   */
  readonly keepPlaintext?: boolean;
  /** The clock for `time` (tests). */
  readonly now?: () => Date;
  /**
   * Called with each entry once it is on disk (e.g. to find a delta's entry again later).
   * It must not throw: append has already written the entry.
   */
  readonly onAppend?: (entry: AuditEntry) => void;
}

/**
 * The writer of one audit log. Appends are synchronous (write + fsync), so calls from
 * concurrent async tasks in one process are serialised by the event loop and the caller
 * can send a message only once its entry is on disk.
 * @example
 * const log = AuditLogWriter.open('state/egress.jsonl', site, 'egress');
 * log.append({ peer, type: 'delta', round: 3, taskId: 't-3', bytes: sealed.length,
 *   sealedSha256: sha256Hex(sealed), outcome: 'sent' }, plaintext);
 * send(sealed); // only after append returned
 */
export class AuditLogWriter {
  private constructor(
    readonly path: string,
    private readonly signer: Identity,
    readonly log: AuditLogKind,
    private readonly options: AuditLogOptions,
    private nextSeq: number,
    private lastHash: string,
    private size: number,
  ) {}

  /**
   * Opens the log at `path` for appending, creating it (and its directory) if absent. An
   * existing log resumes after its last entry once that entry is checked: canonical form,
   * this log kind, signed by `signer`, chained to the line before. A last line cut off
   * (a crash mid append) is moved to a side file, `<log>.torn-at-<offset>.bin`, and a signed
   * 'quarantine' entry naming it is appended, so the log goes on and an auditor sees what
   * happened (`quarantined` says where); a last entry that lacks only its newline is whole
   * and gets the newline. Any other damage throws, leaving the file untouched for an
   * auditor, rather than fork the chain.
   */
  static open(
    path: string,
    signer: Identity,
    log: AuditLogKind,
    options: AuditLogOptions = {},
  ): AuditLogWriter {
    mkdirSync(dirname(path), { recursive: true });
    if (!existsSync(path)) {
      closeSync(openSync(path, 'a', 0o644));
      fsyncDirectory(dirname(path));
    }
    let data = readFileSync(path);
    const cut = data.length > 0 && data[data.length - 1] !== 0x0a;
    let torn = cut ? data.subarray(data.lastIndexOf(0x0a) + 1) : null;
    if (torn && wholeEntry(path, data, signer, log)) {
      // The crash fell between an entry and its newline: the entry stands.
      appendDurably(path, NEWLINE);
      data = Buffer.concat([data, NEWLINE]);
      torn = null;
    }
    if (torn) data = data.subarray(0, data.length - torn.length);
    // Check what stays before touching anything: a torn line on a damaged log moves nothing.
    const tail = resumePoint(path, data, signer, log);
    const writer = new AuditLogWriter(
      path,
      signer,
      log,
      options,
      tail.nextSeq,
      tail.lastHash,
      data.length,
    );
    // The side file of these very bytes may be there from a crash before the cut: it is
    // rewritten and noted by quarantine.
    const retried = torn ? sideFileAt(path, data.length, torn) : null;
    if (torn) writer.quarantine(torn);
    // A crash after an earlier cut but before its note: note it now.
    for (const side of unnotedSideFiles(path, data))
      if (side !== retried) writer.noteQuarantine(side);
    return writer;
  }

  /** Where the cut-off last line found at open was moved, if one was. */
  quarantined: string | null = null;

  /**
   * Moves the cut-off bytes after the last whole line to a side file named by their offset,
   * cuts them off the log, and notes them. Each step survives a crash after it: the side file
   * is rewritten alike, and one not yet noted is noted at the next open.
   */
  private quarantine(torn: Buffer): void {
    const side = sideFileAt(this.path, this.size, torn);
    writeFileDurably(side, torn);
    const fd = openSync(this.path, 'r+');
    try {
      ftruncateSync(fd, this.size);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.noteQuarantine(side);
  }

  /** The signed entry naming a side file of cut-off bytes, with their length and SHA-256. */
  private noteQuarantine(side: string): void {
    const torn = readFileSync(side);
    this.append({
      peer: null,
      type: QUARANTINE_TYPE,
      round: null,
      taskId: null,
      bytes: torn.length,
      sealedSha256: sha256Hex(torn),
      plaintextSha256: null,
      outcome: 'quarantined',
      reason: `a cut-off last line of ${torn.length} bytes was moved to ${basename(side)}`,
    });
    this.quarantined = side;
  }

  /** The seq the next entry will get. */
  get length(): number {
    return this.nextSeq;
  }

  /** Hex hash of the last entry (GENESIS_PREV_HASH for an empty log): the log's head. */
  get head(): string {
    return this.lastHash;
  }

  /**
   * Signs and appends one entry, durably, and returns it. With keepPlaintext, `plaintext` is
   * written (fsynced) before the entry, so no entry ever names a copy that is not there.
   * Throws, appending nothing, if the fields are invalid or the file changed behind us.
   */
  append(fields: AuditFields, plaintext?: Uint8Array): AuditEntry {
    const plaintextSha256 = plaintextDigest(fields, plaintext);
    const entry = signAuditEntry(
      checkUnsignedAuditEntry({
        format: AUDIT_FORMAT,
        version: AUDIT_VERSION,
        log: this.log,
        seq: this.nextSeq,
        time: (this.options.now?.() ?? new Date()).toISOString(),
        actor: fingerprint(this.signer.signPublicKey),
        actorKey: toBase64(this.signer.signPublicKey),
        peer: fields.peer,
        type: fields.type,
        round: fields.round,
        taskId: fields.taskId,
        bytes: fields.bytes,
        plaintextSha256,
        sealedSha256: fields.sealedSha256,
        outcome: fields.outcome,
        ...(fields.reason !== undefined ? { reason: fields.reason } : {}),
        ...(fields.receipt ? { receipt: fields.receipt } : {}),
        ...(fields.screening ? { screening: fields.screening } : {}),
        prevHash: this.lastHash,
      }),
      this.signer,
    );
    if (this.options.keepPlaintext && plaintextSha256 !== null) {
      if (!plaintext)
        throw new Error(
          `audit log ${this.path} keeps plaintexts: expected the plaintext of ${fields.type} entry ${entry.seq}, got none`,
        );
      keepPlaintextCopy(this.path, entry.seq, plaintextSha256, plaintext);
    }
    const line = entryBytes(entry);
    this.appendLine(line);
    this.nextSeq += 1;
    this.lastHash = sha256Hex(line);
    this.options.onAppend?.(entry);
    return entry;
  }

  private appendLine(line: Uint8Array): void {
    const bytes = Buffer.concat([line, Buffer.from('\n')]);
    const fd = openSync(this.path, 'a');
    try {
      // Another writer (a second process on the same file) would fork the chain: refuse.
      const found = fstatSync(fd).size;
      if (found !== this.size)
        throw new Error(
          `audit log ${this.path}: expected ${this.size} bytes as this writer left it, found ${found}; another writer or an edit changed it, so appending would fork the chain`,
        );
      try {
        let written = 0;
        while (written < bytes.length)
          written += writeSync(fd, bytes, written, bytes.length - written);
        fsyncSync(fd);
      } catch (error) {
        // Leave no half line behind (disk full): it would corrupt every later entry.
        ftruncateSync(fd, this.size);
        throw error;
      }
    } finally {
      closeSync(fd);
    }
    this.size += bytes.length;
  }
}

function plaintextDigest(fields: AuditFields, plaintext: Uint8Array | undefined): string | null {
  if (!plaintext) return fields.plaintextSha256 ?? null;
  const digest = sha256Hex(plaintext);
  if (fields.plaintextSha256 != null && fields.plaintextSha256 !== digest)
    throw new RangeError(
      `plaintextSha256: expected the SHA-256 of the plaintext given (${digest}), got ${fields.plaintextSha256}`,
    );
  return digest;
}
