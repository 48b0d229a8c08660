// Original file: fedflow/v1/payloads.proto

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
   * Flat weights, float32 little-endian, in the order of the spec.
   */
  'weights'?: (Buffer | Uint8Array | string);
  /**
   * Shared anomaly thresholds as JSON (empty before the first calibration).
   */
  'thresholdsJson'?: (string);
  /**
   * When the coordinator built this release, epoch milliseconds.
   */
  'createdUnixMs'?: (number | string | Long);
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
   * Flat weights, float32 little-endian, in the order of the spec.
   */
  'weights': (Buffer);
  /**
   * Shared anomaly thresholds as JSON (empty before the first calibration).
   */
  'thresholdsJson': (string);
  /**
   * When the coordinator built this release, epoch milliseconds.
   */
  'createdUnixMs': (number);
}
