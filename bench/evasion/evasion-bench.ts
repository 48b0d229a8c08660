/**
 * Adversarial evasion, measured: attack flows edited within what their protocol and attack
 * allow, by a greedy search against the model's own score, until they fall below the model's
 * own 1%-FPR threshold or the budget is spent. Recall at that threshold before and after, per
 * model kind, data set, traffic-feature setting and attack category; and the same search run
 * against an ensemble of the kinds (each score over its own threshold, the largest counts).
 */
import { join } from 'node:path';
import type { FlowFormat } from '../../shared/flows/formats.js';
import type { FlowSelection } from '../../shared/flows/pipeline.js';
import type { BackendReport } from '../../shared/runtime/backend.js';
import { readBenchRows } from './attack-rows.js';
import type { EvasionRow } from './evasion-row.js';
import {
  categoryOutcome,
  type OutcomeSpread,
  outcomeSpread,
  type SeedOutcome,
} from './evasion-summary.js';
import { type Edit, greedyEvasion, type Scorer } from './greedy-search.js';
import { KDD_CAPS, kddEdits, kddLayout } from './kdd-edits.js';
import {
  ensembleScorer,
  KINDS_UNDER_TEST,
  type ModelScorer,
  modelScorer,
  TARGET_FPR,
  trainKind,
} from './model-scorer.js';
import { CAPS, IOT23_RULES, ruleFor, zeekEdits, zeekLayout } from './zeek-edits.js';

export interface EvasionOptions {
  /** Attack flows searched per category at most. */
  readonly perCategory: number;
  /** Edits per flow at most. */
  readonly maxEdits: number;
}

export const DEFAULT_EVASION: EvasionOptions = { perCategory: 500, maxEdits: 8 };

interface DataSetCase {
  readonly name: string;
  readonly format: FlowFormat;
  readonly train: readonly string[];
  readonly test: readonly string[];
  /** Traffic-feature settings compared (null: the format derives none). */
  readonly trafficFeatures: readonly (boolean | null)[];
  editsFor(fieldNames: readonly string[]): (row: EvasionRow) => readonly Edit<EvasionRow>[];
}

export function evasionCases(nslKdd: string | null, iot23: string | null): DataSetCase[] {
  const cases: DataSetCase[] = [];
  if (nslKdd)
    cases.push({
      name: 'nsl-kdd',
      format: 'nsl-kdd',
      train: [join(nslKdd, 'KDDTrain+_20Percent.txt')],
      test: [join(nslKdd, 'KDDTest+.txt')],
      trafficFeatures: [null],
      editsFor: (names) => {
        const edits = kddEdits(kddLayout(names));
        return () => edits;
      },
    });
  if (iot23)
    cases.push({
      name: 'iot23',
      format: 'zeek',
      train: [
        'honeypot-4-1-philips-hue',
        'honeypot-5-1-amazon-echo',
        'honeypot-7-1-somfy-lock',
      ].map((f) => join(iot23, `${f}.conn.log`)),
      test: ['malware-8-1-hakai', 'malware-20-1-torii', 'malware-21-1-torii'].map((f) =>
        join(iot23, `${f}.conn.log`),
      ),
      trafficFeatures: [false, true],
      editsFor: (names) => {
        const layout = zeekLayout(names);
        const proto = names.indexOf('proto');
        return (row) => zeekEdits(layout, ruleFor(row.label), String(row.values[proto]));
      },
    });
  return cases;
}

export async function runEvasion(
  cases: readonly DataSetCase[],
  backend: BackendReport,
  seeds: readonly number[],
  options: EvasionOptions,
  log: (line: string) => void,
) {
  const dataSets = [];
  for (const dataSet of cases) {
    for (const trafficFeatures of dataSet.trafficFeatures) {
      const runs = new Map<string, SeedOutcome[]>();
      const attacksSeen: Record<string, number>[] = [];
      for (const seed of seeds) {
        const selection: FlowSelection = {
          files: [...dataSet.train],
          format: dataSet.format,
          onlyLabel: 'normal',
          read: {},
          ...(trafficFeatures === null ? {} : { trafficFeatures, lastConnections: 0 }),
        };
        const outcomes = await oneSeed(dataSet, selection, seed, backend, options, log);
        attacksSeen.push(outcomes.attacksSeen);
        for (const [target, outcome] of outcomes.byTarget)
          runs.set(target, [...(runs.get(target) ?? []), outcome]);
      }
      const byModel: Record<string, Record<string, OutcomeSpread>> = {};
      for (const [key, seedRuns] of runs) {
        const [target, threshold] = key.split('|') as [string, string];
        byModel[target] = { ...byModel[target], [threshold]: outcomeSpread(seedRuns) };
      }
      dataSets.push({
        dataSet: dataSet.name,
        trafficFeatures,
        attackFlowsInTestData: attacksSeen[0],
        byModel,
        runs: Object.fromEntries(runs),
      });
    }
  }
  return {
    protocol: `train each model kind on the data set's normal training flows (NSL-KDD: normal rows of KDDTrain+_20Percent.txt; IoT-23: the 3 benign honeypot captures); search up to ${options.perCategory} attack flows per category of the test data (NSL-KDD: KDDTest+.txt; IoT-23: the Hakai, both Torii and the trojan captures), evenly spaced in file order; greedy search: at each step the allowed edit that lowers the score most, until the score is at or below the model's own ${TARGET_FPR} FPR threshold, no edit lowers it, or ${options.maxEdits} edits; at two thresholds: the model's own at ${TARGET_FPR} FPR (placed on held-out training normals; its FPR on the test normals is reported beside) and the one at ${TARGET_FPR} FPR on the test data's normals (in-sample, so every model is compared at one false-alarm rate); an ensemble scores max(score / own threshold) over the kinds and is searched against as itself; with traffic features, edits other than the port change no derived field but the flow's own bytes per packet (recomputed); a port move reads the port-dependent shares re-derived over a capture in which all its attack flows went to that port (a bot's whole campaign moves), though the search may move each flow to a different port or none`,
    targetFpr: TARGET_FPR,
    budget: {
      maxEditsPerFlow: options.maxEdits,
      attackFlowsPerCategoryAtMost: options.perCategory,
      zeekCaps: CAPS,
      nslKddCaps: KDD_CAPS,
    },
    iot23Rules: IOT23_RULES,
    kinds: KINDS_UNDER_TEST.map((k) => k.name),
    ensembleOf: KINDS_UNDER_TEST.filter((k) => k.inEnsemble).map((k) => k.name),
    dataSets,
  };
}

async function oneSeed(
  dataSet: DataSetCase,
  selection: FlowSelection,
  seed: number,
  backend: BackendReport,
  options: EvasionOptions,
  log: (line: string) => void,
): Promise<{ byTarget: Map<string, SeedOutcome>; attacksSeen: Record<string, number> }> {
  const scorers: { name: string; scorer: ModelScorer; inEnsemble: boolean }[] = [];
  try {
    let schema = null;
    for (const kind of KINDS_UNDER_TEST) {
      const saved = await trainKind(kind, selection, seed, backend);
      schema ??= saved.spec.schema;
      scorers.push({ name: kind.name, scorer: modelScorer(saved), inEnsemble: kind.inEnsemble });
    }
    const rows = await readBenchRows(dataSet.test, dataSet.format, schema!, options.perCategory);
    const editsFor = dataSet.editsFor(schema!.fields.map((f) => f.name));
    const targets = [
      ...scorers,
      {
        name: 'ensemble',
        scorer: ensembleScorer(scorers.filter((s) => s.inEnsemble).map((s) => s.scorer)),
      },
    ];
    const byTarget = new Map<string, SeedOutcome>();
    for (const { name, scorer: own } of targets) {
      for (const [threshold, scorer] of [
        ['atOwnThreshold', own],
        ['at1PercentOfTestNormals', atTestFpr(own, rows.normals)],
      ] as const) {
        const outcome = searchAll(rows.attacks, rows.normals, editsFor, scorer, options);
        byTarget.set(`${name}|${threshold}`, { seed, ...outcome });
        const tf =
          selection.trafficFeatures === undefined
            ? ''
            : ` traffic features ${selection.trafficFeatures ? 'on' : 'off'}`;
        log(
          `evasion ${dataSet.name}${tf} ${name} ${threshold} seed ${seed}: FPR ${outcome.observedFpr.toFixed(4)}; ${Object.entries(
            outcome.byCategory,
          )
            .map(
              ([c, o]) =>
                `${c} ${o.recallBefore.toFixed(3)} -> ${o.recallAfter.toFixed(3)} (${o.meanEdits.toFixed(1)} edits)`,
            )
            .join(', ')}`,
        );
      }
    }
    return { byTarget, attacksSeen: rows.attacksSeen };
  } finally {
    for (const { scorer } of scorers) scorer.dispose();
  }
}

/**
 * The same scores with the threshold that gives at most 1% FPR on the test data's normal flows
 * (alerts are strictly above it): every model compared at the same false-alarm rate, placed
 * in-sample on the flows it is measured on.
 */
function atTestFpr(scorer: Scorer<EvasionRow>, normals: readonly EvasionRow[]): Scorer<EvasionRow> {
  const sorted = Float64Array.from(scorer.score(normals)).sort();
  const at = Math.min(sorted.length - 1, Math.floor(sorted.length * (1 - TARGET_FPR)));
  return { threshold: sorted[at]!, score: (rows) => scorer.score(rows) };
}

function searchAll(
  attacks: ReadonlyMap<string, EvasionRow[]>,
  normals: readonly EvasionRow[],
  editsFor: (row: EvasionRow) => readonly Edit<EvasionRow>[],
  scorer: Scorer<EvasionRow>,
  options: EvasionOptions,
): Omit<SeedOutcome, 'seed'> {
  const normalScores = scorer.score(normals);
  let falseAlerts = 0;
  for (let i = 0; i < normals.length; i++) if (normalScores[i]! > scorer.threshold) falseAlerts++;
  const byCategory: SeedOutcome['byCategory'] = {};
  for (const [category, rows] of [...attacks].sort(([a], [b]) => a.localeCompare(b))) {
    const results = greedyEvasion(rows, editsFor, scorer, options.maxEdits);
    byCategory[category] = categoryOutcome(results);
  }
  return { observedFpr: falseAlerts / Math.max(1, normals.length), byCategory };
}
