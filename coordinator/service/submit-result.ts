/**
 * SubmitResult: the result stream. Who sends, for which open task, and how many bytes are
 * settled at the header, before a chunk is buffered; the assembled envelope then goes to
 * acceptResult, and a refusal is recorded with its reason.
 */
import { ChunkAssembler } from '../../shared/wire/chunks.js';
import { receiptToWire, resultHeaderFromWire } from '../../shared/wire/convert.js';
import { FedflowError } from '../../shared/wire/errors.js';
import type { FederationHandlers } from '../../shared/wire/generated/fedflow/v1/Federation.js';
import { type MalformedRequest, wellFormed } from '../../shared/wire/malformed-request.js';
import { wrapClientStream } from '../../shared/wire/status.js';
import { acceptResult, recordRejection } from './accept-result.js';
import type { ServiceContext, UnexpectedErrorSink } from './service-context.js';

export function submitResultHandler(
  ctx: ServiceContext,
  onUnexpectedError: UnexpectedErrorSink,
): FederationHandlers['SubmitResult'] {
  return wrapClientStream(
    async (call) => {
      let assembler: ChunkAssembler | null = null;
      let header: ReturnType<typeof resultHeaderFromWire> | null = null;
      let bytes: Uint8Array | null = null;
      let release = () => {};
      // A stream that stops sending gives its reservation back instead of holding it.
      const idle = idleTimer(call, ctx.uploadIdleMs);
      try {
        for await (const raw of call as AsyncIterable<
          | {
              header?: unknown;
              chunk?: { index: number; total: number; data: Uint8Array; sha256: Uint8Array };
            }
          | MalformedRequest
        >) {
          idle.reset();
          const message = wellFormed(raw);
          if (!header) {
            if (!message.header)
              throw new FedflowError(
                'invalid-argument',
                'the first message of SubmitResult must be the header',
              );
            header = resultHeaderFromWire(message.header as never);
            ({ assembler, release } = admit(ctx, header));
            continue;
          }
          if (!message.chunk)
            throw new FedflowError('invalid-argument', 'expected a chunk after the header');
          assembler!.accept(message.chunk);
        }
        if (!header || !assembler)
          throw new FedflowError('invalid-argument', 'empty SubmitResult stream');
        bytes = assembler.finish();
        return receiptToWire(acceptResult(ctx, header, bytes));
      } catch (error) {
        if (header) recordRejection(ctx, header, bytes, error);
        throw error;
      } finally {
        idle.stop();
        release();
      }
    },
    { onUnexpectedError },
  );
}

/** Drops the stream (freeing its reservation) when it sends nothing for `ms`. */
function idleTimer(call: { destroy(error: Error): void }, ms: number) {
  let timer: NodeJS.Timeout | null = null;
  const reset = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(
      () =>
        call.destroy(
          new FedflowError(
            'deadline-exceeded',
            `no data for ${ms / 1000} s; the upload was abandoned`,
          ),
        ),
      ms,
    );
  };
  reset();
  return { reset, stop: () => timer && clearTimeout(timer) };
}

/**
 * Who sends, and for which open task, settled at the header before a byte is buffered; then
 * the declared size is reserved and checked chunk by chunk.
 */
function admit(
  ctx: ServiceContext,
  header: ReturnType<typeof resultHeaderFromWire>,
): { assembler: ChunkAssembler; release: () => void } {
  const session = ctx.enrolment.session(header.sessionToken);
  if (!ctx.clients.pendingTask(session.clientId, header.taskId))
    throw new FedflowError(
      'failed-precondition',
      `task ${header.taskId} is not open for this client (wrong round, or the round has closed)`,
    );
  if (header.totalBytes > ctx.maxPayloadBytes)
    throw new FedflowError(
      'resource-exhausted',
      `result of ${header.totalBytes} bytes exceeds the limit of ${ctx.maxPayloadBytes}`,
    );
  const assembler = new ChunkAssembler({
    maxTotalBytes: ctx.maxPayloadBytes,
    expectedTotalBytes: header.totalBytes,
    expectedSha256: header.sha256,
  });
  // Last, so nothing can throw between reserving and handing the release to the caller.
  const release = ctx.inFlight.reserve(session.clientId, header.totalBytes);
  return { assembler, release };
}
