import {
  appendFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { expect } from 'chai';
import {
  type AuditEntry,
  entryBytes,
  GENESIS_PREV_HASH,
  sha256Hex,
  signAuditEntry,
} from '../../../shared/audit/audit-entry.js';
import { AuditLogWriter } from '../../../shared/audit/audit-log-writer.js';
import { payloadDirectory, payloadFileName } from '../../../shared/audit/plaintext-copies.js';
import { sideFileAt } from '../../../shared/audit/resume-log.js';
import { verifyLog } from '../../../shared/audit/verify-chain.js';
import { fingerprint } from '../../../shared/crypto/identity.js';
import { tempDir } from '../crypto/fixtures.js';
import {
  fixedClock,
  mallory,
  message,
  randomDigest,
  receiptFields,
  receiptFor,
  sentFields,
  siteA,
} from './fixtures.js';

describe('AuditLogWriter', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = tempDir();
    path = join(dir, 'egress.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes entries that verify: seqs from 0, chained, signed, one canonical line each', () => {
    const log = AuditLogWriter.open(path, siteA, 'egress', fixedClock());
    const first = message(siteA, 'sketch', 0, 'counts', 1);
    const second = message(siteA, 'delta', 1, 'weights', 2);
    const a = log.append(sentFields(first), first.plaintext);
    const b = log.append(receiptFields(first, receiptFor(first, 1_700_000_000_000)));
    const c = log.append(sentFields(second), second.plaintext);

    const { entries, findings } = verifyLog(path, siteA.signPublicKey);

    expect(findings).to.deep.equal([]);
    expect(entries).to.deep.equal([a, b, c]);
    expect(entries.map((e) => e.seq)).to.deep.equal([0, 1, 2]);
    expect(a.prevHash).to.equal(GENESIS_PREV_HASH);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).to.have.length(4); // three lines and the final newline
    expect(b.prevHash).to.equal(sha256Hex(Buffer.from(lines[0]!)));
    expect(a.actor).to.equal(fingerprint(siteA.signPublicKey));
    expect(a.plaintextSha256).to.equal(sha256Hex(first.plaintext));
    expect(a.time).to.equal('2026-01-01T00:00:00.000Z');
  });

  it('resumes after reopening: the next entry continues the seqs and the chain', () => {
    const first = AuditLogWriter.open(path, siteA, 'egress');
    const m = message(siteA, 'delta', 1, 'weights', 1);
    first.append(sentFields(m));
    first.append(sentFields(message(siteA, 'delta', 2, 'more weights', 2)));
    const head = first.head;

    const reopened = AuditLogWriter.open(path, siteA, 'egress');
    const entry = reopened.append(sentFields(message(siteA, 'delta', 3, 'again', 3)));

    expect(reopened.length).to.equal(3);
    expect(entry.seq).to.equal(2);
    expect(entry.prevHash).to.equal(head);
    expect(verifyLog(path, siteA.signPublicKey).findings).to.deep.equal([]);
  });

  it('keeps each plaintext durably beside the log before the entry names it', () => {
    const log = AuditLogWriter.open(path, siteA, 'egress', { keepPlaintext: true });
    const m = message(siteA, 'histogram', 4, 'score counts', 1);

    const entry = log.append(sentFields(m), m.plaintext);

    const copy = join(payloadDirectory(path), payloadFileName(0, entry.plaintextSha256!));
    expect(readFileSync(copy)).to.deep.equal(Buffer.from(m.plaintext));
    expect(verifyLog(path, siteA.signPublicKey, { requirePlaintext: true }).findings).to.deep.equal(
      [],
    );
  });

  it('refuses to keep no plaintext when keeping plaintexts, appending nothing', () => {
    const log = AuditLogWriter.open(path, siteA, 'egress', { keepPlaintext: true });
    const m = message(siteA, 'delta', 1, 'weights', 1);

    expect(() =>
      log.append({ ...sentFields(m), plaintextSha256: sha256Hex(m.plaintext) }),
    ).to.throw(/expected the plaintext of delta entry 0, got none/);
    expect(readFileSync(path, 'utf8')).to.equal('');
  });

  it('refuses a plaintext whose digest differs from the one given', () => {
    const log = AuditLogWriter.open(path, siteA, 'egress');
    const m = message(siteA, 'delta', 1, 'weights', 1);

    expect(() =>
      log.append({ ...sentFields(m), plaintextSha256: sha256Hex(new Uint8Array(1)) }, m.plaintext),
    ).to.throw(/plaintextSha256: expected the SHA-256 of the plaintext given/);
  });

  it('refuses fields that break the format, naming the member', () => {
    const log = AuditLogWriter.open(path, siteA, 'egress');
    const m = message(siteA, 'delta', 1, 'weights', 1);

    expect(() => log.append({ ...sentFields(m), round: null })).to.throw(
      /round, taskId: expected both/,
    );
    expect(() => log.append({ ...sentFields(m), outcome: 'accepted' })).to.throw(
      /outcome: expected "sent"/,
    );
    expect(() => log.append({ ...sentFields(m), sealedSha256: 'ABC' })).to.throw(/sealedSha256/);
    expect(log.length).to.equal(0);
  });

  it('serialises appends from concurrent tasks into one unbroken chain', async () => {
    const log = AuditLogWriter.open(path, siteA, 'egress');
    const tasks = Array.from({ length: 8 }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i % 3));
      return log.append(sentFields(message(siteA, 'delta', i + 1, `weights ${i}`, i + 1)));
    });

    const entries = await Promise.all(tasks);

    expect(new Set(entries.map((e) => e.seq)).size).to.equal(8);
    expect(verifyLog(path, siteA.signPublicKey).findings).to.deep.equal([]);
  });

  it('refuses to append when another writer changed the file behind it', () => {
    const log = AuditLogWriter.open(path, siteA, 'egress');
    const other = AuditLogWriter.open(path, siteA, 'egress');
    log.append(sentFields(message(siteA, 'delta', 1, 'weights', 1)));

    expect(() => other.append(sentFields(message(siteA, 'delta', 2, 'weights', 2)))).to.throw(
      /another writer or an edit changed it, so appending would fork the chain/,
    );
    expect(verifyLog(path, siteA.signPublicKey).findings).to.deep.equal([]);
  });

  it('moves a cut-off last line (a crash mid append) to a side file, notes it in a signed entry, and goes on', () => {
    const first = AuditLogWriter.open(path, siteA, 'egress');
    first.append(sentFields(message(siteA, 'delta', 1, 'weights', 1)));
    first.append(sentFields(message(siteA, 'delta', 2, 'weights', 2)));
    const text = readFileSync(path, 'utf8');
    const cut = text.slice(0, text.length - 40);
    writeFileSync(path, cut);
    const torn = Buffer.from(cut.slice(cut.lastIndexOf('\n') + 1));

    const log = AuditLogWriter.open(path, siteA, 'egress');
    expect(log.quarantined).to.match(/egress\.jsonl\.torn-.*\.bin$/);
    expect(readFileSync(log.quarantined!).equals(torn)).to.equal(true);
    log.append(sentFields(message(siteA, 'delta', 3, 'weights', 3)));

    const { entries, findings } = verifyLog(path, siteA.signPublicKey);
    expect(findings).to.deep.equal([]);
    expect(entries.map((e) => [e.seq, e.type, e.outcome])).to.deep.equal([
      [0, 'delta', 'sent'],
      [1, 'quarantine', 'quarantined'],
      [2, 'delta', 'sent'],
    ]);
    expect(entries[1]!.bytes).to.equal(torn.length);
    expect(entries[1]!.sealedSha256).to.equal(sha256Hex(torn));
    expect(entries[1]!.reason).to.match(
      /^a cut-off last line of \d+ bytes was moved to egress\.jsonl\.torn-/,
    );
    // Opening again finds a whole log: nothing more is moved.
    expect(AuditLogWriter.open(path, siteA, 'egress').quarantined).to.equal(null);
  });

  it('has verify warn when a side file of cut-off bytes is gone, and fail when it was altered', () => {
    const first = AuditLogWriter.open(path, siteA, 'egress');
    first.append(sentFields(message(siteA, 'delta', 1, 'weights', 1)));
    appendFileSync(path, '{"format":"fedflow-au');
    const side = AuditLogWriter.open(path, siteA, 'egress').quarantined!;
    expect(verifyLog(path, siteA.signPublicKey).findings).to.deep.equal([]);

    writeFileSync(side, '{"format":"fedflow-AU');
    const altered = verifyLog(path, siteA.signPublicKey).findings;
    expect(altered.map((f) => [f.severity, f.code])).to.deep.equal([
      ['error', 'quarantine-altered'],
    ]);
    rmSync(side);
    const missing = verifyLog(path, siteA.signPublicKey).findings;
    expect(missing.map((f) => [f.severity, f.code])).to.deep.equal([
      ['warning', 'quarantine-missing'],
    ]);
  });

  it('gives a last entry that lacks only its newline the newline, and moves nothing', () => {
    const first = AuditLogWriter.open(path, siteA, 'egress');
    first.append(sentFields(message(siteA, 'delta', 1, 'weights', 1)));
    first.append(sentFields(message(siteA, 'delta', 2, 'weights', 2)));
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.slice(0, -1));

    const log = AuditLogWriter.open(path, siteA, 'egress');
    expect(log.quarantined).to.equal(null);
    expect(readFileSync(path, 'utf8')).to.equal(text);
    log.append(sentFields(message(siteA, 'delta', 3, 'weights', 3)));
    const { entries, findings } = verifyLog(path, siteA.signPublicKey);
    expect(findings).to.deep.equal([]);
    expect(entries.map((e) => e.type)).to.deep.equal(['delta', 'delta', 'delta']);
    expect(readdirSync(dir).filter((f) => f.includes('.torn-'))).to.deep.equal([]);
  });

  it('notes at the next open a side file whose note a crash prevented (after the cut, before the note)', () => {
    const first = AuditLogWriter.open(path, siteA, 'egress');
    first.append(sentFields(message(siteA, 'delta', 1, 'weights', 1)));
    const size = readFileSync(path).length;
    const torn = Buffer.from('{"format":"fedflow-au');
    writeFileSync(sideFileAt(path, size, torn), torn);

    const log = AuditLogWriter.open(path, siteA, 'egress');
    expect(log.quarantined).to.equal(sideFileAt(path, size, torn));
    const { entries, findings } = verifyLog(path, siteA.signPublicKey);
    expect(findings).to.deep.equal([]);
    expect(entries.map((e) => [e.type, e.bytes, e.sealedSha256])).to.deep.equal([
      ['delta', entries[0]!.bytes, entries[0]!.sealedSha256],
      ['quarantine', torn.length, sha256Hex(torn)],
    ]);
    expect(AuditLogWriter.open(path, siteA, 'egress').quarantined).to.equal(null);
    expect(verifyLog(path, siteA.signPublicKey).entries).to.have.length(2);
  });

  it('notes cut-off bytes once when a crash came after their side file was written but before the cut', () => {
    const first = AuditLogWriter.open(path, siteA, 'egress');
    first.append(sentFields(message(siteA, 'delta', 1, 'weights', 1)));
    const size = readFileSync(path).length;
    const torn = Buffer.from('{"format":"fedflow-au');
    appendFileSync(path, torn);
    writeFileSync(sideFileAt(path, size, torn), torn);

    AuditLogWriter.open(path, siteA, 'egress');
    const { entries, findings } = verifyLog(path, siteA.signPublicKey);
    expect(findings).to.deep.equal([]);
    expect(entries.map((e) => e.type)).to.deep.equal(['delta', 'quarantine']);
  });

  it("keeps the first cut-off bytes when a crash tears the repair's own note at the same offset", () => {
    const first = AuditLogWriter.open(path, siteA, 'egress');
    first.append(sentFields(message(siteA, 'delta', 1, 'weights', 1)));
    const size = readFileSync(path).length;
    const original = Buffer.from('{"format":"fedflow-audit","ORIGINAL');
    // The repair wrote the side file and cut the log, then died writing its note.
    writeFileSync(sideFileAt(path, size, original), original);
    const tornNote = Buffer.from('{"format":"fedflow-audit","version":1,"log":"egr');
    appendFileSync(path, tornNote);

    AuditLogWriter.open(path, siteA, 'egress');
    expect(readFileSync(sideFileAt(path, size, original)).equals(original)).to.equal(true);
    expect(readFileSync(sideFileAt(path, size, tornNote)).equals(tornNote)).to.equal(true);
    const { entries, findings } = verifyLog(path, siteA.signPublicKey);
    expect(findings).to.deep.equal([]);
    expect(
      entries
        .filter((e) => e.type === 'quarantine')
        .map((e) => e.sealedSha256)
        .sort(),
    ).to.deep.equal([sha256Hex(original), sha256Hex(tornNote)].sort());
  });

  it('does not take a side file for noted because a rejection reason a peer chose names it', () => {
    const log = AuditLogWriter.open(path, siteA, 'ingress');
    const torn = Buffer.from('{"format":"fedflow-au');
    const side = sideFileAt(path, 4096, torn);
    log.append({
      peer: null,
      type: 'delta',
      round: 1,
      taskId: 't',
      bytes: 0,
      sealedSha256: sha256Hex(new Uint8Array(0)),
      plaintextSha256: null,
      outcome: 'rejected',
      reason: `task x is not open: moved to ${basename(side)}`,
    });
    writeFileSync(side, torn);

    expect(AuditLogWriter.open(path, siteA, 'ingress').quarantined).to.equal(side);
  });

  describe('refuses to resume', () => {
    beforeEach(() => {
      const log = AuditLogWriter.open(path, siteA, 'egress');
      log.append(sentFields(message(siteA, 'delta', 1, 'weights', 1)));
      log.append(sentFields(message(siteA, 'delta', 2, 'weights', 2)));
    });

    it('a log whose last complete line is damaged, even when a cut-off line follows it', () => {
      appendFileSync(path, '{"format":"fedflow-audit"}\n{"form');
      const before = readFileSync(path);

      expect(() => AuditLogWriter.open(path, siteA, 'egress')).to.throw(
        /line 3: expected an audit entry/,
      );
      expect(readFileSync(path).equals(before)).to.equal(true);
    });

    it('a log whose last line is not an entry', () => {
      appendFileSync(path, '{"format":"fedflow-audit"}\n');

      expect(() => AuditLogWriter.open(path, siteA, 'egress')).to.throw(
        /line 3: expected an audit entry, got version: missing/,
      );
    });

    it('a log whose last entry is not chained to the line before', () => {
      const lines = readFileSync(path, 'utf8').split('\n');
      writeFileSync(path, `${lines[1]}\n${lines[0]}\n`);

      expect(() => AuditLogWriter.open(path, siteA, 'egress')).to.throw(/line 2: expected seq 2/);
    });

    it('a log whose last entry, though signed by the key, names another predecessor', () => {
      const [first, second] = verifyLog(path, siteA.signPublicKey).entries;
      const { signature: _, ...unsigned } = second!;
      const forged = signAuditEntry({ ...unsigned, prevHash: randomDigest() }, siteA);
      writeFileSync(path, `${canonicalLine(first!)}\n${canonicalLine(forged)}\n`);

      expect(() => AuditLogWriter.open(path, siteA, 'egress')).to.throw(
        /line 2: expected prevHash to be the hash of the line before/,
      );
    });

    it('a log written by another key or of the other kind', () => {
      expect(() => AuditLogWriter.open(path, mallory, 'egress')).to.throw(
        /expected entries signed by [0-9a-f]{16}, got one by/,
      );
      expect(() => AuditLogWriter.open(path, siteA, 'ingress')).to.throw(
        /expected an ingress log, got an egress entry/,
      );
      expect(existsSync(path)).to.equal(true);
    });
  });
});

function canonicalLine(entry: AuditEntry): string {
  return Buffer.from(entryBytes(entry)).toString('utf8');
}
