// Recomputes hashes and signatures from the canonical form as documented in audit-entry.ts,
// with nothing but tweetnacl and node:crypto: if this passes, the documentation is exact.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import nacl from 'tweetnacl';
import { AuditLogWriter } from '../../../shared/audit/audit-log-writer.js';
import { tempDir } from '../crypto/fixtures.js';
import { coordinator, fixedClock, receiptFor, siteA } from './fixtures.js';

const hex = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const base64 = (data: Uint8Array) => Buffer.from(data).toString('base64');

describe('the documented canonical form', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the exact line, hash and signature of an entry, recomputed by hand', () => {
    const path = join(dir, 'egress.jsonl');
    const log = AuditLogWriter.open(path, siteA, 'egress', fixedClock());
    const sealed = new Uint8Array(300).fill(7);
    const plaintext = new Uint8Array(40).fill(3);
    const taskId = 't-"q"\\ é😀\u0001\n\u001f';
    const peer = hex(coordinator.signPublicKey).slice(0, 16);
    const fields = {
      peer,
      type: 'delta',
      round: 7,
      taskId,
      bytes: sealed.length,
      sealedSha256: hex(sealed),
      outcome: 'sent' as const,
    };
    const receivedMs = 1_767_225_601_234;
    const receipt = receiptFor({ sealed }, receivedMs);
    log.append(fields, plaintext);
    log.append({ ...fields, type: 'receipt', outcome: 'accepted', receipt });
    const [first, second] = readFileSync(path, 'utf8').split('\n');

    // The members in the documented order, escapes as documented, no whitespace.
    const actor = hex(siteA.signPublicKey).slice(0, 16);
    const actorKey = base64(siteA.signPublicKey);
    const unsignedFirst =
      '{"format":"fedflow-audit","version":1,"log":"egress","seq":0,' +
      `"time":"2026-01-01T00:00:00.000Z","actor":"${actor}","actorKey":"${actorKey}",` +
      `"peer":"${peer}","type":"delta","round":7,` +
      '"taskId":"t-\\"q\\"\\\\ é😀\\u0001\\n\\u001f",' +
      `"bytes":300,"plaintextSha256":"${hex(plaintext)}","sealedSha256":"${hex(sealed)}",` +
      `"outcome":"sent","prevHash":"${'0'.repeat(64)}"}`;
    const signatureFirst = (JSON.parse(first!) as { signature: string }).signature;
    expect(first).to.equal(`${unsignedFirst.slice(0, -1)},"signature":"${signatureFirst}"}`);
    const signed = Buffer.concat([
      Buffer.from('fedflow/v1/audit-entry\0', 'ascii'),
      Buffer.from(unsignedFirst, 'utf8'),
    ]);
    expect(
      nacl.sign.detached.verify(signed, Buffer.from(signatureFirst, 'base64'), siteA.signPublicKey),
    ).to.equal(true);

    // The receipt sits between outcome and prevHash, its own members in their order; the
    // prevHash is SHA-256 of the first line's UTF-8 bytes (signature included, no newline).
    const unsignedSecond =
      '{"format":"fedflow-audit","version":1,"log":"egress","seq":1,' +
      `"time":"2026-01-01T00:00:01.000Z","actor":"${actor}","actorKey":"${actorKey}",` +
      `"peer":"${peer}","type":"receipt","round":7,` +
      '"taskId":"t-\\"q\\"\\\\ é😀\\u0001\\n\\u001f",' +
      `"bytes":300,"plaintextSha256":null,"sealedSha256":"${hex(sealed)}","outcome":"accepted",` +
      `"receipt":{"digest":"${hex(sealed)}","receivedMs":1767225601234,"signature":"${receipt.signature}"},` +
      `"prevHash":"${hex(Buffer.from(first!, 'utf8'))}"}`;
    const signatureSecond = (JSON.parse(second!) as { signature: string }).signature;
    expect(second).to.equal(`${unsignedSecond.slice(0, -1)},"signature":"${signatureSecond}"}`);
    expect(
      nacl.sign.detached.verify(
        Buffer.concat([Buffer.from('fedflow/v1/audit-entry\0'), Buffer.from(unsignedSecond)]),
        Buffer.from(signatureSecond, 'base64'),
        siteA.signPublicKey,
      ),
    ).to.equal(true);
  });
});
