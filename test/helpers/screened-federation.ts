/**
 * A finished federation whose training rounds clipped one site's update, for status, metrics,
 * dashboard and audit tests: three sites under norm bounding at 1.5x the median norm, site-c
 * sending its delta x100. The real round loop runs over scripted proxies (real sketches and
 * histograms from site workers, scripted deltas); each delta is sealed and logged as accepted
 * in a real ingress log as the coordinator's service does, and the screening is recorded,
 * counted and shown as the coordinator wires it (cli/roles/coordinator.ts).
 */

import { join } from 'node:path';
import type { FederationJob } from '../../coordinator/jobs/federation-jobs.js';
import { FederationLoop } from '../../coordinator/rounds/federation-loop.js';
import type { FederationPlan, PrivacyPlan } from '../../coordinator/rounds/federation-plan.js';
import { CoordinatorMetrics } from '../../coordinator/status/coordinator-metrics.js';
import type { FederationStatus } from '../../coordinator/status/federation-status.js';
import { ScreeningRecorder } from '../../coordinator/status/screening-recorder.js';
import { SiteActivity } from '../../coordinator/status/site-activity.js';
import { siteNames, statusBuilder } from '../../coordinator/status/status-builder.js';
import { MemoryFederationStore } from '../../coordinator/store/federation-state.js';
import { gaussianFrom } from '../../coordinator/strategy/gaussian-noise.js';
import { createStrategy } from '../../coordinator/strategy/strategy-factory.js';
import { DEFAULT_STRATEGY } from '../../coordinator/strategy/strategy-settings.js';
import { sha256Hex } from '../../shared/audit/audit-entry.js';
import { AuditLogWriter } from '../../shared/audit/audit-log-writer.js';
import { seededUniform } from '../../shared/codec/stochastic-rounding.js';
import { fingerprint, generateIdentity, type Identity } from '../../shared/crypto/identity.js';
import { sealEnvelope } from '../../shared/crypto/sealed-envelope.js';
import type { ClientPayload, Task } from '../../shared/federation/messages.js';
import { zeekSchema } from '../../shared/flows/format-schema.js';
import { writeSyntheticConnLog } from '../../shared/flows/synth/index.js';
import { encodeClientPayload, encodeSealedEnvelope } from '../../shared/wire/payload-codec.js';
import { siteWorker } from './federation-fixture.js';
import { StaticRegistry, scriptedProxy } from './memory-federation.js';
import { TEST_TRAINING } from './tasks.js';

/** The site whose every delta is 100x the others'. */
export const OUTLIER = 'site-c';
export const SCREENED_STRATEGY = 'fedavg+norm-bound';

export interface ScreenedFederation {
  readonly status: () => FederationStatus;
  readonly metrics: CoordinatorMetrics;
  readonly ingressPath: string;
  readonly coordinator: Identity;
  readonly sites: readonly Identity[];
}

/**
 * A small federation of 3 sites on synthetic Zeek logs: a model of 16 hidden units and 4
 * components, 2 rounds of the tests' local training. Tests vary it by spreading.
 */
export const SMALL_PLAN: FederationPlan = {
  schema: zeekSchema(),
  rounds: 2,
  training: TEST_TRAINING,
  minClients: 3,
  quorum: 3,
  roundTimeoutMs: 60_000,
  waitForClientsMs: 5_000,
  kAnonymity: { minSites: 1, minRecords: 5 },
  siteMinCategoryCount: 3,
  maxSiteRows: 1_000_000,
  encoderFit: { minCategoryCount: 3, maxVocabulary: 64, numericBins: 8 },
  architecture: {
    hidden: [16],
    latent: { kind: 'mixture', components: 4, temperature: { start: 1, end: 0.5 } },
  },
  seed: 1,
  targetFprs: [0.01],
};

/**
 * Runs the federation to its end in `dir` (synthetic logs and the ingress log live there).
 * With `privacy`, DP-FedAvg combines the rounds instead (seeded noise), as a coordinator whose
 * `privacy.noiseMultiplier` is set does, and the accountant's spending is shown and logged.
 */
export async function runScreenedFederation(
  dir: string,
  privacy: PrivacyPlan | null = null,
): Promise<ScreenedFederation> {
  const coordinator = generateIdentity('coordinator', 'coordinator');
  const sites = ['site-a', 'site-b', OUTLIER].map((name) => generateIdentity('client', name));
  const metrics = new CoordinatorMetrics(() => sites.length);
  const recorder = new ScreeningRecorder(metrics, siteNames({ sites }), () => {});
  const ingressPath = join(dir, 'coordinator', 'audit', 'ingress.jsonl');
  const ingress = AuditLogWriter.open(ingressPath, coordinator, 'ingress', {
    keepPlaintext: true,
    onAppend: recorder.observe,
  });
  let loop: FederationLoop | null = null;
  const proxies = await Promise.all(
    sites.map(async (site, i) => {
      const file = join(dir, `${site.name}.log`);
      await writeSyntheticConnLog(file, { profile: 'web', flows: 800, seed: 40 + i });
      const worker = siteWorker(file, i + 1);
      return scriptedProxy(fingerprint(site.signPublicKey), async (task) => {
        const payload =
          task.kind === 'train'
            ? scriptedDelta(task, loop!.current!.weights.length, i, site.name === OUTLIER ? 100 : 1)
            : await worker.run(task, loop!.current);
        logAccepted(ingress, coordinator, site, task, payload);
        return payload;
      });
    }),
  );
  const registry = new StaticRegistry(proxies);
  const strategy = createStrategy(
    {
      ...DEFAULT_STRATEGY,
      screening: privacy
        ? { ...DEFAULT_STRATEGY.screening, method: 'none' }
        : { ...DEFAULT_STRATEGY.screening, method: 'norm-bound', normBound: 1.5 },
      privacy,
    },
    () => gaussianFrom(seededUniform(5)),
  );
  const plan = { ...SMALL_PLAN, privacy };
  loop = new FederationLoop(plan, registry, strategy, new MemoryFederationStore(), {
    onRound: (record) => {
      if (record.privacy) metrics.privacySpent(record.privacy, privacy?.epsilonBudget ?? 0);
      recorder.roundEnded(record, ingress);
    },
  });
  await loop.run();
  const status = statusBuilder({
    identity: coordinator,
    startedMs: Date.now(),
    allowList: { sites },
    jobs: {
      current: { id: 1, name: 'as configured', plan, loop } as FederationJob,
      summaries: () => [],
    },
    clients: registry,
    activity: new SiteActivity(),
    ingress,
  });
  return { status, metrics, ingressPath, coordinator, sites };
}

/**
 * A small deterministic delta: a direction all sites share plus one of the site's own (so
 * cosines differ), `scale` times larger for the outlier.
 */
function scriptedDelta(task: Task, length: number, site: number, scale: number): ClientPayload {
  const delta = new Float32Array(length);
  for (let i = 0; i < length; i++)
    delta[i] = scale * 1e-3 * (Math.sin(i + task.round) + 0.5 * Math.sin(3.7 * i * (site + 1)));
  return {
    kind: 'delta',
    modelVersion: task.modelVersion,
    delta,
    examples: 500,
    validationLoss: 9,
  };
}

/** What the coordinator's service logs for an accepted result: sealed, digested, plaintext kept. */
function logAccepted(
  ingress: AuditLogWriter,
  coordinator: Identity,
  site: Identity,
  task: Task,
  payload: ClientPayload,
): void {
  const plaintext = encodeClientPayload(payload);
  const context = { kind: payload.kind, round: task.round, taskId: task.taskId };
  const sealed = encodeSealedEnvelope(
    sealEnvelope(site, coordinator.boxPublicKey, context, plaintext),
  );
  ingress.append(
    {
      peer: fingerprint(site.signPublicKey),
      type: payload.kind,
      round: task.round,
      taskId: task.taskId,
      bytes: sealed.length,
      sealedSha256: sha256Hex(sealed),
      outcome: 'accepted',
    },
    plaintext,
  );
}
