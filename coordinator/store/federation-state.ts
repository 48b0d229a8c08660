/**
 * The coordinator's durable state: which phase the federation is in, the current global
 * model, and a record of every round. Everything needed to resume after a restart.
 */

import type { GlobalModel } from '../../shared/federation/global-model.js';
import type { TaskKind } from '../../shared/federation/messages.js';
import type { ReleaseDelta } from '../../shared/federation/release-delta.js';
import type { PrivacySpent } from '../privacy/gaussian-accountant.js';
import type { ServerState, UpdateReport } from '../strategy/strategy.js';

export type { GlobalModel, ServerState };

/** What screening did with one site's delta in a training round (see UpdateReport). */
export type UpdateRecord = Omit<UpdateReport, 'clientId'>;

export interface RoundRecord {
  readonly round: number;
  readonly kind: TaskKind;
  readonly taskId: string;
  readonly modelVersion: number;
  readonly selected: readonly string[];
  readonly results: readonly {
    clientId: string;
    examples?: number;
    validationLoss?: number;
    flows?: number;
    /** Training rounds: the delta's norm, its cosine to the aggregate, kept/clipped/excluded. */
    update?: UpdateRecord;
  }[];
  readonly failures: readonly { clientId: string; reason: string }[];
  readonly startedMs: number;
  /** Wall time from task start to round close (clients training + transfer). */
  readonly collectMs: number;
  /** Wall time of aggregation / merging on the coordinator. */
  readonly aggregateMs: number;
  /** Example-weighted mean validation loss (training rounds). */
  readonly validationLoss?: number;
  /** The aggregation strategy that combined this training round (e.g. 'fedavg+norm-bound'). */
  readonly strategy?: string;
  /** Under differential privacy: what the published training rounds have spent, this one included. */
  readonly privacy?: PrivacySpent;
  /** 'closed' when it produced a result, 'failed' when too few clients reported or `reason`. */
  readonly outcome: 'closed' | 'failed';
  /** Why a round with enough results still failed (e.g. an aggregate that overflowed). */
  readonly reason?: string;
}

export type FederationPhase = 'encoder' | 'training' | 'calibration' | 'done';

export interface FederationState {
  readonly phase: FederationPhase;
  /** The next training round to run (1-based). */
  readonly nextRound: number;
  readonly model: GlobalModel | null;
  /** The server optimiser's state after the last training round (null when stateless). */
  readonly serverState: ServerState | null;
  /**
   * How the current version was released to sites holding the version before, when releases
   * are quantised: its change and what the quantisation left out (null: a full release).
   */
  readonly release?: ReleaseDelta | null;
  readonly rounds: readonly RoundRecord[];
}

export const INITIAL_STATE: FederationState = {
  phase: 'encoder',
  nextRound: 1,
  model: null,
  serverState: null,
  rounds: [],
};

export interface FederationStore {
  load(): FederationState | null;
  save(state: FederationState): void;
}

/** Keeps state in memory (tests, and simulations that need no restart). */
export class MemoryFederationStore implements FederationStore {
  private state: FederationState | null = null;
  load(): FederationState | null {
    return this.state;
  }
  save(state: FederationState): void {
    this.state = state;
  }
}
