import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  type AuditEntry,
  entryBytes,
  sha256Hex,
  signAuditEntry,
  type UnsignedAuditEntry,
} from '../../../shared/audit/audit-entry.js';
import { AuditLogWriter } from '../../../shared/audit/audit-log-writer.js';
import { payloadDirectory } from '../../../shared/audit/plaintext-copies.js';
import { type Finding, verifyLog } from '../../../shared/audit/verify-chain.js';
import { toBase64 } from '../../../shared/crypto/base64.js';
import { fingerprint, type Identity } from '../../../shared/crypto/identity.js';
import { tempDir } from '../crypto/fixtures.js';
import { fixedClock, mallory, message, sentFields, siteA } from './fixtures.js';

/** [code, line] of each error, in order. */
function errors(findings: Finding[]): [string, number | null][] {
  return findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.line]);
}

describe('verifyLog', () => {
  let dir: string;
  let path: string;
  let lines: string[];
  beforeEach(() => {
    dir = tempDir();
    path = join(dir, 'egress.jsonl');
    const log = AuditLogWriter.open(path, siteA, 'egress', {
      ...fixedClock(),
      keepPlaintext: true,
    });
    for (let round = 1; round <= 5; round++) {
      const m = message(siteA, 'delta', round, `weights of round ${round}`, round);
      log.append(sentFields(m), m.plaintext);
    }
    lines = readFileSync(path, 'utf8').split('\n').slice(0, -1);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const rewrite = (newLines: string[]) => writeFileSync(path, `${newLines.join('\n')}\n`);

  it('finds nothing wrong in an untouched log', () => {
    const { entries, findings } = verifyLog(path, siteA.signPublicKey, { requirePlaintext: true });

    expect(findings).to.deep.equal([]);
    expect(entries).to.have.length(5);
  });

  it('says when no key was given that it only proved one key wrote the log', () => {
    const { findings } = verifyLog(path);

    expect(findings.map((f) => [f.severity, f.code])).to.deep.equal([
      ['warning', 'key-not-pinned'],
    ]);
    expect(findings[0]!.message).to.contain(fingerprint(siteA.signPublicKey));
  });

  // Every byte of every line would take ~30 s (tweetnacl verifies ~100 signatures a second
  // here; run once, all passed). A two-entry log and every 9th byte, both braces and the
  // newline still hit each member's name and value.
  it('finds a bit flipped anywhere in a line, at that line, and the broken link after it', () => {
    rewrite(lines.slice(0, 2));
    const bytes = readFileSync(path);
    const end = lines[0]!.length; // line 1's newline
    const positions = new Set([0, end - 1, end]);
    for (let at = 0; at < end; at += 9) positions.add(at);
    for (const at of positions) {
      const copy = Buffer.from(bytes);
      copy[at]! ^= 0x01;
      writeFileSync(path, copy);

      const found = errors(verifyLog(path, siteA.signPublicKey).findings);

      const where = `after flipping byte ${at} of line 1`;
      expect(
        found.some(([, line]) => line === 1),
        where,
      ).to.equal(true);
      if (at < end) expect(found, where).to.deep.include(['chain-broken', 2]);
    }
  });

  it('finds a deleted middle entry: a seq gap and a chain link to no line', () => {
    rewrite([lines[0]!, lines[1]!, lines[3]!, lines[4]!]);

    const { findings } = verifyLog(path, siteA.signPublicKey);

    expect(errors(findings)).to.deep.equal([
      ['seq-gap', 3],
      ['chain-broken', 3],
    ]);
    expect(findings[0]!.message).to.equal('expected seq 2, got 3: 1 entry is missing');
    expect(findings[1]!.message).to.match(/got a hash of no line in this file/);
    expect(findings[1]).to.include({ file: path, seq: 3 });
  });

  it('cannot see a deleted last entry in the lines alone (the other side or a left copy can)', () => {
    rewrite(lines.slice(0, 4));

    const { findings } = verifyLog(path, siteA.signPublicKey);

    expect(findings.map((f) => [f.severity, f.code])).to.deep.equal([
      ['warning', 'plaintext-orphan'],
    ]);
    expect(findings[0]!.file).to.match(/payloads\/4-[0-9a-f]{64}\.bin$/);
  });

  it('finds reordered entries and says the links point to other lines', () => {
    rewrite([lines[0]!, lines[2]!, lines[1]!, lines[3]!, lines[4]!]);

    const { findings } = verifyLog(path, siteA.signPublicKey);

    expect(errors(findings)).to.deep.equal([
      ['seq-gap', 2],
      ['chain-broken', 2],
      ['seq-order', 3],
      ['chain-broken', 3],
      ['chain-broken', 4],
    ]);
    expect(findings[1]!.message).to.match(/got the hash of line 3: entries were reordered/);
    expect(findings[2]!.message).to.equal('seq 1 comes after seq 2: entries are out of order');
  });

  it('finds an inserted entry signed by another key, though it continues the chain', () => {
    const forged = forge(entryAt(4), mallory, { seq: 5, prevHash: hashOf(lines[4]!) });
    rewrite([...lines, forged]);

    const { findings } = verifyLog(path, siteA.signPublicKey);

    expect(errors(findings)).to.deep.equal([['wrong-actor', 6]]);
    expect(findings[0]!.message).to.match(
      /expected an entry signed by [0-9a-f]{16} \(the key given\)/,
    );
  });

  it('finds an inserted entry that claims the key of the log but is signed by another', () => {
    const claimed = { actor: entryAt(0).actor, actorKey: entryAt(0).actorKey };
    const forged = JSON.parse(forge(entryAt(1), mallory, { seq: 2, prevHash: hashOf(lines[1]!) }));
    const line = Buffer.from(entryBytes({ ...forged, ...claimed })).toString();
    rewrite([lines[0]!, lines[1]!, line, ...lines.slice(2)]);

    const found = errors(verifyLog(path, siteA.signPublicKey).findings);

    expect(found).to.deep.include(['bad-signature', 3]);
    expect(found).to.deep.include(['seq-repeat', 4]);
    expect(found).to.deep.include(['chain-broken', 4]);
  });

  it('finds a swapped plaintext copy, naming the entry whose copy it was', () => {
    const dir = payloadDirectory(path);
    const [one, two] = readdirSync(dir)
      .filter((name) => /^[12]-/.test(name))
      .sort();
    const first = readFileSync(join(dir, one!));
    writeFileSync(join(dir, one!), readFileSync(join(dir, two!)));
    writeFileSync(join(dir, two!), first);

    const { findings } = verifyLog(path, siteA.signPublicKey);

    expect(errors(findings)).to.deep.equal([
      ['plaintext-mismatch', 2],
      ['plaintext-mismatch', 3],
    ]);
    expect(findings[0]).to.include({ file: path, seq: 1 });
    expect(findings[0]!.message).to.match(/the copy was replaced or altered/);
  });

  it('finds a missing plaintext copy, an error only when copies are required', () => {
    const dir = payloadDirectory(path);
    rmSync(join(dir, readdirSync(dir).find((name) => name.startsWith('3-'))!));

    const relaxed = verifyLog(path, siteA.signPublicKey).findings;
    const strict = verifyLog(path, siteA.signPublicKey, { requirePlaintext: true }).findings;

    expect(relaxed.map((f) => [f.severity, f.code, f.line])).to.deep.equal([
      ['warning', 'plaintext-missing', 4],
    ]);
    expect(errors(strict)).to.deep.equal([['plaintext-missing', 4]]);
  });

  it('finds a last line cut short as truncated, and nothing else about it', () => {
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.slice(0, text.length - 30));

    const { entries, findings } = verifyLog(path, siteA.signPublicKey);

    expect(errors(findings)).to.deep.equal([['truncated', 5]]);
    expect(entries).to.have.length(4);
  });

  it('reports unparseable and malformed lines with file and line instead of throwing', () => {
    const notCanonical = lines[2]!.replace('{"format"', '{ "format"');
    rewrite([lines[0]!, '', '[1,2]', notCanonical, '{"format":"fedflow-audit","version":2}']);

    const { findings } = verifyLog(path, siteA.signPublicKey);

    expect(errors(findings)).to.deep.include.members([
      ['bad-json', 2],
      ['bad-format', 3],
      ['not-canonical', 4],
      ['bad-format', 5],
    ]);
    expect(findings.every((f) => f.file === path || f.code.startsWith('plaintext'))).to.equal(true);
    expect(findings.find((f) => f.line === 5)!.message).to.equal('log: missing');
  });

  it('reports an unreadable file and a key of the wrong length as findings', () => {
    expect(errors(verifyLog(join(dir, 'absent.jsonl')).findings)).to.deep.equal([
      ['unreadable', null],
    ]);
    expect(errors(verifyLog(path, new Uint8Array(31)).findings)).to.deep.equal([['bad-key', null]]);
  });

  function entryAt(index: number): AuditEntry {
    return JSON.parse(lines[index]!) as AuditEntry;
  }
});

function hashOf(line: string): string {
  return sha256Hex(Buffer.from(line));
}

/** `template` changed by `changes`, signed by `signer` as its own: a canonical line. */
function forge(
  template: AuditEntry,
  signer: Identity,
  changes: Partial<UnsignedAuditEntry>,
): string {
  const { signature: _, ...unsigned } = template;
  const entry = signAuditEntry(
    {
      ...unsigned,
      ...changes,
      actor: fingerprint(signer.signPublicKey),
      actorKey: toBase64(signer.signPublicKey),
    },
    signer,
  );
  return Buffer.from(entryBytes(entry)).toString();
}
