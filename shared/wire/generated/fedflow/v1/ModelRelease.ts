// Original file: fedflow/v1/payloads.proto

import type { Float32Vector as _fedflow_v1_Float32Vector, Float32Vector__Output as _fedflow_v1_Float32Vector__Output } from '../../fedflow/v1/Float32Vector.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A global model as the coordinator publishes it. Its serialised bytes are signed by the
 * coordinator and streamed to clients in Chunk messages.
 */
export interface ModelRelease {
  /**
   * Global model version, from 1.
   */
  'version'?: (number);
  /**
   * Model spec (encoder spec and layer sizes) as JSON, parsed by the model module.
   */
  'specJson'?: (string);
  /**
   * Shared anomaly thresholds as JSON (empty before the first calibration).
   */
  'thresholdsJson'?: (string);
  /**
   * When the coordinator built this release, epoch milliseconds.
   */
  'createdUnixMs'?: (number | string | Long);
  /**
   * Flat weights in the order of the spec.
   */
  'weights'?: (_fedflow_v1_Float32Vector | null);
}

/**
 * A global model as the coordinator publishes it. Its serialised bytes are signed by the
 * coordinator and streamed to clients in Chunk messages.
 */
export interface ModelRelease__Output {
  /**
   * Global model version, from 1.
   */
  'version': (number);
  /**
   * Model spec (encoder spec and layer sizes) as JSON, parsed by the model module.
   */
  'specJson': (string);
  /**
   * Shared anomaly thresholds as JSON (empty before the first calibration).
   */
  'thresholdsJson': (string);
  /**
   * When the coordinator built this release, epoch milliseconds.
   */
  'createdUnixMs': (number);
  /**
   * Flat weights in the order of the spec.
   */
  'weights': (_fedflow_v1_Float32Vector__Output | null);
}
