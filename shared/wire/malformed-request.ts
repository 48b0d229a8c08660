/**
 * Requests whose bytes are not the message they should be. grpc-js answers a request that
 * fails to deserialise with INTERNAL, which tells the peer the server broke; the fault is the
 * peer's. A service definition from `tolerantService` hands such a request to the handler as a
 * MalformedRequest instead, and the wrappers in status.ts answer it INVALID_ARGUMENT.
 */
import type { ServiceDefinition } from '@grpc/grpc-js';
import { FedflowError } from './errors.js';

/** What a handler receives in place of a request whose bytes did not decode. */
export class MalformedRequest {
  constructor(
    /** The message type expected, e.g. "GetChallengeRequest". */
    readonly expected: string,
    /** Why decoding failed, as the decoder said it. */
    readonly reason: string,
  ) {}
}

/**
 * The same service with every request deserialiser made total: bytes that fail to decode
 * become a MalformedRequest for the handler to refuse.
 */
export function tolerantService<S extends ServiceDefinition>(service: S): S {
  const tolerant: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(service)) {
    const decode = method.requestDeserialize;
    const expected = requestTypeName(method) ?? `${name} request`;
    tolerant[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return decode(bytes);
        } catch (error) {
          return new MalformedRequest(
            expected,
            error instanceof Error ? error.message : String(error),
          );
        }
      },
    };
  }
  return tolerant as S;
}

/**
 * The request itself, or INVALID_ARGUMENT naming the expected message and the decoder's reason.
 *
 * @example for await (const raw of call) { const message = wellFormed(raw); ... }
 */
export function wellFormed<T>(request: T | MalformedRequest): T {
  if (request instanceof MalformedRequest)
    throw new FedflowError(
      'invalid-argument',
      `the request is not a valid ${request.expected} message: ${request.reason}`,
    );
  return request;
}

/** proto-loader records each method's request type; other definitions may not. */
function requestTypeName(method: object): string | undefined {
  const type = (method as { requestType?: { type?: { name?: unknown } } }).requestType?.type;
  return typeof type?.name === 'string' ? type.name : undefined;
}
