/** Builds the operator's snapshot of a running coordinator from its parts. */
import type { AuditLogWriter } from '../../shared/audit/audit-log-writer.js';
import { fingerprint, type Identity, type PublicIdentity } from '../../shared/crypto/identity.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import { weightsSha256 } from '../../shared/model/model-dir.js';
import type { AllowList } from '../enrolment/allow-list.js';
import type { FederationJobs } from '../jobs/federation-jobs.js';
import type { ClientRegistry } from '../rounds/client-proxy.js';
import type { PrivacyPlan } from '../rounds/federation-plan.js';
import type { RoundRecord } from '../store/federation-state.js';
import type {
  FederationStatus,
  PrivacyStatus,
  RoundStatus,
  ThresholdHistory,
  UpdateStatus,
} from './federation-status.js';
import type { SiteActivity } from './site-activity.js';

export interface StatusSources {
  readonly identity: Identity;
  readonly startedMs: number;
  /** The sites allowed now (it may change while the coordinator runs). */
  readonly allowList: Pick<AllowList, 'sites'>;
  /** The job whose rounds the status shows (the one running, or the last one done), and all of them. */
  readonly jobs: Pick<FederationJobs, 'current' | 'summaries'>;
  readonly clients: Pick<ClientRegistry, 'connected'>;
  readonly activity: SiteActivity;
  readonly ingress: AuditLogWriter | null;
}

/** A site's name on the allow-list, by the fingerprint of its key (the fingerprint if unlisted). */
export function siteNames(allowList: Pick<AllowList, 'sites'>): (id: string) => string {
  let listed: readonly PublicIdentity[] | null = null;
  const names = new Map<string, string>();
  // Grown when the list is replaced: a site enrolled while running gets its name, and a
  // revoked one keeps it for the rounds it took part in.
  return (id) => {
    if (listed !== allowList.sites) {
      listed = allowList.sites;
      for (const p of listed) names.set(fingerprint(p.signPublicKey), p.name);
    }
    return names.get(id) ?? id;
  };
}

/** The per-site screening of a closed training round (none for other rounds, or older records). */
export function updateStatuses(record: RoundRecord, name: (id: string) => string): UpdateStatus[] {
  return record.results.flatMap(({ clientId, update }) =>
    update
      ? [
          {
            site: name(clientId),
            norm: update.norm,
            cosine: update.cosine,
            action: update.action,
            reason: update.reason ?? null,
            weight: update.weight,
          },
        ]
      : [],
  );
}

function roundStatus(r: RoundRecord, name: (id: string) => string): RoundStatus {
  return {
    round: r.round,
    kind: r.kind,
    outcome: r.outcome,
    taskId: r.taskId,
    startedMs: r.startedMs,
    durationMs: r.collectMs,
    aggregateMs: r.aggregateMs,
    reported: r.results.map((x) => name(x.clientId)),
    failures: r.failures.map((f) => ({ site: name(f.clientId), reason: f.reason })),
    reason: r.reason ?? null,
    validationLoss: r.validationLoss ?? null,
    strategy: r.strategy ?? null,
    updates: updateStatuses(r, name),
    privacy: r.privacy ? { epsilon: r.privacy.epsilon, delta: r.privacy.delta } : null,
  };
}

/** The privacy settings and what the last published training round had spent (0 before one). */
function privacyStatus(
  plan: PrivacyPlan | null | undefined,
  rounds: readonly RoundRecord[],
): PrivacyStatus | null {
  if (!plan) return null;
  const last = [...rounds].reverse().find((r) => r.privacy !== undefined)?.privacy;
  return {
    ...plan,
    epsilon: last?.epsilon ?? 0,
    rdpEpsilon: last?.rdpEpsilon ?? 0,
    rounds: last?.rounds ?? 0,
  };
}

export function statusBuilder(sources: StatusSources): () => FederationStatus {
  const name = siteNames(sources.allowList);
  let digest: { version: number; sha256: string } | null = null;
  const thresholds = new Map<number, ThresholdHistory>();
  const modelFacts = (model: GlobalModel) => {
    if (digest?.version !== model.version)
      digest = { version: model.version, sha256: weightsSha256(model.weights) };
    if (model.thresholds)
      thresholds.set(model.version, {
        modelVersion: model.version,
        targets: model.thresholds.targets,
      });
    return { version: model.version, sha256: digest.sha256, parameters: model.weights.length };
  };
  return () => {
    const { clients, activity } = sources;
    const { loop, plan, id, name: jobName } = sources.jobs.current;
    const connected = new Set(clients.connected().map((c) => c.id));
    const now = Date.now();
    const rounds: RoundStatus[] = loop.rounds.map((r) => roundStatus(r, name));
    const open = loop.openRound;
    if (open)
      rounds.push({
        round: open.round,
        kind: open.kind,
        outcome: 'open',
        taskId: open.taskId,
        startedMs: open.startedMs,
        durationMs: null,
        aggregateMs: null,
        reported: [],
        failures: [],
        reason: null,
        validationLoss: null,
        strategy: null,
        updates: [],
        privacy: null,
      });
    const sites = sources.allowList.sites.map((p) => {
      const id = fingerprint(p.signPublicKey);
      const trained = loop.rounds.filter(
        (r) => r.kind === 'train' && r.results.some((x) => x.clientId === id),
      );
      // Only a delta says how many flows it was trained on (a masked one hides it).
      const flows = trained.at(-1)?.results.find((x) => x.clientId === id)?.examples ?? null;
      return {
        id,
        name: p.name,
        connected: connected.has(id),
        lastSeenMs: connected.has(id) ? now : (activity.lastSeenMs.get(id) ?? null),
        trainingRoundsJoined: trained.length,
        flows,
        rejectedMessages: activity.rejectedBySite.get(id) ?? 0,
      };
    });
    const model = loop.current ? modelFacts(loop.current) : null;
    return {
      coordinator: {
        name: sources.identity.name,
        fingerprint: fingerprint(sources.identity.signPublicKey),
        startedMs: sources.startedMs,
      },
      job: { id, name: jobName },
      jobs: sources.jobs.summaries(),
      phase: loop.phase,
      plannedRounds: plan.rounds,
      model,
      thresholds: [...thresholds.values()],
      privacy: privacyStatus(plan.privacy, loop.rounds),
      sites,
      rounds,
      audit: {
        ingressEntries: sources.ingress?.length ?? 0,
        accepted: activity.accepted,
        rejected: activity.rejected,
        lastEntryHash: sources.ingress?.head ?? null,
      },
      updatedMs: now,
    };
  };
}
