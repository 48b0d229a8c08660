/** One line saying how a federation trains, from the coordinator's settings (logs, simulate). */
import type { CoordinatorConfig } from './federation-config.js';

export function describeFederation(config: CoordinatorConfig): string {
  const { federation: f, strategy: s } = config;
  const work = f.localSteps > 0 ? `${f.localSteps} local steps` : `${f.epochs} local epochs`;
  const screening =
    s.screening.method === 'none' ? 'no screening' : `${s.screening.method} screening`;
  const prox = s.name === 'fedprox' ? ` (mu ${s.proximalMu})` : '';
  const replay = f.replayShare > 0 ? `, replay share ${f.replayShare}` : ', no replay';
  return `${f.rounds} rounds of ${work} per site; strategy ${s.name}${prox}, ${screening}${replay}`;
}
