import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { CoordinatorMetrics } from '../../../coordinator/status/coordinator-metrics.js';
import { ScreeningRecorder } from '../../../coordinator/status/screening-recorder.js';
import type { RoundRecord } from '../../../coordinator/store/federation-state.js';
import { AuditLogWriter } from '../../../shared/audit/audit-log-writer.js';
import { verifyLog } from '../../../shared/audit/verify-chain.js';
import { fingerprint } from '../../../shared/crypto/identity.js';
import {
  coordinator,
  fixedClock,
  message,
  receivedFields,
  siteA,
  siteB,
} from '../audit/fixtures.js';
import { tempDir } from '../crypto/fixtures.js';

const A = fingerprint(siteA.signPublicKey);
const B = fingerprint(siteB.signPublicKey);
const names = (id: string) => (id === A ? 'site-a' : id === B ? 'site-b' : id);

/** A closed training round of task t-1 in which norm bounding clipped site B. */
function trainingRound(overrides: Partial<RoundRecord> = {}): RoundRecord {
  return {
    round: 1,
    kind: 'train',
    taskId: 't-1',
    modelVersion: 1,
    selected: [A, B],
    results: [
      { clientId: A, examples: 10, update: { norm: 1, cosine: 0.9, action: 'kept', weight: 0.5 } },
      {
        clientId: B,
        examples: 10,
        update: {
          norm: 90,
          cosine: 0.2,
          action: 'clipped',
          reason: 'norm 90 over 1.5',
          weight: 0.5,
        },
      },
    ],
    failures: [],
    startedMs: 0,
    collectMs: 1,
    aggregateMs: 1,
    strategy: 'fedavg+norm-bound',
    outcome: 'closed',
    ...overrides,
  };
}

describe('ScreeningRecorder', () => {
  let dir: string;
  let path: string;
  let metrics: CoordinatorMetrics;
  let logged: string[];
  let recorder: ScreeningRecorder;
  let ingress: AuditLogWriter;
  beforeEach(() => {
    dir = tempDir();
    path = join(dir, 'ingress.jsonl');
    metrics = new CoordinatorMetrics(() => 0);
    logged = [];
    recorder = new ScreeningRecorder(metrics, names, (line) => logged.push(line));
    ingress = AuditLogWriter.open(path, coordinator, 'ingress', {
      ...fixedClock(),
      onAppend: recorder.observe,
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const accept = (...sites: (typeof siteA)[]) => {
    for (const [i, site] of sites.entries()) {
      const m = message(site, 'delta', 1, `delta ${i}`, i + 1);
      ingress.append(receivedFields(m), m.plaintext);
    }
  };

  it('logs one screening entry per site, naming the accepted delta it judged', () => {
    accept(siteA, siteB);

    recorder.roundEnded(trainingRound(), ingress);

    const { entries, findings } = verifyLog(path, coordinator.signPublicKey);
    expect(findings).to.deep.equal([]);
    const [deltaA, deltaB, screenA, screenB] = entries;
    expect([screenA!.peer, screenA!.sealedSha256, screenA!.screening]).to.deep.equal([
      A,
      deltaA!.sealedSha256,
      { strategy: 'fedavg+norm-bound', norm: '1', cosine: '0.9', action: 'kept', weight: '0.5' },
    ]);
    expect(screenB!.sealedSha256).to.equal(deltaB!.sealedSha256);
    expect(screenB!.screening?.reason).to.equal('norm 90 over 1.5');
    expect(logged).to.deep.equal([]);
  });

  it('warns, writing nothing for it, when a screened delta has no accepted entry', () => {
    accept(siteA);

    recorder.roundEnded(trainingRound(), ingress);

    expect(logged).to.deep.equal([
      "warning: the screening of site-b's delta in round 1 is not in the ingress log: no accepted delta entry to name",
    ]);
    expect(ingress.length).to.equal(2);
  });

  it('reports a failed ingress write in the log instead of stopping the federation', () => {
    accept(siteA, siteB);
    appendFileSync(path, 'an edit behind the writer\n');

    expect(() => recorder.roundEnded(trainingRound(), ingress)).not.to.throw();
    expect(logged).to.have.length(2);
    expect(logged[0]).to.match(
      /^warning: could not log the screening of site-a's delta in round 1/,
    );
  });

  it('forgets the deltas of a round that failed, and screens only closed training rounds', () => {
    accept(siteA, siteB);
    recorder.roundEnded(trainingRound({ outcome: 'failed' }), ingress);

    recorder.roundEnded(trainingRound(), ingress);

    expect(ingress.length).to.equal(2);
    expect(logged).to.have.length(2);
  });

  it('counts screened updates and shows only the last round in the gauges', async () => {
    recorder.roundEnded(trainingRound(), null);
    const onlyA = trainingRound({ round: 2, taskId: 't-2' });
    recorder.roundEnded({ ...onlyA, results: onlyA.results.slice(0, 1) }, null);

    const text = await metrics.text();
    expect(text).to.match(/^fedflow_update_norm\{site="site-a"\} 1$/m);
    expect(text).not.to.match(/^fedflow_update_norm\{site="site-b"\}/m);
    expect(text).to.match(/^fedflow_updates_screened_total\{site="site-a",action="kept"\} 2$/m);
    expect(text).to.match(/^fedflow_updates_screened_total\{site="site-b",action="clipped"\} 1$/m);
  });

  it("shows a resumed federation's last training round in the gauges without counting it", async () => {
    recorder.resume([trainingRound(), trainingRound({ kind: 'calibrate', results: [] })]);

    const text = await metrics.text();
    expect(text).to.match(/^fedflow_update_norm\{site="site-b"\} 90$/m);
    expect(text).to.match(/^fedflow_update_cosine\{site="site-b"\} 0.2$/m);
    expect(text).not.to.match(/^fedflow_updates_screened_total\{/m);
  });
});
