import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iot23Candidates, iot23Dir, nslKddCandidates, nslKddDir } from '../cli/datasets.js';
import { trainingThreads } from '../client/trainer/training-threads.js';
import { describeBackend, initBackend } from '../shared/runtime/backend.js';
import { tf } from '../shared/runtime/tf.js';
import { runCompression } from './federation/compression-bench.js';
import { runDiagnosis } from './federation/diagnosis-bench.js';
import { runFederationCost } from './federation/federation-cost.js';
import { runNslKddFederation } from './federation/nsl-kdd-federation.js';
import { runPoisoning } from './federation/poisoning-bench.js';
import { runPrivacy } from './federation/privacy-bench.js';
import { runSecAgg } from './federation/secagg-bench.js';
import { runSketchInfluence } from './federation/sketch-influence.js';
import { runSyntheticFederation } from './federation/synthetic-federation.js';
import { runFollow } from './follow-bench.js';
import { runFuzz } from './hardening/fuzz.js';
import { runKillLoop } from './hardening/kill-loop.js';
import { runIot23 } from './iot23-bench.js';
import { runModelParts } from './model-parts.js';
import { runNslKddCalibration } from './nsl-kdd-calibration.js';
import { runNslKddQuality } from './nsl-kdd-quality.js';
import { runSequence } from './sequence-bench.js';
import { runSpeedParts } from './speed-parts.js';
import { runSyntheticCalibration } from './synthetic-calibration.js';
import { runTrafficFeatures } from './traffic-features-bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, '..', '..', 'bench', 'results');
const args = process.argv.slice(2);
const seedsFrom = (flag: string, fallback: number[]) => {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1]!.split(',').map(Number) : fallback;
};
const seeds = seedsFrom('--seeds', [1, 2, 3]);
const wanted = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const runs = (name: string) => wanted.length === 0 || wanted.includes(name);
const log = (line: string) => process.stderr.write(`${line}\n`);

const backend = await initBackend();
log(describeBackend(backend));
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  memoryGB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  tfjs: tf.version_core,
  // Threads that share a training step on this backend (FEDFLOW_TRAINING_THREADS).
  trainingThreads: trainingThreads(),
};
mkdirSync(resultsDir, { recursive: true });
const save = (name: string, body: object) => {
  const path = join(resultsDir, `${name}.json`);
  writeFileSync(
    path,
    `${JSON.stringify({ benchmark: name, date: new Date().toISOString(), backend: backend.name, machine, ...body }, null, 2)}\n`,
  );
  log(`wrote ${path}`);
};

if (runs('quality')) {
  const dir = nslKddDir();
  if (!dir) {
    log(
      `skipping NSL-KDD quality: no KDDTest+.txt in ${nslKddCandidates().join(' or ')} (set FEDFLOW_NSL_KDD_DIR)`,
    );
  } else {
    const result = await runNslKddQuality(dir, backend, seeds, log);
    save('nsl-kdd-quality', {
      protocol: 'train on normal rows of KDDTrain+_20Percent.txt, score all of KDDTest+.txt',
      targets: { auroc: 0.96, scoringFlowsPerSecond: 50_000, trainingFlowsPerSecond: 20_000 },
      ...result,
    });
  }
}

if (runs('federated')) {
  const dir = nslKddDir();
  if (!dir) {
    log(`skipping federated NSL-KDD: no KDDTest+.txt in ${nslKddCandidates().join(' or ')}`);
  } else {
    const result = await runNslKddFederation(dir, backend, seeds, log);
    save('federated-nsl-kdd', {
      protocol:
        "5 sites, normal rows of KDDTrain+_20Percent.txt split by service; every model scored on all of KDDTest+.txt; variants run 5 rounds except 'default' (the shipped 8); per-site global and personalised models are the 'default' ones",
      targets: {
        gapToCentralSameEncoder: 0.005,
        rounds: 5,
        everySiteGlobalAtLeastLocalOnly: true,
      },
      ...result,
    });
  }
}

if (runs('diagnosis')) {
  const dir = nslKddDir();
  if (!dir) {
    log(`skipping the federation diagnosis: no KDDTest+.txt in ${nslKddCandidates().join(' or ')}`);
  } else {
    const result = await runDiagnosis(dir, backend, 300, log);
    save('federation-diagnosis', {
      protocol:
        "5 NSL-KDD sites split by service, the federation's encoder; held-out loss (nats) per site",
      ...result,
    });
  }
}

if (runs('federated-synthetic')) {
  const result = await runSyntheticFederation(backend, seeds, log);
  save('federated-synthetic', {
    protocol:
      "the demo's 3 synthetic organisations (10,000 training flows each); scored on their 3 labelled test days (5% attacks)",
    targets: { aurocGapToCentral: 0.005, scanAndFloodRecallGapAt1PercentFpr: 0.05 },
    ...result,
  });
}

if (runs('iot23')) {
  const dir = iot23Dir();
  if (!dir)
    log(
      `skipping IoT-23: no captures in ${iot23Candidates().join(' or ')} (set FEDFLOW_IOT23_DIR)`,
    );
  else save('iot23', await runIot23(dir, backend, seeds, log));
}

if (runs('calibration')) {
  const dir = nslKddDir();
  if (!dir) log(`skipping calibration: no KDDTest+.txt in ${nslKddCandidates().join(' or ')}`);
  else save('nsl-kdd-calibration', await runNslKddCalibration(dir, backend, seeds, log));
  save('synthetic-calibration', await runSyntheticCalibration(backend, seeds, log));
}

if (runs('follow')) {
  save('follow', await runFollow({ flowsPerSecond: 50_000, seconds: 6, runs: 3 }, log));
}

if (runs('traffic-features')) {
  save('traffic-features-synthetic', await runTrafficFeatures(backend, seeds, log));
}

if (runs('sequence')) {
  const dir = iot23Dir();
  if (!dir)
    log(`sequence: no IoT-23 captures in ${iot23Candidates().join(' or ')}; synthetic only`);
  save('sequence', await runSequence(dir, backend, seeds, log));
}

if (runs('compression')) {
  const dir = nslKddDir();
  if (!dir) {
    log(`skipping compression: no KDDTest+.txt in ${nslKddCandidates().join(' or ')}`);
  } else {
    save('compression-nsl-kdd', {
      protocol:
        '5 sites, normal rows of KDDTrain+_20Percent.txt split by service, default settings (8 rounds); deltas as float32, 8-bit and 4-bit values with error feedback, run side by side per seed; AUROC on KDDTest+.txt; bytes from a 2-round federation over gRPC on loopback',
      targets: { int8BytesToFloat32Model: 0.3, int8AurocLoss: 0.002 },
      ...(await runCompression(dir, seeds, log)),
    });
  }
}

if (runs('federation-cost')) {
  const dir = nslKddDir();
  if (!dir) {
    log(`skipping federation-cost: no KDDTest+.txt in ${nslKddCandidates().join(' or ')}`);
  } else {
    const at = args.indexOf('--clients');
    const clients = at >= 0 ? Number(args[at + 1]) : 2;
    save('federation-cost-nsl-kdd', {
      protocol: `${clients} sites as processes on loopback (mutual TLS), normal rows of KDDTrain+_20Percent.txt split by service, 8 rounds: each training round's time to the next round's start against the slowest site's optimiser steps (and its whole task), bytes each site sent and fetched per training round against the raw float32 model; AUROC on KDDTest+.txt from 5 sites in process, seeds side by side`,
      targets: { roundToSlowestTraining: 1.1, bytesUpDownToFloat32Model: 0.6 },
      ...(await runFederationCost(
        dir,
        seeds,
        { clients, rounds: 8, quality: !args.includes('--no-quality') },
        log,
      )),
    });
  }
}

if (runs('privacy')) {
  const dir = nslKddDir();
  if (!dir) {
    log(`skipping privacy: no KDDTest+.txt in ${nslKddCandidates().join(' or ')}`);
  } else {
    save('privacy-nsl-kdd', {
      protocol:
        '5 sites, normal rows of KDDTrain+_20Percent.txt split by service, 8 rounds of DP-FedAvg (deltas clipped to clipNorm, sites weighed alike, Gaussian noise), no screening; AUROC on KDDTest+.txt; epsilon at delta 1e-5 for the 8 rounds',
      ...(await runPrivacy(dir, seeds, 10, log)),
    });
  }
}

if (runs('secagg')) {
  const dir = nslKddDir();
  if (!dir) {
    log(`skipping secure aggregation: no KDDTest+.txt in ${nslKddCandidates().join(' or ')}`);
  } else {
    save('secagg-nsl-kdd', {
      protocol:
        'protocol alone: random deltas of the default model size, 10 sites, and 5 sites with 2 dropping (one before its masked delta, one before unmasking); federation: NSL-KDD normal rows split by service over 10 sites, and over 5 sites with 2 vanishing in every round, default settings without screening, 8 rounds, with and without secure aggregation side by side per seed; AUROC on KDDTest+.txt',
      targets: { aurocLoss: 0.002, extraSecondsPerRound: 2 },
      ...(await runSecAgg(dir, seeds, log)),
    });
  }
}

if (runs('poisoning')) {
  const dir = nslKddDir();
  if (!dir) {
    log(`skipping poisoning: no KDDTest+.txt in ${nslKddCandidates().join(' or ')}`);
  } else {
    // --screenings robust,median runs those alone, into a file named after them.
    const at = args.indexOf('--screenings');
    const only = at >= 0 ? args[at + 1]!.split(',') : [];
    const result = await runPoisoning(dir, seeds, log, only);
    save(only.length > 0 ? `poisoning-nsl-kdd-${only.join('-')}` : 'poisoning-nsl-kdd', {
      protocol:
        '5 sites on NSL-KDD split by service, one modified; AUROC on KDDTest+; cost = clean AUROC with the same defence minus attacked AUROC; withoutAttacker = the 4 other sites alone, default settings',
      targets: { attackCostWithDefault: 0.01, cleanCostOfDefaultVsPlain: 0.002 },
      ...result,
    });
  }
}

if (runs('sketch-influence')) {
  const dir = nslKddDir();
  if (!dir) {
    log(`skipping sketch-influence: no KDDTest+.txt in ${nslKddCandidates().join(' or ')}`);
  } else {
    save('sketch-influence-nsl-kdd', {
      protocol:
        "5 sites on NSL-KDD split by service, 5 rounds, default settings; site 1 (half of the rows) sends sign-flipped deltas and, in the encoder round, its own sketch or site 5's; AUROC on KDDTest+",
      ...(await runSketchInfluence(dir, seeds, 5, log)),
    });
  }
}

if (runs('fuzz')) {
  const messages = 100_000;
  log(`fuzz: ${messages} random messages to every RPC of a coordinator process...`);
  const result = await runFuzz(messages, log);
  save('fuzz-coordinator', {
    protocol:
      'a fedflow coordinator process on loopback; messages of random bytes to GetChallenge, Enrol, WaitForTask, FetchModel and SubmitResult in turn, 32 at a time',
    targets: { crashes: 0, ingressLogBytes: 'no entry per unauthenticated message' },
    ...result,
  });
}

if (runs('kill-loop')) {
  const kills = 10;
  log(`kill-loop: a coordinator process killed ${kills} times mid-round...`);
  const result = await runKillLoop({
    kills,
    fedflow: [process.execPath, join(here, '..', 'cli', 'fedflow.js')],
  });
  log(
    `kill-loop: ${result.kills} kills, ${result.accepted} results accepted, ${result.lost.length} lost`,
  );
  save('kill-loop-coordinator', {
    protocol:
      '3 synthetic sites in-process, a fedflow coordinator process killed with SIGKILL right after it accepted one or two results of an open round, restarted on the same port; 3 training rounds',
    targets: { lost: 0, auditExitCode: 0 },
    ...result,
  });
}

await runModelParts({ runs, wanted, save, log, here, args, seedsFrom, backend, seeds, resultsDir });
await runSpeedParts({ runs, wanted, save, log, here, args, seedsFrom });
