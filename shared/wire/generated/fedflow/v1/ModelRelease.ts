// Original file: fedflow/v1/payloads.proto

import type { Float32Vector as _fedflow_v1_Float32Vector, Float32Vector__Output as _fedflow_v1_Float32Vector__Output } from '../../fedflow/v1/Float32Vector.js';
import type { QuantizedVector as _fedflow_v1_QuantizedVector, QuantizedVector__Output as _fedflow_v1_QuantizedVector__Output } from '../../fedflow/v1/QuantizedVector.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A global model as the coordinator publishes it. Its serialised bytes are signed by the
 * coordinator and streamed to clients in Chunk messages. Either full (weights set, base_version
 * 0) or relative to a version the client said it holds (base_version set): then the weights
 * are the base's weights plus the dequantised weights_delta, added in float32 value by value
 * (or the base's weights as they are, without weights_delta: a release that only adds
 * thresholds), and spec_json may be empty (the base's spec). weights_sha256 is set on both
 * forms, so the signature covers the weights the client ends up with.
 */
export interface ModelRelease {
  /**
   * Global model version, from 1.
   */
  'version'?: (number);
  /**
   * Model spec (encoder spec and layer sizes) as JSON, parsed by the model module; empty in a
   * release relative to a base (the spec is the base's).
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
   * Flat weights in the order of the spec; empty in a release relative to a base.
   */
  'weights'?: (_fedflow_v1_Float32Vector | null);
  /**
   * The version this release is relative to (0 = a full release).
   */
  'baseVersion'?: (number);
  /**
   * The change from the base's weights, quantised (8 or 4 bits, in blocks).
   */
  'weightsDelta'?: (_fedflow_v1_QuantizedVector | null);
  /**
   * SHA-256 of the released weights (float32 little-endian), as the client must reconstruct them.
   */
  'weightsSha256'?: (Buffer | Uint8Array | string);
  /**
   * SHA-256 of the base's weights, for a release relative to a base.
   */
  'baseWeightsSha256'?: (Buffer | Uint8Array | string);
}

/**
 * A global model as the coordinator publishes it. Its serialised bytes are signed by the
 * coordinator and streamed to clients in Chunk messages. Either full (weights set, base_version
 * 0) or relative to a version the client said it holds (base_version set): then the weights
 * are the base's weights plus the dequantised weights_delta, added in float32 value by value
 * (or the base's weights as they are, without weights_delta: a release that only adds
 * thresholds), and spec_json may be empty (the base's spec). weights_sha256 is set on both
 * forms, so the signature covers the weights the client ends up with.
 */
export interface ModelRelease__Output {
  /**
   * Global model version, from 1.
   */
  'version': (number);
  /**
   * Model spec (encoder spec and layer sizes) as JSON, parsed by the model module; empty in a
   * release relative to a base (the spec is the base's).
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
   * Flat weights in the order of the spec; empty in a release relative to a base.
   */
  'weights': (_fedflow_v1_Float32Vector__Output | null);
  /**
   * The version this release is relative to (0 = a full release).
   */
  'baseVersion': (number);
  /**
   * The change from the base's weights, quantised (8 or 4 bits, in blocks).
   */
  'weightsDelta': (_fedflow_v1_QuantizedVector__Output | null);
  /**
   * SHA-256 of the released weights (float32 little-endian), as the client must reconstruct them.
   */
  'weightsSha256': (Buffer);
  /**
   * SHA-256 of the base's weights, for a release relative to a base.
   */
  'baseWeightsSha256': (Buffer);
}
