/**
 * Formats scored flows as JSON lines: row number, file and line, score, which thresholds it
 * crosses, the fields that contributed most (value, its encoded category, probability, nats),
 * the flow's identity and the model's. Everything constant per run (field names, category
 * descriptions, threshold keys, file names, the model) is serialised once, because this runs
 * for every scored flow.
 */
import { cardinality, describeCode } from '../../shared/encoding/encoder-spec.js';
import type { ModelSpec } from '../../shared/model/model-spec.js';
import type { ThresholdSet } from '../../shared/model/thresholds.js';
import { ecsLineStyle } from './ecs-lines.js';
import { valueAt, valuesAt } from './encoded-batch.js';
import { protocolField } from './protocol-field.js';
import type { ScoredBatch } from './score-flows.js';

/** The shape of one line, as a reader of alerts.jsonl sees it. */
export interface AlertLine {
  readonly row: number;
  /** The file the flow was read from, as given to `--data` (/dev/stdin for '-'). */
  readonly file: string;
  readonly line: number;
  readonly score: number;
  readonly alerts: Record<string, boolean>;
  readonly top: readonly {
    field: string;
    value: string | number;
    category: string;
    probability: number;
    nats: number;
  }[];
  readonly label?: string;
  /** Which flow this is, when the format says (Zeek, CSV mappings that name the columns). */
  readonly flow?: {
    ts?: number;
    uid?: string;
    src_addr?: string;
    src_port?: number;
    dst_addr?: string;
    dst_port?: number;
    /** The transport protocol, lower case, when the model has the field (proto, pr). */
    proto?: string;
  };
  /**
   * The model that scored it: the first 16 hex digits of its weights' SHA-256 (of weights.bin,
   * as the coordinator's status shows it), and its federation version if it has one.
   */
  readonly model: { digest: string; version?: number };
}

/** What every line of a run says about where flows came from and what scored them. */
export interface AlertRun {
  readonly files: readonly string[];
  readonly model: AlertLine['model'];
  /** Write only the lines that cross a threshold. */
  readonly alertsOnly: boolean;
  /** fedflow's own lines (AlertLine), or Elastic Common Schema documents (ecs-lines.ts). */
  readonly output: AlertOutput;
}

export const ALERT_OUTPUTS = ['fedflow', 'ecs'] as const;
export type AlertOutput = (typeof ALERT_OUTPUTS)[number];

/** One scored row, its parts already serialised, as a line style writes it. */
export interface RowParts {
  readonly row: number;
  /** The file name as JSON. */
  readonly fileJson: string;
  readonly line: number;
  readonly score: number;
  /** How many thresholds the score crosses, and the strictest one crossed (its index). */
  readonly crossed: number;
  readonly strictest: number;
  /** The `alerts` object's members and the `top` array's elements, as JSON. */
  readonly alertsJson: string;
  readonly topJson: string;
  readonly label: string | null;
  /** The flow's context as a JSON object, '' when the format has none. */
  readonly flowJson: string;
  /** The row's model-field value of field `index`, as text. */
  readonly value: (index: number) => string;
}

/** Writes one row as one line (without its newline). */
export type LineStyle = (row: RowParts) => string;

/**
 * The key of a threshold in `alerts`: `fpr_1pct` for 0.01, `fpr_0_1pct` for 0.001. No dots:
 * Elasticsearch and most SIEMs read a dot in a key as a nested object.
 */
export function alertKey(fpr: number): string {
  const percent = String(Number((fpr * 100).toPrecision(6)));
  return `fpr_${percent.replace('.', '_')}pct`;
}

export class AlertFormatter {
  private readonly fieldPrefixes: string[];
  private readonly categoryJson: string[][];
  /** Each threshold's member of `alerts`, crossed and not (with its leading comma). */
  private readonly crossedJson: string[];
  private readonly clearJson: string[];
  private readonly thresholdValues: Float64Array;
  private readonly top: Int32Array;
  private readonly topValues: string[];
  private readonly fileJson: string[];
  private readonly alertsOnly: boolean;
  private readonly style: LineStyle;
  /** Numeric fields' values are written as JSON numbers (their text is a plain decimal). */
  private readonly numeric: boolean[];

  constructor(spec: ModelSpec, thresholds: ThresholdSet | null, topFields: number, run: AlertRun) {
    const fields = spec.encoder.fields;
    this.fieldPrefixes = fields.map((f) => `{"field":${JSON.stringify(f.name)},"value":`);
    this.categoryJson = fields.map((f) =>
      Array.from({ length: cardinality(f) }, (_, code) => JSON.stringify(describeCode(f, code))),
    );
    const targets = thresholds?.targets ?? [];
    const keys = targets.map((t) => alertKey(t.fpr));
    const member = (key: string, t: number) => `${t ? ',' : ''}${JSON.stringify(key)}:`;
    this.crossedJson = keys.map((key, t) => `${member(key, t)}true`);
    this.clearJson = keys.map((key, t) => `${member(key, t)}false`);
    this.thresholdValues = Float64Array.from(targets, (t) => t.threshold);
    this.top = new Int32Array(Math.min(topFields, fields.length));
    this.topValues = Array.from(this.top, () => '');
    this.numeric = fields.map((f) => f.kind === 'numeric');
    this.fileJson = run.files.map((file) => JSON.stringify(file));
    this.alertsOnly = run.alertsOnly;
    this.style =
      run.output === 'ecs'
        ? ecsLineStyle(spec, keys, run.model)
        : fedflowLineStyle(JSON.stringify(run.model), protocolField(spec));
  }

  /** The batch's lines (each ending in a newline) and how many rows crossed any threshold. */
  format(scored: ScoredBatch): { text: string; alerts: number } {
    const { batch, result, firstIndex } = scored;
    const { scores, fieldNll } = result;
    const f = this.fieldPrefixes.length;
    // Lines joined once: the native join writes one flat string, where appending line by line
    // built a rope that turning it into bytes for the output had to walk (13% of the thread).
    const lines: string[] = [];
    let alerts = 0;
    for (let r = 0; r < batch.count; r++) {
      const score = scores[r]!;
      let crossed = 0;
      let strictest = -1;
      let alertsJson = '';
      for (let t = 0; t < this.thresholdValues.length; t++) {
        if (score > this.thresholdValues[t]!) {
          crossed++;
          if (strictest < 0 || this.thresholdValues[t]! > this.thresholdValues[strictest]!)
            strictest = t;
          alertsJson += this.crossedJson[t]!;
        } else {
          alertsJson += this.clearJson[t]!;
        }
      }
      if (crossed > 0) alerts++;
      else if (this.alertsOnly) continue;
      const base = r * f;
      const count = largestK(fieldNll, base, f, this.top);
      valuesAt(batch, r, this.top, count, this.topValues);
      let topJson = '';
      for (let k = 0; k < count; k++) {
        const i = this.top[k]!;
        const nats = fieldNll[base + i]!;
        const category = this.categoryJson[i]![batch.codes[base + i]!];
        const value = this.topValues[k]!;
        topJson += `${k ? ',' : ''}${this.fieldPrefixes[i]}${this.numeric[i] ? value : JSON.stringify(value)},"category":${category},"probability":${Math.exp(-nats).toPrecision(4)},"nats":${round4(nats)}}`;
      }
      lines.push(
        this.style({
          row: firstIndex + r + 1,
          fileJson: this.fileJson[batch.files[r]!]!,
          line: batch.lines[r]!,
          score: round4(score),
          crossed,
          strictest,
          alertsJson,
          topJson,
          label: batch.labels[r] ?? null,
          flowJson: batch.contexts[r]!,
          value: (index) => valueAt(batch, r, index),
        }),
      );
    }
    lines.push('');
    return { text: lines.join('\n'), alerts };
  }
}

/** fedflow's own alert line (AlertLine). */
function fedflowLineStyle(modelJson: string, protocol: number): LineStyle {
  return (row) => {
    const label = row.label === null ? '' : `,"label":${JSON.stringify(row.label)}`;
    const flow = row.flowJson ? `,"flow":${withProtocol(row.flowJson, row, protocol)}` : '';
    return `{"row":${row.row},"file":${row.fileJson},"line":${row.line},"score":${row.score},"alerts":{${row.alertsJson}},"top":[${row.topJson}]${label}${flow},"model":${modelJson}}`;
  };
}

/** The flow object with the row's protocol (lower case) as `proto`, when it has one. */
function withProtocol(flowJson: string, row: RowParts, protocol: number): string {
  const value = protocol < 0 ? '' : row.value(protocol);
  if (value === '' || value === '-') return flowJson;
  const proto = `"proto":${JSON.stringify(value.toLowerCase())}`;
  return flowJson === '{}' ? `{${proto}}` : `${flowJson.slice(0, -1)},${proto}}`;
}

function round4(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

/** Indices of the k largest of values[base .. base + n), largest first, into `out`; returns k. */
function largestK(values: Float32Array, base: number, n: number, out: Int32Array): number {
  const k = Math.min(out.length, n);
  for (let filled = 0, i = 0; i < n; i++) {
    const v = values[base + i]!;
    // Insertion into a short sorted list: O(n * k) with k ~ 3, cheaper than sorting all fields.
    let at = filled < k ? filled++ : k;
    if (at === k && v <= values[base + out[k - 1]!]!) continue;
    if (at === k) at = k - 1;
    while (at > 0 && values[base + out[at - 1]!]! < v) {
      out[at] = out[at - 1]!;
      at--;
    }
    out[at] = i;
  }
  return k;
}
