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
): LineStyle {
  const names = spec.encoder.fields.map((field) => field.name);
  const network = { transport: protocolField(spec), protocol: names.indexOf('service') };
  const rules = thresholdKeys.map((key) => JSON.stringify(`fedflow ${key}`));
  const fixed = `"ecs":{"version":"${ECS_VERSION}"}`;
  const observer = '"observer":{"vendor":"fedflow","product":"fedflow","type":"ids"}';
  const modelJson = JSON.stringify(model);
  const tail = piece(`,"model":${modelJson}}}`);
  return (row: RowParts, out: LineWriter) => {
    const flow: FlowJson = row.flowJson ? JSON.parse(row.flowJson) : {};
    const at = flow.ts === undefined ? new Date() : new Date(flow.ts * 1000);
    const kind = row.crossed > 0 ? 'alert' : 'event';
    const id = flow.uid === undefined ? '' : `,"id":${JSON.stringify(flow.uid)}`;
    out.text(
      `{"@timestamp":"${at.toISOString()}",${fixed},"event":{"kind":"${kind}","category":["network","intrusion_detection"],"type":["connection","info"],"module":"fedflow","dataset":"fedflow.alerts","severity":${row.crossed},"risk_score":`,
    );
    writeRound4(out, row.score);
    let text = `${id}}`;
    text += endpoint('source', flow.src_addr, flow.src_port);
    text += endpoint('destination', flow.dst_addr, flow.dst_port);
    text += networkJson(row, network.transport, network.protocol);
    text += `,"log":{"file":{"path":${row.fileJson}}},${observer}`;
    if (row.strictest >= 0) text += `,"rule":{"name":${rules[row.strictest]}}`;
    out.text(`${text},"fedflow":{"score":`);
    writeRound4(out, row.score);
    out.text(',"row":');
    writeDigits(out, row.row);
    out.text(',"line":');
    writeDigits(out, row.line);
    row.writeFindings(out);
    out.piece(tail);
  };
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
