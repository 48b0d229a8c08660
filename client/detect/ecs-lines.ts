/**
 * Scored flows as Elastic Common Schema documents, one per line, for a SIEM to ingest as they
 * are (Filebeat's filestream input or Vector's file source with a JSON codec; docs/siem.md):
 * `event.kind` is `alert` when a threshold is crossed (`event` otherwise), the flow's endpoints
 * are `source.*` and `destination.*`, the score is `event.risk_score`, the strictest threshold
 * crossed names the `rule`, and what only fedflow knows (top fields, every threshold, the
 * model) sits under `fedflow.*`, a name ECS does not use.
 */
import { isIP } from 'node:net';
import type { ModelSpec } from '../../shared/model/model-spec.js';
import type { AlertLine, LineStyle, RowParts } from './alert-lines.js';
import { type LineWriter, piece } from './line-writer.js';
import { writeDigits, writeRound4 } from './number-text.js';
import { protocolField } from './protocol-field.js';

/** The ECS version the documents follow (and are checked against in the tests). */
export const ECS_VERSION = '9.4.0';

/** The flow context as the alert line's `flow` object writes it (encoded-batch.ts). */
type FlowJson = NonNullable<AlertLine['flow']>;

/**
 * The ECS line style for a model: `thresholdKeys` name the thresholds in order (`fpr_1pct`),
 * `model` the weights that score. Zeek's `proto` and `service` fields, when the model has
 * them, become `network.transport` and `network.protocol`.
 */
export function ecsLineStyle(
  spec: ModelSpec,
  thresholdKeys: readonly string[],
  model: AlertLine['model'],
  files: readonly string[],
): LineStyle {
  const names = spec.encoder.fields.map((field) => field.name);
  const network = { transport: protocolField(spec), protocol: names.indexOf('service') };
  const rules = thresholdKeys.map((key) =>
    piece(`,"rule":{"name":${JSON.stringify(`fedflow ${key}`)}}`),
  );
  const fixed = `"ecs":{"version":"${ECS_VERSION}"}`;
  const observer = '"observer":{"vendor":"fedflow","product":"fedflow","type":"ids"}';
  const head = piece('{"@timestamp":"');
  // After the timestamp, up to the severity: an event's, or an alert's.
  const [event, alert] = ['event', 'alert'].map((kind) =>
    piece(
      `",${fixed},"event":{"kind":"${kind}","category":["network","intrusion_detection"],"type":["connection","info"],"module":"fedflow","dataset":"fedflow.alerts","severity":`,
    ),
  );
  const risk = piece(',"risk_score":');
  const id = piece(',"id":');
  const logs = files.map((file) =>
    piece(`,"log":{"file":{"path":${JSON.stringify(file)}}},${observer}`),
  );
  const score = piece(',"fedflow":{"score":');
  const rowKey = piece(',"row":');
  const line = piece(',"line":');
  const tail = piece(`,"model":${JSON.stringify(model)}}}`);
  const times = new IsoTimes();
  return (row: RowParts, out: LineWriter) => {
    const flow: FlowJson = row.flowJson ? JSON.parse(row.flowJson) : {};
    out.piece(head);
    out.text(times.at(flow.ts === undefined ? Date.now() : flow.ts * 1000));
    out.piece(row.crossed > 0 ? alert! : event!);
    writeDigits(out, row.crossed);
    out.piece(risk);
    writeRound4(out, row.score);
    if (flow.uid !== undefined) {
      out.piece(id);
      out.jsonString(flow.uid);
    }
    out.byte(0x7d); // }
    if (row.flowJson) {
      let text = endpoint('source', flow.src_addr, flow.src_port);
      text += endpoint('destination', flow.dst_addr, flow.dst_port);
      out.text(text);
    }
    out.text(networkJson(row, network.transport, network.protocol));
    out.piece(logs[row.file]!);
    if (row.strictest >= 0) out.piece(rules[row.strictest]!);
    out.piece(score);
    writeRound4(out, row.score);
    out.piece(rowKey);
    writeDigits(out, row.row);
    out.piece(line);
    writeDigits(out, row.line);
    row.writeFindings(out);
    out.piece(tail);
  };
}

/**
 * A time in milliseconds as ISO 8601 text (Date's toISOString, which throws on an invalid
 * time), the last one kept: rows without a timestamp take the clock's, the same for many rows.
 */
class IsoTimes {
  private last = Number.NaN;
  private text = '';

  at(ms: number): string {
    if (ms !== this.last) {
      this.text = new Date(ms).toISOString();
      this.last = ms;
    }
    return this.text;
  }
}

/** `source` or `destination`: the address (and as `ip` when it is one) and the port. */
function endpoint(name: string, address: string | undefined, port: number | undefined): string {
  if (address === undefined && port === undefined) return '';
  const parts: string[] = [];
  if (address !== undefined) {
    parts.push(`"address":${JSON.stringify(address)}`);
    if (isIP(address)) parts.push(`"ip":${JSON.stringify(address)}`);
  }
  if (port !== undefined) parts.push(`"port":${port}`);
  return `,"${name}":{${parts.join(',')}}`;
}

/** `network.transport` and `network.protocol` from the model's own fields, when set. */
function networkJson(row: RowParts, transport: number, protocol: number): string {
  const parts: string[] = [];
  const set = (key: string, index: number) => {
    if (index < 0) return;
    const value = row.value(index);
    if (value !== '' && value !== '-')
      parts.push(`"${key}":${JSON.stringify(value.toLowerCase())}`);
  };
  set('transport', transport);
  set('protocol', protocol);
  return parts.length === 0 ? '' : `,"network":{${parts.join(',')}}`;
}
