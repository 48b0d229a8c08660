/**
 * `fedflow simulate`: a coordinator and N clients as separate processes on loopback, each
 * client with only its own share of the data; prints a per-round table and the final
 * model's detection quality. With --out DIR everything stays there for inspection.
 */
import type { Command } from 'commander';
import { SCREENINGS, SERVER_OPTIMIZERS } from '../../shared/config/strategy-config.js';
import type { SimulateOptions } from '../actions/simulate.js';

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'run a coordinator and N clients as processes on loopback and report per-round progress and final detection quality',
    )
    .option('--clients <n>', 'number of sites', Number, 3)
    .option('--rounds <n>', "training rounds (default: the coordinator's, 8)", Number)
    .option(
      '--local-steps <n>',
      "optimiser steps per site per round (default: the coordinator's)",
      Number,
    )
    .option('--epochs <n>', 'local epochs per round instead of a number of steps', Number)
    .option('--strategy <name>', `${SERVER_OPTIMIZERS.join(', ')} (default: the coordinator's)`)
    .option('--screening <method>', `${SCREENINGS.join(', ')} (default: the coordinator's)`)
    .option(
      '--secure-aggregation',
      "train by secure aggregation: the coordinator sees only the sum of the sites' deltas (at least 3 sites)",
    )
    .option('--seed <n>', 'seed of the global model and the sites (as the benchmarks)', Number, 1)
    .option('--data <kind>', 'synthetic or nsl-kdd', 'synthetic')
    .option('--split <mode>', 'nsl-kdd split: iid, by-service or dirichlet:ALPHA', 'by-service')
    .option('--flows <n>', 'synthetic flows per site', Number, 10_000)
    .option(
      '--out <dir>',
      'keep coordinator state, site states and the final model here (replacing an earlier simulation there)',
    )
    .option(
      '--keep-dashboard',
      'after the run, keep the coordinator and its dashboard up until Ctrl-C',
    )
    .action(async (options: SimulateOptions) =>
      (await import('../actions/simulate.js')).runSimulation(options),
    );
}
