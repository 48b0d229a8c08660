/**
 * A snapshot of the federation for operators: what the dashboard, `fedflow status` and the
 * metrics show. Plain data, built from the round loop, the connected clients and the logs.
 */

export interface SiteStatus {
  /** Fingerprint of the site's signing key. */
  readonly id: string;
  readonly name: string;
  readonly connected: boolean;
  readonly lastSeenMs: number | null;
  readonly roundsJoined: number;
  readonly examplesContributed: number;
  readonly rejectedMessages: number;
}

export interface RoundStatus {
  readonly round: number;
  readonly kind: 'sketch' | 'train' | 'calibrate';
  readonly outcome: 'open' | 'closed' | 'failed';
  readonly taskId: string;
  readonly startedMs: number;
  /** Null while open. */
  readonly durationMs: number | null;
  readonly aggregateMs: number | null;
  /** Site names that delivered an accepted result. */
  readonly reported: readonly string[];
  readonly failures: readonly { site: string; reason: string }[];
  /** Example-weighted validation loss of the global model at the round's start (training rounds). */
  readonly validationLoss: number | null;
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
  readonly phase: 'encoder' | 'training' | 'calibration' | 'done';
  readonly plannedRounds: number;
  readonly model: {
    readonly version: number;
    readonly sha256: string;
    readonly parameters: number;
  } | null;
  readonly thresholds: readonly ThresholdHistory[];
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
