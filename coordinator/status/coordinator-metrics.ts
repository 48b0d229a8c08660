/** Prometheus metrics of a coordinator (prom-client), served on the dashboard's /metrics. */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { UpdateStatus } from './federation-status.js';

export class CoordinatorMetrics {
  readonly registry = new Registry();
  readonly rounds = new Counter({
    name: 'fedflow_rounds_total',
    help: 'Rounds finished, by task kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly results = new Counter({
    name: 'fedflow_results_total',
    help: 'Results received from sites, by outcome and reason code',
    labelNames: ['kind', 'outcome', 'reason'] as const,
    registers: [this.registry],
  });
  readonly bytesReceived = new Counter({
    name: 'fedflow_bytes_received_total',
    help: 'Sealed result bytes received, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly bytesSent = new Counter({
    name: 'fedflow_bytes_sent_total',
    help: 'Signed model release bytes sent to sites',
    registers: [this.registry],
  });
  readonly aggregationSeconds = new Histogram({
    name: 'fedflow_aggregation_seconds',
    help: 'Time to aggregate or merge a round on the coordinator',
    labelNames: ['kind'] as const,
    buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10],
    registers: [this.registry],
  });
  readonly modelVersion = new Gauge({
    name: 'fedflow_model_version',
    help: 'Current global model version',
    registers: [this.registry],
  });
  readonly updateNorm = new Gauge({
    name: 'fedflow_update_norm',
    help: "L2 norm of each site's model update in the last closed training round",
    labelNames: ['site'] as const,
    registers: [this.registry],
  });
  readonly updateCosine = new Gauge({
    name: 'fedflow_update_cosine',
    help: "Cosine between each site's update and the round's combined update, last closed training round",
    labelNames: ['site'] as const,
    registers: [this.registry],
  });
  readonly updatesScreened = new Counter({
    name: 'fedflow_updates_screened_total',
    help: 'Site updates screened by the aggregation strategy, by site and action (kept, clipped, excluded)',
    labelNames: ['site', 'action'] as const,
    registers: [this.registry],
  });
  readonly privacyEpsilon = new Gauge({
    name: 'fedflow_privacy_epsilon',
    help: 'Differential privacy: epsilon spent by the published training rounds (at fedflow_privacy_delta)',
    registers: [this.registry],
  });
  readonly privacyDelta = new Gauge({
    name: 'fedflow_privacy_delta',
    help: 'Differential privacy: the delta the spent epsilon is stated for',
    registers: [this.registry],
  });
  readonly privacyBudget = new Gauge({
    name: 'fedflow_privacy_epsilon_budget',
    help: 'Differential privacy: the epsilon at which training stops (0 = no budget)',
    registers: [this.registry],
  });
  readonly clientsConnected: Gauge;

  constructor(connected: () => number) {
    this.clientsConnected = new Gauge({
      name: 'fedflow_clients_connected',
      help: 'Sites with an open task stream',
      registers: [this.registry],
      collect() {
        this.set(connected());
      },
    });
  }

  /** A closed training round's updates: counted, and shown as the last round's norms and cosines. */
  screened(updates: readonly UpdateStatus[]): void {
    this.lastUpdates(updates);
    for (const u of updates) this.updatesScreened.inc({ site: u.site, action: u.action });
  }

  /** Replaces the norm and cosine gauges, so a site absent from the round has none. */
  lastUpdates(updates: readonly UpdateStatus[]): void {
    this.updateNorm.reset();
    this.updateCosine.reset();
    for (const u of updates) {
      this.updateNorm.set({ site: u.site }, u.norm);
      this.updateCosine.set({ site: u.site }, u.cosine);
    }
  }

  /** What the privacy accountant says after a published training round. */
  privacySpent(spent: { epsilon: number; delta: number }, budget: number): void {
    this.privacyEpsilon.set(spent.epsilon);
    this.privacyDelta.set(spent.delta);
    this.privacyBudget.set(budget);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
