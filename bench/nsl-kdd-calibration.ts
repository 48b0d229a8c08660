/**
 * Site calibration on NSL-KDD: a model trained on the normal rows of KDDTrain+ (20%), its
 * thresholds re-placed with `calibrate` on a random half of KDDTest+'s normal rows, and the
 * observed FPR on the other half, against the FPR of the model's own thresholds there. NSL-KDD
 * rows carry no time context, so a seeded random split is a fair held-out set (a split at the
 * file's middle would also test whatever order the file has).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadedModel } from '../client/detect/loaded-model.js';
import { SeededRandom } from '../shared/flows/synth/random.js';
import type { BackendReport } from '../shared/runtime/backend.js';
import { trainReference } from './federation/reference-models.js';
import {
  calibrationSummary,
  type HeldOutCalibration,
  heldOutCalibration,
} from './held-out-calibration.js';

const TARGETS = [0.01, 0.001];

interface SeedResult extends HeldOutCalibration {
  readonly seed: number;
}

export async function runNslKddCalibration(
  dir: string,
  backend: BackendReport,
  seeds: readonly number[],
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-calibrationbench-'));
  try {
    const normals = readFileSync(join(dir, 'KDDTest+.txt'), 'utf8')
      .split('\n')
      .filter((line) => line.split(',')[41] === 'normal');
    const runs: SeedResult[] = [];
    for (const seed of seeds) {
      const train = {
        files: [join(dir, 'KDDTrain+_20Percent.txt')],
        format: 'nsl-kdd' as const,
        onlyLabel: 'normal',
      };
      const trained = await trainReference(train, seed, backend);
      const { first, second } = splitAtRandom(normals, seed, work);
      const loaded = loadedModel(trained.model);
      try {
        const measured = await heldOutCalibration(
          loaded,
          { calibrate: first, heldOut: second },
          'nsl-kdd',
          TARGETS,
        );
        const result = { seed, ...measured };
        runs.push(result);
        log(
          `calibration seed ${seed}: own thresholds ${percent(result.observedFprOwn)}, after calibrate on ${result.calibrationFlows} normals ${percent(result.observedFprCalibrated)} (targets ${percent(TARGETS)})`,
        );
      } finally {
        loaded.model.dispose();
      }
    }
    return {
      protocol:
        "train on KDDTrain+_20Percent's normal rows; calibrate on a seeded random half of KDDTest+'s normal rows; observed FPR on the other half",
      ...calibrationSummary(runs, TARGETS),
      runs,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The rows shuffled by `seed` and cut in two, each half written as its own NSL-KDD file. */
function splitAtRandom(rows: readonly string[], seed: number, work: string) {
  const random = new SeededRandom(seed);
  const order = rows.map((row) => ({ row, key: random.next() }));
  order.sort((a, b) => a.key - b.key);
  const half = Math.floor(order.length / 2);
  const first = join(work, `calibrate-${seed}.txt`);
  const second = join(work, `held-out-${seed}.txt`);
  writeFileSync(
    first,
    `${order
      .slice(0, half)
      .map((o) => o.row)
      .join('\n')}\n`,
  );
  writeFileSync(
    second,
    `${order
      .slice(half)
      .map((o) => o.row)
      .join('\n')}\n`,
  );
  return { first, second };
}

function percent(fprs: readonly number[]): string {
  return fprs.map((f) => `${(100 * f).toFixed(2)}%`).join(' / ');
}
