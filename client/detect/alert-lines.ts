/**
 * Formats scored flows as JSON lines: row number, file and line, score, which thresholds it
 * crosses, the fields that contributed most (value, its encoded category, probability, nats),
 * the flow's identity and the model's. Lines are written as UTF-8 bytes into one buffer per
 * batch (line-writer.ts), everything constant per run (field names, category descriptions,
 * threshold keys, file names, the model) encoded once, because this runs for every scored flow.
 */
import type { ModelSpec } from '../../shared/model/model-spec.js';
import type { ThresholdSet } from '../../shared/model/thresholds.js';
import { AlertRow } from './alert-row.js';
import { ecsLineStyle } from './ecs-lines.js';
import { LineWriter, type Piece, piece } from './line-writer.js';
import { writeDigits, writeRound4 } from './number-text.js';
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

/** One scored row, as a line style writes it (alert-row.ts). */
export interface RowParts {
  readonly row: number;
  /** The file the row was read from, by its position in the run's files. */
  readonly file: number;
  readonly line: number;
  /** The score as the model gave it (lines write it rounded to 4 decimals, writeRound4). */
  readonly score: number;
  /** How many thresholds the score crosses, and the strictest one crossed (its index). */
  readonly crossed: number;
  readonly strictest: number;
  readonly label: string | null;
  /** The flow's context as a JSON object, '' when the format has none. */
  readonly flowJson: string;
  /** The row's model-field value of field `index`, as text. */
  value(index: number): string;
  /** `,"alerts":{...},"top":[...]`, then `,"label":...` if the row has a label. */
  writeFindings(out: LineWriter): void;
}

/** Writes one row as one line (without its newline). */
export type LineStyle = (row: RowParts, out: LineWriter) => void;

/**
 * The key of a threshold in `alerts`: `fpr_1pct` for 0.01, `fpr_0_1pct` for 0.001. No dots:
 * Elasticsearch and most SIEMs read a dot in a key as a nested object.
 */
export function alertKey(fpr: number): string {
  const percent = String(Number((fpr * 100).toPrecision(6)));
  return `fpr_${percent.replace('.', '_')}pct`;
}

const NEWLINE = 0x0a;

export class AlertFormatter {
  private readonly current: AlertRow;
  private readonly out = new LineWriter();
  private readonly alertsOnly: boolean;
  private readonly style: LineStyle;

  constructor(spec: ModelSpec, thresholds: ThresholdSet | null, topFields: number, run: AlertRun) {
    const keys = (thresholds?.targets ?? []).map((t) => alertKey(t.fpr));
    this.current = new AlertRow(spec, thresholds, keys, topFields);
    this.alertsOnly = run.alertsOnly;
    this.style =
      run.output === 'ecs'
        ? ecsLineStyle(spec, keys, run.model, run.files)
        : fedflowLineStyle(run, protocolField(spec));
  }

  /**
   * The batch's lines as UTF-8 (each ending in a newline) and how many rows crossed any
   * threshold. The bytes are the caller's until it hands them back (release).
   */
  format(scored: ScoredBatch): { bytes: Buffer; alerts: number } {
    const { out, current } = this;
    out.start();
    let alerts = 0;
    for (let r = 0; r < scored.batch.count; r++) {
      current.at(scored, r);
      if (current.crossed > 0) alerts++;
      else if (this.alertsOnly) continue;
      this.style(current, out);
      out.byte(NEWLINE);
    }
    return { bytes: out.finish(), alerts };
  }

  /** Gives back a batch's bytes once written: the next batch's lines may reuse them. */
  release(bytes: Buffer): void {
    this.out.release(bytes);
  }
}

/** fedflow's own alert line (AlertLine). */
function fedflowLineStyle(run: AlertRun, protocol: number): LineStyle {
  const row = piece('{"row":');
  // `,"file":<name>,"line":` of each file.
  const files = run.files.map((file) => piece(`,"file":${JSON.stringify(file)},"line":`));
  const score = piece(',"score":');
  const flow = piece(',"flow":');
  const end = piece(`,"model":${JSON.stringify(run.model)}}`);
  const proto = new ProtocolJson();
  return (parts, out) => {
    out.piece(row);
    writeDigits(out, parts.row);
    out.piece(files[parts.file]!);
    writeDigits(out, parts.line);
    out.piece(score);
    writeRound4(out, parts.score);
    parts.writeFindings(out);
    if (parts.flowJson) {
      out.piece(flow);
      writeFlow(parts, out, protocol, proto);
    }
    out.piece(end);
  };
}

/** The flow object with the row's protocol (lower case) as `proto`, when it has one. */
function writeFlow(row: RowParts, out: LineWriter, protocol: number, proto: ProtocolJson): void {
  const { flowJson } = row;
  const value = protocol < 0 ? '' : row.value(protocol);
  if (value === '' || value === '-') {
    out.text(flowJson);
    return;
  }
  if (flowJson === '{}')
    out.byte(0x7b); // {
  else {
    out.text(flowJson.slice(0, -1));
    out.byte(0x2c); // ,
  }
  out.piece(proto.member(value));
  out.byte(0x7d); // }
}

/** `"proto":<value in lower case>` of each protocol value seen (tcp, udp, icmp: a handful). */
class ProtocolJson {
  private readonly members = new Map<string, Piece>();

  member(value: string): Piece {
    let bytes = this.members.get(value);
    if (bytes === undefined) {
      bytes = piece(`"proto":${JSON.stringify(value.toLowerCase())}`);
      if (this.members.size < 256) this.members.set(value, bytes);
    }
    return bytes;
  }
}
