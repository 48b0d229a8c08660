/**
 * The federation settings the benchmarks compare: the old default (FedAvg, 2 local epochs),
 * each strategy with the new local work but without replay, replay on its own, the current
 * defaults after 5 rounds (the protocol, which every variant but the last follows),
 * and the current defaults as shipped ('default': no overrides, 8 rounds).
 */
export interface FederationVariant {
  readonly name: string;
  /** Coordinator settings over the defaults. */
  readonly settings: Record<string, unknown>;
}

/** The rounds every compared setting runs; the shipped default (8) is the last variant. */
const fiveRounds = { 'federation.rounds': 5 };

/** What main had besides the strategy: no replay, a fresh Adam each round, no screening. */
const plain = {
  ...fiveRounds,
  'federation.replayShare': 0,
  'federation.keepOptimizerState': false,
  'strategy.screening.method': 'none',
};

export const FEDERATION_VARIANTS: readonly FederationVariant[] = [
  {
    name: 'fedavg, 2 local epochs (the old default)',
    settings: { ...plain, 'federation.localSteps': 0, 'federation.epochs': 2 },
  },
  { name: 'fedavg, 100 local steps', settings: plain },
  {
    name: 'fedprox mu 0.01, 100 local steps',
    settings: { ...plain, 'strategy.name': 'fedprox', 'strategy.proximalMu': 0.01 },
  },
  {
    name: 'fedavgm momentum 0.3, 100 local steps',
    settings: { ...plain, 'strategy.name': 'fedavgm', 'strategy.serverMomentum': 0.3 },
  },
  {
    name: 'fedadam eta 0.01, 100 local steps',
    settings: { ...plain, 'strategy.name': 'fedadam', 'strategy.serverLearningRate': 0.01 },
  },
  {
    name: 'fedyogi eta 0.01, 100 local steps',
    settings: { ...plain, 'strategy.name': 'fedyogi', 'strategy.serverLearningRate': 0.01 },
  },
  {
    name: 'fedavg, 100 local steps, replay 0.7, Adam kept (no screening)',
    settings: { ...fiveRounds, 'strategy.screening.method': 'none' },
  },
  { name: 'default, 5 rounds', settings: fiveRounds },
  { name: 'default', settings: {} },
];
