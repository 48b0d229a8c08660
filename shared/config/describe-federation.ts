/** One line saying how a federation trains, from the coordinator's settings (logs, simulate). */
import type { CoordinatorConfig } from './federation-config.js';

export function describeFederation(config: CoordinatorConfig): string {
  const { federation: f, strategy: s } = config;
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const work =
    f.localSteps > 0 ? plural(f.localSteps, 'local step') : plural(f.epochs, 'local epoch');
  const screening =
    s.screening.method === 'none' ? 'no screening' : `${s.screening.method} screening`;
  const prox = s.name === 'fedprox' ? ` (mu ${s.proximalMu})` : '';
  const replay = f.replayShare > 0 ? `, replay share ${f.replayShare}` : ', no replay';
  const secure = config.secureAggregation.enabled ? ', secure aggregation' : '';
  const bits =
    (f.updateBits === 32 ? '' : `, ${f.updateBits}-bit deltas`) +
    (f.releaseBits === 32 ? '' : `, ${f.releaseBits}-bit releases`);
  const dp =
    config.privacy.noiseMultiplier > 0
      ? `, differential privacy (noise multiplier ${config.privacy.noiseMultiplier})`
      : '';
  return `${plural(f.rounds, 'round')} of ${work} per site; strategy ${s.name}${prox}, ${screening}${replay}${secure}${bits}${dp}`;
}
