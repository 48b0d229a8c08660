/** Validates strategy settings up front, naming each bad setting with what it must be. */
import { strategyNumberProblem } from '../../shared/config/strategy-config.js';
import { SCREENINGS, SERVER_OPTIMIZERS, type StrategySettings } from './strategy-settings.js';

/** Throws one error listing every problem, e.g. "strategy.screening.trimShare must be in [0, 0.5), got 0.7". */
export function checkStrategySettings(settings: StrategySettings): void {
  const problems = [
    ...choiceProblems(settings),
    ...numberProblems(settings),
    ...privacyProblems(settings),
  ];
  if (problems.length > 0) throw new Error(`invalid strategy settings: ${problems.join('; ')}`);
}

function choiceProblems({ name, screening }: StrategySettings): string[] {
  const problems: string[] = [];
  if (!(SERVER_OPTIMIZERS as readonly unknown[]).includes(name)) {
    problems.push(
      `strategy.name must be one of ${SERVER_OPTIMIZERS.join(', ')}, got ${show(name)}`,
    );
  }
  if (!(SCREENINGS as readonly unknown[]).includes(screening?.method)) {
    const method = screening?.method;
    problems.push(
      `strategy.screening.method must be one of ${SCREENINGS.join(', ')}, got ${show(method)}`,
    );
  }
  return problems;
}

function numberProblems(s: StrategySettings): string[] {
  const values: [setting: string, value: unknown, nullable?: boolean][] = [
    ['strategy.serverLearningRate', s.serverLearningRate, true],
    ['strategy.serverMomentum', s.serverMomentum],
    ['strategy.beta2', s.beta2],
    ['strategy.tau', s.tau],
    ['strategy.proximalMu', s.proximalMu],
    ['strategy.screening.normBound', s.screening?.normBound],
    ['strategy.screening.krumOutlierRatio', s.screening?.krumOutlierRatio],
    ['strategy.screening.trimShare', s.screening?.trimShare],
    ['strategy.screening.byzantine', s.screening?.byzantine],
    ['strategy.screening.minCosine', s.screening?.minCosine],
    ['strategy.screening.maxWeightRatio', s.screening?.maxWeightRatio],
  ];
  return values.flatMap(([setting, value, nullable]) => {
    const problem = strategyNumberProblem(setting, value, nullable);
    return problem ? [problem] : [];
  });
}

function privacyProblems({ privacy, screening }: StrategySettings): string[] {
  if (!privacy || privacy.noiseMultiplier === 0) return [];
  const problems: string[] = [];
  if (!(privacy.noiseMultiplier > 0 && Number.isFinite(privacy.noiseMultiplier)))
    problems.push(`privacy.noiseMultiplier must be >= 0, got ${privacy.noiseMultiplier}`);
  if (!(privacy.clipNorm > 0 && Number.isFinite(privacy.clipNorm)))
    problems.push(`privacy.clipNorm must be > 0, got ${privacy.clipNorm}`);
  // Excluding or down-weighting a delta because of the others' would let one site move the
  // aggregate by more than the clip norm the noise is scaled to.
  if (screening?.method !== 'none')
    problems.push(
      `differential privacy (privacy.noiseMultiplier ${privacy.noiseMultiplier}) clips every delta to privacy.clipNorm and weighs sites alike; strategy.screening.method must be 'none', got ${show(screening?.method)}`,
    );
  return problems;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
