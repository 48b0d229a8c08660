/** Runs the shared strategy suite against every strategy the factory can build. */
import { createStrategy } from '../../../coordinator/strategy/strategy-factory.js';
import { SCREENINGS, SERVER_OPTIMIZERS } from '../../../coordinator/strategy/strategy-settings.js';
import { expectClose, GLOBAL, runStrategySuite, settingsFor, site } from './strategy-suite.js';

for (const name of SERVER_OPTIMIZERS) {
  for (const method of SCREENINGS) {
    const settings = settingsFor(name, method);
    runStrategySuite(createStrategy(settings).name, () => createStrategy(settings), {
      splitsLikeExamples: method !== 'multi-krum',
    });
  }
}

describe('plain averaging under every screening', () => {
  for (const name of ['fedavg', 'fedprox'] as const) {
    for (const method of SCREENINGS) {
      it(`${name}+${method} moves the global weights by exactly the delta all sites agree on`, () => {
        const delta = [0.25, -0.5, 0.125, 1];
        const results = [7, 3, 12, 1, 5].map((n, k) => site(`s${k}`, delta, n));
        const { weights } = createStrategy(settingsFor(name, method)).aggregate(
          GLOBAL,
          results,
          null,
        );
        expectClose(weights, [0.75, -1.5, 2.125, 1], 0);
      });
    }
  }
});
