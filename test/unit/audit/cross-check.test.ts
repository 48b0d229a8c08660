import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { AuditFields } from '../../../shared/audit/audit-log-writer.js';
import { AuditLogWriter } from '../../../shared/audit/audit-log-writer.js';
import { crossCheck } from '../../../shared/audit/cross-check.js';
import { type Finding, verifyLog } from '../../../shared/audit/verify-chain.js';
import { fingerprint, type Identity } from '../../../shared/crypto/identity.js';
import { tempDir } from '../crypto/fixtures.js';
import {
  coordinator,
  fixedClock,
  type Message,
  mallory,
  message,
  randomDigest,
  receiptFields,
  receiptFor,
  receivedFields,
  screeningFields,
  sentFields,
  siteA,
  siteB,
} from './fixtures.js';

/** Two sites and a coordinator, each writing its own real log in a temp directory. */
class Federation {
  readonly paths: Record<'a' | 'b' | 'ingress', string>;
  private readonly logs: Map<Identity, AuditLogWriter>;
  private readonly ingress: AuditLogWriter;
  private clock = 1_767_225_600_000;

  constructor(readonly dir: string) {
    this.paths = {
      a: join(dir, 'site-a', 'egress.jsonl'),
      b: join(dir, 'site-b', 'egress.jsonl'),
      ingress: join(dir, 'coordinator', 'ingress.jsonl'),
    };
    this.logs = new Map([
      [siteA, AuditLogWriter.open(this.paths.a, siteA, 'egress', fixedClock())],
      [siteB, AuditLogWriter.open(this.paths.b, siteB, 'egress', fixedClock())],
    ]);
    this.ingress = AuditLogWriter.open(this.paths.ingress, coordinator, 'ingress', fixedClock());
  }

  /** The normal path: logged, sent, received and accepted with a receipt the site logs. */
  deliver(m: Message): void {
    this.send(m);
    this.clock += 1000;
    const receipt = receiptFor(m, this.clock);
    this.receive(m, { ...receivedFields(m), receipt });
    this.site(m.from).append(receiptFields(m, receipt));
  }

  send(m: Message, fields: AuditFields = sentFields(m)): void {
    this.site(m.from).append(fields, m.plaintext);
  }

  receive(m: Message, fields: AuditFields = receivedFields(m)): void {
    this.ingress.append(fields, fields.outcome === 'accepted' ? m.plaintext : undefined);
  }

  /** The coordinator's record of what its strategy did with the accepted delta `m`. */
  screen(m: Message, decision: Parameters<typeof screeningFields>[1]): void {
    this.ingress.append(screeningFields(m, decision));
  }

  site(identity: Identity): AuditLogWriter {
    return this.logs.get(identity)!;
  }

  /** Verifies each log (none may have errors) and cross-checks them. */
  check(sites: ('a' | 'b')[] = ['a', 'b'], options: { partial?: boolean } = {}): Finding[] {
    const verified = (path: string, key: Uint8Array) => {
      const { entries, findings } = verifyLog(path, key);
      expect(findings, path).to.deep.equal([]);
      return entries;
    };
    const keys = { a: siteA.signPublicKey, b: siteB.signPublicKey };
    return crossCheck(
      sites.map((site) => ({
        site: `site-${site}`,
        file: this.paths[site],
        entries: verified(this.paths[site], keys[site]),
      })),
      verified(this.paths.ingress, coordinator.signPublicKey),
      { ingressFile: this.paths.ingress, ...options },
    );
  }
}

function summary(findings: Finding[]): [string, string, number | null][] {
  return findings.map((f) => [f.severity, f.code, f.seq]);
}

describe('crossCheck', () => {
  let federation: Federation;
  beforeEach(() => {
    federation = new Federation(tempDir());
  });
  afterEach(() => rmSync(federation.dir, { recursive: true, force: true }));

  it('matches every result of every site, receipts included, with no findings', () => {
    for (const [round, kind] of [
      [0, 'sketch'],
      [1, 'delta'],
      [2, 'histogram'],
    ] as const) {
      federation.deliver(message(siteA, kind, round, `a${round}`, round + 1));
      federation.deliver(message(siteB, kind, round, `b${round}`, round + 11));
    }

    expect(federation.check()).to.deep.equal([]);
  });

  it("does not expect the coordinator's screening entries in any egress log", () => {
    const a = message(siteA, 'delta', 1, 'a1', 1);
    const b = message(siteB, 'delta', 1, 'b1', 2);
    federation.deliver(a);
    federation.deliver(b);
    federation.screen(a, { norm: 0.9, cosine: 0.99, action: 'kept', weight: 0.5 });
    const reason = 'norm 90 clipped to 1.35';
    federation.screen(b, { norm: 90, cosine: 0.1, action: 'clipped', reason, weight: 0.5 });

    expect(federation.check()).to.deep.equal([]);
  });

  it('finds a sent message missing from the ingress log: an error once the site holds its receipt', () => {
    federation.deliver(message(siteA, 'sketch', 0, 'counts', 9));
    const lost = message(siteA, 'delta', 1, 'lost', 1);
    const hidden = message(siteA, 'delta', 2, 'hidden', 2);
    federation.send(lost); // never arrived
    federation.send(hidden); // arrived, acknowledged, then dropped from the coordinator's log
    federation.site(siteA).append(receiptFields(hidden, receiptFor(hidden, 1_767_225_600_000)));

    const findings = federation.check(['a']);

    expect(summary(findings)).to.deep.equal([
      ['warning', 'missing-ingress', 2],
      ['error', 'missing-ingress', 3],
      ['error', 'receipt-unmatched', 4],
    ]);
    expect(findings[0]!.message).to.match(/has no receipt: lost in transit, or dropped/);
    expect(findings[1]).to.include({ file: federation.paths.a, line: null });
  });

  it('finds a message missing from the egress log (its last entry cut off, unseen by verifyLog)', () => {
    federation.deliver(message(siteA, 'delta', 1, 'first', 1));
    const second = message(siteA, 'delta', 2, 'second', 2);
    federation.send(second);
    federation.receive(second);
    const lines = readFileSync(federation.paths.a, 'utf8').split('\n');
    writeFileSync(federation.paths.a, `${lines.slice(0, -2).join('\n')}\n`);

    const findings = federation.check(['a']);

    expect(summary(findings)).to.deep.equal([['error', 'extra-ingress', 1]]);
    expect(findings[0]!.file).to.equal(federation.paths.ingress);
    expect(findings[0]!.message).to.match(
      /accepted delta for round 2.* from site-a that no egress log holds/,
    );
  });

  it('finds an altered digest: the coordinator logged other bytes than the site sent', () => {
    const m = message(siteA, 'delta', 1, 'weights', 1);
    federation.send(m);
    federation.receive(m, { ...receivedFields(m), sealedSha256: randomDigest() });

    const findings = federation.check(['a']);

    expect(summary(findings)).to.deep.equal([['error', 'digest-mismatch', 0]]);
    expect(findings[0]!.message).to.match(
      /the coordinator logged other bytes .* and accepted them/,
    );
  });

  it('finds an extra message no site sent, and says which peers it could not check', () => {
    federation.deliver(message(siteA, 'delta', 1, 'weights', 1));
    federation.receive(message(siteA, 'delta', 1, 'forged in the coordinator', 7));
    federation.receive(message(siteB, 'delta', 1, 'refused weights of b', 2), {
      ...receivedFields(message(siteB, 'delta', 1, 'refused weights of b', 2)),
      outcome: 'rejected',
      reason: 'stale',
    });

    const findings = federation.check(['a']);

    expect(summary(findings)).to.deep.equal([
      ['error', 'extra-ingress', 1],
      ['warning', 'no-egress-log', null],
    ]);
    expect(findings[1]!.message).to.match(/1 result message\(s\) from [0-9a-f]{16} cannot be/);
  });

  it('fails a run where a site that took part (the coordinator accepted its results) has no egress log, unless the audit is partial', () => {
    federation.deliver(message(siteA, 'delta', 1, 'weights', 1));
    federation.deliver(message(siteB, 'delta', 1, 'weights of b', 2));

    const findings = federation.check(['a']);
    expect(summary(findings)).to.deep.equal([['error', 'no-egress-log', null]]);
    expect(findings[0]!.message).to.match(
      /accepted result message\(s\) from [0-9a-f]{16}, but no egress log of that site was given: the site took part/,
    );
    expect(summary(federation.check(['a'], { partial: true }))).to.deep.equal([
      ['warning', 'no-egress-log', null],
    ]);
  });

  it('warns only, when a site that finished lacks a receipt: the answer was lost in transit (a crash)', () => {
    federation.deliver(message(siteA, 'delta', 1, 'weights', 1));
    const m = message(siteA, 'delta', 2, 'weights', 2);
    federation.send(m);
    federation.receive(m, { ...receivedFields(m), receipt: receiptFor(m, 1_767_225_700_000) });
    federation.site(siteA).append({
      peer: fingerprint(coordinator.signPublicKey),
      type: 'finished',
      round: null,
      taskId: null,
      bytes: 4,
      sealedSha256: randomDigest(),
      plaintextSha256: null,
      outcome: 'sent',
    });

    const findings = federation.check(['a']);
    expect(summary(findings)).to.deep.equal([['warning', 'receipt-missing', 2]]);
  });

  it("fails a site log whose last entry, the coordinator's receipt, was deleted", () => {
    federation.deliver(message(siteA, 'delta', 1, 'weights', 1));
    federation.deliver(message(siteA, 'delta', 2, 'weights', 2));
    const text = readFileSync(federation.paths.a, 'utf8').trim().split('\n');
    writeFileSync(federation.paths.a, `${text.slice(0, -1).join('\n')}\n`);

    const findings = federation.check(['a']);
    expect(summary(findings)).to.deep.equal([['error', 'receipt-missing', 2]]);
    expect(findings[0]!.message).to.match(/the log ends there: entries were removed from its end/);
  });

  it('accepts a rejected message with its reason, as a warning', () => {
    const m = message(siteA, 'delta', 1, 'stale weights', 1);
    federation.send(m);
    federation.receive(m, receivedFields(m, 'wrong-context: expected round 2'));

    const findings = federation.check(['a']);

    expect(summary(findings)).to.deep.equal([['warning', 'rejected', 0]]);
    expect(findings[0]!.message).to.match(
      /rejected delta for round 1.*: wrong-context: expected round 2$/,
    );
  });

  it('pairs a replayed copy with nothing, and reports its rejection as a warning', () => {
    const m = message(siteA, 'delta', 1, 'weights', 1);
    federation.deliver(m);
    federation.receive(m, receivedFields(m, 'replayed: nonce seen before'));

    const findings = federation.check(['a']);

    expect(summary(findings)).to.deep.equal([['warning', 'extra-ingress', 1]]);
    expect(findings[0]!.message).to.match(/and rejected it: replayed: nonce seen before$/);
  });

  it('finds a result whose round or size differs between the two logs', () => {
    const m = message(siteA, 'delta', 1, 'weights', 1);
    federation.send(m);
    federation.receive(m, { ...receivedFields(m), round: 2, taskId: 't-2', bytes: 1 });

    const findings = federation.check(['a']);

    expect(summary(findings)).to.deep.equal([['error', 'mismatch', 0]]);
    expect(findings[0]!.message).to.match(/round 1 vs 2; taskId "t-1" vs "t-2"; bytes \d+ vs 1$/);
  });

  it('finds results the coordinator logged in another order than the site sent them', () => {
    const first = message(siteA, 'delta', 1, 'first', 1);
    const second = message(siteA, 'delta', 2, 'second', 2);
    federation.send(first);
    federation.send(second);
    federation.receive(second);
    federation.receive(first);

    expect(summary(federation.check(['a']))).to.deep.equal([['error', 'reordered', 1]]);
  });

  it('finds a receipt not signed by the coordinator', () => {
    const m = message(siteA, 'delta', 1, 'weights', 1);
    federation.send(m);
    federation.receive(m);
    federation.site(siteA).append(receiptFields(m, receiptFor(m, 1_767_225_600_000, mallory)));

    expect(summary(federation.check(['a']))).to.deep.equal([['error', 'bad-receipt', 1]]);
  });

  it('finds a receipt for a message the coordinator logged as rejected', () => {
    const m = message(siteA, 'delta', 1, 'weights', 1);
    federation.send(m);
    federation.receive(m, receivedFields(m, 'replayed'));
    federation.site(siteA).append(receiptFields(m, receiptFor(m, 1_767_225_600_000)));

    expect(summary(federation.check(['a']))).to.deep.equal([
      ['warning', 'rejected', 0],
      ['error', 'receipt-unmatched', 1],
    ]);
  });

  it('finds a result the site addressed to another coordinator', () => {
    const m = message(siteA, 'delta', 1, 'weights', 1);
    federation.send(m, { ...sentFields(m), peer: '0123456789abcdef' });
    federation.receive(m);

    const findings = federation.check(['a']);

    expect(summary(findings)).to.deep.equal([['error', 'wrong-peer', 0]]);
  });
});
