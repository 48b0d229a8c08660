/** No screening: every delta counts, weighted by its site's examples (FedAvg's combination). */
import { sharesOf, weightedMean } from '../vectors.js';
import { kept, type Screening } from './screening.js';

export const noScreening: Screening = (results) => {
  const masses = results.map((r) => r.examples);
  return {
    combined: weightedMean(
      results.map((r) => r.delta),
      masses,
    ),
    verdicts: sharesOf(masses).map(kept),
  };
};
