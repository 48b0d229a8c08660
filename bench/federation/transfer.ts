/**
 * Bytes and time per round over real gRPC on loopback: a coordinator and in-process sites
 * running the product's participation loop, with fetch, training and submit timed per task.
 */

import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { startCoordinator } from '../../cli/roles/coordinator.js';
import { participate } from '../../client/agent/participation.js';
import { SiteWorker } from '../../client/agent/site-worker.js';
import { CoordinatorConnection } from '../../client/transport/coordinator-connection.js';
import {
  type CoordinatorConfig,
  loadCoordinatorConfig,
} from '../../shared/config/federation-config.js';
import { generateIdentity, type Identity, publicIdentity } from '../../shared/crypto/identity.js';
import { writeIdentityFiles } from '../../shared/crypto/key-files.js';
import type { FlowFormat } from '../../shared/flows/formats.js';
import { parameterCount } from '../../shared/model/model-spec.js';
import { median } from '../stats.js';

interface TaskTiming {
  site: string;
  kind: string;
  round: number;
  fetchMs: number;
  trainMs: number;
  submitMs: number;
  sealedBytes: number;
}

export interface TransferSite {
  readonly file: string;
  readonly identity: Identity;
}

/**
 * A 2-round federation over plaintext gRPC on loopback (sealed, signed payloads as always;
 * TLS adds the same few bytes per message for every kind) with fresh keys in `work`.
 */
export async function measureTransfer(
  work: string,
  files: readonly string[],
  data: { format: FlowFormat; onlyLabel: string | null },
  /** Coordinator settings over the defaults (e.g. the update width). */
  settings: Record<string, unknown> = {},
) {
  // Keys and state of their own per run: a second run in `work` must neither find the first
  // one's key files nor resume its state.
  const run = mkdtempSync(join(work, 'transfer-'));
  const keysDir = join(run, 'keys');
  const coordinator = generateIdentity('coordinator', 'coordinator');
  writeIdentityFiles(keysDir, coordinator);
  const sites = files.map((file, i) => {
    const identity = generateIdentity('client', `site-${i + 1}`);
    writeIdentityFiles(keysDir, identity);
    return { file, identity };
  });
  const config = loadCoordinatorConfig(undefined, {
    privateKey: join(keysDir, 'coordinator.private.json'),
    clients: sites.map((s) => join(keysDir, `${s.identity.name}.public.json`)),
    stateDir: join(run, 'state'),
    'listen.port': 0,
    'tls.enabled': false,
    'data.format': data.format,
    'federation.rounds': 2,
    'federation.minClients': sites.length,
    'federation.minRecords': 5,
    ...settings,
  });
  return timedFederation(config, coordinator, sites, data);
}

async function timedFederation(
  config: CoordinatorConfig,
  coordinator: Identity,
  sites: readonly TransferSite[],
  data: { format: FlowFormat; onlyLabel: string | null },
) {
  const running = await startCoordinator(config, () => {});
  const timings: TaskTiming[] = [];
  try {
    await Promise.all(
      sites.map((site, i) =>
        runTimedSite(site, i, `127.0.0.1:${running.port}`, coordinator, data, timings),
      ),
    );
    const model = await running.done;
    const rawModelBytes = parameterCount(model.spec.weights) * 4;
    const deltas = timings.filter((t) => t.kind === 'train');
    return {
      rawModelBytes,
      medianDeltaBytes: median(deltas.map((t) => t.sealedBytes)),
      deltaToRawRatio: median(deltas.map((t) => t.sealedBytes)) / rawModelBytes,
      rounds: running.loop.rounds.map((r) => {
        const mine = timings.filter((t) => t.round === r.round);
        return {
          round: r.round,
          kind: r.kind,
          collectMs: r.collectMs,
          aggregateMs: r.aggregateMs,
          medianSiteTrainMs: median(mine.map((t) => t.trainMs)),
          medianSiteTransferMs: median(mine.map((t) => t.fetchMs + t.submitMs)),
          bytesPerSite: mine.map((t) => t.sealedBytes),
        };
      }),
      note: 'sites run in one process here, so their training is serialised; collectMs covers all sites',
    };
  } finally {
    await running.stop();
  }
}

/** One site's participation, timing each step by wrapping the two objects participate() uses. */
async function runTimedSite(
  site: TransferSite,
  index: number,
  address: string,
  coordinator: Identity,
  data: { format: FlowFormat; onlyLabel: string | null },
  timings: TaskTiming[],
): Promise<void> {
  const connection = new CoordinatorConnection(address, site.identity, publicIdentity(coordinator));
  const worker = new SiteWorker({
    selection: { files: [site.file], format: data.format, onlyLabel: data.onlyLabel, read: {} },
    shares: { validation: 0.1, calibration: 0.1, seed: index + 1 },
    seed: index + 1,
  });
  let current = { fetchMs: 0, trainMs: 0 };
  const timedConnection = Object.assign(Object.create(connection), {
    fetchModel: async (token: string, version: number) => {
      const t = performance.now();
      const model = await connection.fetchModel(token, version);
      current.fetchMs += performance.now() - t;
      return model;
    },
    submit: async (...args: Parameters<CoordinatorConnection['submit']>) => {
      const t = performance.now();
      const receipt = await connection.submit(...args);
      timings.push({
        site: site.identity.name,
        kind: args[1].kind,
        round: args[1].round,
        ...current,
        submitMs: performance.now() - t,
        sealedBytes: receipt.sealedBytes,
      });
      current = { fetchMs: 0, trainMs: 0 };
      return receipt;
    },
  }) as CoordinatorConnection;
  const timedWorker = {
    run: async (...args: Parameters<SiteWorker['run']>) => {
      const t = performance.now();
      const payload = await worker.run(...args);
      current.trainMs += performance.now() - t;
      return payload;
    },
  } as SiteWorker;
  try {
    await participate({
      connection: timedConnection,
      worker: timedWorker,
      reconnect: { initialMs: 50, maxMs: 500 },
      log: () => {},
    });
  } finally {
    worker.dispose();
    connection.close();
  }
}
