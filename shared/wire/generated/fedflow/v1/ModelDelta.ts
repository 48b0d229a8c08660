// Original file: fedflow/v1/payloads.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A training result: local weights minus the global weights training started from.
 */
export interface ModelDelta {
  /**
   * Global model version the client trained from.
   */
  'modelVersion'?: (number);
  /**
   * Flat weight delta in the order of the published model spec.
   */
  'values'?: (number | string)[];
  /**
   * Training flows used; the FedAvg weight.
   */
  'examples'?: (number | string | Long);
  /**
   * Mean anomaly score on the client's validation split after training, in nats.
   */
  'validationLoss'?: (number | string);
}

/**
 * A training result: local weights minus the global weights training started from.
 */
export interface ModelDelta__Output {
  /**
   * Global model version the client trained from.
   */
  'modelVersion': (number);
  /**
   * Flat weight delta in the order of the published model spec.
   */
  'values': (number)[];
  /**
   * Training flows used; the FedAvg weight.
   */
  'examples': (number);
  /**
   * Mean anomaly score on the client's validation split after training, in nats.
   */
  'validationLoss': (number);
}
