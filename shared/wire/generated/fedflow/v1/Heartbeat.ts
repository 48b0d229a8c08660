// Original file: fedflow/v1/federation.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Keeps an idle task stream observably alive.
 */
export interface Heartbeat {
  /**
   * Coordinator's clock, epoch milliseconds.
   */
  'nowUnixMs'?: (number | string | Long);
}

/**
 * Keeps an idle task stream observably alive.
 */
export interface Heartbeat__Output {
  /**
   * Coordinator's clock, epoch milliseconds.
   */
  'nowUnixMs': (number);
}
