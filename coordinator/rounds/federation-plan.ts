/** What a federation run does: its rounds, participation rules and model settings. */
import type { EncoderFitOptions } from '../../shared/encoding/fit-encoder.js';
import type { KAnonymityFloor } from '../../shared/federation/encoder-round.js';
import { type LocalTrainingSettings, MAX_SKETCH_VALUES } from '../../shared/federation/messages.js';
import type { FlowSchema } from '../../shared/flows/schema.js';
import type { ArchitectureSpec, ModelKind } from '../../shared/model/model-spec.js';

export interface FederationPlan {
  /** The flow schema every site reads (fixes the model's fields). */
  readonly schema: FlowSchema;
  readonly rounds: number;
  /** How every site trains in a training round (published with each task). */
  readonly training: LocalTrainingSettings;
  /** No task starts with fewer connected clients; no round closes with fewer results. */
  readonly minClients: number;
  /** Results that close a round early: a fraction (0 < q <= 1) of the selected clients, or a count (> 1). */
  readonly quorum: number;
  /** How long a task may take before the round closes with what arrived. */
  readonly roundTimeoutMs: number;
  /** How long to wait for `minClients` to connect before a task. */
  readonly waitForClientsMs: number;
  readonly kAnonymity: KAnonymityFloor;
  /** Sites drop categorical values rarer than this before sending a sketch. */
  readonly siteMinCategoryCount: number;
  /** The most rows a site's sketch may declare (what it may later claim as examples). */
  readonly maxSiteRows: number;
  readonly encoderFit: EncoderFitOptions;
  readonly architecture: ArchitectureSpec;
  /**
   * The version of the job's first model (absent = 1): a later federation job on the same
   * coordinator continues the versions of the job before it (coordinator/jobs).
   */
  readonly firstVersion?: number;
  /** The kind of the first global model; absent = 'categorical-vae'. */
  readonly modelKind?: ModelKind;
  readonly seed: number;
  readonly targetFprs: readonly number[];
  /** Client-level differential privacy of the training rounds; absent or null = none. */
  readonly privacy?: PrivacyPlan | null;
  /** Training rounds by secure aggregation (the coordinator sees only sums); absent or null = off. */
  readonly secureAggregation?: SecureAggregationPlan | null;
}

export interface SecureAggregationPlan {
  /** Neighbours of each site in the SecAgg+ graph; 0 = every other site. */
  readonly neighbours: number;
  /** Shares that rebuild a secret; 0 = a strict majority of its holders. */
  readonly threshold: number;
  /** Each delta value is clipped to +-bound at the site before it is weighted and masked. */
  readonly bound: number;
  /** Deadline of the steps that do no training (keys, shares, unmasking). */
  readonly stepTimeoutMs: number;
}

/** DP-FedAvg's settings as the round protocol accounts for them (the strategy adds the noise). */
export interface PrivacyPlan {
  readonly noiseMultiplier: number;
  readonly clipNorm: number;
  readonly delta: number;
  /** Training stops before a round would spend more than this epsilon; 0 = no budget. */
  readonly epsilonBudget: number;
  /**
   * The privacy load (sum of 1 / sigma^2, gaussian-accountant.ts) of the training rounds that
   * earlier federation jobs on this coordinator published under differential privacy: the
   * same sites, so this job's epsilon and budget count them too (absent = none).
   */
  readonly earlierLoad?: number;
}

/**
 * How many values of a categorical field a site may send in its sketch: 4 times the encoder's
 * vocabulary, so a value just outside one site's own top list but frequent across sites still
 * reaches the merge, and never more than the protocol's MAX_SKETCH_VALUES.
 */
export function sketchValueLimit(plan: FederationPlan): number {
  return Math.min(MAX_SKETCH_VALUES, 4 * plan.encoderFit.maxVocabulary);
}

/** Results needed to close a round early among `selected` clients. */
export function quorumCount(plan: FederationPlan, selected: number): number {
  const wanted = plan.quorum > 1 ? Math.floor(plan.quorum) : Math.ceil(plan.quorum * selected);
  return Math.max(plan.minClients, Math.min(selected, wanted));
}
