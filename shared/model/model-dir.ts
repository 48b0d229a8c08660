/**
 * A model directory: spec, weights, thresholds and an integrity record of their SHA-256
 * digests. Saved by building a sibling directory and swapping it in, so an existing model
 * is never left half-overwritten; loading verifies every digest before use.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fsyncDirectory, writeFileDurably } from '../fs/atomic-write.js';
import { type ModelSpec, parameterCount } from './model-spec.js';
import { ModelSpecError, readModelSpec } from './read-model-spec.js';
import { type ThresholdSet, validateThresholds } from './thresholds.js';

export const MODEL_FILES = {
  spec: 'model.json',
  weights: 'weights.bin',
  thresholds: 'thresholds.json',
  integrity: 'integrity.json',
} as const;

export interface SavedModel {
  readonly spec: ModelSpec;
  readonly weights: Float32Array;
  readonly thresholds: ThresholdSet | null;
  /** Free-form facts about how the model was made (training history, backend...). */
  readonly metadata?: Record<string, unknown>;
}

export class ModelDirectoryError extends Error {
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`model directory ${dir}: ${reason}`);
    this.name = 'ModelDirectoryError';
  }
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The digest of a weight vector's float32 bytes: `weights.bin`'s, and the coordinator status's. */
export function weightsSha256(weights: Float32Array): string {
  return sha256Hex(weightBytes(weights));
}

function weightBytes(weights: Float32Array): Uint8Array {
  return new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
}

/**
 * Throws unless `dir` may receive a model directory: absent, an empty directory, or a fedflow
 * model directory (replaced whole, the old one kept until the new one is in place). Anything
 * else, a file or a directory of other things, is never replaced.
 */
export function checkModelDirTarget(dir: string): void {
  const target = resolve(dir);
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory())
    throw new ModelDirectoryError(dir, 'exists and is not a directory; refusing to replace it');
  const entries = readdirSync(target);
  if (entries.length > 0 && !entries.includes(MODEL_FILES.integrity))
    throw new ModelDirectoryError(
      dir,
      `exists and is not a fedflow model directory (no ${MODEL_FILES.integrity}); refusing to replace it`,
    );
}

export function saveModelDir(dir: string, model: SavedModel): void {
  checkModelDirTarget(dir);
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = join(dirname(target), `.${basename(target)}.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  const files: Record<string, Uint8Array | string> = {
    [MODEL_FILES.spec]: `${JSON.stringify({ ...model.spec, metadata: model.metadata ?? {} }, null, 2)}\n`,
    [MODEL_FILES.weights]: weightBytes(model.weights),
    [MODEL_FILES.thresholds]: `${JSON.stringify(model.thresholds, null, 2)}\n`,
  };
  const digests: Record<string, string> = {};
  for (const [name, data] of Object.entries(files)) {
    writeFileDurably(join(staging, name), data);
    digests[name] = sha256Hex(data);
  }
  writeFileDurably(
    join(staging, MODEL_FILES.integrity),
    `${JSON.stringify({ algorithm: 'sha256', files: digests }, null, 2)}\n`,
  );
  // Swap: the old model stays complete until the new one is in place.
  const previous = `${staging}.previous`;
  if (existsSync(target)) renameSync(target, previous);
  renameSync(staging, target);
  fsyncDirectory(dirname(target));
  rmSync(previous, { recursive: true, force: true });
}

export function loadModelDir(dir: string): SavedModel {
  const read = (name: string): Buffer => {
    const path = join(dir, name);
    if (!existsSync(path))
      throw new ModelDirectoryError(dir, `missing ${name} (is this a fedflow model directory?)`);
    return readFileSync(path);
  };
  const integrity = parseJson(dir, MODEL_FILES.integrity, read(MODEL_FILES.integrity)) as {
    files?: Record<string, string>;
  };
  const contents = new Map<string, Buffer>();
  for (const name of [MODEL_FILES.spec, MODEL_FILES.weights, MODEL_FILES.thresholds]) {
    const data = read(name);
    const expected = integrity.files?.[name];
    if (!expected)
      throw new ModelDirectoryError(dir, `${MODEL_FILES.integrity} has no digest for ${name}`);
    const actual = sha256Hex(data);
    if (actual !== expected)
      throw new ModelDirectoryError(
        dir,
        `${name} is corrupted or was modified: sha256 ${actual}, expected ${expected}`,
      );
    contents.set(name, data);
  }
  const { metadata, ...specFields } = parseJson(
    dir,
    MODEL_FILES.spec,
    contents.get(MODEL_FILES.spec)!,
  ) as { metadata?: Record<string, unknown> };
  let spec: ModelSpec;
  try {
    spec = readModelSpec(specFields, MODEL_FILES.spec);
  } catch (error) {
    if (!(error instanceof ModelSpecError)) throw error;
    throw new ModelDirectoryError(dir, error.message);
  }
  const bytes = contents.get(MODEL_FILES.weights)!;
  if (bytes.byteLength % 4 !== 0)
    throw new ModelDirectoryError(
      dir,
      `${MODEL_FILES.weights} is ${bytes.byteLength} bytes, not a whole number of float32 values`,
    );
  const weights = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(weights.buffer).set(bytes);
  const expectedCount = parameterCount(spec.weights);
  if (weights.length !== expectedCount)
    throw new ModelDirectoryError(
      dir,
      `${MODEL_FILES.weights} holds ${weights.length} weights, the manifest needs ${expectedCount}`,
    );
  const thresholdsJson = parseJson(
    dir,
    MODEL_FILES.thresholds,
    contents.get(MODEL_FILES.thresholds)!,
  );
  const thresholds =
    thresholdsJson === null
      ? null
      : validateThresholds(thresholdsJson, join(dir, MODEL_FILES.thresholds));
  return { spec, weights, thresholds, metadata: metadata ?? {} };
}

function parseJson(dir: string, name: string, data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch (error) {
    throw new ModelDirectoryError(dir, `${name} is not valid JSON: ${(error as Error).message}`);
  }
}
