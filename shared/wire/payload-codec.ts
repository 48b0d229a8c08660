/**
 * Bytes for the messages that travel inside other messages: the ClientPayload sealed into an
 * envelope, the envelope itself, and the signed model release. Malformed bytes are a WireError;
 * whether values make sense (shapes, finiteness) is for the coordinator to judge.
 */
import type { Message, Type } from 'protobufjs';
import { dequantizeBlocks, type QuantizedVector } from '../codec/block-quantizer.js';
import type { SealedEnvelope } from '../crypto/sealed-envelope.js';
import type { ClientPayload } from '../federation/messages.js';
import { checkUnsigned, payloadKindFromWire, payloadKindToWire } from './convert.js';
import { WireError } from './errors.js';
import { float32VectorFromWire, float32VectorToWire } from './float-vector.js';
import type { ClientPayload__Output } from './generated/fedflow/v1/ClientPayload.js';
import type { ModelRelease__Output } from './generated/fedflow/v1/ModelRelease.js';
import type { SealedEnvelope__Output } from './generated/fedflow/v1/SealedEnvelope.js';
import { LOADER_OPTIONS, loadPayloadTypes } from './proto-loader.js';
import { quantizedVectorFromWire, quantizedVectorToWire } from './quantized-vector.js';
import { secaggPayloadFromWire, secaggPayloadToWire } from './secagg-convert.js';

/** Verifies a plain message object against its type and serialises it. */
function encodeMessage(type: Type, message: Record<string, unknown>): Uint8Array {
  const problem = type.verify(message);
  if (problem !== null) throw new WireError(`cannot encode ${type.name}: ${problem}`);
  return type.encode(message).finish();
}

/** Parses bytes as a message of the given type, as a plain object shaped by LOADER_OPTIONS. */
function decodeMessage<Output>(type: Type, bytes: Uint8Array): Output {
  let message: Message;
  try {
    message = type.decode(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const text = `malformed ${type.name} (${bytes.length} bytes): ${reason}`;
    throw new WireError(text, 'invalid-argument', { cause: error });
  }
  const problem = type.verify(message);
  if (problem !== null) throw new WireError(`malformed ${type.name}: ${problem}`);
  return type.toObject(message, LOADER_OPTIONS) as Output;
}

/**
 * The protobuf bytes of a client payload (the plaintext that gets sealed).
 *
 * @example const plaintext = encodeClientPayload({ kind: 'histogram', modelVersion: 3, counts, flows });
 */
export function encodeClientPayload(payload: ClientPayload): Uint8Array {
  return encodeMessage(loadPayloadTypes().ClientPayload, clientPayloadToWire(payload));
}

function clientPayloadToWire(payload: ClientPayload): Record<string, unknown> {
  switch (payload.kind) {
    case 'sketch':
      return {
        sketch: {
          rows: checkUnsigned('rows', payload.rows),
          categorical: payload.categorical.map(({ field, values, counts }) => ({
            field,
            values,
            counts: counts.map((count) => checkUnsigned(`counts of ${field}`, count)),
          })),
          numeric: payload.numeric.map(({ field, counts }) => ({ field, counts })),
        },
      };
    case 'delta':
      return {
        delta: {
          modelVersion: checkUnsigned('modelVersion', payload.modelVersion),
          ...(payload.quantized
            ? { quantizedDelta: quantizedVectorToWire(payload.quantized) }
            : { delta: float32VectorToWire(payload.delta) }),
          examples: checkUnsigned('examples', payload.examples),
          validationLoss: payload.validationLoss,
        },
      };
    case 'secagg-keys':
    case 'secagg-shares':
    case 'masked-delta':
    case 'secagg-unmask':
      return secaggPayloadToWire(payload);
    case 'histogram':
      return {
        histogram: {
          modelVersion: checkUnsigned('modelVersion', payload.modelVersion),
          counts: payload.counts,
          flows: checkUnsigned('flows', payload.flows),
        },
      };
  }
}

/** The client payload in protobuf bytes; a WireError if they are malformed or carry no body. */
export function decodeClientPayload(bytes: Uint8Array): ClientPayload {
  const message = decodeMessage<ClientPayload__Output>(loadPayloadTypes().ClientPayload, bytes);
  switch (message.body) {
    case 'sketch': {
      const { rows, categorical, numeric } = message.sketch!;
      return { kind: 'sketch', rows, categorical, numeric };
    }
    case 'delta': {
      const { modelVersion, delta, quantizedDelta, examples, validationLoss } = message.delta!;
      if (delta && quantizedDelta)
        throw new WireError('expected a ModelDelta with delta or quantized_delta, got both');
      const quantized = quantizedDelta ? quantizedVectorFromWire(quantizedDelta) : undefined;
      return {
        kind: 'delta',
        modelVersion,
        delta: quantized ? dequantizeBlocks(quantized) : float32VectorFromWire(delta, 'the delta'),
        ...(quantized ? { quantized } : {}),
        examples,
        validationLoss,
      };
    }
    case 'histogram': {
      const { modelVersion, counts, flows } = message.histogram!;
      return { kind: 'histogram', modelVersion, counts, flows };
    }
    default: {
      const secure = secaggPayloadFromWire(message);
      if (secure) return secure;
      throw new WireError('expected a ClientPayload with a sketch, delta or histogram, got none');
    }
  }
}

/** A global model as published: what the coordinator signs and clients verify. */
export interface ModelRelease {
  readonly version: number;
  /** Model spec as JSON, parsed by the model module (empty relative to a base: the base's). */
  readonly specJson: string;
  /** Flat weights in the order of the spec (empty relative to a base). */
  readonly weights: Float32Array;
  /** Shared anomaly thresholds as JSON (empty before the first calibration). */
  readonly thresholdsJson: string;
  readonly createdMs: number;
  /** SHA-256 of the released weights: the ones sent, or the ones reconstructed from the base. */
  readonly weightsSha256?: Uint8Array;
  /** Set on a release relative to a version the client holds (ModelRelease.base_version). */
  readonly base?: {
    readonly version: number;
    readonly weightsSha256: Uint8Array;
    /** The quantised change from the base's weights; absent when the weights are the base's. */
    readonly delta: QuantizedVector | null;
  };
}

/** The protobuf bytes of a model release (before signing). */
export function encodeModelRelease(release: ModelRelease): Uint8Array {
  return encodeMessage(loadPayloadTypes().ModelRelease, {
    version: checkUnsigned('version', release.version),
    specJson: release.specJson,
    weights: float32VectorToWire(release.weights),
    thresholdsJson: release.thresholdsJson,
    createdUnixMs: checkUnsigned('createdMs', release.createdMs),
    weightsSha256: release.weightsSha256 ?? new Uint8Array(0),
    ...(release.base
      ? {
          baseVersion: checkUnsigned('base.version', release.base.version),
          baseWeightsSha256: release.base.weightsSha256,
          ...(release.base.delta
            ? { weightsDelta: quantizedVectorToWire(release.base.delta) }
            : {}),
        }
      : {}),
  });
}

/** The model release in protobuf bytes (after the signature was checked). */
export function decodeModelRelease(bytes: Uint8Array): ModelRelease {
  const message = decodeMessage<ModelRelease__Output>(loadPayloadTypes().ModelRelease, bytes);
  return {
    version: message.version,
    specJson: message.specJson,
    weights: float32VectorFromWire(message.weights, 'the weights'),
    thresholdsJson: message.thresholdsJson,
    createdMs: message.createdUnixMs,
    weightsSha256: new Uint8Array(message.weightsSha256),
    ...(message.baseVersion > 0
      ? {
          base: {
            version: message.baseVersion,
            weightsSha256: new Uint8Array(message.baseWeightsSha256),
            delta: message.weightsDelta ? quantizedVectorFromWire(message.weightsDelta) : null,
          },
        }
      : {}),
  };
}

/** The protobuf bytes of a sealed envelope (what SubmitResult streams in chunks). */
export function encodeSealedEnvelope(envelope: SealedEnvelope): Uint8Array {
  const types = loadPayloadTypes();
  const { kind, round, taskId } = envelope.context;
  return encodeMessage(types.SealedEnvelope, {
    senderSignKey: envelope.senderSignKey,
    nonce: envelope.nonce,
    ciphertext: envelope.ciphertext,
    signature: envelope.signature,
    kind: types.PayloadKind.values[payloadKindToWire(kind)],
    round: checkUnsigned('round', round),
    taskId,
  });
}

/**
 * The sealed envelope in protobuf bytes; a WireError if malformed or of an unknown kind.
 * Whether it is authentic is for openEnvelope (shared/crypto) to decide.
 */
export function decodeSealedEnvelope(bytes: Uint8Array): SealedEnvelope {
  const message = decodeMessage<SealedEnvelope__Output>(loadPayloadTypes().SealedEnvelope, bytes);
  return {
    senderSignKey: message.senderSignKey,
    nonce: message.nonce,
    ciphertext: message.ciphertext,
    signature: message.signature,
    context: {
      kind: payloadKindFromWire(message.kind),
      round: message.round,
      taskId: message.taskId,
    },
  };
}
