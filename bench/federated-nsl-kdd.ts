/**
 * Federated vs central vs local-only on NSL-KDD: 5 sites, normal training rows split by
 * service (non-IID). Quality runs the real round loop with in-process sites (same maths as
 * over gRPC); a second, shorter run over real gRPC on loopback measures bytes and time per
 * round. Thresholds come from federated calibration; their FPR on the test normals is reported.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { participate } from '../client/agent/participation.js';
import { SiteWorker } from '../client/agent/site-worker.js';
import { scoreLabelledFlows, summariseDetection } from '../client/detect/evaluate-model.js';
import { openModel } from '../client/detect/loaded-model.js';
import { trainSiteModel } from '../client/pipeline/train-site-model.js';
import { CoordinatorConnection } from '../client/transport/coordinator-connection.js';
import { startCoordinator } from '../coordinator/coordinator-server.js';
import type { ClientProxy } from '../coordinator/rounds/client-proxy.js';
import { FederationLoop } from '../coordinator/rounds/federation-loop.js';
import { planFromConfig } from '../coordinator/rounds/plan-from-config.js';
import { MemoryFederationStore } from '../coordinator/store/federation-state.js';
import { fedAvg } from '../coordinator/strategy/fedavg.js';
import { nslKddSites, parseSplit } from '../shared/cli/simulate/site-data.js';
import { loadCoordinatorConfig } from '../shared/config/federation-config.js';
import { loadModelConfig } from '../shared/config/model-config.js';
import { generateIdentity, publicIdentity } from '../shared/crypto/identity.js';
import { writeIdentityFiles } from '../shared/crypto/key-files.js';
import { FlowEncoder } from '../shared/encoding/flow-encoder.js';
import type { GlobalModel } from '../shared/federation/global-model.js';
import { parameterCount } from '../shared/model/model-spec.js';
import { CategoricalVae } from '../shared/model/vae.js';
import type { BackendReport } from '../shared/runtime/backend.js';
import { median } from './stats.js';

const SITES = 5;

function siteWorker(file: string, seed: number): SiteWorker {
  return new SiteWorker({
    selection: { files: [file], format: 'nsl-kdd', onlyLabel: 'normal', read: {} },
    shares: { validation: 0.1, calibration: 0.1, seed },
    seed,
  });
}

async function evaluateModel(model: GlobalModel, testFile: string) {
  const loaded = {
    saved: { spec: model.spec, weights: model.weights, thresholds: model.thresholds },
    model: new CategoricalVae(model.spec, model.weights),
    encoder: new FlowEncoder(model.spec.encoder),
  };
  const scored = await scoreLabelledFlows(loaded, [testFile], 'nsl-kdd', {}, {});
  loaded.model.dispose();
  const e = summariseDetection(scored, model.thresholds?.targets ?? []);
  return {
    auroc: e.auroc,
    auprc: e.auprc,
    thresholds: e.thresholds.map((t) => ({
      targetFpr: t.targetFpr,
      tpr: t.tpr,
      observedFpr: t.fpr,
    })),
  };
}

export async function runFederatedNslKdd(
  nslDir: string,
  backend: BackendReport,
  rounds: number,
  epochs: number,
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-fedbench-'));
  try {
    const data = await nslKddSites(work, nslDir, SITES, parseSplit('by-service'));
    const testFile = data.testFiles[0]!;
    const files = data.siteFiles.map((f) => f[0]!);
    const keysDir = join(work, 'keys');
    const coordinatorId = generateIdentity('coordinator', 'coordinator');
    writeIdentityFiles(keysDir, coordinatorId);
    const sites = files.map((file, i) => {
      const identity = generateIdentity('client', `site-${i + 1}`);
      writeIdentityFiles(keysDir, identity);
      return { file, identity };
    });
    const config = (overrides: Record<string, unknown>) =>
      loadCoordinatorConfig(undefined, {
        privateKey: join(keysDir, 'coordinator.private.json'),
        clients: sites.map((s) => join(keysDir, `${s.identity.name}.public.json`)),
        stateDir: join(work, `state-${Math.random().toString(36).slice(2)}`),
        'listen.port': 0,
        'tls.enabled': false,
        'data.format': 'nsl-kdd',
        'federation.minClients': SITES,
        'federation.minRecords': 5,
        'federation.epochs': epochs,
        ...overrides,
      });

    // Federated quality: the round loop with in-process sites, at two k-anonymity floors
    // (a categorical value kept when >= 1 or >= 2 sites have it): privacy against utility.
    const runFederated = async (minSites: number) => {
      const started = performance.now();
      const plan = await planFromConfig(
        config({ 'federation.rounds': rounds, 'federation.minSites': minSites }),
        0,
      );
      let loop: FederationLoop | null = null;
      const proxies: ClientProxy[] = sites.map((s, i) => {
        const worker = siteWorker(s.file, i + 1);
        return { id: s.identity.name, run: (task) => worker.run(task, loop!.current) };
      });
      loop = new FederationLoop(
        plan,
        { connected: () => proxies, changed: (ms) => new Promise((r) => setTimeout(r, ms)) },
        fedAvg,
        new MemoryFederationStore(),
      );
      const model = await loop.run();
      const result = {
        minSites,
        ...(await evaluateModel(model, testFile)),
        rounds,
        epochs,
        seconds: (performance.now() - started) / 1000,
        validationLossByRound: loop.rounds
          .filter((r) => r.kind === 'train')
          .map((r) => r.validationLoss),
      };
      log(
        `federated (${SITES} sites, by service, ${rounds} rounds x ${epochs} epochs, minSites ${minSites}): AUROC ${result.auroc.toFixed(4)}; FPR on test normals at the federated thresholds ${result.thresholds.map((t) => `${t.targetFpr}: ${t.observedFpr.toFixed(4)}`).join(', ')}`,
      );
      return result;
    };
    const federatedRuns = [await runFederated(1), await runFederated(2)];
    const federated = federatedRuns[0]!;

    // Central: the same model trained on all the normal rows in one place.
    const modelConfig = loadModelConfig().getProperties();
    await trainSiteModel(
      {
        files: [join(nslDir, 'KDDTrain+_20Percent.txt')],
        format: 'nsl-kdd',
        onlyLabel: 'normal',
        read: {},
      },
      modelConfig,
      join(work, 'central'),
      backend,
    );
    const centralLoaded = openModel(join(work, 'central'));
    const central = await evaluateModel(
      {
        version: 0,
        spec: centralLoaded.saved.spec,
        weights: centralLoaded.saved.weights,
        thresholds: centralLoaded.saved.thresholds,
      },
      testFile,
    );
    centralLoaded.model.dispose();
    log(
      `central (all normal rows): AUROC ${central.auroc.toFixed(4)}; gap ${(central.auroc - federated.auroc).toFixed(4)}`,
    );

    // Each site alone.
    const localOnly = [];
    for (const [i, site] of sites.entries()) {
      const out = join(work, `local-${i + 1}`);
      const r = await trainSiteModel(
        { files: [site.file], format: 'nsl-kdd', onlyLabel: 'normal', read: {} },
        modelConfig,
        out,
        backend,
      );
      const loaded = openModel(out);
      const quality = await evaluateModel(
        {
          version: 0,
          spec: loaded.saved.spec,
          weights: loaded.saved.weights,
          thresholds: loaded.saved.thresholds,
        },
        testFile,
      );
      loaded.model.dispose();
      localOnly.push({ site: site.identity.name, normalRows: r.data.summary.rowsUsed, ...quality });
      log(
        `local-only ${site.identity.name} (${r.data.summary.rowsUsed} normal rows): AUROC ${quality.auroc.toFixed(4)}`,
      );
    }

    // Transfer over real gRPC: two training rounds with per-site timing and byte counts.
    const transfer = await measureTransfer(
      config({ 'federation.rounds': 2 }),
      coordinatorId,
      sites,
    );
    log(
      `transfer: raw model ${transfer.rawModelBytes} bytes; median sealed delta ${transfer.medianDeltaBytes} bytes per site per round`,
    );
    return {
      sites: SITES,
      split: 'by-service',
      federated,
      central,
      gap: central.auroc - federated.auroc,
      federatedByMinSites: federatedRuns.map((r) => ({
        minSites: r.minSites,
        auroc: r.auroc,
        gap: central.auroc - r.auroc,
        thresholds: r.thresholds,
      })),
      localOnly,
      transfer,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function measureTransfer(
  config: ReturnType<typeof loadCoordinatorConfig>,
  coordinatorId: ReturnType<typeof generateIdentity>,
  sites: { file: string; identity: ReturnType<typeof generateIdentity> }[],
) {
  const coordinator = await startCoordinator(config, () => {});
  const perTask: {
    site: string;
    kind: string;
    round: number;
    fetchMs: number;
    trainMs: number;
    submitMs: number;
    sealedBytes: number;
  }[] = [];
  try {
    await Promise.all(
      sites.map(async (site, i) => {
        const connection = new CoordinatorConnection(
          `127.0.0.1:${coordinator.port}`,
          site.identity,
          publicIdentity(coordinatorId),
        );
        const worker = siteWorker(site.file, i + 1);
        let current: { fetchMs: number; trainMs: number } = { fetchMs: 0, trainMs: 0 };
        // Time each step by wrapping the two objects participate() uses.
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
            perTask.push({
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
        await participate({
          connection: timedConnection,
          worker: timedWorker,
          reconnect: { initialMs: 50, maxMs: 500 },
          log: () => {},
        });
        connection.close();
      }),
    );
    const model = await coordinator.done;
    const rawModelBytes = parameterCount(model.spec.weights) * 4;
    const deltas = perTask.filter((t) => t.kind === 'train');
    const rounds = coordinator.loop.rounds.map((r) => {
      const mine = perTask.filter((t) => t.round === r.round);
      return {
        round: r.round,
        kind: r.kind,
        collectMs: r.collectMs,
        aggregateMs: r.aggregateMs,
        medianSiteTrainMs: median(mine.map((t) => t.trainMs)),
        medianSiteTransferMs: median(mine.map((t) => t.fetchMs + t.submitMs)),
        bytesPerSite: mine.map((t) => t.sealedBytes),
      };
    });
    return {
      rawModelBytes,
      medianDeltaBytes: median(deltas.map((t) => t.sealedBytes)),
      deltaToRawRatio: median(deltas.map((t) => t.sealedBytes)) / rawModelBytes,
      rounds,
      note: 'sites run in one process here, so their training is serialised; collectMs covers all sites',
    };
  } finally {
    await coordinator.stop();
  }
}
