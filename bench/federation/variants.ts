/**
 * The federation settings the benchmarks compare: the old default (FedAvg, 2 local epochs),
 * each strategy with the new local work, and the current defaults ('default': no overrides).
 */
export interface FederationVariant {
  readonly name: string;
  /** Coordinator settings over the defaults. */
  readonly settings: Record<string, unknown>;
}

const fedavgEpochs = {
  'federation.localSteps': 0,
  'federation.epochs': 2,
  'strategy.name': 'fedavg',
};

export const FEDERATION_VARIANTS: readonly FederationVariant[] = [
  { name: 'fedavg, 2 local epochs (the old default)', settings: fedavgEpochs },
  { name: 'fedavg, 100 local steps', settings: { 'strategy.name': 'fedavg' } },
  {
    name: 'fedprox mu 0.01, 100 local steps',
    settings: { 'strategy.name': 'fedprox', 'strategy.proximalMu': 0.01 },
  },
  {
    name: 'fedavgm momentum 0.3',
    settings: { 'strategy.name': 'fedavgm', 'strategy.serverMomentum': 0.3 },
  },
  {
    name: 'fedadam eta 0.01',
    settings: { 'strategy.name': 'fedadam', 'strategy.serverLearningRate': 0.01 },
  },
  {
    name: 'fedyogi eta 0.01',
    settings: { 'strategy.name': 'fedyogi', 'strategy.serverLearningRate': 0.01 },
  },
  { name: 'default', settings: {} },
];
