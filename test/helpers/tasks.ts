/** Published training settings for tasks built by hand in tests. */
import type { LocalTrainingSettings } from '../../shared/federation/messages.js';

export const TEST_TRAINING: LocalTrainingSettings = {
  epochs: 1,
  localSteps: 0,
  batchSize: 256,
  learningRate: 0.004,
  proximalMu: 0,
  keepOptimizerState: false,
  replayShare: 0,
  updateBits: 32,
  releaseBits: 32,
};
