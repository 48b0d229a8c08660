/**
 * The bench parts about speed and footprint: start-up, fedflow against its PyTorch peer, peak
 * memory on 1,000,000 flows, the readers, and the native backend against wasm (only when named).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { iot23Dir, nslKddCandidates, nslKddDir } from '../cli/datasets.js';
import { runBackendSpeed } from './backend-speed.js';
import type { BenchContext } from './bench-context.js';
import { runPeers } from './peers/peers-bench.js';
import { PYTHON, probePeer } from './peers/python-peer.js';
import { runReaders } from './readers-bench.js';
import { runStartup } from './startup-bench.js';

export async function runSpeedParts(context: BenchContext): Promise<void> {
  for (const part of [startup, peers, memory, readers, backendSpeed]) await part(context);
}

async function startup({ runs, save, log }: BenchContext): Promise<void> {
  if (runs('startup')) {
    const dir = nslKddDir();
    if (!dir) log(`skipping startup: no KDDTest+.txt in ${nslKddCandidates().join(' or ')}`);
    else
      save('startup-nsl-kdd', {
        protocol:
          'the built fedflow program, a new process per run (median wall seconds after a warm-up): --help, score --help, score on the first 20,000 rows of KDDTest+, and flows/s scoring KDDTest+ x10; model from fedflow train --seed 1 on KDDTrain+_20Percent',
        targets: { helpSeconds: 0.3, score20kSeconds: 1 },
        ...(await runStartup(dir, log)),
      });
  }
}

async function peers({ runs, save, log, here }: BenchContext): Promise<void> {
  if (runs('peers')) {
    const dir = nslKddDir();
    const peer = probePeer();
    if (!dir) log(`skipping peers: no KDDTest+.txt in ${nslKddCandidates().join(' or ')}`);
    else if ('missing' in peer) log(`skipping peers (the PyTorch peer): ${peer.missing}`);
    else {
      const settings = {
        fedflow: [process.execPath, join(here, '..', 'cli', 'fedflow.js')],
        pairs: 3,
        epochs: 3,
        copies: 10,
      };
      save('peers-nsl-kdd', {
        protocol: `fedflow against its PyTorch peer (bench/peers), same model directory and encoded codes: trained by 'fedflow train' for ${settings.epochs} epochs on the normal rows of KDDTrain+_20Percent.txt; training ${settings.epochs} epochs (batch 512) on those rows, model-only scoring of KDDTest+.txt's encoded rows, and 'score' file -> alert lines on KDDTest+.txt and on it concatenated ${settings.copies} times; alternating fedflow, peer (1 torch thread), peer (default threads) in ${settings.pairs} rounds; ratio = fedflow flows/s / peer flows/s; the machine may be shared`,
        fedflowThreads: 1,
        peer: { python: PYTHON, ...peer },
        ...(await runPeers(dir, peer, settings, log)),
      });
    }
  }
}

async function memory({ runs, save, log, here }: BenchContext): Promise<void> {
  if (runs('memory')) {
    const flows = 1_000_000;
    log(`memory: training on ${flows} synthetic flows in a child process (1 epoch)...`);
    const output = execFileSync(
      process.execPath,
      [join(here, 'memory-child.js'), String(flows), '1'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const result = JSON.parse(output.trim().split('\n').at(-1)!);
    log(`memory: peak RSS ${Math.round(result.peakRssMB)} MB for ${flows} flows`);
    save('memory-1m-flows', { targetPeakRssMB: 1536, ...result });
  }
}

async function readers({ runs, save, log, args }: BenchContext): Promise<void> {
  if (runs('readers')) {
    const iot23 = iot23Dir();
    const nslKdd = nslKddDir();
    if (!iot23 || !nslKdd) {
      log(
        'skipping readers: it needs the IoT-23 captures and NSL-KDD (FEDFLOW_IOT23_DIR, FEDFLOW_NSL_KDD_DIR)',
      );
    } else {
      const at = args.indexOf('--baseline');
      const baseline = at >= 0 ? args[at + 1] : undefined;
      save('readers', {
        protocol:
          'file to rows, and file to the encoded table (no derived fields), rows per second by the wall clock and by the process CPU time (on a shared machine the wall clock also counts the turns of other processes); medians of 5 runs; hakai x20 is malware-8-1-hakai.conn.log with its records 20 times over (208,060 rows), KDDTest+ x10 is 225,440 rows; with a baseline, the two builds run in turn',
        targets: { rowsPerSecond: 300_000 },
        ...(await runReaders(iot23, nslKdd, { runs: 5, baseline }, log)),
      });
    }
  }
}

async function backendSpeed({ wanted, save, log, here, seedsFrom }: BenchContext): Promise<void> {
  // Only when named: it needs the native backend built (npm run native:build) and takes minutes.
  if (wanted.includes('backend-speed')) {
    const dir = nslKddDir();
    if (!dir) {
      log(`skipping backend speed: no KDDTest+.txt in ${nslKddCandidates().join(' or ')}`);
    } else {
      const cli = join(here, '..', 'cli', 'fedflow.js');
      const variants = runBackendSpeed(cli, dir, Number(seedsFrom('--rounds', [5])[0]), log);
      save('backend-speed-nsl-kdd', {
        protocol:
          "each variant a fresh process, in turn, round after round: 'fedflow train' (6 epochs, median of epochs 2-6) on the normal rows of KDDTrain+_20Percent.txt and 'fedflow score' on KDDTest+.txt; medians over rounds",
        variants,
      });
    }
  }
}
