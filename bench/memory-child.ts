/**
 * Child process of the memory benchmark: synthesise N flows, train on them, and report the
 * peak resident set size. A separate process so the peak belongs to this job alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainSiteModel } from '../client/pipeline/train-site-model.js';
import { loadModelConfig } from '../shared/config/model-config.js';
import { writeSyntheticConnLog } from '../shared/flows/synth/index.js';
import { initBackend } from '../shared/runtime/backend.js';

const flows = Number(process.argv[2] ?? 1_000_000);
const epochs = Number(process.argv[3] ?? 1);
const work = mkdtempSync(join(tmpdir(), 'fedflow-mem-'));
try {
  const backend = await initBackend();
  const file = join(work, 'flows.conn.log');
  let started = performance.now();
  await writeSyntheticConnLog(file, { profile: 'internal', flows, seed: 7 });
  const synthSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const config = loadModelConfig(undefined, { 'training.epochs': epochs }).getProperties();
  const result = await trainSiteModel(
    { files: [file], format: 'zeek', onlyLabel: null, read: {} },
    config,
    join(work, 'model'),
    backend,
  );
  const trainSeconds = (performance.now() - started) / 1000;
  const usage = process.resourceUsage();
  process.stdout.write(
    `${JSON.stringify({
      flows,
      epochs: result.training.history.length,
      backend: backend.name,
      peakRssMB: usage.maxRSS / 1024,
      synthSeconds,
      readTrainSaveSeconds: trainSeconds,
      trainFlowsPerSecondPerEpoch: result.training.history.map((h) => h.flowsPerSecond),
    })}\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
