/**
 * The encode worker's batch being filled: one row at a time into typed arrays, handed over
 * (its arrays transferred, not copied) when full, when its first row has waited long enough,
 * or at the end. One hand-over at a time, so a timer's and the reading loop's never interleave.
 */
import type { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import { type HistorySettings, HostHistory } from '../../shared/encoding/host-history.js';
import type { FlowRow } from '../../shared/flows/schema.js';
import { contextJson, type EncodedBatch, LabelRuns, TextRuns, ValueRuns } from './encoded-batch.js';

export class BatchBuilder {
  private codes: Uint16Array;
  private numbers: Float64Array;
  private lines: Uint32Array;
  private files: Uint32Array;
  /** Each row's history codes ([size x steps x fields]) when the model reads histories. */
  private history: Uint16Array | null;
  private readonly hosts: HostHistory | null;
  private readonly labels: LabelRuns;
  private readonly values: ValueRuns;
  private readonly contexts: TextRuns;
  private count = 0;
  /** When the batch's first row came (performance.now()). */
  private started = 0;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly encoder: FlowEncoder,
    private readonly size: number,
    /** The sequence model's history settings: each row then carries its host's earlier flows. */
    history: HistorySettings | null,
    /** Waits for the right to send (a credit), then sends the batch with its buffers. */
    private readonly deliver: (batch: EncodedBatch, transfer: ArrayBuffer[]) => Promise<void>,
  ) {
    this.codes = new Uint16Array(size * encoder.fieldCount);
    this.numbers = new Float64Array(size * encoder.fieldCount);
    this.lines = new Uint32Array(size);
    this.files = new Uint32Array(size);
    this.hosts = history ? new HostHistory(encoder.fieldCount, history) : null;
    this.history = history ? new Uint16Array(size * history.steps * encoder.fieldCount) : null;
    this.labels = new LabelRuns(size);
    this.values = new ValueRuns(size);
    this.contexts = new TextRuns(size);
  }

  /**
   * Adds a row; sends the batch when that fills it, and only then returns a promise (of the
   * send). Not async: awaiting every row cost the reading loop ~0.3 us a row for nothing.
   */
  add(row: FlowRow): Promise<void> | undefined {
    const r = this.count++;
    if (r === 0) this.started = performance.now();
    const fields = this.encoder.fieldCount;
    this.encoder.encodeInto(row, this.codes, r * fields);
    if (this.hosts) {
      const slots = this.hosts.settings.steps * fields;
      const { srcAddr = null, ts = null } = row.context ?? {};
      this.hosts.next(srcAddr, ts, this.codes, r * fields, 0, this.history, r * slots, null, 0);
    }
    this.lines[r] = row.line;
    this.files[r] = row.file ?? 0;
    this.labels.push(row.label);
    this.values.push(row.values, this.numbers, r * this.encoder.fieldCount);
    this.contexts.push(row.context === undefined ? '' : contextJson(row.context));
    return r + 1 === this.size ? this.flush() : undefined;
  }

  /** A row that is not sent (a restart skips what it scored before) but counts in its host's history. */
  skip(row: FlowRow): void {
    if (!this.hosts) return;
    const codes = new Uint16Array(this.encoder.fieldCount);
    this.encoder.encodeInto(row, codes, 0);
    const { srcAddr = null, ts = null } = row.context ?? {};
    this.hosts.next(srcAddr, ts, codes, 0, 0, null, 0, null, 0);
  }

  /** Whether the batch holds rows whose first has waited at least `ms`. */
  waited(ms: number): boolean {
    return this.count > 0 && performance.now() - this.started >= ms;
  }

  /** Sends what the batch holds (nothing when empty), after any send under way. */
  flush(): Promise<void> {
    this.sending = this.sending.then(() => this.send());
    return this.sending;
  }

  private async send(): Promise<void> {
    if (this.count === 0) return;
    const { count } = this;
    this.count = 0;
    const values = this.values.take();
    const contexts = this.contexts.take();
    const labels = this.labels.take();
    const fields = this.encoder.fieldCount;
    const batch: EncodedBatch = {
      count,
      ...this.takeArrays(count, fields),
      ...labels,
      valueText: values.text,
      valueStarts: values.starts,
      contextText: contexts.text,
      contextStarts: contexts.starts,
      ...(this.history
        ? { history: this.history.slice(0, count * (this.history.length / this.size)) }
        : {}),
    };
    await this.deliver(batch, [
      ...(batch.history ? [batch.history.buffer] : []),
      batch.codes.buffer,
      batch.numbers.buffer,
      batch.lines.buffer,
      batch.files.buffer,
      batch.labelIndex.buffer,
      batch.valueStarts.buffer,
      batch.contextStarts.buffer,
    ] as ArrayBuffer[]);
  }

  /**
   * The batch's rows of each typed array: when the batch is full, the arrays themselves (they
   * are transferred to the scorer) and new ones for the next batch, sparing a copy of ~0.9 MB
   * a batch; else copies of the rows filled.
   */
  private takeArrays(count: number, fields: number) {
    if (count < this.size)
      return {
        codes: this.codes.slice(0, count * fields),
        numbers: this.numbers.slice(0, count * fields),
        lines: this.lines.slice(0, count),
        files: this.files.slice(0, count),
      };
    const { codes, numbers, lines, files } = this;
    this.codes = new Uint16Array(codes.length);
    this.numbers = new Float64Array(numbers.length);
    this.lines = new Uint32Array(lines.length);
    this.files = new Uint32Array(files.length);
    return { codes, numbers, lines, files };
  }
}
