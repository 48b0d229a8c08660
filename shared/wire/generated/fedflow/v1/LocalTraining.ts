// Original file: fedflow/v1/federation.proto


/**
 * The local training a training task asks for, published by the coordinator with every task.
 */
export interface LocalTraining {
  /**
   * Local epochs; used when local_steps is 0.
   */
  'epochs'?: (number);
  /**
   * Optimiser steps per round, the same at every site whatever its size; 0 = `epochs` epochs.
   */
  'localSteps'?: (number);
  /**
   * Flows per mini-batch (> 0).
   */
  'batchSize'?: (number);
  /**
   * Adam learning rate (> 0).
   */
  'learningRate'?: (number | string);
  /**
   * FedProx: weight mu of (mu / 2) * ||w - w_global||^2 in the local loss; 0 = off.
   */
  'proximalMu'?: (number | string);
  /**
   * Keep the site's Adam moments from round to round (true) or start each round afresh.
   */
  'keepOptimizerState'?: (boolean);
  /**
   * Share of local training flows drawn from the global model itself (generative replay), from
   * the second training round on; in [0, 1), 0 = off.
   */
  'replayShare'?: (number | string);
  /**
   * Bits per value of the delta a site sends: 8 or 4 = ModelDelta.quantized_delta (blocks
   * quantised with stochastic rounding and error feedback at the site); 32 or 0 (a coordinator
   * that does not publish it) = ModelDelta.delta, float32 as is.
   */
  'updateBits'?: (number);
  /**
   * Bits per value of a training round's new global model when a site fetches it holding the
   * version before: 8 or 4 = a ModelRelease with weights_delta (the coordinator's release is
   * defined as what the site reconstructs; it keeps the quantisation residual); 32 or 0 = the
   * weights in float32. Informative: the release itself says which form it has.
   */
  'releaseBits'?: (number);
}

/**
 * The local training a training task asks for, published by the coordinator with every task.
 */
export interface LocalTraining__Output {
  /**
   * Local epochs; used when local_steps is 0.
   */
  'epochs': (number);
  /**
   * Optimiser steps per round, the same at every site whatever its size; 0 = `epochs` epochs.
   */
  'localSteps': (number);
  /**
   * Flows per mini-batch (> 0).
   */
  'batchSize': (number);
  /**
   * Adam learning rate (> 0).
   */
  'learningRate': (number);
  /**
   * FedProx: weight mu of (mu / 2) * ||w - w_global||^2 in the local loss; 0 = off.
   */
  'proximalMu': (number);
  /**
   * Keep the site's Adam moments from round to round (true) or start each round afresh.
   */
  'keepOptimizerState': (boolean);
  /**
   * Share of local training flows drawn from the global model itself (generative replay), from
   * the second training round on; in [0, 1), 0 = off.
   */
  'replayShare': (number);
  /**
   * Bits per value of the delta a site sends: 8 or 4 = ModelDelta.quantized_delta (blocks
   * quantised with stochastic rounding and error feedback at the site); 32 or 0 (a coordinator
   * that does not publish it) = ModelDelta.delta, float32 as is.
   */
  'updateBits': (number);
  /**
   * Bits per value of a training round's new global model when a site fetches it holding the
   * version before: 8 or 4 = a ModelRelease with weights_delta (the coordinator's release is
   * defined as what the site reconstructs; it keeps the quantisation residual); 32 or 0 = the
   * weights in float32. Informative: the release itself says which form it has.
   */
  'releaseBits': (number);
}
