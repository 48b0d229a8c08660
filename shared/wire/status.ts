/**
 * The single translation point between errors and gRPC statuses, and the wrappers that make
 * async handlers safe: grpc-js does not await a handler's promise, so a rejection would
 * otherwise be lost (or crash the process) instead of reaching the caller as a status.
 */
import {
  type handleClientStreamingCall,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type StatusObject,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { FedflowError, type FedflowErrorCode } from './errors.js';
import { wellFormed } from './malformed-request.js';

/** What a handler sends back for a failure: a status code and text safe for the peer. */
export type ServiceErrorStatus = Pick<StatusObject, 'code' | 'details'>;

/** Text sent for any error not raised on purpose; the real error stays on this side. */
export const INTERNAL_ERROR_DETAILS = 'internal error';

const STATUS_FOR_CODE: Readonly<Record<FedflowErrorCode, status>> = {
  'invalid-argument': status.INVALID_ARGUMENT,
  unauthenticated: status.UNAUTHENTICATED,
  'permission-denied': status.PERMISSION_DENIED,
  'failed-precondition': status.FAILED_PRECONDITION,
  'not-found': status.NOT_FOUND,
  'already-exists': status.ALREADY_EXISTS,
  'resource-exhausted': status.RESOURCE_EXHAUSTED,
  'deadline-exceeded': status.DEADLINE_EXCEEDED,
  unavailable: status.UNAVAILABLE,
  cancelled: status.CANCELLED,
  unimplemented: status.UNIMPLEMENTED,
  internal: status.INTERNAL,
};

/**
 * Every status a client can receive, read back as a code. Statuses no handler raises on
 * purpose map to the reaction they call for.
 */
const CODE_FOR_STATUS: Readonly<Record<status, FedflowErrorCode>> = {
  [status.OK]: 'internal', // a failed call never carries OK; treat it as a broken peer
  [status.CANCELLED]: 'cancelled',
  [status.UNKNOWN]: 'internal',
  [status.INVALID_ARGUMENT]: 'invalid-argument',
  [status.DEADLINE_EXCEEDED]: 'deadline-exceeded',
  [status.NOT_FOUND]: 'not-found',
  [status.ALREADY_EXISTS]: 'already-exists',
  [status.PERMISSION_DENIED]: 'permission-denied',
  [status.RESOURCE_EXHAUSTED]: 'resource-exhausted',
  [status.FAILED_PRECONDITION]: 'failed-precondition',
  // A concurrency conflict: trying again later is the right reaction.
  [status.ABORTED]: 'unavailable',
  [status.OUT_OF_RANGE]: 'invalid-argument',
  [status.UNIMPLEMENTED]: 'unimplemented',
  [status.INTERNAL]: 'internal',
  [status.UNAVAILABLE]: 'unavailable',
  [status.DATA_LOSS]: 'internal',
  [status.UNAUTHENTICATED]: 'unauthenticated',
};

/**
 * The status to send for an error: a FedflowError keeps its code and message; anything else
 * becomes UNKNOWN with a generic text, so internals (paths, stack traces) never leak.
 *
 * @example toServiceError(new FedflowError('not-found', 'no model 7')) // { code: 5, details: 'no model 7' }
 */
export function toServiceError(error: unknown): ServiceErrorStatus {
  if (error instanceof FedflowError) {
    return { code: STATUS_FOR_CODE[error.code], details: error.message };
  }
  return { code: status.UNKNOWN, details: INTERNAL_ERROR_DETAILS };
}

/**
 * The FedflowError for a failed client call, keeping the original as its cause. Statuses with
 * no code of their own map to the closest one (UNKNOWN and DATA_LOSS to 'internal').
 */
export function fromServiceError(error: unknown): FedflowError {
  if (error instanceof FedflowError) return error;
  const grpcStatus = statusOf(error);
  if (grpcStatus === undefined) {
    const text = error instanceof Error ? error.message : String(error);
    return new FedflowError('internal', `call failed without a gRPC status: ${text}`, {
      cause: error,
    });
  }
  const details = (error as { details?: unknown }).details;
  const message = typeof details === 'string' && details !== '' ? details : status[grpcStatus]!;
  return new FedflowError(CODE_FOR_STATUS[grpcStatus], message, { cause: error });
}

function statusOf(error: unknown): status | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' && code in status ? (code as status) : undefined;
}

/** Hooks for the wrappers; errors not raised on purpose go to onUnexpectedError. */
export interface WrapOptions {
  /** Receives every error that is not a FedflowError (the peer only sees 'internal error'). */
  readonly onUnexpectedError?: (error: unknown) => void;
}

function reportUnexpected(error: unknown, options: WrapOptions): void {
  if (error instanceof FedflowError) return;
  if (options.onUnexpectedError) options.onUnexpectedError(error);
  else console.error('unexpected error in a gRPC handler:', error);
}

/** Both callback-style handlers: the result or the error goes to `callback` exactly once. */
function respondOnce<Call, Response>(
  handler: (call: Call) => Promise<Response>,
  options: WrapOptions,
): (call: Call, callback: sendUnaryData<Response>) => void {
  return (call, callback) => {
    settle(
      () => handler(call),
      (response) => callback(null, response),
      (error) => {
        reportUnexpected(error, options);
        callback(toServiceError(error));
      },
    );
  };
}

/**
 * A unary handler from an async function: its result or its error is sent exactly once.
 *
 * @example GetChallenge: wrapUnary(async (call) => issueChallenge(call.request))
 */
export function wrapUnary<Request, Response>(
  handler: (call: ServerUnaryCall<Request, Response>) => Promise<Response>,
  options: WrapOptions = {},
): handleUnaryCall<Request, Response> {
  return respondOnce(async (call) => {
    wellFormed(call.request);
    return handler(call);
  }, options);
}

/**
 * A client-streaming handler from an async function that reads `call` (e.g. `for await`) and
 * returns the response; its result or its error is sent exactly once. The handler passes each
 * message it reads through `wellFormed` (see malformed-request.ts).
 */
export function wrapClientStream<Request, Response>(
  handler: (call: ServerReadableStream<Request, Response>) => Promise<Response>,
  options: WrapOptions = {},
): handleClientStreamingCall<Request, Response> {
  return respondOnce(handler, options);
}

/**
 * A server-streaming handler from an async function that writes to `call` (see
 * writeMessage); the stream ends with OK when it resolves, or with the error's status.
 */
export function wrapServerStream<Request, Response>(
  handler: (call: ServerWritableStream<Request, Response>) => Promise<void>,
  options: WrapOptions = {},
): handleServerStreamingCall<Request, Response> {
  return (call) => {
    settle(
      async () => {
        wellFormed(call.request);
        return handler(call);
      },
      () => call.end(),
      (error) => {
        reportUnexpected(error, options);
        // A cancelled call has no one left to tell.
        if (!call.cancelled) call.emit('error', toServiceError(error));
      },
    );
  };
}

/**
 * Writes one message to a server stream, waiting while the stream's buffer is full so a large
 * download does not pile up in memory. Rejects if the client cancels meanwhile.
 */
export async function writeMessage<Response>(
  call: ServerWritableStream<unknown, Response>,
  message: Response,
): Promise<void> {
  if (call.cancelled) throw new FedflowError('cancelled', 'the client cancelled the call');
  if (call.write(message)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      call.off('cancelled', onCancelled);
      resolve();
    };
    const onCancelled = () => {
      call.off('drain', onDrain);
      reject(new FedflowError('cancelled', 'the client cancelled the call'));
    };
    call.once('drain', onDrain);
    call.once('cancelled', onCancelled);
  });
}

/** Runs an async step and routes its outcome to exactly one of two continuations. */
function settle<T>(
  run: () => Promise<T>,
  onResult: (result: T) => void,
  onError: (error: unknown) => void,
): void {
  let promise: Promise<T>;
  try {
    promise = run();
  } catch (error) {
    // A handler that throws before returning its promise.
    onError(error);
    return;
  }
  promise.then(onResult, onError);
}
