/**
 * A batch of encoded flows as the encode worker hands it to the scorer: codes for the model,
 * and per row just what alert lines and evaluation need (line, label, raw values packed in
 * one string), because one string per row crosses a thread far cheaper than an array.
 */
export interface EncodedBatch {
  readonly count: number;
  /** Row-major codes, `fieldCount` per row. */
  readonly codes: Uint16Array;
  /** Physical line of each row in its file. */
  readonly lines: Uint32Array;
  readonly labels: readonly (string | null)[];
  /** Each row's model-field values as text, joined by {@link VALUE_SEPARATOR}. */
  readonly packedValues: readonly string[];
}

/** ASCII unit separator: never part of a parsed field value that we keep. */
export const VALUE_SEPARATOR = '\x1f';

export function packValues(values: readonly (string | number)[]): string {
  return values.join(VALUE_SEPARATOR);
}

/** The raw values of one row, numbers as their decimal text. */
export function unpackValues(packed: string): string[] {
  return packed.split(VALUE_SEPARATOR);
}
