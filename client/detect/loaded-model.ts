/** A model directory opened for use: its detector model on the active backend plus its encoder. */
import { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import type { FlowSchema } from '../../shared/flows/schema.js';
import { createDetector } from '../../shared/model/create-detector.js';
import type { DetectorModel } from '../../shared/model/detector-model.js';
import { loadModelDir, type SavedModel } from '../../shared/model/model-dir.js';

export interface LoadedModel {
  readonly saved: SavedModel;
  readonly model: DetectorModel;
  readonly encoder: FlowEncoder;
}

export function openModel(dir: string): LoadedModel {
  return loadedModel(loadModelDir(dir));
}

/** A model already in memory (a trained or received one) made ready to score, as openModel does. */
export function loadedModel<T extends Pick<SavedModel, 'spec' | 'weights'>>(
  saved: T,
): { readonly saved: T; readonly model: DetectorModel; readonly encoder: FlowEncoder } {
  return {
    saved,
    model: createDetector(saved.spec, saved.weights),
    encoder: new FlowEncoder(saved.spec.encoder),
  };
}

/** Input must carry exactly the model's fields, in order, or codes would be meaningless. */
export function assertSchemaMatches(model: FlowSchema, input: FlowSchema, what: string): void {
  const expected = model.fields.map((f) => `${f.name}:${f.kind}`).join(',');
  const actual = input.fields.map((f) => `${f.name}:${f.kind}`).join(',');
  if (expected !== actual) {
    const missing = model.fields
      .filter((f) => !input.fields.some((g) => g.name === f.name))
      .map((f) => f.name);
    const detail = missing.length
      ? `missing ${missing.join(', ')}`
      : 'same names but different order or kinds';
    throw new Error(
      `${what} has schema '${input.name}', which does not match the model's '${model.name}' (${detail})`,
    );
  }
}
