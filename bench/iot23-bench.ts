/**
 * Real Zeek conn.logs (IoT-23): train on the benign honeypot captures, score the Hakai capture
 * and each Torii capture, with and without per-host traffic features. Also the observed FPR on
 * each capture's normals at the model's own thresholds, and after `calibrate` on the first half
 * of that capture's normal rows (measured on the second half).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreLabelledFlows, summariseDetection } from '../client/detect/evaluate-model.js';
import { loadedModel } from '../client/detect/loaded-model.js';
import type { SavedModel } from '../shared/model/model-dir.js';
import type { BackendReport } from '../shared/runtime/backend.js';
import { trainReference } from './federation/reference-models.js';
import { spreadOf } from './federation/seed-summary.js';
import { type HeldOutCalibration, heldOutCalibration } from './held-out-calibration.js';

const BENIGN = [
  'honeypot-4-1-philips-hue.conn.log',
  'honeypot-5-1-amazon-echo.conn.log',
  'honeypot-7-1-somfy-lock.conn.log',
];
const INFECTED = [
  'malware-8-1-hakai.conn.log',
  'malware-20-1-torii.conn.log',
  'malware-21-1-torii.conn.log',
];
const TARGETS = [0.01, 0.001];
/** Without derived fields, with them (the default), and with each host's last-100 window too. */
const VARIANTS = [
  { trafficFeatures: false, lastConnections: 0 },
  { trafficFeatures: true, lastConnections: 0 },
  { trafficFeatures: true, lastConnections: 100 },
];

export async function runIot23(
  dir: string,
  backend: BackendReport,
  seeds: readonly number[],
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-iot23bench-'));
  try {
    const variants = [];
    for (const { trafficFeatures, lastConnections } of VARIANTS) {
      const runs: { seed: number; captures: CaptureResult[] }[] = [];
      for (const seed of seeds) {
        const data = {
          files: BENIGN.map((f) => join(dir, f)),
          format: 'zeek' as const,
          onlyLabel: null,
          trafficFeatures,
          lastConnections,
        };
        const trained = await trainReference(data, seed, backend);
        const captures = [];
        for (const capture of INFECTED) {
          const result = await scoreCapture(trained.model, join(dir, capture), work);
          captures.push({ capture, ...result });
          log(
            `iot23 ${trafficFeatures ? 'with' : 'without'} traffic features${lastConnections ? ` and the last ${lastConnections} connections` : ''} seed ${seed} ${capture}: AUROC ${result.auroc.toFixed(4)} TPR@1% ${result.tprAtTestFpr[0]!.toFixed(3)} FPR at own 1% threshold ${result.observedFprOwn[0]!.toFixed(4)}, after calibrate ${result.observedFprCalibrated[0]!.toFixed(4)}`,
          );
        }
        runs.push({ seed, captures });
      }
      variants.push({
        trafficFeatures,
        lastConnections,
        byCapture: INFECTED.map((capture, c) => ({
          capture,
          auroc: spreadOf(runs, (r) => r.captures[c]!.auroc),
          tprAt1PercentFpr: spreadOf(runs, (r) => r.captures[c]!.tprAtTestFpr[0]!),
          tprAt01PercentFpr: spreadOf(runs, (r) => r.captures[c]!.tprAtTestFpr[1]!),
          observedFprAtOwnThresholds: TARGETS.map((_, t) =>
            spreadOf(runs, (r) => r.captures[c]!.observedFprOwn[t]!),
          ),
          observedFprAfterCalibrate: TARGETS.map((_, t) =>
            spreadOf(runs, (r) => r.captures[c]!.observedFprCalibrated[t]!),
          ),
          calibrationFlows: runs[0]!.captures[c]!.calibrationFlows,
          heldOutNormals: runs[0]!.captures[c]!.heldOutNormals,
        })),
      });
    }
    return {
      protocol:
        "train on the 3 benign IoT-23 honeypot captures (1,956 flows); score the Hakai and the two Torii captures; calibrate on the first half of a capture's normal rows, observed FPR on the second half",
      targets: TARGETS,
      variants,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface CaptureResult extends HeldOutCalibration {
  readonly capture: string;
  readonly auroc: number;
  readonly tprAtTestFpr: number[];
}

async function scoreCapture(
  model: SavedModel,
  file: string,
  work: string,
): Promise<Omit<CaptureResult, 'capture'>> {
  const loaded = loadedModel(model);
  try {
    const scored = await scoreLabelledFlows(loaded, [file], 'zeek', {}, {});
    const own = summariseDetection(scored, model.thresholds?.targets ?? []);
    const normals = Float64Array.from(
      scored.scores.filter((_, i) => scored.categories[i] === 'normal'),
    ).sort();
    const atTest = TARGETS.map((fpr) => ({
      fpr,
      threshold: normals[Math.min(normals.length - 1, Math.floor(normals.length * (1 - fpr)))]!,
    }));
    const tprAtTestFpr = summariseDetection(scored, atTest).thresholds.map((t) => t.tpr);
    // Calibrate on the first half of the capture's normal rows, measure on the second half.
    const { first, second } = splitCapture(file, work);
    const measured = await heldOutCalibration(
      loaded,
      { calibrate: first, heldOut: second },
      'zeek',
      TARGETS,
    );
    return { auroc: own.auroc, tprAtTestFpr, ...measured };
  } finally {
    loaded.model.dispose();
  }
}

/**
 * The capture cut in two at its middle record (time order kept, so the traffic context of each
 * half is its own), both halves with the capture's header.
 */
function splitCapture(file: string, work: string): { first: string; second: string } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const header = lines.filter((l) => l.startsWith('#') && !l.startsWith('#close'));
  const records = lines.filter((l) => l.length > 0 && !l.startsWith('#'));
  const half = Math.floor(records.length / 2);
  const first = join(work, 'first.conn.log');
  const second = join(work, 'second.conn.log');
  writeFileSync(first, `${[...header, ...records.slice(0, half)].join('\n')}\n`);
  writeFileSync(second, `${[...header, ...records.slice(half)].join('\n')}\n`);
  return { first, second };
}
