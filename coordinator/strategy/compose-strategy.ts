/**
 * Assembles a strategy from its parts (strategy.ts): results are checked and put in one
 * canonical order, screened and combined, then applied by the server optimiser.
 */
import { canonicalOrder } from './canonical-order.js';
import { checkResults } from './check-results.js';
import type { Screening } from './screening/screening.js';
import type { ServerOptimizer } from './server/server-optimizer.js';
import type { AggregationStrategy, SiteTraining } from './strategy.js';
import { reportUpdates } from './update-reports.js';

export interface StrategyParts {
  readonly name: string;
  readonly siteTraining: SiteTraining;
  readonly screening: Screening;
  readonly serverOptimizer: ServerOptimizer;
}

export function composeStrategy(parts: StrategyParts): AggregationStrategy {
  const { name, siteTraining, screening, serverOptimizer } = parts;
  return {
    name,
    siteTraining,
    aggregate(global, results, state) {
      checkResults(global, results);
      const order = canonicalOrder(results);
      const { combined, verdicts } = screening(order.map((i) => results[i]!));
      const step = serverOptimizer(global, combined, state);
      const reports = reportUpdates(results, order, verdicts, combined);
      return {
        weights: step.weights,
        update: Float32Array.from(combined),
        reports,
        state: step.state,
      };
    },
  };
}
