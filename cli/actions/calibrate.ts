/** What `fedflow calibrate` does (its options: cli/commands/calibrate.ts). */
import { calibrateModel } from '../../client/detect/calibrate-model.js';
import { openModel } from '../../client/detect/loaded-model.js';
import { loadModelConfig } from '../../shared/config/model-config.js';
import { lineLog } from '../../shared/logging/logger.js';
import { checkModelDirTarget, saveModelDir } from '../../shared/model/model-dir.js';
import { fprInterval, thinThresholdWarnings } from '../../shared/stats/thresholds.js';
import type { FlowFileOptions } from '../flow-options.js';
import { readOptions, startBackend } from '../flow-setup.js';
import { processLogger } from '../logging.js';
import { rowsProgress } from '../progress/rows.js';

export interface CalibrateOptions extends FlowFileOptions {
  model: string;
  out: string;
  onlyLabel?: string;
}

export async function calibrateThresholds(options: CalibrateOptions): Promise<void> {
  checkModelDirTarget(options.out);
  const config = loadModelConfig(options.config, { backend: options.backend }).getProperties();
  await startBackend(config.backend);
  const loaded = openModel(options.model);
  const targetFprs =
    loaded.saved.thresholds?.targets.map((t) => t.fpr) ?? config.thresholds.targetFprs;
  const progress = rowsProgress('scoring');
  const calibration = await calibrateModel(loaded, {
    onScored: progress.update,
    files: options.data,
    format: options.format,
    read: await readOptions(options, config.input.maxBadShare),
    onlyLabel: options.onlyLabel ?? null,
    targetFprs,
    importanceSamples: loaded.saved.thresholds?.importanceSamples ?? 0,
  }).finally(() => {
    progress.stop();
    loaded.model.dispose();
  });
  saveModelDir(options.out, {
    ...loaded.saved,
    thresholds: calibration.thresholds,
    metadata: {
      ...loaded.saved.metadata,
      calibratedBy: 'fedflow calibrate',
      calibratedFrom: options.model,
      previousThresholds: loaded.saved.thresholds,
    },
  });
  const n = calibration.flows;
  const log = processLogger();
  log.info(
    `placed on ${n} flows (${calibration.badRows} malformed skipped) from ${options.data.join(', ')}`,
  );
  for (const p of calibration.placed) {
    const { low, high } = fprInterval(p.normalsAbove, n);
    const before = loaded.saved.thresholds?.targets.find((t) => t.fpr === p.targetFpr);
    log.info(
      `threshold at FPR ${p.targetFpr}: ${p.threshold.toFixed(4)} nats${before ? ` (was ${before.threshold.toFixed(4)})` : ''}; 95% interval of its FPR ${(low * 100).toPrecision(2)}%-${(high * 100).toPrecision(2)}%`,
    );
  }
  for (const warning of thinThresholdWarnings(calibration.placed, n)) lineLog(log)(warning);
  process.stdout.write(`${options.out}\n`);
}
