/** The global model as the coordinator publishes it and clients use it: one version of it. */
import type { ModelSpec } from '../model/model-spec.js';
import type { ThresholdSet } from '../model/thresholds.js';

export interface GlobalModel {
  readonly version: number;
  readonly spec: ModelSpec;
  readonly weights: Float32Array;
  /** Shared thresholds, once federated calibration has placed them. */
  readonly thresholds: ThresholdSet | null;
}
