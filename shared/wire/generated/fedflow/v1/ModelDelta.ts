// Original file: fedflow/v1/payloads.proto

import type { Float32Vector as _fedflow_v1_Float32Vector, Float32Vector__Output as _fedflow_v1_Float32Vector__Output } from '../../fedflow/v1/Float32Vector.js';
import type { QuantizedVector as _fedflow_v1_QuantizedVector, QuantizedVector__Output as _fedflow_v1_QuantizedVector__Output } from '../../fedflow/v1/QuantizedVector.js';
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
   * Training flows used; the FedAvg weight.
   */
  'examples'?: (number | string | Long);
  /**
   * Mean anomaly score on the client's validation split after training, in nats.
   */
  'validationLoss'?: (number | string);
  /**
   * Flat weight delta in the order of the published model spec, when the round asks for
   * 32-bit updates; empty otherwise.
   */
  'delta'?: (_fedflow_v1_Float32Vector | null);
  /**
   * The same delta quantised, when the round asks for 8- or 4-bit updates (exactly one of
   * delta and quantized_delta is set).
   */
  'quantizedDelta'?: (_fedflow_v1_QuantizedVector | null);
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
   * Training flows used; the FedAvg weight.
   */
  'examples': (number);
  /**
   * Mean anomaly score on the client's validation split after training, in nats.
   */
  'validationLoss': (number);
  /**
   * Flat weight delta in the order of the published model spec, when the round asks for
   * 32-bit updates; empty otherwise.
   */
  'delta': (_fedflow_v1_Float32Vector__Output | null);
  /**
   * The same delta quantised, when the round asks for 8- or 4-bit updates (exactly one of
   * delta and quantized_delta is set).
   */
  'quantizedDelta': (_fedflow_v1_QuantizedVector__Output | null);
}
