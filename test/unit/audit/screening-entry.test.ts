import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { signAuditEntry, type UnsignedAuditEntry } from '../../../shared/audit/audit-entry.js';
import { AuditLogWriter } from '../../../shared/audit/audit-log-writer.js';
import { checkAuditEntry } from '../../../shared/audit/check-audit-entry.js';
import { toAuditScreening } from '../../../shared/audit/screening-entry.js';
import { type Finding, verifyLog } from '../../../shared/audit/verify-chain.js';
import { tempDir } from '../crypto/fixtures.js';
import {
  coordinator,
  fixedClock,
  message,
  receivedFields,
  screeningFields,
  sentFields,
  siteA,
  siteB,
} from './fixtures.js';

const CLIPPED = "norm 152.5 clipped to 1.5 (1.5x the round's median 1)";

/** [code, line, message] of each error. */
function errors(findings: Finding[]): [string, number | null, string][] {
  return findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.line, f.message]);
}

describe('screening entries in the ingress log', () => {
  let dir: string;
  let path: string;
  let lines: string[];
  beforeEach(() => {
    dir = tempDir();
    path = join(dir, 'ingress.jsonl');
    const ingress = AuditLogWriter.open(path, coordinator, 'ingress', fixedClock());
    const a = message(siteA, 'delta', 3, 'delta of a', 1);
    const b = message(siteB, 'delta', 3, 'delta of b', 2);
    ingress.append(receivedFields(a), a.plaintext);
    ingress.append(receivedFields(b), b.plaintext);
    ingress.append(screeningFields(a, { norm: 0.84, cosine: -0.125, action: 'kept', weight: 0.5 }));
    const clipped = { norm: 152.5, cosine: 1e-7, reason: CLIPPED, weight: 0.5 };
    ingress.append(screeningFields(b, { ...clipped, action: 'clipped' }));
    lines = readFileSync(path, 'utf8').split('\n').slice(0, -1);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const rewrite = (newLines: string[]) => writeFileSync(path, `${newLines.join('\n')}\n`);
  /** The entry on `line` (1-based) changed by `edit` and signed again with the coordinator's key. */
  const forged = (line: number, edit: (e: Record<string, unknown>) => void) => {
    const { signature: _, ...entry } = JSON.parse(lines[line - 1]!) as Record<string, unknown>;
    edit(entry);
    return JSON.stringify(signAuditEntry(entry as unknown as UnsignedAuditEntry, coordinator));
  };

  it('verifies, with the decision as decimal strings in the documented member order', () => {
    const { entries, findings } = verifyLog(path, coordinator.signPublicKey);

    expect(findings).to.deep.equal([]);
    expect(entries.map((e) => [e.type, e.outcome])).to.deep.equal([
      ['delta', 'accepted'],
      ['delta', 'accepted'],
      ['screening', 'screened'],
      ['screening', 'screened'],
    ]);
    expect(lines[3]).to.contain(
      `"outcome":"screened","screening":{"strategy":"fedavg+norm-bound","norm":"152.5","cosine":"1e-7","action":"clipped","reason":"${CLIPPED}","weight":"0.5"},"prevHash":`,
    );
    expect(lines[2]).to.contain('"cosine":"-0.125","action":"kept","weight":"0.5"}');
    // It names the delta it judged: the same sealed digest, bytes, round and task.
    expect(entries[3]!.sealedSha256).to.equal(entries[1]!.sealedSha256);
    expect(entries[3]!.plaintextSha256).to.equal(null);
  });

  it('finds a norm or an action edited after signing, at its line', () => {
    for (const [from, to, code] of [
      ['"norm":"152.5"', '"norm":"1.5"', 'bad-signature'],
      ['"action":"clipped"', '"action":"kept"', 'bad-signature'],
      ['"norm":"152.5"', '"norm":152.5', 'bad-format'], // a number: no longer canonical
      [',"weight":"0.5"}', '}', 'bad-format'],
    ]) {
      rewrite([...lines.slice(0, 3), lines[3]!.replace(from!, to!)]);

      const found = errors(verifyLog(path, coordinator.signPublicKey).findings);

      expect(
        found.map(([c, line]) => [c, line]),
        to,
      ).to.deep.equal([[code, 4]]);
    }
  });

  it('refuses a decision outside its rules, naming the member, even when signed by the key', () => {
    const cases: [(s: Record<string, unknown>) => void, RegExp][] = [
      [(s) => (s.norm = '-1'), /^screening\.norm: expected .*>= 0, got "-1"$/],
      [(s) => (s.norm = 'NaN'), /^screening\.norm: expected a decimal string/],
      [(s) => (s.norm = '152.50'), /^screening\.norm: .*got "152.50"$/],
      [(s) => (s.cosine = '1.5'), /^screening\.cosine: expected .*in \[-1, 1\], got "1.5"$/],
      [
        (s) => (s.action = 'dropped'),
        /^screening\.action: expected "kept", "clipped" or "excluded"/,
      ],
      [(s) => (s.action = 'excluded'), /^screening\.weight: expected "0" for an excluded update/],
      [
        (s) => delete s.reason,
        /^screening\.reason: expected 1-1000 characters for a clipped update, got nothing$/,
      ],
      [(s) => (s.extra = '1'), /^screening: unexpected member "extra"$/],
    ];
    for (const [edit, expected] of cases) {
      rewrite([
        ...lines.slice(0, 3),
        forged(4, (e) => edit(e.screening as Record<string, unknown>)),
      ]);

      const found = errors(verifyLog(path, coordinator.signPublicKey).findings);

      expect(
        found.map(([code, line]) => [code, line]),
        String(expected),
      ).to.deep.equal([['bad-format', 4]]);
      expect(found[0]![2]).to.match(expected);
    }
  });

  it('allows a reason on a kept update (screening that ran weaker than configured)', () => {
    const note = 'Multi-Krum tolerates f=0, not the configured 1: 3 results, f needs n > 2f + 2';
    const entry = forged(3, (e) => Object.assign(e.screening as object, { reason: note }));

    expect(checkAuditEntry(JSON.parse(entry)).screening?.reason).to.equal(note);
  });

  it('states the epsilon spent and its delta under differential privacy, both or neither, as decimals', () => {
    const screening = toAuditScreening({
      strategy: 'fedavg+dp',
      norm: 3,
      cosine: 0.5,
      action: 'kept',
      weight: 0.25,
      privacy: { epsilon: 2.5, delta: 1e-5 },
    });
    expect(screening).to.include({ epsilon: '2.5', delta: '0.00001' });
    const withPrivacy = (edit: (s: Record<string, unknown>) => void) =>
      forged(4, (e) => {
        const s = Object.assign(e.screening as Record<string, unknown>, {
          epsilon: '2.5',
          delta: '0.00001',
        });
        edit(s);
      });
    expect(checkAuditEntry(JSON.parse(withPrivacy(() => {}))).screening).to.include({
      epsilon: '2.5',
    });
    const cases: [(s: Record<string, unknown>) => void, RegExp][] = [
      [(s) => delete s.delta, /^screening\.delta: missing \(epsilon and delta come together\)$/],
      [(s) => (s.epsilon = '-1'), /^screening\.epsilon: expected .*>= 0, got "-1"$/],
      [(s) => (s.delta = '1'), /^screening\.delta: expected .*in \(0, 1\), got "1"$/],
    ];
    for (const [edit, expected] of cases) {
      rewrite([...lines.slice(0, 3), withPrivacy(edit)]);
      const found = errors(verifyLog(path, coordinator.signPublicKey).findings);
      expect(found.map(([code, line]) => [code, line])).to.deep.equal([['bad-format', 4]]);
      expect(found[0]![2]).to.match(expected);
    }
  });

  it('keeps screening to screening entries of the ingress log', () => {
    const screening = JSON.parse(lines[3]!).screening;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ screening: undefined }, /^screening: missing \(required on a screening entry\)$/],
      [{ outcome: 'accepted' }, /^outcome: expected "screened" for a screening entry/],
      [{ peer: null }, /^peer: expected the fingerprint of the site/],
      [{ taskId: null }, /^round, taskId: expected both for a screening entry/],
      [{ log: 'egress' }, /^type: expected no screening entry in an egress log/],
      [{ reason: 'clipped' }, /^reason: expected none unless rejected/],
    ];
    for (const [change, expected] of cases) {
      const entry = forged(4, (e) => Object.assign(e, change));
      expect(() => checkAuditEntry(JSON.parse(entry)), String(expected)).to.throw(expected);
    }
    const delta = forged(2, (e) => Object.assign(e, { screening }));
    expect(() => checkAuditEntry(JSON.parse(delta))).to.throw(
      /^screening: expected none on a delta entry$/,
    );
  });

  it('keeps allow-list changes to the ingress log, as enrolled or revoked', () => {
    const change = {
      type: 'allow-list',
      round: null,
      taskId: null,
      screening: undefined,
      plaintextSha256: null,
    };
    const good = (outcome: string) => forged(4, (e) => Object.assign(e, change, { outcome }));
    expect(checkAuditEntry(JSON.parse(good('enrolled'))).outcome).to.equal('enrolled');
    expect(checkAuditEntry(JSON.parse(good('revoked'))).outcome).to.equal('revoked');
    expect(() => checkAuditEntry(JSON.parse(good('accepted')))).to.throw(
      /^outcome: expected "enrolled" or "revoked" for a allow-list entry/,
    );
    const egress = forged(4, (e) =>
      Object.assign(e, change, { outcome: 'enrolled', log: 'egress' }),
    );
    expect(() => checkAuditEntry(JSON.parse(egress))).to.throw(
      /^type: expected no allow-list entry in an egress log/,
    );
  });

  it('refuses to write a decision that breaks the rules, appending nothing', () => {
    const writer = AuditLogWriter.open(path, coordinator, 'ingress', fixedClock());
    const a = message(siteA, 'delta', 3, 'delta of a', 1);
    const bad = { norm: 1, cosine: 1, action: 'clipped', weight: 1 } as const;

    expect(() => writer.append(screeningFields(a, bad))).to.throw(/^screening\.reason/);
    expect(() => toAuditScreening({ ...bad, strategy: 'fedavg', norm: Number.NaN })).to.throw(
      /^screening\.norm: expected a finite number, got NaN$/,
    );
    expect(() => writer.append({ ...sentFields(a), outcome: 'screened' })).to.throw(/^outcome/);
    expect(readFileSync(path, 'utf8').split('\n').slice(0, -1)).to.deep.equal(lines);
  });
});
