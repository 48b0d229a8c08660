/**
 * A snapshot of the federation for operators: what the dashboard, `fedflow status` and the
 * metrics show. Plain data, built from the round loop, the connected clients and the logs.
 */
import type { TaskKind } from '../../shared/federation/messages.js';
import type { JobSummary } from '../jobs/federation-jobs.js';

export interface SiteStatus {
  /** Fingerprint of the site's signing key. */
  readonly id: string;
  readonly name: string;
  readonly connected: boolean;
  readonly lastSeenMs: number | null;
  /** Training rounds whose combined update holds a delta of this site's. */
  readonly trainingRoundsJoined: number;
  /**
   * The flows the site trained on in its latest training round: a count of the site's data,
   * not a sum over rounds (which counted the same flows once a round). Null before its first
   * delta, and under secure aggregation, whose masked deltas hide it.
   */
  readonly flows: number | null;
  readonly rejectedMessages: number;
}

/** What the aggregation strategy did with one site's delta in a closed training round. */
export interface UpdateStatus {
  readonly site: string;
  /** L2 norm of the delta as received. */
  readonly norm: number;
  /** Cosine between the delta and the round's combined update, in [-1, 1]. */
  readonly cosine: number;
  readonly action: 'kept' | 'clipped' | 'excluded';
  /** Why it was clipped or excluded (or why screening ran weaker than configured); else null. */
  readonly reason: string | null;
  /** The site's share of the combined update; 0 when excluded. */
  readonly weight: number;
}

export interface RoundStatus {
  readonly round: number;
  readonly kind: TaskKind;
  readonly outcome: 'open' | 'closed' | 'failed';
  readonly taskId: string;
  readonly startedMs: number;
  /** Null while open. */
  readonly durationMs: number | null;
  readonly aggregateMs: number | null;
  /** Site names that delivered an accepted result. */
  readonly reported: readonly string[];
  readonly failures: readonly { site: string; reason: string }[];
  /** Why a round with enough results failed all the same (its aggregate overflowed); else null. */
  readonly reason: string | null;
  /** Example-weighted validation loss of the global model at the round's start (training rounds). */
  readonly validationLoss: number | null;
  /** The strategy that combined a closed training round (e.g. 'fedavg+norm-bound'); else null. */
  readonly strategy: string | null;
  /** Per site, in the order results came: empty unless a closed training round. */
  readonly updates: readonly UpdateStatus[];
  /** Under differential privacy, a closed training round: epsilon spent so far, this round included. */
  readonly privacy: { readonly epsilon: number; readonly delta: number } | null;
}

/** Differential privacy of the training rounds: the settings and what has been spent. */
export interface PrivacyStatus {
  readonly noiseMultiplier: number;
  readonly clipNorm: number;
  readonly delta: number;
  /** 0 = no budget. */
  readonly epsilonBudget: number;
  /** Spent by the published training rounds (exact, Gaussian DP). */
  readonly epsilon: number;
  /** The RDP upper bound of the same rounds. */
  readonly rdpEpsilon: number;
  readonly rounds: number;
}

export interface ThresholdHistory {
  readonly modelVersion: number;
  readonly targets: readonly { fpr: number; threshold: number }[];
}

export interface FederationStatus {
  readonly coordinator: {
    readonly name: string;
    readonly fingerprint: string;
    readonly startedMs: number;
  };
  /** The federation job the phase, rounds, model and sites describe: the one running or the last done. */
  readonly job: { readonly id: number; readonly name: string };
  /** Every job: done, running, and requested but waiting for the one before it. */
  readonly jobs: readonly JobSummary[];
  readonly phase: 'encoder' | 'training' | 'calibration' | 'done';
  readonly plannedRounds: number;
  readonly model: {
    readonly version: number;
    readonly sha256: string;
    readonly parameters: number;
  } | null;
  readonly thresholds: readonly ThresholdHistory[];
  /** Null when the federation runs without differential privacy. */
  readonly privacy: PrivacyStatus | null;
  readonly sites: readonly SiteStatus[];
  readonly rounds: readonly RoundStatus[];
  readonly audit: {
    readonly ingressEntries: number;
    readonly accepted: number;
    readonly rejected: number;
    readonly lastEntryHash: string | null;
  };
  readonly updatedMs: number;
}
