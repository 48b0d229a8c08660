/**
 * Site calibration where the held-out set can resolve a 0.1% target: a model trained on one
 * synthetic organisation's normal day (`web`) is moved to another site (`internal`), which runs
 * `calibrate` on one day of its own normal traffic and is measured on the next day's. With
 * 50,000 flows a day a 0.1% threshold rests on 50 flows each side, where KDDTest+'s 4,856
 * normals leave it to about 5 (nsl-kdd-calibration.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadedModel } from '../client/detect/loaded-model.js';
import { DEFAULT_START_TIME } from '../shared/flows/synth/generate.js';
import { writeSyntheticConnLog } from '../shared/flows/synth/index.js';
import type { BackendReport } from '../shared/runtime/backend.js';
import { trainReference } from './federation/reference-models.js';
import {
  calibrationSummary,
  type HeldOutCalibration,
  heldOutCalibration,
} from './held-out-calibration.js';

const TARGETS = [0.01, 0.001];
const TRAINING_FLOWS = 20_000;
const DAY_FLOWS = 50_000;
const DAY_SECONDS = 86_400;

export async function runSyntheticCalibration(
  backend: BackendReport,
  seeds: readonly number[],
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-syncalibration-'));
  try {
    const runs: (HeldOutCalibration & { seed: number })[] = [];
    for (const seed of seeds) {
      const day = (name: string, profile: 'web' | 'internal', flows: number, offset: number) =>
        writeSyntheticConnLog(join(work, name), {
          profile,
          flows,
          seed: 100 * seed + offset,
          startTime: DEFAULT_START_TIME + offset * DAY_SECONDS,
        }).then(() => join(work, name));
      const trainFile = await day(`web-${seed}.log`, 'web', TRAINING_FLOWS, 0);
      const calibrate = await day(`site-day1-${seed}.log`, 'internal', DAY_FLOWS, 1);
      const heldOut = await day(`site-day2-${seed}.log`, 'internal', DAY_FLOWS, 2);
      const trained = await trainReference(
        { files: [trainFile], format: 'zeek', onlyLabel: null },
        seed,
        backend,
      );
      const loaded = loadedModel(trained.model);
      try {
        const measured = await heldOutCalibration(loaded, { calibrate, heldOut }, 'zeek', TARGETS);
        runs.push({ seed, ...measured });
        log(
          `synthetic calibration seed ${seed}: own thresholds ${percent(measured.observedFprOwn)}, after calibrate on ${measured.calibrationFlows} normals ${percent(measured.observedFprCalibrated)}`,
        );
      } finally {
        loaded.model.dispose();
      }
    }
    return {
      protocol: `train on a synthetic 'web' site's normal day (${TRAINING_FLOWS} flows); calibrate on an 'internal' site's normal day (${DAY_FLOWS} flows); observed FPR on that site's next day (${DAY_FLOWS} flows)`,
      ...calibrationSummary(runs, TARGETS),
      runs,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function percent(fprs: readonly number[]): string {
  return fprs.map((f) => `${(100 * f).toFixed(2)}%`).join(' / ');
}
