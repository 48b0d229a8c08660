/**
 * The sequence model (kind 'gru'): each flow's fields predicted from its source host's earlier
 * flows. The earlier flows run through a GRU (gru-cell.ts); its last state gives one softmax
 * per field over the flow's codes. The anomaly score is the flow's negative log-likelihood
 * given its history, nats, split by field like the VAE's; its latent part is 0 (no latent).
 * The history comes with the rows (model-rows.ts); rows without it are predicted from the
 * zero state, the model's marginal.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { FlowEncoder } from '../../encoding/flow-encoder.js';
import { FlowTable } from '../../encoding/flow-table.js';
import { tf } from '../../runtime/tf.js';
import { FieldSegments } from '../categorical-likelihood.js';
import { dense } from '../dense.js';
import type { BatchScores, DetectorModel, LossSettings } from '../detector-model.js';
import type { ModelRows } from '../model-rows.js';
import type { ModelSpec } from '../model-spec.js';
import { multiHotTensor } from '../multi-hot.js';
import { assignFlat, flattenVariables, unflatten } from '../parameters.js';
import { registerGradients } from '../register-gradients.js';
import { finalState, type GruWeights } from './gru-cell.js';
import { withinFlowLogits, withinFlowMask } from './within-flow.js';

let nextId = 0;

export class GruModel implements DetectorModel {
  readonly variables: tf.Variable[];
  readonly segments: FieldSegments;
  private readonly weights: GruWeights;
  private readonly outKernel: tf.Variable<tf.Rank.R2>;
  private readonly outBias: tf.Variable<tf.Rank.R1>;
  private readonly withinFlow: tf.Variable<tf.Rank.R2>;
  /** Which of withinFlow's entries are used (within-flow.ts). */
  private readonly mask: Float32Array;
  /** Each field's first column in the multi-hot row. */
  private readonly offsets: Int32Array;
  private readonly cardinalities: number[];

  constructor(
    readonly spec: ModelSpec,
    weights: Float32Array,
  ) {
    const tensors = unflatten(weights, spec.weights, 'model weights');
    const id = nextId++;
    this.variables = tensors.map((t, i) => {
      const v = tf.variable(t, true, `gru_${spec.weights[i]!.name}_${id}`);
      t.dispose();
      return v;
    });
    const [
      embedKernel,
      embedBias,
      kernel,
      recurrent,
      bias,
      recurrentBias,
      outKernel,
      outBias,
      withinFlow,
    ] = this.variables;
    this.weights = {
      embedKernel: embedKernel as tf.Tensor2D,
      embedBias: embedBias as tf.Tensor1D,
      kernel: kernel as tf.Tensor2D,
      recurrent: recurrent as tf.Tensor2D,
      bias: bias as tf.Tensor1D,
      recurrentBias: recurrentBias as tf.Tensor1D,
    };
    this.outKernel = outKernel as tf.Variable<tf.Rank.R2>;
    this.outBias = outBias as tf.Variable<tf.Rank.R1>;
    this.withinFlow = withinFlow as tf.Variable<tf.Rank.R2>;
    this.cardinalities = spec.encoder.fields.map((f) =>
      f.kind === 'categorical' ? f.vocabulary.length + 1 : f.edges.length + 2,
    );
    this.offsets = new Int32Array(this.cardinalities.length);
    for (let f = 1; f < this.offsets.length; f++)
      this.offsets[f] = this.offsets[f - 1]! + this.cardinalities[f - 1]!;
    this.segments = new FieldSegments(this.cardinalities);
    this.mask = withinFlowMask(this.cardinalities);
  }

  /**
   * Logits of each row's fields given its history and, for field f, the row's fields before f:
   * [count x width]. Call inside tf.tidy.
   */
  private logits(rows: ModelRows): tf.Tensor2D {
    const h = finalState(this.weights, rows.history, rows.count, this.offsets);
    const fromHistory = dense(h, this.outKernel, this.outBias, true);
    return tf.add(fromHistory, withinFlowLogits(rows, this.withinFlow, this.mask));
  }

  /** Mean NLL of dense rows `x` without history (the suite's path; training passes rows). */
  loss(x: tf.Tensor2D, _settings: LossSettings): tf.Scalar {
    return tf.tidy(() => {
      const width = x.shape[1];
      const mask = tf.tensor2d(this.mask, [width, width]);
      const logits = tf.add(tf.matMul(x, tf.mul(this.withinFlow, mask)), this.outBias);
      return tf.mean(this.segments.negLogLikelihood(logits as tf.Tensor2D, x)) as tf.Scalar;
    });
  }

  /** Mean NLL of the rows given their histories, and its gradient by autograd (flattened). */
  lossAndGradient(rows: ModelRows, _settings: LossSettings): tf.Tensor1D {
    registerGradients();
    return tf.tidy(() => {
      const x = multiHotTensor(rows);
      const { value, grads } = tf.variableGrads(
        () => tf.mean(this.segments.negLogLikelihood(this.logits(rows), x)) as tf.Scalar,
        this.variables,
      );
      const parts = this.variables.map((v) =>
        grads[v.name] ? tf.reshape(grads[v.name]!, [-1]) : tf.zeros([v.size]),
      );
      return tf.concat([...parts, tf.reshape(value, [1])]) as tf.Tensor1D;
    });
  }

  score(rows: ModelRows): BatchScores {
    const nll = tf.tidy(() =>
      this.segments.fieldNegLogLikelihood(this.logits(rows), multiHotTensor(rows)),
    );
    const fieldNll = nll.dataSync() as Float32Array;
    nll.dispose();
    const fields = this.cardinalities.length;
    const scores = new Float32Array(rows.count);
    for (let r = 0; r < rows.count; r++) {
      let sum = 0;
      for (let f = 0; f < fields; f++) sum += fieldNll[r * fields + f]!;
      scores[r] = sum;
    }
    return { scores, fieldNll, latent: new Float32Array(rows.count) };
  }

  /**
   * Flows from the model without history: each field in order from its softmax given the
   * fields drawn before it (the zero state's prediction).
   */
  sample(encoder: FlowEncoder, count: number, seed: number): FlowTable {
    const bias = this.outBias.dataSync() as Float32Array;
    const within = this.withinFlow.dataSync() as Float32Array;
    const width = bias.length;
    const rng = xoroshiro128plus(seed);
    const table = new FlowTable(encoder.fieldCount, Math.max(1, count));
    const logits = new Float64Array(width);
    for (let r = 0; r < count; r++) {
      const at = table.appendRow(null);
      logits.set(bias);
      this.cardinalities.forEach((n, f) => {
        const from = this.offsets[f]!;
        const code = drawCategory(logits.subarray(from, from + n), uniformFloat64(rng));
        table.codes[at + f] = code;
        // Later fields see this one: add its row of the (masked) within-flow weights.
        const row = (from + code) * width;
        for (let c = from + n; c < width; c++) logits[c] = logits[c]! + within[row + c]!;
      });
    }
    return table;
  }

  getWeights(): Float32Array {
    return flattenVariables(this.variables);
  }

  setWeights(flat: Float32Array): void {
    assignFlat(this.variables, flat, this.spec.weights);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.segments.dispose();
  }
}

/** The category whose softmax interval holds `u` in [0, 1). */
function drawCategory(logits: Float64Array, u: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const l of logits) max = Math.max(max, l);
  let total = 0;
  for (const l of logits) total += Math.exp(l - max);
  let left = u * total;
  for (let code = 0; code < logits.length - 1; code++) {
    left -= Math.exp(logits[code]! - max);
    if (left < 0) return code;
  }
  return logits.length - 1;
}
