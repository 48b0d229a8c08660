/**
 * Runs a whole federation in this process: the coordinator's real round loop and strategy,
 * and one real SiteWorker per site, with nothing but the transport left out (the same maths
 * as over gRPC, which test/integration checks). A site can be swapped for an attacker.
 */

import { siteSeed } from '../../cli/simulate/site-data.js';
import { SiteWorker } from '../../client/agent/site-worker.js';
import type { ClientProxy } from '../../coordinator/rounds/client-proxy.js';
import { FederationLoop } from '../../coordinator/rounds/federation-loop.js';
import { planFromConfig, strategyFromConfig } from '../../coordinator/rounds/plan-from-config.js';
import {
  MemoryFederationStore,
  type RoundRecord,
} from '../../coordinator/store/federation-state.js';
import { loadCoordinatorConfig } from '../../shared/config/federation-config.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import type { ClientPayload, Task } from '../../shared/federation/messages.js';
import type { FlowFormat } from '../../shared/flows/formats.js';

export interface BenchSite {
  readonly name: string;
  readonly files: readonly string[];
}

/** Turns an honest site's answer into a malicious one (see poisoning.ts). */
export type Attack = (task: Task, honest: () => Promise<ClientPayload>) => Promise<ClientPayload>;

export interface InProcessRun {
  readonly sites: readonly BenchSite[];
  readonly format: FlowFormat;
  readonly onlyLabel: string | null;
  /** Coordinator settings by key ('federation.rounds', 'strategy.name', ...) over the defaults. */
  readonly settings: Record<string, unknown>;
  /** Seeds the global model's initial weights and every site's batch order. */
  readonly seed: number;
  readonly attacker?: { readonly site: number; readonly attack: Attack };
  /** More modified sites (e.g. sites that drop out mid-round). */
  readonly attackers?: readonly { readonly site: number; readonly attack: Attack }[];
}

export interface InProcessResult {
  readonly model: GlobalModel;
  readonly rounds: readonly RoundRecord[];
  readonly strategy: string;
  readonly seconds: number;
}

export async function runInProcess(run: InProcessRun): Promise<InProcessResult> {
  const started = performance.now();
  const config = loadCoordinatorConfig(undefined, {
    'data.format': run.format,
    'federation.minClients': run.sites.length,
    'federation.minRecords': 5,
    'federation.seed': run.seed,
    ...run.settings,
  });
  const strategy = strategyFromConfig(config);
  const plan = await planFromConfig(config, strategy.siteTraining.proximalMu);
  let loop: FederationLoop | null = null;
  const workers: SiteWorker[] = [];
  const proxies: ClientProxy[] = run.sites.map((site, i) => {
    const worker = new SiteWorker({
      id: site.name,
      selection: { files: site.files, format: run.format, onlyLabel: run.onlyLabel, read: {} },
      shares: { validation: 0.1, calibration: 0.1, seed: siteSeed(run.seed, i) },
      seed: siteSeed(run.seed, i),
    });
    workers.push(worker);
    const honest = (task: Task) => worker.run(task, loop!.current);
    const modified = [...(run.attacker ? [run.attacker] : []), ...(run.attackers ?? [])];
    const attack = modified.find((a) => a.site === i)?.attack ?? null;
    return {
      id: site.name,
      run: (task) => (attack ? attack(task, () => honest(task)) : honest(task)),
    };
  });
  loop = new FederationLoop(
    plan,
    { connected: () => proxies, changed: (ms) => new Promise((r) => setTimeout(r, ms)) },
    strategy,
    new MemoryFederationStore(),
  );
  try {
    const model = await loop.run();
    return {
      model,
      rounds: loop.rounds,
      strategy: strategy.name,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const worker of workers) worker.dispose();
  }
}
