import type { Evaluation } from '../client/detect/evaluate-model.js';

/** Small helpers for benchmark reporting. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** What a detection table reports of an evaluation: AUROC, AUPRC and each threshold's TPR/FPR. */
export function detectionFigures(evaluation: Evaluation) {
  return {
    auroc: evaluation.auroc,
    auprc: evaluation.auprc,
    thresholds: evaluation.thresholds.map((t) => ({
      targetFpr: t.targetFpr,
      tpr: t.tpr,
      observedFpr: t.fpr,
    })),
  };
}
