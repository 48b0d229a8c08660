/**
 * fedflow's half of each peer comparison, through its own code paths: the local trainer's
 * epochs, model-only scoring of encoded rows, every row's score and per-field parts, and one
 * training loss and its gradient.
 */

import { trainingOptions } from '../../client/pipeline/train-site-model.js';
import { trainLocal } from '../../client/trainer/local-trainer.js';
import { loadModelConfig } from '../../shared/config/model-config.js';
import type { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import type { FlowTable } from '../../shared/encoding/flow-table.js';
import { createDetector } from '../../shared/model/create-detector.js';
import type { DetectorModel } from '../../shared/model/detector-model.js';
import type { ModelSpec } from '../../shared/model/model-spec.js';
import { MultiHotBuilder } from '../../shared/model/multi-hot.js';
import { registerGradients } from '../../shared/model/register-gradients.js';
import { SCORE_BATCH, scoreTable } from '../../shared/model/score-table.js';
import { tf } from '../../shared/runtime/tf.js';

export interface EpochFigure {
  readonly epoch: number;
  readonly seconds: number;
  readonly flowsPerSecond: number;
  readonly trainLoss: number;
}

/** `epochs` epochs of the default trainer (batch size and all) from the given weights. */
export async function fedflowTraining(
  spec: ModelSpec,
  weights: Float32Array,
  encoder: FlowEncoder,
  table: FlowTable,
  epochs: number,
): Promise<EpochFigure[]> {
  const config = loadModelConfig(undefined, { 'training.epochs': epochs }).getProperties();
  const model = createDetector(spec, weights);
  try {
    // No validation split: no early stopping, and every epoch is training alone.
    const result = await trainLocal(model, encoder, table, null, trainingOptions(config));
    return result.history.map(({ epoch, seconds, flowsPerSecond, trainLoss }) => ({
      epoch,
      seconds,
      flowsPerSecond,
      trainLoss,
    }));
  } finally {
    model.dispose();
  }
}

/** Flows/s scoring every row of `table`, `repeats` times after one warm-up batch. */
export function fedflowScoring(
  model: DetectorModel,
  encoder: FlowEncoder,
  table: FlowTable,
  repeats: number,
): number[] {
  scoreTable(model, encoder, table.select(Uint32Array.from({ length: SCORE_BATCH }, (_, i) => i)));
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    scoreTable(model, encoder, table);
    runs.push(table.length / ((performance.now() - started) / 1000));
  }
  return runs;
}

/** Every row's score, then every row's per-field NLL: the layout peer_bench.py check writes. */
export function fedflowScoresAndFields(
  model: DetectorModel,
  encoder: FlowEncoder,
  table: FlowTable,
): Float32Array {
  const builder = new MultiHotBuilder(encoder);
  const out = new Float32Array(table.length * (1 + table.fieldCount));
  const fieldsAt = table.length;
  for (let start = 0; start < table.length; start += SCORE_BATCH) {
    const count = Math.min(SCORE_BATCH, table.length - start);
    const { scores, fieldNll } = model.score(builder.rows(table.codes, null, start, count));
    out.set(scores, start);
    out.set(fieldNll, fieldsAt + start * table.fieldCount);
  }
  return out;
}

/** The training loss of the first `batch` rows (KL weight 1) and its gradient, manifest order. */
export function fedflowGradient(
  spec: ModelSpec,
  weights: Float32Array,
  encoder: FlowEncoder,
  table: FlowTable,
  batch: number,
): { loss: number; gradient: Float32Array } {
  const model = createDetector(spec, weights);
  const x = new MultiHotBuilder(encoder).build(table.codes, null, 0, Math.min(batch, table.length));
  try {
    const settings = { klWeight: 1, temperature: 1, seed: 1, mixtureObjective: 'exact' as const };
    registerGradients();
    const { value, grads } = tf.variableGrads(() => model.loss(x, settings), model.variables);
    const loss = value.dataSync()[0]!;
    const parts = model.variables.map((v) => grads[v.name]!.dataSync() as Float32Array);
    const gradient = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      gradient.set(part, at);
      at += part.length;
    }
    value.dispose();
    for (const g of Object.values(grads)) g.dispose();
    return { loss, gradient };
  } finally {
    x.dispose();
    model.dispose();
  }
}
