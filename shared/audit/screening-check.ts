/**
 * Checks the coordinator's screening entries against the deltas its ingress log accepted:
 * each decision names a delta it really accepted, once, states that delta's norm (when its
 * plaintext was kept), and a round's shares add up. Also totals the decisions per site.
 */
import { decodeClientPayload } from '../wire/payload-codec.js';
import { type AuditEntry, type Finding, SCREENING_TYPE } from './audit-entry.js';
import { keptPlaintext } from './plaintext-copies.js';
import { readDecimal, SCREENING_ACTIONS, type ScreeningAction } from './screening-entry.js';

/** How far a round's weights may sum from 1 (float rounding of the shares). */
const WEIGHT_TOLERANCE = 1e-6;
/** How far a stated norm may be from the recomputed one, relatively (summation order). */
const NORM_TOLERANCE = 1e-9;

export interface ScreeningCheckOptions {
  /** The values of an accepted delta entry's kept plaintext; null when not kept. */
  readonly deltaOf?: (deltaEntry: AuditEntry) => Float32Array | null;
}

/** How the coordinator's strategy screened one site's deltas (its screening entries). */
export interface ScreeningTotals {
  readonly site: string;
  readonly fingerprint: string;
  readonly actions: Record<ScreeningAction, number>;
}

/**
 * Run verifyLog on the ingress log first: this trusts each entry's own fields.
 * - `screening-orphan` (error): no accepted delta before it has its peer, round, taskId,
 *   bytes and sealedSha256: the decision is about a message the coordinator never logged.
 * - `screening-repeat` (error): a second decision on the same delta.
 * - `screening-norm` (error): the delta's kept plaintext has another L2 norm than stated.
 * - `screening-weights` (warning): the weights of one task's decisions do not sum to 1.
 * - `unscreened` (warning): an accepted delta of a task that has decisions, without one
 *   (it arrived as the round closed, or the coordinator could not log its decision).
 * @example checkScreening(verifyLog('state/audit/ingress.jsonl', key).entries, 'ingress.jsonl')
 */
export function checkScreening(
  ingress: readonly AuditEntry[],
  file: string,
  options: ScreeningCheckOptions = {},
): Finding[] {
  return new ScreeningChecker(file, options).run(ingress);
}

/** Reads accepted deltas from the ingress log's kept plaintexts (coordinator keepPlaintext). */
export function keptDelta(ingressFile: string): (entry: AuditEntry) => Float32Array | null {
  return (entry) => {
    const bytes = keptPlaintext(ingressFile, entry);
    try {
      const payload = bytes && decodeClientPayload(bytes);
      return payload && payload.kind === 'delta' ? payload.delta : null;
    } catch {
      return null; // not a payload: no norm to compare with
    }
  };
}

/** Screening decisions per site, by site name. */
export function screeningTotals(
  ingress: readonly AuditEntry[],
  siteName: (fingerprint: string) => string,
): ScreeningTotals[] {
  const bySite = new Map<string, ScreeningTotals>();
  for (const { peer, screening } of ingress) {
    if (!screening || peer === null) continue;
    const none = Object.fromEntries(SCREENING_ACTIONS.map((a) => [a, 0]));
    const totals = bySite.get(peer) ?? {
      site: siteName(peer),
      fingerprint: peer,
      actions: none as Record<ScreeningAction, number>,
    };
    totals.actions[screening.action] += 1;
    bySite.set(peer, totals);
  }
  return [...bySite.values()].sort((a, b) => a.site.localeCompare(b.site));
}

class ScreeningChecker {
  private readonly findings: Finding[] = [];
  /** Accepted deltas by sealedSha256, as far as the log has been read. */
  private readonly accepted = new Map<string, AuditEntry>();
  /** Screening entries by the sealedSha256 they judge. */
  private readonly judged = new Map<string, AuditEntry>();
  private readonly byTask = new Map<string, AuditEntry[]>();

  constructor(
    private readonly file: string,
    private readonly options: ScreeningCheckOptions,
  ) {}

  run(ingress: readonly AuditEntry[]): Finding[] {
    for (const e of ingress) {
      if (e.type === 'delta' && e.outcome === 'accepted') this.accepted.set(e.sealedSha256, e);
      if (e.type === SCREENING_TYPE) this.checkDecision(e);
    }
    this.checkWeights();
    for (const delta of this.accepted.values())
      if (this.byTask.has(delta.taskId!) && !this.judged.has(delta.sealedSha256)) {
        const message = `the delta accepted from ${delta.peer} for round ${delta.round}, task ${JSON.stringify(delta.taskId)} has no screening decision, though others of its task do`;
        this.report(delta, 'warning', 'unscreened', message);
      }
    return this.findings;
  }

  private checkDecision(e: AuditEntry): void {
    const delta = this.accepted.get(e.sealedSha256);
    if (!delta || !sameDelta(delta, e))
      this.report(
        e,
        'error',
        'screening-orphan',
        `${describe(e)} names no delta accepted before it`,
      );
    const values = delta && this.options.deltaOf?.(delta);
    const stated = readDecimal(e.screening?.norm) ?? Number.NaN;
    const norm = values ? l2Norm(values) : stated;
    if (!(Math.abs(norm - stated) <= NORM_TOLERANCE * norm)) {
      const message = `${describe(e)} states norm ${stated}; the kept delta (seq ${delta?.seq}) has norm ${norm}`;
      this.report(e, 'error', 'screening-norm', message);
    }
    const earlier = this.judged.get(e.sealedSha256);
    if (earlier)
      this.report(e, 'error', 'screening-repeat', `${describe(e)} repeats seq ${earlier.seq}`);
    this.judged.set(e.sealedSha256, e);
    this.byTask.set(e.taskId!, [...(this.byTask.get(e.taskId!) ?? []), e]);
  }

  private checkWeights(): void {
    for (const [taskId, decisions] of this.byTask) {
      const total = decisions.reduce((sum, e) => sum + (readDecimal(e.screening?.weight) ?? 0), 0);
      if (Math.abs(total - 1) > WEIGHT_TOLERANCE) {
        const message = `the weights of task ${JSON.stringify(taskId)}'s screening sum to ${total}, not 1`;
        this.report(decisions.at(-1)!, 'warning', 'screening-weights', message);
      }
    }
  }

  private report(e: AuditEntry, severity: Finding['severity'], code: string, message: string) {
    this.findings.push({ severity, file: this.file, line: null, seq: e.seq, code, message });
  }
}

/** As the coordinator's strategies compute it: squares summed in float64, in order. */
function l2Norm(values: Float32Array): number {
  let sum = 0;
  for (const v of values) sum += v * v;
  return Math.sqrt(sum);
}

function sameDelta(delta: AuditEntry, screening: AuditEntry): boolean {
  return (['peer', 'round', 'taskId', 'bytes'] as const).every(
    (field) => delta[field] === screening[field],
  );
}

function describe(e: AuditEntry): string {
  const s = e.screening;
  return `the screening of ${e.peer}'s delta for round ${e.round}, task ${JSON.stringify(e.taskId)} (${s?.action}, sealed ${e.sealedSha256.slice(0, 16)}...)`;
}
