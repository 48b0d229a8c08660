import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { AuditLogWriter } from '../../../shared/audit/audit-log-writer.js';
import { checkScreening, keptDelta } from '../../../shared/audit/screening-check.js';
import { toAuditScreening } from '../../../shared/audit/screening-entry.js';
import { verifyLog } from '../../../shared/audit/verify-chain.js';
import { fingerprint } from '../../../shared/crypto/identity.js';
import { encodeClientPayload } from '../../../shared/wire/payload-codec.js';
import { tempDir } from '../crypto/fixtures.js';
import {
  coordinator,
  fixedClock,
  type Message,
  message,
  randomDigest,
  receivedFields,
  screeningFields,
  siteA,
  siteB,
} from './fixtures.js';

const KEPT = { norm: 0.9, cosine: 0.99, action: 'kept', weight: 0.5 } as const;

describe('checkScreening', () => {
  let dir: string;
  let path: string;
  let ingress: AuditLogWriter;
  let a: Message;
  let b: Message;
  beforeEach(() => {
    dir = tempDir();
    path = join(dir, 'ingress.jsonl');
    ingress = AuditLogWriter.open(path, coordinator, 'ingress', fixedClock());
    a = message(siteA, 'delta', 1, 'a1', 1);
    b = message(siteB, 'delta', 1, 'b1', 2);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const accept = (...messages: Message[]) => {
    for (const m of messages) ingress.append(receivedFields(m), m.plaintext);
  };
  /** [severity, code, seq] of each finding, after a clean verifyLog. */
  const check = () => {
    const { entries, findings } = verifyLog(path, coordinator.signPublicKey);
    expect(findings).to.deep.equal([]);
    return checkScreening(entries, path).map((f) => [f.severity, f.code, f.seq]);
  };

  it('finds nothing when each decision follows the delta it judged and the shares sum to 1', () => {
    accept(a, b);
    ingress.append(screeningFields(a, KEPT));
    ingress.append(screeningFields(b, { ...KEPT, action: 'clipped', reason: 'norm 9 over 1.5' }));

    expect(check()).to.deep.equal([]);
  });

  it('finds a decision on a delta never accepted, or accepted only after it', () => {
    accept(a);
    ingress.append(screeningFields(a, { ...KEPT, weight: 1 }));
    const orphan = { ...KEPT, weight: 0 };
    ingress.append({ ...screeningFields(b, orphan), sealedSha256: randomDigest() });
    ingress.append(screeningFields(b, orphan));
    accept(b);

    expect(check()).to.deep.equal([
      ['error', 'screening-orphan', 2],
      ['error', 'screening-orphan', 3],
    ]);
  });

  it('finds a delta screened twice, and shares that no longer sum to 1', () => {
    accept(a, b);
    ingress.append(screeningFields(a, KEPT));
    ingress.append(screeningFields(b, KEPT));
    ingress.append(screeningFields(b, { ...KEPT, action: 'clipped', reason: 'again' }));

    expect(check()).to.deep.equal([
      ['error', 'screening-repeat', 4],
      ['warning', 'screening-weights', 4],
    ]);
  });

  it("finds a stated norm that the delta's kept plaintext does not have", () => {
    const logged = AuditLogWriter.open(join(dir, 'kept', 'ingress.jsonl'), coordinator, 'ingress', {
      keepPlaintext: true,
    });
    const delta = { kind: 'delta', modelVersion: 1, examples: 5, validationLoss: 1 } as const;
    const fields = {
      peer: fingerprint(siteA.signPublicKey),
      round: 1,
      taskId: 't-1',
      bytes: 100,
    };
    for (const [values, stated] of [
      [[3, 4], 5],
      [[6, 8], 5],
    ] as const) {
      const sealedSha256 = randomDigest();
      const plaintext = encodeClientPayload({ ...delta, delta: Float32Array.from(values) });
      logged.append({ ...fields, type: 'delta', sealedSha256, outcome: 'accepted' }, plaintext);
      const decision = { strategy: 'fedavg', norm: stated, cosine: 1, action: 'kept', weight: 0.5 };
      logged.append({
        ...fields,
        type: 'screening',
        sealedSha256,
        outcome: 'screened',
        screening: toAuditScreening(decision as Parameters<typeof toAuditScreening>[0]),
      });
    }

    const { entries } = verifyLog(logged.path, coordinator.signPublicKey);
    const findings = checkScreening(entries, logged.path, { deltaOf: keptDelta(logged.path) });

    expect(findings.map((f) => [f.code, f.seq])).to.deep.equal([['screening-norm', 3]]);
    expect(findings[0]!.message).to.match(/states norm 5; the kept delta \(seq 2\) has norm 10$/);
  });

  it('warns about an accepted delta its round screened without a decision', () => {
    accept(a, b);
    ingress.append(screeningFields(a, { ...KEPT, weight: 1 }));

    expect(check()).to.deep.equal([['warning', 'unscreened', 1]]);
  });
});
