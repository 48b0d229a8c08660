/** Checks a client's payload against the task it answers and the published model. */
import { histogramProblem } from '../../shared/federation/calibration.js';
import {
  MAX_SKETCH_ROWS,
  MIN_SKETCH_COUNT,
  sketchProblem,
} from '../../shared/federation/encoder-round.js';
import {
  type ClientPayload,
  PAYLOAD_FOR_TASK,
  type Task,
} from '../../shared/federation/messages.js';
import type { FlowSchema } from '../../shared/flows/schema.js';
import type { GlobalModel } from '../store/federation-state.js';

/**
 * The largest change of one weight a delta may carry. Honest rounds move a weight by at most
 * steps x learning rate (about 0.4 with the defaults); the bound keeps every sum of deltas,
 * every weight and every server moment finite in float32, so one site's finite but huge
 * delta is refused on its own and the round goes on with the others.
 */
export const MAX_DELTA_MAGNITUDE = 1e6;

/**
 * Why the payload is rejected, or null when it may be aggregated. `maxRows` bounds the
 * example and flow counts a client may claim (what it declared in the encoder round), so one
 * client cannot outweigh all others in FedAvg or swamp the calibration histogram;
 * `maxSketchRows` bounds what a sketch may declare in the first place.
 */
export function payloadProblem(
  task: Task,
  schema: FlowSchema,
  model: GlobalModel | null,
  payload: ClientPayload,
  maxRows = Number.POSITIVE_INFINITY,
  maxSketchRows = MAX_SKETCH_ROWS,
): string | null {
  const expected = PAYLOAD_FOR_TASK[task.kind];
  if (payload.kind !== expected)
    return `a ${task.kind} task expects a ${expected} payload, got ${payload.kind}`;
  if (payload.kind === 'sketch')
    return model
      ? 'the encoder is already fitted'
      : sketchProblem(schema, payload, {
          minCount: Math.max(MIN_SKETCH_COUNT, task.minCategoryCount),
          maxRows: maxSketchRows,
          maxValues: task.maxCategoryValues,
        });
  if (!model) return 'no global model yet';
  if (payload.modelVersion !== model.version)
    return `payload is for model version ${payload.modelVersion}, the round is on version ${model.version}`;
  if (payload.kind === 'histogram') {
    if (payload.flows > maxRows)
      return `histogram claims ${payload.flows} flows, more than the ${maxRows} rows this site declared`;
    return histogramProblem(payload.counts, payload.flows);
  }
  if (payload.delta.length !== model.weights.length)
    return `delta has ${payload.delta.length} values, the model has ${model.weights.length}`;
  for (let i = 0; i < payload.delta.length; i++) {
    const v = payload.delta[i]!;
    if (!Number.isFinite(v)) return `delta value ${i} is ${v}`;
    if (Math.abs(v) > MAX_DELTA_MAGNITUDE)
      return `delta value ${i} is ${v}, beyond the +-${MAX_DELTA_MAGNITUDE} a round of training can move a weight`;
  }
  if (!(Number.isInteger(payload.examples) && payload.examples > 0))
    return `examples must be a positive integer, got ${payload.examples}`;
  if (payload.examples > maxRows)
    return `claims ${payload.examples} examples, more than the ${maxRows} rows this site declared`;
  if (!Number.isFinite(payload.validationLoss))
    return `validation loss is ${payload.validationLoss}`;
  return null;
}
