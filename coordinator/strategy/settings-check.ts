/** Validates strategy settings up front, naming each bad setting with what it must be. */
import { SCREENINGS, SERVER_OPTIMIZERS, type StrategySettings } from './strategy-settings.js';

type Rule = readonly [setting: string, value: unknown, valid: (x: number) => boolean, must: string];

/** Throws one error listing every problem, e.g. "strategy.screening.trimShare must be in [0, 0.5), got 0.7". */
export function checkStrategySettings(settings: StrategySettings): void {
  const problems = [...choiceProblems(settings), ...numberRules(settings).flatMap(numberProblem)];
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

const positive = (x: number) => x > 0;
const decay = (x: number) => x >= 0 && x < 1;
const share = (x: number) => x >= 0 && x < 0.5;
const count = (x: number) => Number.isInteger(x) && x >= 0;

function numberRules(s: StrategySettings): Rule[] {
  return [
    ['strategy.serverLearningRate', s.serverLearningRate, positive, 'be > 0'],
    ['strategy.serverMomentum', s.serverMomentum, decay, 'be in [0, 1)'],
    ['strategy.beta2', s.beta2, decay, 'be in [0, 1)'],
    ['strategy.tau', s.tau, positive, 'be > 0'],
    ['strategy.proximalMu', s.proximalMu, (x) => x >= 0, 'be >= 0'],
    ['strategy.screening.normBound', s.screening?.normBound, positive, 'be > 0'],
    [
      'strategy.screening.krumOutlierRatio',
      s.screening?.krumOutlierRatio,
      (x) => x >= 0,
      'be >= 0',
    ],
    ['strategy.screening.trimShare', s.screening?.trimShare, share, 'be in [0, 0.5)'],
    ['strategy.screening.byzantine', s.screening?.byzantine, count, 'be a whole number >= 0'],
  ];
}

function numberProblem([setting, value, valid, must]: Rule): string[] {
  if (typeof value === 'number' && Number.isFinite(value) && valid(value)) return [];
  return [`${setting} must ${must}, got ${show(value)}`];
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
