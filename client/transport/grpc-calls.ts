/** gRPC call helpers for the client: unary calls as promises that fail with a FedflowError. */
import type * as grpc from '@grpc/grpc-js';
import { fromServiceError } from '../../shared/wire/status.js';

/** The deadline `ms` from now, as grpc-js takes it. */
export const deadline = (ms: number) => new Date(Date.now() + ms);

export function unary<T>(
  start: (callback: (error: grpc.ServiceError | null, value?: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) =>
    start((error, value) => (error ? reject(fromServiceError(error)) : resolve(value as T))),
  );
}
