/**
 * Detection quality of one model on labelled test files, as the federation benchmarks report
 * it: AUROC, AUPRC, TPR and observed FPR at the model's own thresholds, and recall per attack
 * category at a threshold placed at 1% FPR on the test normals themselves (comparable across
 * models whatever their calibration).
 */
import { scoreLabelledFlows, summariseDetection } from '../../client/detect/evaluate-model.js';
import { loadedModel } from '../../client/detect/loaded-model.js';
import type { FlowFormat } from '../../shared/flows/formats.js';
import type { SavedModel } from '../../shared/model/model-dir.js';
import { detectionFigures } from '../stats.js';

export interface DetectionQuality {
  readonly auroc: number;
  readonly auprc: number;
  readonly atOwnThresholds: readonly { targetFpr: number; tpr: number; observedFpr: number }[];
  /** Share of each attack category scored above the test normals' 99th percentile. */
  readonly recallAtTestFpr1: Record<string, number>;
}

export async function detectionQuality(
  model: Pick<SavedModel, 'spec' | 'weights' | 'thresholds'>,
  testFiles: readonly string[],
  format: FlowFormat,
): Promise<DetectionQuality> {
  const loaded = loadedModel(model);
  try {
    const scored = await scoreLabelledFlows(loaded, testFiles, format, {}, {});
    const own = summariseDetection(scored, model.thresholds?.targets ?? []);
    const normals = Float64Array.from(
      scored.scores.filter((_, i) => scored.categories[i] === 'normal'),
    ).sort();
    const threshold = normals[Math.min(normals.length - 1, Math.floor(normals.length * 0.99))]!;
    const atOnePercent = summariseDetection(scored, [{ fpr: 0.01, threshold }]);
    const { auroc, auprc, thresholds } = detectionFigures(own);
    return {
      auroc,
      auprc,
      atOwnThresholds: thresholds,
      recallAtTestFpr1: atOnePercent.thresholds[0]!.recallByCategory,
    };
  } finally {
    loaded.model.dispose();
  }
}
