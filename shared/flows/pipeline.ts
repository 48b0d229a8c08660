/**
 * The one way flows reach a model: read -> derive -> select. Training, scoring, the encoder
 * round and the encode worker all open their rows here, so a derived field is computed the same
 * way wherever a row is used, and every consumer sees the same schema.
 */
import {
  type DeriveStageFactory,
  defaultDeriveStages,
  derivedSchema,
  deriveRows,
} from './derive.js';
import type { FlowFormat } from './formats.js';
import { type ReadOptions, readFlowFiles } from './readers.js';
import { mapRows } from './row-batches.js';
import type { FlowRow, FlowSchema } from './schema.js';

/** Which flows to use: the files, their format, and (for training) which label. */
export interface FlowSelection {
  readonly files: readonly string[];
  readonly format: FlowFormat;
  /** Use only rows with this label (e.g. `normal`); null = every row. */
  readonly onlyLabel: string | null;
  readonly read: ReadOptions;
  /**
   * Derive per-host traffic features where the format allows (default true); a model records
   * the choice in its schema, so scoring follows the model (see derivesTraffic).
   */
  readonly trafficFeatures?: boolean;
  /** With traffic features, also each host's last N connections (0 or absent: not). */
  readonly lastConnections?: number;
}

export interface FlowPipeline {
  /** The schema of the rows handed on: the file's fields, then the derived ones. */
  readonly schema: FlowSchema;
  /** The selected rows, derived; each `for await` is a fresh pass over the files. */
  readonly rows: AsyncIterable<FlowRow>;
  /** Rows read (before selection) and malformed rows skipped in the latest pass. */
  readonly stats: { rows: number; badRows: number };
}

/**
 * Opens the files (headers are read and checked now) and returns the pipeline over them.
 * Derivation sees every row, selected or not: a host's traffic context includes its attacks.
 */
export async function openPipeline(
  selection: FlowSelection,
  given?: readonly DeriveStageFactory[],
): Promise<FlowPipeline> {
  const source = await readFlowFiles(selection.files, selection.format, selection.read);
  const stages =
    given ??
    defaultDeriveStages(selection.format, source.schema, {
      traffic: selection.trafficFeatures,
      lastConnections: selection.lastConnections,
      csvContext: selection.read.csvMapping?.context,
    });
  const derived = deriveRows(source.rows, stages);
  return {
    schema: derivedSchema(source.schema, stages),
    rows: selectRows(derived, selection.onlyLabel),
    stats: source.stats,
  };
}

function selectRows(
  rows: AsyncIterable<FlowRow>,
  onlyLabel: string | null,
): AsyncIterable<FlowRow> {
  if (onlyLabel === null) return rows;
  return mapRows(rows, () => (row) => (row.label === onlyLabel ? row : null));
}
