/**
 * The all-models table: per (model, test set) the medians over seeds of what each seed's run
 * measured, in the order the runs came, and the same rows as a markdown table for the docs.
 */
import { median } from './stats.js';

/** One model, one seed, one test set. */
export interface ModelRun {
  readonly model: string;
  readonly dataset: string;
  readonly test: string;
  readonly seed: number;
  readonly trainRows: number;
  readonly testRows: number;
  readonly testAttacks: number;
  readonly epochs: number;
  readonly auroc: number;
  readonly auprc: number;
  /** At each threshold placed on the model's own calibration split. */
  readonly thresholds: readonly { targetFpr: number; tpr: number; observedFpr: number }[];
  /** Median epoch of training. */
  readonly trainFlowsPerSecond: number;
  /** File to scores (read, encode, derive, score) on this test set. */
  readonly scoringFlowsPerSecond: number;
}

export interface ModelRow {
  readonly model: string;
  readonly dataset: string;
  readonly test: string;
  readonly seeds: number[];
  readonly trainRows: number;
  readonly testRows: number;
  readonly testAttacks: number;
  readonly medianEpochs: number;
  readonly auroc: number;
  readonly minAuroc: number;
  readonly maxAuroc: number;
  readonly auprc: number;
  readonly atOwnThresholds: { targetFpr: number; tpr: number; observedFpr: number }[];
  readonly trainFlowsPerSecond: number;
  readonly scoringFlowsPerSecond: number;
}

/**
 * One row per (model, dataset, test), medians over its seeds. Every run of a row must have the
 * same threshold targets, else the medians would mix thresholds: that is an error.
 */
export function modelTable(runs: readonly ModelRun[]): ModelRow[] {
  const groups = new Map<string, ModelRun[]>();
  for (const run of runs) {
    const key = JSON.stringify([run.model, run.dataset, run.test]);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((mine) => {
    const first = mine[0]!;
    const targets = first.thresholds.map((t) => t.targetFpr);
    for (const run of mine)
      if (JSON.stringify(run.thresholds.map((t) => t.targetFpr)) !== JSON.stringify(targets))
        throw new Error(
          `${run.model} on ${run.test}, seed ${run.seed}: threshold targets ${run.thresholds.map((t) => t.targetFpr)} differ from seed ${first.seed}'s ${targets}`,
        );
    const of = (pick: (r: ModelRun) => number) => median(mine.map(pick));
    const aurocs = mine.map((r) => r.auroc);
    return {
      model: first.model,
      dataset: first.dataset,
      test: first.test,
      seeds: mine.map((r) => r.seed),
      trainRows: first.trainRows,
      testRows: first.testRows,
      testAttacks: first.testAttacks,
      medianEpochs: of((r) => r.epochs),
      auroc: median(aurocs),
      minAuroc: Math.min(...aurocs),
      maxAuroc: Math.max(...aurocs),
      auprc: of((r) => r.auprc),
      atOwnThresholds: targets.map((targetFpr, i) => ({
        targetFpr,
        tpr: of((r) => r.thresholds[i]!.tpr),
        observedFpr: of((r) => r.thresholds[i]!.observedFpr),
      })),
      trainFlowsPerSecond: of((r) => r.trainFlowsPerSecond),
      scoringFlowsPerSecond: of((r) => r.scoringFlowsPerSecond),
    };
  });
}

const percent = (x: number) => `${(100 * x).toFixed(x < 0.01 ? 3 : 2)}%`;
const rate = (x: number) => Math.round(x).toLocaleString('en-GB');

/**
 * The rows as markdown, grouped by test set (so a reader compares models on one data set),
 * the best median AUROC of each test set in bold.
 */
export function markdownTable(rows: readonly ModelRow[]): string {
  const targets = rows[0]?.atOwnThresholds.map((t) => t.targetFpr) ?? [];
  const head = [
    'test set',
    'model',
    'AUROC (min-max)',
    'AUPRC',
    ...targets.map((t) => `TPR at own ${100 * t}% (observed FPR)`),
    'train flows/s',
    'score flows/s',
  ];
  const tests = [...new Set(rows.map((r) => r.test))];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const test of tests) {
    const mine = rows.filter((r) => r.test === test);
    const best = Math.max(...mine.map((r) => r.auroc));
    for (const r of mine) {
      const auroc = `${r.auroc.toFixed(4)} (${r.minAuroc.toFixed(4)}-${r.maxAuroc.toFixed(4)})`;
      lines.push(
        `| ${[
          test,
          r.model,
          r.auroc === best ? `**${auroc}**` : auroc,
          r.auprc.toFixed(4),
          ...r.atOwnThresholds.map((t) => `${t.tpr.toFixed(3)} (${percent(t.observedFpr)})`),
          rate(r.trainFlowsPerSecond),
          rate(r.scoringFlowsPerSecond),
        ].join(' | ')} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One table of two sets of rows (the models part's and the classical detectors'): each test
 * set's `base` rows, then its `extra` rows, test sets in the order they first appear.
 */
export function mergeTables(base: readonly ModelRow[], extra: readonly ModelRow[]): ModelRow[] {
  const tests = [...new Set([...base, ...extra].map((r) => r.test))];
  return tests.flatMap((test) => [
    ...base.filter((r) => r.test === test),
    ...extra.filter((r) => r.test === test),
  ]);
}
