/** What `fedflow evaluate` does (its options: cli/commands/evaluate.ts). */
import {
  type Evaluation,
  scoreLabelledFlows,
  summariseDetection,
} from '../../client/detect/evaluate-model.js';
import { openModel } from '../../client/detect/loaded-model.js';
import { loadModelConfig } from '../../shared/config/model-config.js';
import {
  checkOutputFile,
  jsonReport,
  SVG_CHART,
  writeOutputFile,
} from '../../shared/fs/output-file.js';
import { scoreForThresholds } from '../../shared/model/thresholds.js';
import { formatTable } from '../../shared/stats/report-table.js';
import { renderRocChart, rocChartCurve } from '../../shared/stats/roc-chart.js';
import type { FlowFileOptions } from '../flow-options.js';
import { readOptions, startBackend } from '../flow-setup.js';
import { processLogger } from '../logging.js';
import { rowsProgress } from '../progress/rows.js';

/** What this command's --json writes: it replaces only a file that starts the same way. */
const EVALUATION_JSON = jsonReport('an evaluation report', 'model');

export interface EvaluateOptions extends FlowFileOptions {
  model: string;
  json?: string;
  roc?: string;
}

export async function evaluateModel(options: EvaluateOptions): Promise<void> {
  // Outputs are checked before the work, so a bad path costs nothing.
  if (options.json) checkOutputFile(options.json, EVALUATION_JSON);
  if (options.roc) checkOutputFile(options.roc, SVG_CHART);
  const config = loadModelConfig(options.config, { backend: options.backend }).getProperties();
  const backend = await startBackend(config.backend);
  const loaded = openModel(options.model);
  // Scored as the thresholds were placed, so TPR and FPR at them mean what they say.
  const importanceSamples = scoreForThresholds(
    loaded.saved.thresholds,
    undefined,
    config.scoring.importanceSamples,
    options.model,
  );
  const progress = rowsProgress('evaluating');
  const scored = await scoreLabelledFlows(
    loaded,
    options.data,
    options.format,
    await readOptions(options, config.input.maxBadShare),
    { importanceSamples, onScored: progress.update },
  ).finally(() => progress.stop());
  loaded.model.dispose();
  processLogger().info(
    `scored ${scored.scores.length} labelled flows (${scored.badRows} malformed skipped) in ${scored.seconds.toFixed(2)} s`,
  );
  const thresholds = loaded.saved.thresholds?.targets ?? [];
  const evaluation = summariseDetection(scored, thresholds, scored.badRows, scored.seconds);
  process.stdout.write(`${formatEvaluation(evaluation)}\n`);
  if (options.json)
    writeOutputFile(
      options.json,
      `${JSON.stringify({ model: options.model, data: options.data, backend: backend.name, ...evaluation }, null, 2)}\n`,
      EVALUATION_JSON,
    );
  if (options.roc) {
    const positives = scored.categories.map((c) => c !== 'normal');
    const curve = rocChartCurve(
      'fedflow VAE',
      scored.scores,
      positives,
      thresholds.map((t) => ({ label: `FPR ${t.fpr * 100}%`, threshold: t.threshold })),
    );
    writeOutputFile(
      options.roc,
      renderRocChart([curve], { title: `ROC: ${options.data.join(', ')}`, fprScale: 'log' }),
      SVG_CHART,
    );
  }
}

export function formatEvaluation(e: Evaluation): string {
  const summary = formatTable(
    ['flows', 'normal', 'attacks', 'malformed', 'AUROC', 'AUPRC'],
    [[e.flows, e.normal, e.attacks, e.badRows, e.auroc, e.auprc]],
  );
  const categories = Object.keys(e.categories)
    .filter((c) => c !== 'normal')
    .sort();
  const perThreshold = formatTable(
    ['target FPR', 'threshold', 'TPR', 'observed FPR', ...categories.map((c) => `recall ${c}`)],
    e.thresholds.map((t) => [
      t.targetFpr,
      t.threshold,
      t.tpr,
      t.fpr,
      ...categories.map((c) => t.recallByCategory[c] ?? 0),
    ]),
  );
  return `${summary}\n\n${perThreshold}`;
}
