/**
 * Where local training starts when it does not fit its own encoder: a given model's schema,
 * encoder and architecture, with that model's weights (fine-tuning) or fresh seeded ones.
 */
import { resolve } from 'node:path';
import { loadModelDir, weightsSha256 } from '../../shared/model/model-dir.js';
import type { ModelSpec } from '../../shared/model/model-spec.js';
import { initialWeights } from '../../shared/model/parameters.js';

/** Where a starting model came from, as far as the caller knows. */
export interface ModelSource {
  /** Its version (a federation's global model version), when known. */
  readonly version?: number | null;
  /** The model directory it was loaded from, when it was. */
  readonly dir?: string | null;
}

/**
 * Train under `spec`'s schema, encoder and architecture: the site's rows are encoded with
 * `spec.encoder` (no encoder is fitted).
 * - `weights` given: continue that model (fine-tuning; no KL warm-up, as it is trained already);
 * - `weights: null`: start from fresh weights seeded by `training.seed` (training from scratch
 *   under a fixed encoder, e.g. a central baseline with a federation's encoder).
 * @example
 * await trainSiteModel(selection, config, 'models/site-a-tuned', backend, hooks,
 *   modelInitFromDir('site-state/model'));
 */
export interface ModelInit {
  readonly spec: ModelSpec;
  readonly weights: Float32Array | null;
  readonly source?: ModelSource;
}

/** What the saved model directory's metadata records as `origin`. */
export interface ModelOrigin {
  readonly version: number | null;
  /** SHA-256 hex of the starting weights' float32 bytes (as the coordinator's status shows); null for fresh weights. */
  readonly sha256: string | null;
  readonly dir: string | null;
  readonly weights: 'given' | 'fresh';
  /** Epochs trained from it, and the rows trained on. */
  readonly epochs: number;
  readonly rows: number;
}

/** Loads (and verifies) a model directory as the start of fine-tuning. */
export function modelInitFromDir(dir: string): ModelInit {
  const saved = loadModelDir(dir);
  const version = saved.metadata?.version;
  return {
    spec: saved.spec,
    weights: saved.weights,
    source: { version: typeof version === 'number' ? version : null, dir: resolve(dir) },
  };
}

/** The weights training starts from (the VAE checks them against the manifest). */
export function startingWeights(init: ModelInit, seed: number): Float32Array {
  return init.weights ?? initialWeights(init.spec.weights, seed, init.spec.architecture.latent);
}

export function modelOrigin(init: ModelInit, epochs: number, rows: number): ModelOrigin {
  return {
    version: init.source?.version ?? null,
    sha256: init.weights === null ? null : weightsSha256(init.weights),
    dir: init.source?.dir ?? null,
    weights: init.weights === null ? 'fresh' : 'given',
    epochs,
    rows,
  };
}
