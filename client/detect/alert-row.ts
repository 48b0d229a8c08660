/**
 * One scored row as a line style writes it (RowParts): the `alerts` members, the top fields
 * and the label as bytes, their constant parts (field names, category descriptions, threshold
 * keys, labels seen) encoded once per run. One object moves from row to row, because this
 * runs for every scored flow.
 */
import { cardinality, describeCode } from '../../shared/encoding/encoder-spec.js';
import type { ModelSpec } from '../../shared/model/model-spec.js';
import type { ThresholdSet } from '../../shared/model/thresholds.js';
import type { RowParts } from './alert-lines.js';
import { contextAt, type EncodedBatch, labelAt, textValueAt, valueAt } from './encoded-batch.js';
import { type LineWriter, type Piece, piece } from './line-writer.js';
import { writeNumber, writePrecision4, writeRound4 } from './number-text.js';
import type { ScoredBatch } from './score-flows.js';

const QUOTE = 0x22;
const CLOSE_BRACE = 0x7d;
const NATS = piece(',"nats":');
const NO_LABEL = piece(']');
/** Labels are few (a data set's classes); a file with more is written without keeping them. */
const MOST_LABELS = 1024;
/** Up to this many thresholds, the `alerts` object of every combination crossed is kept whole. */
const MOST_COMBINED_THRESHOLDS = 8;

export class AlertRow implements RowParts {
  row = 0;
  file = 0;
  line = 0;
  score = 0;
  crossed = 0;
  strictest = -1;
  label: string | null = null;
  flowJson = '';
  private batch: EncodedBatch | null = null;
  private nll: Float32Array = new Float32Array(0);
  private index = 0;
  /** `{"field":<name>,"value":` of each field, first in `top` and after another (a comma before). */
  private readonly firstPrefixes: Piece[];
  private readonly nextPrefixes: Piece[];
  /** `,"category":<description>,"probability":` of each field's codes. */
  private readonly categories: Piece[][];
  /** Numeric fields' values are written as JSON numbers (their text is a plain decimal). */
  private readonly numeric: boolean[];
  /** `,"alerts":{...},"top":[` for each combination of thresholds crossed (bit t: threshold t). */
  private readonly alertsBytes: Piece[];
  private readonly keys: readonly string[];
  private readonly thresholds: Float64Array;
  private readonly top: Int32Array;
  /** `],"label":<label>` of each label seen. */
  private readonly labels = new Map<string, Piece>();

  constructor(
    spec: ModelSpec,
    thresholds: ThresholdSet | null,
    thresholdKeys: readonly string[],
    topFields: number,
  ) {
    const fields = spec.encoder.fields;
    const prefixes = fields.map((f) => `{"field":${JSON.stringify(f.name)},"value":`);
    this.firstPrefixes = prefixes.map((prefix) => piece(prefix));
    this.nextPrefixes = prefixes.map((prefix) => piece(`,${prefix}`));
    this.categories = fields.map((f) =>
      Array.from({ length: cardinality(f) }, (_, code) =>
        piece(`,"category":${JSON.stringify(describeCode(f, code))},"probability":`),
      ),
    );
    this.numeric = fields.map((f) => f.kind === 'numeric');
    this.alertsBytes = alertsCombinations(thresholdKeys);
    this.keys = thresholdKeys;
    this.thresholds = Float64Array.from(thresholds?.targets ?? [], (t) => t.threshold);
    this.top = new Int32Array(Math.min(topFields, fields.length));
  }

  /** Moves to row `r` of a scored batch: its numbers, and which thresholds its score crosses. */
  at(scored: ScoredBatch, r: number): void {
    const { batch, result, firstIndex } = scored;
    this.batch = batch;
    this.nll = result.fieldNll;
    this.index = r;
    this.row = firstIndex + r + 1;
    this.file = batch.files[r]!;
    this.line = batch.lines[r]!;
    this.label = labelAt(batch, r);
    this.flowJson = contextAt(batch, r);
    const score = result.scores[r]!;
    this.score = score;
    let crossed = 0;
    let strictest = -1;
    const { thresholds } = this;
    for (let t = 0; t < thresholds.length; t++) {
      if (!(score > thresholds[t]!)) continue;
      crossed++;
      if (strictest < 0 || thresholds[t]! > thresholds[strictest]!) strictest = t;
    }
    this.crossed = crossed;
    this.strictest = strictest;
  }

  value(index: number): string {
    return valueAt(this.batch!, this.index, index);
  }

  /** `,"alerts":{...},"top":[...]` and the label if the row has one. */
  writeFindings(out: LineWriter): void {
    this.writeAlerts(out);
    this.writeTop(out);
    this.writeLabel(out);
  }

  private writeAlerts(out: LineWriter): void {
    const { thresholds, score } = this;
    if (thresholds.length > MOST_COMBINED_THRESHOLDS) {
      out.piece(alertsMembers(this.keys, (t) => score > thresholds[t]!));
      return;
    }
    let crossed = 0;
    for (let t = 0; t < thresholds.length; t++) if (score > thresholds[t]!) crossed |= 1 << t;
    out.piece(this.alertsBytes[crossed]!);
  }

  /** The top fields, most surprising first: value, its category, probability and nats. */
  private writeTop(out: LineWriter): void {
    const batch = this.batch!;
    const { nll, top, numeric, index } = this;
    const f = this.firstPrefixes.length;
    const base = index * f;
    const count = largestK(nll, base, f, top);
    const numbersBase = index * (batch.numbers.length / batch.count);
    for (let k = 0; k < count; k++) {
      const i = top[k]!;
      const nats = nll[base + i]!;
      out.piece(k ? this.nextPrefixes[i]! : this.firstPrefixes[i]!);
      const number = batch.numbers[numbersBase + i]!;
      if (!Number.isNaN(number)) {
        if (numeric[i]) writeNumber(out, number);
        else {
          // A number's text needs no escapes: its JSON string is the text in quotes.
          out.byte(QUOTE);
          writeNumber(out, number);
          out.byte(QUOTE);
        }
      } else {
        const text = textValueAt(batch, index, i);
        if (numeric[i]) out.text(text);
        else out.jsonString(text);
      }
      out.piece(this.categories[i]![batch.codes[base + i]!]!);
      writePrecision4(out, Math.exp(-nats));
      out.piece(NATS);
      writeRound4(out, nats);
      out.byte(CLOSE_BRACE);
    }
  }

  /** `]` closing `top`, then `,"label":<label>` when the row has one. */
  private writeLabel(out: LineWriter): void {
    const { label } = this;
    if (label === null) {
      out.piece(NO_LABEL);
      return;
    }
    let bytes = this.labels.get(label);
    if (bytes === undefined) {
      bytes = piece(`],"label":${JSON.stringify(label)}`);
      if (this.labels.size < MOST_LABELS) this.labels.set(label, bytes);
    }
    out.piece(bytes);
  }
}

/** `,"alerts":{...},"top":[` with each threshold crossed or not. */
function alertsMembers(keys: readonly string[], crossed: (t: number) => boolean): Piece {
  const members = keys.map((key, t) => `${JSON.stringify(key)}:${crossed(t)}`);
  return piece(`,"alerts":{${members.join(',')}},"top":[`);
}

/** alertsMembers of every combination (bit t set: threshold t crossed), when they are few. */
function alertsCombinations(keys: readonly string[]): Piece[] {
  if (keys.length > MOST_COMBINED_THRESHOLDS) return [];
  return Array.from({ length: 1 << keys.length }, (_, crossed) =>
    alertsMembers(keys, (t) => (crossed & (1 << t)) !== 0),
  );
}

/** Indices of the k largest of values[base .. base + n), largest first, into `out`; returns k. */
function largestK(values: Float32Array, base: number, n: number, out: Int32Array): number {
  const k = Math.min(out.length, n);
  // The smallest value kept once k are: most fields are below it and cost one comparison.
  let least = Number.NEGATIVE_INFINITY;
  for (let filled = 0, i = 0; i < n; i++) {
    const v = values[base + i]!;
    if (filled === k && v <= least) continue;
    // Insertion into a short sorted list: O(n * k) with k ~ 3, cheaper than sorting all fields.
    let at = filled < k ? filled++ : k - 1;
    while (at > 0 && values[base + out[at - 1]!]! < v) {
      out[at] = out[at - 1]!;
      at--;
    }
    out[at] = i;
    if (filled === k) least = values[base + out[k - 1]!]!;
  }
  return k;
}
