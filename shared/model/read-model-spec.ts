/**
 * The one reader of a model spec from JSON (a model directory's model.json, a published
 * release, a model copy an auditor holds): every field checked, and the weight manifest
 * checked against what the architecture and the encoder imply, so a spec that loads is one
 * the model code can build. Problems name the field.
 */
import { cardinality, validateEncoderSpec } from '../encoding/encoder-spec.js';
import { NUMERIC_KINDS } from '../flows/schema.js';
import { manifestFor } from './create-model.js';
import { MODEL_KINDS, type ModelKind, type ModelSpec } from './model-spec.js';
import { ModelSpecError } from './model-spec-error.js';

export { ModelSpecError };

/**
 * The spec `value` describes. Specs written before models had kinds are categorical VAEs.
 * @example readModelSpec(JSON.parse(text), 'models/v3/model.json')
 */
export function readModelSpec(value: unknown, source: string): ModelSpec {
  const fail = (problem: string): never => {
    throw new ModelSpecError(source, problem);
  };
  const spec = (value ?? {}) as Record<string, unknown>;
  if (typeof value !== 'object' || value === null) fail('expected a JSON object');
  if (spec.format !== 'fedflow-model') fail("'format' must be 'fedflow-model'");
  if (spec.version !== 1)
    fail(`unsupported version ${String(spec.version)} (this fedflow reads version 1)`);
  const kind = (spec.kind ?? 'categorical-vae') as ModelKind;
  if (!MODEL_KINDS.includes(kind))
    fail(`'kind' must be one of ${MODEL_KINDS.join(', ')}, got ${JSON.stringify(spec.kind)}`);
  const schemaProblem = checkSchema(spec.schema);
  if (schemaProblem) fail(`schema: ${schemaProblem}`);
  let encoder: ModelSpec['encoder'];
  try {
    encoder = validateEncoderSpec(spec.encoder, source);
  } catch (error) {
    return fail((error as Error).message.replace(`${source}: `, ''));
  }
  const schema = spec.schema as ModelSpec['schema'];
  if (encoder.fields.length !== schema.fields.length)
    fail(`the schema has ${schema.fields.length} fields but the encoder ${encoder.fields.length}`);
  const architectureProblem = checkArchitecture(spec.architecture);
  if (architectureProblem) fail(`architecture: ${architectureProblem}`);
  const architecture = spec.architecture as ModelSpec['architecture'];
  const width = encoder.fields.reduce((sum, field) => sum + cardinality(field), 0);
  if (kind === 'alad-gan' && architecture.latent.kind !== 'gaussian')
    fail("architecture: an alad-gan model needs latent 'kind' 'gaussian'");
  if (kind === 'gru') {
    const sequenceProblem = checkSequence(architecture.sequence);
    if (sequenceProblem) fail(`architecture: ${sequenceProblem}`);
  }
  const expected = manifestFor(kind, architecture, width);
  if (JSON.stringify(spec.weights) !== JSON.stringify(expected))
    fail(
      `'weights' does not match the architecture over the encoder's ${width} inputs (expected ${expected.length} tensors, first ${expected[0]?.name} ${JSON.stringify(expected[0]?.shape)})`,
    );
  return {
    format: 'fedflow-model',
    version: 1,
    kind,
    schema,
    encoder,
    architecture,
    weights: expected,
  };
}

function checkSchema(value: unknown): string | null {
  const schema = value as { name?: unknown; fields?: unknown } | null;
  if (typeof schema?.name !== 'string') return "'name' must be a string";
  if (!Array.isArray(schema.fields) || schema.fields.length === 0)
    return "'fields' must be a non-empty list";
  for (const [i, field] of (schema.fields as Record<string, unknown>[]).entries()) {
    if (typeof field?.name !== 'string') return `fields[${i}].name must be a string`;
    if (field.kind === 'categorical') continue;
    if (field.kind !== 'numeric') return `fields[${i}].kind must be 'categorical' or 'numeric'`;
    if (!NUMERIC_KINDS.includes(field.numeric as never))
      return `fields[${i}].numeric must be one of ${NUMERIC_KINDS.join(', ')}`;
  }
  return null;
}

function checkArchitecture(value: unknown): string | null {
  const architecture = value as { hidden?: unknown; latent?: Record<string, unknown> } | null;
  const positive = (n: unknown) => Number.isInteger(n) && (n as number) > 0;
  if (!Array.isArray(architecture?.hidden) || !architecture.hidden.every(positive))
    return "'hidden' must be a list of positive integers";
  const latent = architecture.latent;
  if (latent?.kind === 'gaussian')
    return positive(latent.dim) ? null : "latent 'dim' must be a positive integer";
  if (latent?.kind === 'stick-breaking') return checkStickBreaking(latent);
  if (latent?.kind !== 'mixture')
    return "latent 'kind' must be 'gaussian', 'mixture' or 'stick-breaking'";
  if (!positive(latent.components)) return "latent 'components' must be a positive integer";
  const t = latent.temperature as { start?: unknown; end?: unknown } | undefined;
  if (!(typeof t?.start === 'number' && t.start > 0 && typeof t.end === 'number' && t.end > 0))
    return "latent 'temperature' must have positive 'start' and 'end'";
  if (
    latent.objective !== undefined &&
    latent.objective !== 'exact' &&
    latent.objective !== 'gumbel-softmax'
  )
    return "latent 'objective' must be 'exact' or 'gumbel-softmax'";
  return null;
}

/** Most history slots per host a spec may ask for: each costs every remembered host a flow's codes. */
const MAX_STEPS = 1024;

function checkSequence(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return "a gru model needs 'sequence'";
  const s = value as Record<string, unknown>;
  for (const key of ['steps', 'embedding', 'state', 'maxHosts'])
    if (!(Number.isInteger(s[key]) && (s[key] as number) > 0))
      return `sequence '${key}' must be a positive integer`;
  if ((s.steps as number) > MAX_STEPS) return `sequence 'steps' must be at most ${MAX_STEPS}`;
  const gap = s.gapSeconds;
  if (gap !== null && !(typeof gap === 'number' && gap > 0))
    return "sequence 'gapSeconds' must be null or a positive number";
  return null;
}

function checkStickBreaking(latent: Record<string, unknown>): string | null {
  const k = latent.components;
  if (!(Number.isInteger(k) && (k as number) >= 2))
    return "latent 'components' must be an integer of at least 2";
  const alpha = latent.concentration;
  if (!(typeof alpha === 'number' && alpha > 0 && Number.isFinite(alpha)))
    return "latent 'concentration' must be a positive number";
  return null;
}
