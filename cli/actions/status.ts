/** What `fedflow status` does (its options: cli/commands/status.ts). */
import type {
  FederationStatus,
  PrivacyStatus,
  RoundStatus,
} from '../../coordinator/status/federation-status.js';
import { formatTable } from '../../shared/stats/report-table.js';

export interface StatusOptions {
  coordinator: string;
  token?: string;
  json?: boolean;
}

const ago = (ms: number | null) =>
  ms === null ? '-' : `${Math.max(0, Math.round((Date.now() - ms) / 1000))} s ago`;

/** One line: epsilon spent (of the budget) and the settings behind it. */
function formatPrivacy(p: PrivacyStatus): string {
  const budget = p.epsilonBudget > 0 ? ` of the budget ${p.epsilonBudget}` : ' (no budget)';
  return `privacy: epsilon ${p.epsilon.toFixed(3)}${budget} at delta ${p.delta} after ${p.rounds} rounds (noise multiplier ${p.noiseMultiplier}, clip norm ${p.clipNorm}; RDP bound ${p.rdpEpsilon.toFixed(3)})`;
}

/** Every job, when there is more than the configured one, and why any was refused. */
function formatJobs(jobs: FederationStatus['jobs']): string {
  const refusals = jobs.flatMap((j) => (j.reason ? [`job ${j.id} refused: ${j.reason}`] : []));
  return [
    formatTable(
      ['job', 'name', 'model kind', 'rounds', 'phase', 'model'],
      jobs.map((j) => [
        j.id,
        j.name,
        j.modelKind,
        Number.isFinite(j.plannedRounds) ? j.plannedRounds : '-',
        j.phase,
        j.modelVersion === null ? '-' : `v${j.modelVersion}`,
      ]),
    ),
    ...refusals,
  ].join('\n');
}

export function formatStatus(s: FederationStatus): string {
  const model = s.model
    ? `v${s.model.version} sha256 ${s.model.sha256.slice(0, 16)} (${s.model.parameters} parameters)`
    : 'none yet';
  const lines = [
    `coordinator ${s.coordinator.name} (${s.coordinator.fingerprint}), job ${s.job.id} (${s.job.name}), phase ${s.phase}, ${s.plannedRounds} training rounds planned`,
    `model: ${model}`,
    `audit: ${s.audit.ingressEntries} ingress entries, ${s.audit.accepted} accepted, ${s.audit.rejected} rejected`,
    ...(s.privacy ? [formatPrivacy(s.privacy)] : []),
    ...(s.jobs.length > 1 ? ['', formatJobs(s.jobs)] : []),
    '',
    formatTable(
      ['site', 'id', 'connected', 'last seen', 'training rounds', 'flows', 'rejected'],
      s.sites.map((x) => [
        x.name,
        x.id,
        x.connected ? 'yes' : 'no',
        ago(x.lastSeenMs),
        x.trainingRoundsJoined,
        x.flows ?? '-',
        x.rejectedMessages,
      ]),
    ),
    '',
    formatTable(
      ['round', 'task', 'outcome', 'reported', 'failed', 'val loss', 'seconds'],
      s.rounds.map((r) => [
        r.round,
        r.kind,
        r.outcome,
        r.reported.length,
        r.failures.length,
        r.validationLoss === null ? '-' : r.validationLoss.toFixed(3),
        r.durationMs === null ? '-' : (r.durationMs / 1000).toFixed(1),
      ]),
    ),
  ];
  const screened = [...s.rounds].reverse().find((r) => r.updates.length > 0);
  if (screened) lines.push('', updatesTable(screened));
  for (const t of s.thresholds)
    lines.push(
      `thresholds v${t.modelVersion}: ${t.targets.map((x) => `FPR ${x.fpr} -> ${x.threshold.toFixed(3)}`).join(', ')}`,
    );
  return lines.join('\n');
}

/** A training round's per-site updates: norm, cosine, share, and why one was clipped or excluded. */
function updatesTable(round: RoundStatus): string {
  const header = `updates in training round ${round.round} (strategy ${round.strategy ?? 'unknown'}):`;
  const rows = round.updates.map((u) => [
    u.site,
    u.norm,
    u.cosine,
    u.weight,
    u.action,
    u.action === 'kept' ? '' : (u.reason ?? ''),
  ]);
  const table = formatTable(['site', 'norm', 'cosine', 'weight', 'action', 'reason'], rows);
  return `${header}\n${table}`;
}

export async function printStatus(options: StatusOptions): Promise<void> {
  const token = options.token ?? process.env.FEDFLOW_DASHBOARD_TOKEN ?? '';
  const url = `http://${options.coordinator}/api/status`;
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(10_000),
  }).catch((error: Error) => {
    throw new Error(
      `cannot reach ${url}: ${error.cause instanceof Error ? error.cause.message : error.message}`,
    );
  });
  if (response.status === 401) throw new Error(`${url}: the dashboard refused the token (401)`);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const status = (await response.json()) as FederationStatus;
  process.stdout.write(
    `${options.json ? JSON.stringify(status, null, 2) : formatStatus(status)}\n`,
  );
}
