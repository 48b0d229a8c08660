/**
 * What each training round did, site by site, from the round loop's own records: the global
 * model's loss on each site's held-out flows (reported at the start of the next round), and the
 * site's update norm and cosine to the aggregate (the strategy's screening report).
 */
import type { RoundRecord } from '../../coordinator/store/federation-state.js';

export function roundDiagnostics(rounds: readonly RoundRecord[]) {
  return rounds
    .filter((r) => r.kind === 'train' && r.outcome === 'closed')
    .map((r) => ({
      round: r.round,
      validationLoss: r.validationLoss ?? null,
      sites: r.results.map((s) => ({
        site: s.clientId,
        examples: s.examples ?? null,
        validationLossOfGlobal: s.validationLoss ?? null,
        updateNorm: s.update?.norm ?? null,
        cosineToAggregate: s.update?.cosine ?? null,
        action: s.update?.action ?? null,
      })),
    }));
}
