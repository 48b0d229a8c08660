/**
 * fedflow's side of bench/peers/classical.py: writes one split's encoded codes (training
 * normals, calibration normals, test sets) and the encoder's cardinalities into a directory,
 * runs the detectors there, and reads their scores back. Python one-hot encodes the codes into
 * the columns of fedflow's multi-hot input, so both see identical features.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import type { FlowTable } from '../../shared/encoding/flow-table.js';
import { writeCodes } from './codes-file.js';
import { PYTHON, peersDir } from './python-peer.js';

/** The detectors classical.py fits, with the names the tables give them. */
export const CLASSICAL_DETECTORS = {
  knn: 'kNN (k=5, distance to 5th training normal)',
  gmm: 'GMM (diagonal, components by BIC)',
  pca: 'PCA (95% variance, reconstruction error)',
  iforest: 'Isolation Forest (200 trees)',
} as const;
export type ClassicalDetector = keyof typeof CLASSICAL_DETECTORS;

export interface DetectorRun {
  readonly detector: ClassicalDetector;
  readonly settings: Record<string, unknown>;
  readonly fitRows: number;
  readonly fitSeconds: number;
  /** Calibration and test rows together, codes to scores (one-hot included). */
  readonly scoreRows: number;
  readonly scoreSeconds: number;
}

export interface ClassicalAnswer {
  readonly seed: number;
  readonly width: number;
  readonly detectors: readonly DetectorRun[];
}

const script = () => join(peersDir(), 'classical.py');

/** numpy's and scikit-learn's versions, or why classical.py cannot run here. */
export function probeClassical(): { numpy: string; sklearn: string } | { missing: string } {
  const probe = spawnSync(PYTHON, [script(), 'info'], { encoding: 'utf8' });
  if (probe.error) return { missing: `${PYTHON} did not start (${probe.error.message})` };
  if (probe.status !== 0) {
    const last = probe.stderr.trim().split('\n').at(-1) ?? '';
    return { missing: `${PYTHON} cannot run classical.py: ${last}` };
  }
  return JSON.parse(probe.stdout) as { numpy: string; sklearn: string };
}

/** Runs classical.py with `args`; its last stdout line, or an error carrying its stderr. */
export function runClassicalScript(args: readonly string[]): string {
  const run = spawnSync(PYTHON, [script(), ...args], { encoding: 'utf8', maxBuffer: 2 ** 24 });
  if (run.error || run.status !== 0)
    throw new Error(
      `classical.py ${args.join(' ')} failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr.trim()}`,
    );
  return run.stdout.trim().split('\n').at(-1) ?? '';
}

/**
 * Writes `parts` (name -> table; 'train' is what the detectors fit on) into `dir`, as
 * classical.py's `run` reads them.
 */
export function exportParts(
  dir: string,
  encoder: FlowEncoder,
  parts: Readonly<Record<string, FlowTable>>,
): void {
  if (!parts.train) throw new Error('exportParts: no train part to fit on');
  for (const [name, table] of Object.entries(parts)) writeCodes(join(dir, `${name}.codes`), table);
  const meta = { cardinalities: [...encoder.cardinalities], parts: Object.keys(parts) };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
}

/** classical.py's answer, checked: every detector present once, with finite timings. */
export function parseClassicalAnswer(text: string): ClassicalAnswer {
  let answer: ClassicalAnswer;
  try {
    answer = JSON.parse(text) as ClassicalAnswer;
  } catch (error) {
    throw new Error(`classical.py answered no JSON (${(error as Error).message}): ${text}`);
  }
  if (!Array.isArray(answer?.detectors))
    throw new Error(`classical.py answer has no detectors: ${text}`);
  const names = answer.detectors.map((d) => d.detector);
  const wanted = Object.keys(CLASSICAL_DETECTORS);
  if (JSON.stringify([...names].sort()) !== JSON.stringify([...wanted].sort()))
    throw new Error(
      `classical.py answered detectors ${names.join(', ')}; wanted ${wanted.join(', ')}`,
    );
  for (const d of answer.detectors)
    for (const field of ['fitRows', 'fitSeconds', 'scoreRows', 'scoreSeconds'] as const)
      if (!Number.isFinite(d[field]) || d[field] < 0)
        throw new Error(`classical.py: ${d.detector}'s ${field} is ${d[field]}`);
  return answer;
}

/** Fits and scores every detector on the parts exported into `dir`. */
export function runClassical(dir: string, seed: number): ClassicalAnswer {
  return parseClassicalAnswer(runClassicalScript(['run', dir, '--seed', String(seed)]));
}

/** One detector's scores of one part (little-endian float64), checked against its row count. */
export function readScores(
  dir: string,
  detector: ClassicalDetector,
  part: string,
  rows: number,
): Float64Array {
  const path = join(dir, `${detector}-${part}.f64`);
  const bytes = readFileSync(path);
  if (bytes.byteLength !== rows * 8)
    throw new Error(`${path}: ${bytes.byteLength} bytes, wanted ${rows} float64 scores`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float64Array.from({ length: rows }, (_, i) => view.getFloat64(8 * i, true));
}
