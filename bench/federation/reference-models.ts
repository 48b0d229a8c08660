/**
 * The models a federated one is measured against: central (all sites' rows in one place,
 * with the federation's encoder or its own), local-only (one site alone), and personalised
 * (the global model fine-tuned on one site). All through the product's own training path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainSiteModel } from '../../client/pipeline/train-site-model.js';
import { loadModelConfig } from '../../shared/config/model-config.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import type { FlowFormat } from '../../shared/flows/formats.js';
import { loadModelDir, type SavedModel } from '../../shared/model/model-dir.js';
import type { ModelSpec } from '../../shared/model/model-spec.js';
import type { BackendReport } from '../../shared/runtime/backend.js';

export interface TrainingData {
  readonly files: readonly string[];
  readonly format: FlowFormat;
  readonly onlyLabel: string | null;
  /** Derive per-host traffic features where the format allows (the default). */
  readonly trafficFeatures?: boolean;
  /** With traffic features, also each host's last N connections (0 or absent: not). */
  readonly lastConnections?: number;
}

export interface ReferenceModel {
  readonly model: SavedModel;
  readonly rows: number;
  readonly epochs: number;
}

/**
 * Trains and loads a model: with `start` it uses that spec's encoder and architecture (fresh
 * weights, or `start.weights` to fine-tune); without, it fits its own encoder.
 */
export async function trainReference(
  data: TrainingData,
  seed: number,
  backend: BackendReport,
  start?: { spec: ModelSpec; weights: Float32Array | null; version?: number; epochs?: number },
): Promise<ReferenceModel> {
  const out = mkdtempSync(join(tmpdir(), 'fedflow-reference-'));
  try {
    const config = loadModelConfig(undefined, {
      'training.seed': seed,
      ...(start?.epochs ? { 'training.epochs': start.epochs } : {}),
    }).getProperties();
    const init = start && {
      spec: start.spec,
      weights: start.weights,
      source: { version: start.version ?? null },
    };
    const selection = { ...data, files: [...data.files], read: {} };
    const result = await trainSiteModel(selection, config, out, backend, {}, init);
    return {
      model: loadModelDir(out),
      rows: result.data.summary.rowsUsed,
      epochs: result.training.history.length,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Central training under the federated model's encoder (same vocabulary under the same floor). */
export const centralWithEncoderOf = (
  global: GlobalModel,
  data: TrainingData,
  seed: number,
  backend: BackendReport,
) => trainReference(data, seed, backend, { spec: global.spec, weights: null });

/** The global model fine-tuned on one site's flows (thresholds re-placed on its own calibration split). */
export const personalised = (
  global: GlobalModel,
  site: TrainingData,
  seed: number,
  backend: BackendReport,
  epochs = 5,
) =>
  trainReference(site, seed, backend, {
    spec: global.spec,
    weights: global.weights,
    version: global.version,
    epochs,
  });
