/**
 * Fits an encoder spec from a (possibly merged) sketch: categorical vocabularies with an
 * "other" bucket, and quantile bin edges for numeric fields.
 */
import { bucketLowerEdge } from '../stats/log-histogram.js';
import type { EncoderSpec, FieldEncoding } from './encoder-spec.js';
import type { EncoderSketch, FieldSketch } from './sketch.js';

export interface EncoderFitOptions {
  /** A categorical value seen fewer times than this maps to "other". */
  readonly minCategoryCount: number;
  /** At most this many values per categorical field; the rarest go to "other". */
  readonly maxVocabulary: number;
  /** Target number of quantile bins for the non-zero values of a numeric field. */
  readonly numericBins: number;
}

/**
 * Every value seen gets its own code (minCategoryCount 1): "other" then stands for values
 * training never saw, and learns to be unlikely. With 5, values seen 1-4 times trained
 * "other" as a normal code, and a service no normal flow ever used scored like those: NSL-KDD
 * 0.9740 against 0.9722 (mean of seeds 1-5, better on each), IoT-23 Torii with traffic
 * features 0.977 / 0.955 against 0.944 / 0.825; the synthetic sites unchanged. In a
 * federation the encoder round's floor (federation.minRecords) decides first.
 *
 * 4 quantile bins, not 8: with the tail bins and the overflow code below, 4 measured better
 * on NSL-KDD (central 0.9737 against 0.9726, federated by service 0.9735 against 0.9668) and
 * on the synthetic sites (central scan 0.997 against 0.992), with a tenth fewer parameters.
 */
export const DEFAULT_ENCODER_FIT: EncoderFitOptions = {
  minCategoryCount: 1,
  maxVocabulary: 256,
  numericBins: 4,
};

/** A tail bin spans at most this many grid buckets (16 a decade: 8 is a factor of 3.2)... */
const TAIL_SPAN = 8;
/** ...unless it holds less than this share of the non-zero values. */
const TAIL_MIN_MASS = 0.002;

export function fitEncoder(
  sketch: EncoderSketch,
  options: EncoderFitOptions = DEFAULT_ENCODER_FIT,
): EncoderSpec {
  return { fields: sketch.fields.map((field) => fitField(field, options)) };
}

function fitField(field: FieldSketch, options: EncoderFitOptions): FieldEncoding {
  if (field.kind === 'categorical') {
    // Most frequent first, ties broken by value so the spec is deterministic.
    const vocabulary = [...field.counts]
      .filter(([, count]) => count >= options.minCategoryCount)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, options.maxVocabulary)
      .map(([value]) => value);
    return { name: field.name, kind: 'categorical', vocabulary };
  }
  if (field.numeric === 'flag')
    return { name: field.name, kind: 'numeric', numeric: 'flag', edges: [] };
  return {
    name: field.name,
    kind: 'numeric',
    numeric: field.numeric,
    edges: quantileEdges(field.histogram.counts, field.histogram.grid, options.numericBins),
  };
}

/**
 * Bin edges on histogram bucket boundaries so that each bin holds about 1/bins of the
 * non-zero mass. A bucket heavier than one bin's share becomes a bin of its own, so values
 * like "exactly 1 connection" are not split or merged arbitrarily. A last edge just above the
 * largest value seen bounds the top bin: the code past it (overflow) holds no training value,
 * so 45 distinct ports where training saw at most 6 is unlikely, not the most common top bin.
 */
function quantileEdges(
  counts: Float64Array,
  grid: Parameters<typeof bucketLowerEdge>[0],
  bins: number,
): number[] {
  let nonZero = 0;
  for (let b = 1; b < counts.length; b++) nonZero += counts[b]!;
  if (nonZero === 0) return [];
  const share = nonZero / bins;
  const edges: number[] = [];
  let inBin = 0;
  let binStart = 1;
  for (let b = 1; b < counts.length; b++) {
    const count = counts[b]!;
    if (count === 0) continue;
    // Close the current bin before a bucket that would overfill it, or after it is full; and
    // in a thin tail, before the bin spans more than TAIL_SPAN buckets, so that 35 connections
    // a second is not the bin of 6 because few rows lie between.
    const full = inBin >= share || inBin + count > share * 1.5;
    const wide = b - binStart >= TAIL_SPAN && inBin >= nonZero * TAIL_MIN_MASS;
    if (inBin > 0 && (full || wide) && b > 1) {
      edges.push(bucketLowerEdge(grid, b));
      inBin = 0;
      binStart = b;
    }
    inBin += count;
  }
  let highest = counts.length - 1;
  while (counts[highest] === 0) highest--;
  const upper = bucketLowerEdge(grid, highest + 1);
  if (highest + 1 < counts.length && (edges.length === 0 || upper > edges.at(-1)!))
    edges.push(upper);
  return edges;
}
