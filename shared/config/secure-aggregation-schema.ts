/**
 * The coordinator's `secureAggregation` settings: training rounds in which the coordinator
 * learns only the sum of the sites' weighted deltas (SecAgg+, shared/secagg).
 */
import { positive, within } from './config-formats.js';

export const secureAggregationConfigSchema = {
  enabled: {
    doc: "Training rounds by secure aggregation: the coordinator sees only the sum of the sites' deltas (needs strategy.screening.method none, at least 3 sites)",
    format: Boolean,
    default: false,
  },
  neighbours: {
    doc: 'Neighbours of each site in the SecAgg+ graph (shares and pairwise masks); 0 = every other site',
    format: within('secureAggregation.neighbours', 0, 254, true),
    default: 0,
  },
  threshold: {
    doc: "Shares that rebuild a site's secret (more than half of its neighbours plus itself); 0 = a strict majority",
    format: within('secureAggregation.threshold', 0, 255, true),
    default: 0,
  },
  bound: {
    doc: 'Each delta value is clipped to +-bound at the site before it is weighted and masked',
    format: positive('secureAggregation.bound', false),
    default: 1,
  },
  stepTimeoutSeconds: {
    doc: 'Deadline of the steps that do no training (keys, shares, unmasking)',
    format: positive('secureAggregation.stepTimeoutSeconds', false),
    default: 60,
  },
};
