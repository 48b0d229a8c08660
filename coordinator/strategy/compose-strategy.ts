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
import { capExamples } from './weight-cap.js';

export interface StrategyParts {
  readonly name: string;
  readonly siteTraining: SiteTraining;
  readonly screening: Screening;
  readonly serverOptimizer: ServerOptimizer;
  /** Each site's examples count at most this multiple of the round's median (0 = as claimed). */
  readonly maxWeightRatio: number;
}

export function composeStrategy(parts: StrategyParts): AggregationStrategy {
  const { name, siteTraining, screening, serverOptimizer, maxWeightRatio } = parts;
  return {
    name,
    siteTraining,
    aggregate(global, results, state) {
      checkResults(global, results);
      const order = canonicalOrder(results);
      const ordered = order.map((i) => results[i]!);
      const { combined, verdicts } = screening(capExamples(ordered, maxWeightRatio));
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
