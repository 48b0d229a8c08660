/**
 * Reader for Suricata's eve.json: one JSON event per line, of which the `flow` events are
 * flows (a connection's both directions, written when it ends). Other events (alert, dns,
 * http, stats, ...) are not flows and are passed over, not counted as malformed. A flow's
 * duration is its end minus its start; its context is its start, `flow_id`, and endpoints.
 */
import type { BadRowCounter } from './bad-rows.js';
import { EVE_FLOW_FIELDS, EVE_FLOW_SCHEMA } from './builtin-schemas.js';
import { INVALID, numberProblem, parseNonNegative } from './field-text.js';
import { contextValue, type FlowContext, isInvalid } from './flow-context.js';
import type { FormatReader } from './format-reader.js';
import { decodedRows, numberedLines, parseObject, preview } from './json-lines.js';
import { UNSET_CATEGORY } from './row-decoder.js';
import { FlowFormatError, type FlowRow, type RowIssue } from './schema.js';

/** What every flow event carries; the rest (app_proto, tcp.*) may be left out. */
const ALWAYS_IN_A_FLOW = ['proto', 'src_ip', 'dest_ip', 'flow.start', 'flow.end'];

/** Opens an eve.json: reads its first event now, to fail early on a file of another kind. */
export async function openSuricataEve(file: string): Promise<FormatReader> {
  for await (const { text, line } of numberedLines(file)) {
    const event = parseObject(text);
    if (typeof event === 'string' || typeof event.event_type !== 'string') {
      const why = typeof event === 'string' ? event : 'it has no event_type';
      const message = `${file}:${line}: not a Suricata EVE log: ${why}`;
      throw new FlowFormatError(message, file, line);
    }
    return { schema: EVE_FLOW_SCHEMA, rows: (counter) => eveFlowRows(file, counter) };
  }
  throw new FlowFormatError(`${file}: file is empty`, file);
}

function eveFlowRows(file: string, counter: BadRowCounter): AsyncIterable<FlowRow> {
  const decoder = new EveFlowDecoder(file);
  return decodedRows(file, counter, (text, line) => decoder.decode(text, line));
}

class EveFlowDecoder {
  constructor(private readonly file: string) {}

  /** The flow on a line, why it is malformed, or null for an event that is not a flow. */
  decode(text: string, line: number): FlowRow | RowIssue | null {
    const event = parseObject(text);
    if (typeof event === 'string') return this.issue(line, null, event);
    if (event.event_type !== 'flow') return null;
    for (const path of ALWAYS_IN_A_FLOW)
      if (valueAt(event, path) === undefined)
        return this.issue(line, path, `missing key '${path}'`);
    const start = this.time(event, 'flow.start', line);
    if (typeof start !== 'number') return start;
    const end = this.time(event, 'flow.end', line);
    if (typeof end !== 'number') return end;
    const values: (string | number)[] = new Array(EVE_FLOW_FIELDS.length);
    for (let index = 0; index < EVE_FLOW_FIELDS.length; index++) {
      const field = EVE_FLOW_FIELDS[index]!;
      if (field.name === 'duration') {
        values[index] = Math.max(0, end - start);
        continue;
      }
      const value = valueAt(event, field.name);
      if (value === undefined || value === null) {
        values[index] = field.kind === 'categorical' ? UNSET_CATEGORY : 0;
      } else if (field.kind === 'categorical') {
        if (!(typeof value === 'string' || typeof value === 'number') || value === '')
          return this.issue(line, field.name, `expected a string or number, got ${preview(value)}`);
        values[index] = String(value);
      } else {
        const number = typeof value === 'number' ? value : parseNonNegative(String(value));
        if (number === INVALID || !(number >= 0 && number < Number.POSITIVE_INFINITY))
          return this.issue(line, field.name, numberProblem(String(value)));
        values[index] = number;
      }
    }
    const context = this.context(event, start, line);
    return 'reason' in context ? context : { line, values, label: null, context };
  }

  /** A date-time of the event as epoch seconds, or why it is not one. */
  private time(event: Record<string, unknown>, path: string, line: number): number | RowIssue {
    const value = valueAt(event, path);
    const seconds = typeof value === 'string' ? contextValue('ts', value) : null;
    if (typeof seconds === 'number') return seconds;
    return this.issue(line, path, `expected a date-time, got ${preview(value)}`);
  }

  private context(
    event: Record<string, unknown>,
    ts: number,
    line: number,
  ): FlowContext | RowIssue {
    const cells = {
      uid: event.flow_id,
      srcAddr: event.src_ip,
      srcPort: event.src_port,
      dstAddr: event.dest_ip,
      dstPort: event.dest_port,
    } as const;
    const names = { srcPort: 'src_port', dstPort: 'dest_port' } as Record<string, string>;
    const context: Record<string, string | number | null> = { ts };
    for (const [key, raw] of Object.entries(cells)) {
      const text = raw === undefined || raw === null ? '' : String(raw);
      const value = contextValue(key as keyof FlowContext, text);
      if (isInvalid(value)) return this.issue(line, names[key] ?? key, value.problem);
      context[key] = value;
    }
    return context as unknown as FlowContext;
  }

  private issue(line: number, field: string | null, reason: string): RowIssue {
    return { file: this.file, line, field, reason };
  }
}

/** The value at a dotted path of the event (`flow.pkts_toserver`), or undefined. */
function valueAt(event: Record<string, unknown>, path: string): unknown {
  let value: unknown = event;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
