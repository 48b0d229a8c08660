/**
 * When a training round closes, records what the strategy did with each site's delta: one
 * signed screening entry per site in the ingress log (naming the accepted delta it judged),
 * and the update metrics.
 */
import { type AuditEntry, SCREENING_TYPE } from '../../shared/audit/audit-entry.js';
import type { AuditLogWriter } from '../../shared/audit/audit-log-writer.js';
import { toAuditScreening } from '../../shared/audit/screening-entry.js';
import type { RoundRecord, UpdateRecord } from '../store/federation-state.js';
import type { CoordinatorMetrics } from './coordinator-metrics.js';
import { updateStatuses } from './status-builder.js';

/**
 * Rounds run one at a time, so the accepted deltas it remembers are those of the round now
 * open; it forgets them whenever a round ends.
 * @example
 * const recorder = new ScreeningRecorder(metrics, siteName, log);
 * const ingress = AuditLogWriter.open(path, identity, 'ingress', { onAppend: recorder.observe });
 * // in the loop's onRound: recorder.roundEnded(record, ingress);
 */
export class ScreeningRecorder {
  /** Accepted delta entries of the open round, by `taskId site`. */
  private readonly deltas = new Map<string, AuditEntry>();

  constructor(
    private readonly metrics: CoordinatorMetrics,
    private readonly siteName: (id: string) => string,
    private readonly log: (line: string) => void,
  ) {}

  /** For the ingress log's onAppend: remembers each accepted delta's entry. */
  readonly observe = (entry: AuditEntry): void => {
    if (entry.type === 'delta' && entry.outcome === 'accepted' && entry.peer !== null)
      this.deltas.set(`${entry.taskId} ${entry.peer}`, entry);
  };

  /** Shows a resumed federation's last closed training round in the gauges. */
  resume(rounds: readonly RoundRecord[]): void {
    const last = [...rounds].reverse().find((r) => r.kind === 'train' && r.outcome === 'closed');
    if (last) this.metrics.lastUpdates(updateStatuses(last, this.siteName));
  }

  /** For the loop's onRound: logs and counts a closed training round's screening. */
  roundEnded(record: RoundRecord, ingress: AuditLogWriter | null): void {
    if (record.kind === 'train' && record.outcome === 'closed') {
      this.metrics.screened(updateStatuses(record, this.siteName));
      for (const { clientId, update } of record.results)
        if (update && ingress) this.append(record, clientId, update, ingress);
    }
    this.deltas.clear();
  }

  private append(
    record: RoundRecord,
    clientId: string,
    update: UpdateRecord,
    ingress: AuditLogWriter,
  ): void {
    const what = `the screening of ${this.siteName(clientId)}'s delta in round ${record.round}`;
    const delta = this.deltas.get(`${record.taskId} ${clientId}`);
    if (!delta) {
      this.log(`warning: ${what} is not in the ingress log: no accepted delta entry to name`);
      return;
    }
    try {
      ingress.append({
        peer: clientId,
        type: SCREENING_TYPE,
        round: delta.round,
        taskId: delta.taskId,
        bytes: delta.bytes,
        plaintextSha256: null,
        sealedSha256: delta.sealedSha256,
        outcome: 'screened',
        screening: toAuditScreening({
          ...update,
          strategy: record.strategy ?? 'unknown',
          privacy: record.privacy,
        }),
      });
    } catch (error) {
      // The round is already committed: a failed audit write must not stop the federation.
      this.log(`warning: could not log ${what} in the ingress log: ${(error as Error).message}`);
    }
  }
}
