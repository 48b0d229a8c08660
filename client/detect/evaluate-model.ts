/**
 * Detection quality of a model on labelled flows: AUROC, AUPRC, TPR and the FPR actually
 * observed at each of the model's thresholds, and recall per attack category.
 */

import type { FlowFormat } from '../../shared/flows/formats.js';
import type { ReadOptions } from '../../shared/flows/readers.js';
import type { ScoreOptions } from '../../shared/model/vae.js';
import { attackCategory } from '../../shared/stats/attack-categories.js';
import { auprc, auroc, ratesAtThreshold } from '../../shared/stats/detection-metrics.js';
import { labelAt } from './encoded-batch.js';
import type { LoadedModel } from './loaded-model.js';
import { type ScoringProgress, scoreFlowFiles } from './score-flows.js';

export interface ThresholdQuality {
  readonly targetFpr: number;
  readonly threshold: number;
  readonly tpr: number;
  /** The false-positive rate observed on this data's normal flows. */
  readonly fpr: number;
  /** Share of each attack category's flows alerted at this threshold. */
  readonly recallByCategory: Record<string, number>;
}

export interface Evaluation {
  readonly flows: number;
  readonly normal: number;
  readonly attacks: number;
  readonly badRows: number;
  readonly auroc: number;
  readonly auprc: number;
  readonly thresholds: readonly ThresholdQuality[];
  /** Flows per attack category (labels not in a known mapping are their own category). */
  readonly categories: Record<string, number>;
  readonly scoresPerSecond: number;
}

export interface ScoredLabels {
  readonly scores: Float32Array;
  readonly categories: string[];
}

/** Scores labelled files and keeps (score, category) for every row. */
export async function scoreLabelledFlows(
  loaded: LoadedModel,
  files: readonly string[],
  format: FlowFormat,
  read: ReadOptions,
  options: ScoreOptions & ScoringProgress,
): Promise<ScoredLabels & { badRows: number; seconds: number }> {
  let scores = new Float32Array(1 << 16);
  const categories: string[] = [];
  const summary = await scoreFlowFiles(
    loaded,
    files,
    format,
    read,
    options,
    ({ batch, result, firstIndex }) => {
      const needed = firstIndex + batch.count;
      if (needed > scores.length) {
        const grown = new Float32Array(Math.max(needed, scores.length * 2));
        grown.set(scores);
        scores = grown;
      }
      scores.set(result.scores, firstIndex);
      for (let r = 0; r < batch.count; r++) {
        const label = labelAt(batch, r);
        if (label === null)
          throw new Error(
            `${files.join(', ')}: line ${batch.lines[r]} has no label; evaluation needs labelled flows`,
          );
        categories.push(attackCategory(label));
      }
    },
  );
  return {
    scores: scores.subarray(0, summary.rowsScored),
    categories,
    badRows: summary.badRows,
    seconds: summary.seconds,
  };
}

export function summariseDetection(
  scored: ScoredLabels,
  thresholds: readonly { fpr: number; threshold: number }[],
  badRows = 0,
  seconds = 0,
): Evaluation {
  const { scores, categories } = scored;
  const positives = Uint8Array.from(categories, (c) => (c === 'normal' ? 0 : 1));
  const counts: Record<string, number> = {};
  for (const c of categories) counts[c] = (counts[c] ?? 0) + 1;
  const normal = counts.normal ?? 0;
  return {
    flows: scores.length,
    normal,
    attacks: scores.length - normal,
    badRows,
    auroc: auroc(scores, positives),
    auprc: auprc(scores, positives),
    thresholds: thresholds.map(({ fpr, threshold }) => {
      const rates = ratesAtThreshold(scores, positives, threshold);
      const alerted: Record<string, number> = {};
      scores.forEach((s, i) => {
        if (s > threshold) alerted[categories[i]!] = (alerted[categories[i]!] ?? 0) + 1;
      });
      const recallByCategory: Record<string, number> = {};
      for (const [category, n] of Object.entries(counts))
        if (category !== 'normal') recallByCategory[category] = (alerted[category] ?? 0) / n;
      return { targetFpr: fpr, threshold, tpr: rates.tpr, fpr: rates.fpr, recallByCategory };
    }),
    categories: counts,
    scoresPerSecond: seconds > 0 ? scores.length / seconds : 0,
  };
}
