/** A small trained "global" model (as a client saves it, with a version) and another site's flows. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainSiteModel } from '../../../client/pipeline/train-site-model.js';
import { loadModelConfig, type ModelConfig } from '../../../shared/config/model-config.js';
import type { FlowSelection } from '../../../shared/flows/pipeline.js';
import { writeSyntheticConnLog } from '../../../shared/flows/synth/index.js';
import { loadModelDir, type SavedModel, saveModelDir } from '../../../shared/model/model-dir.js';
import { type BackendReport, initBackend } from '../../../shared/runtime/backend.js';

/** A small Gaussian-latent model (its warm-up default is 5 epochs, so "no warm-up" shows). */
export function smallConfig(training: Record<string, unknown> = {}): ModelConfig {
  const config = loadModelConfig(undefined, {
    'model.latent': 'gaussian',
    'model.hidden': 16,
    'model.latentDim': 4,
    'training.batchSize': 256,
  }).getProperties();
  return { ...config, training: { ...config.training, ...training } };
}

export interface GlobalModelFixture {
  readonly backend: BackendReport;
  /** The global model, saved at `file('global')` with metadata version 7. */
  readonly global: SavedModel;
  /** The other site's flows (a different organisation profile). */
  readonly site: FlowSelection;
  file(name: string): string;
  remove(): void;
}

export async function globalModelFixture(): Promise<GlobalModelFixture> {
  const backend = await initBackend();
  const dir = mkdtempSync(join(tmpdir(), 'fedflow-fine-tune-'));
  const file = (name: string) => join(dir, name);
  const synth = { flows: 1500, attackShare: 0 };
  await writeSyntheticConnLog(file('global.log'), { ...synth, profile: 'web', seed: 1 });
  await writeSyntheticConnLog(file('site.log'), { ...synth, profile: 'mail-dns', seed: 2 });
  const site = { files: [file('site.log')], format: 'zeek', onlyLabel: null, read: {} } as const;
  const selection = { ...site, files: [file('global.log')] };
  await trainSiteModel(selection, smallConfig({ epochs: 2 }), file('trained'), backend);
  const global = loadModelDir(file('trained'));
  saveModelDir(file('global'), { ...global, metadata: { version: 7 } });
  return {
    backend,
    global,
    site,
    file,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The largest absolute difference between two weight vectors of one length. */
export function maxDifference(a: Float32Array, b: Float32Array): number {
  return a.reduce((most, v, i) => Math.max(most, Math.abs(v - b[i]!)), 0);
}
