/**
 * How the columns of a flow file map onto a schema: the role of each column, and the resolution
 * of a header row into those roles.
 */
import { type FieldSpec, FlowFormatError, type ModelField } from './schema.js';

/** The role of one column of a file: a schema field, ignored, or the ground-truth label. */
export type ColumnRole = FieldSpec | { readonly name: string; readonly kind: 'label' };

/** Where a header came from, for error messages. */
export interface HeaderSource {
  readonly file: string;
  readonly line: number;
  /** What the file should be, e.g. `Zeek conn.log`. */
  readonly what: string;
}

/**
 * Roles of the columns of a header: each named model field and the label column get their role,
 * every other column is ignored. A missing or repeated model column is a FlowFormatError.
 */
export function resolveColumns(
  header: readonly string[],
  fields: readonly ModelField[],
  label: { readonly column: string; readonly required: boolean } | undefined,
  source: HeaderSource,
): ColumnRole[] {
  const { file, line, what } = source;
  const wanted = new Map<string, ColumnRole>(fields.map((field) => [field.name, field]));
  if (label !== undefined) wanted.set(label.column, { name: label.column, kind: 'label' });
  const seen = new Set<string>();
  const roles = header.map((name): ColumnRole => {
    const role = wanted.get(name);
    if (role === undefined) return { name, kind: 'ignored' };
    if (seen.has(name)) {
      throw new FlowFormatError(
        `${file}:${line}: column '${name}' appears twice in the header`,
        file,
        line,
      );
    }
    seen.add(name);
    return role;
  });
  const mandatory = fields.map((field) => field.name);
  if (label?.required) mandatory.push(label.column);
  const missing = mandatory.find((name) => !seen.has(name));
  if (missing !== undefined) {
    throw new FlowFormatError(
      `${file}:${line}: ${what} header has no column '${missing}' (columns: ${header.join(', ')})`,
      file,
      line,
    );
  }
  return roles;
}
