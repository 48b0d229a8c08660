/**
 * The gRPC handlers: thin translations between wire messages and the enrolment, the
 * connected-client registry and the round loop. Every failure leaves as a precise status
 * through shared/wire/status.ts.
 */
import { sha256Hex, toAuditReceipt } from '../../shared/audit/audit-entry.js';
import type { AuditLogWriter } from '../../shared/audit/audit-log-writer.js';
import { sha256 } from '../../shared/crypto/bytes.js';
import { fingerprint, type Identity } from '../../shared/crypto/identity.js';
import type { ReplayGuard } from '../../shared/crypto/replay-guard.js';
import { EnvelopeError, openEnvelope } from '../../shared/crypto/sealed-envelope.js';
import { signBlob } from '../../shared/crypto/signed-blob.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import { PAYLOAD_FOR_TASK } from '../../shared/federation/messages.js';
import { RECEIPT_PURPOSE, receiptStatement } from '../../shared/federation/signed-statements.js';
import type { FlowSchema } from '../../shared/flows/schema.js';
import { ChunkAssembler, splitIntoChunks } from '../../shared/wire/chunks.js';
import { receiptToWire, resultHeaderFromWire, taskEventToWire } from '../../shared/wire/convert.js';
import { FedflowError } from '../../shared/wire/errors.js';
import type { FederationHandlers } from '../../shared/wire/generated/fedflow/v1/Federation.js';
import { type MalformedRequest, wellFormed } from '../../shared/wire/malformed-request.js';
import { decodeClientPayload, decodeSealedEnvelope } from '../../shared/wire/payload-codec.js';
import {
  wrapClientStream,
  wrapServerStream,
  wrapUnary,
  writeMessage,
} from '../../shared/wire/status.js';
import { payloadProblem } from '../rounds/payload-checks.js';
import type { CoordinatorMetrics } from '../status/coordinator-metrics.js';
import type { SiteActivity } from '../status/site-activity.js';
import type { OpenRoundStore } from '../store/open-round.js';
import type { Enrolment } from './enrolment.js';
import type { InFlightResults } from './in-flight.js';
import type { ModelReleases } from './model-releases.js';
import type { RateLimitedLog } from './rate-limited-log.js';
import type { RemoteClients } from './remote-clients.js';

export interface ServiceContext {
  readonly identity: Identity;
  readonly enrolment: Enrolment;
  readonly clients: RemoteClients;
  readonly releases: ModelReleases;
  readonly replayGuard: ReplayGuard;
  readonly schema: FlowSchema;
  readonly heartbeatMs: number;
  readonly maxPayloadBytes: number;
  /** The round in progress: accepted payloads are kept there before their receipt. */
  readonly openRounds: OpenRoundStore;
  /** How long a result stream may send nothing before it is dropped. */
  readonly uploadIdleMs: number;
  /** Result bytes being received, reserved per client before buffering. */
  readonly inFlight: InFlightResults;
  /** Counts and, at most every few seconds, logs results refused for an unknown session. */
  readonly unauthenticated: RateLimitedLog;
  /** The model clients may fetch now. */
  current(): GlobalModel | null;
  /** Last contact and rejections per site, for the operator's status. */
  readonly activity: SiteActivity;
  readonly metrics: CoordinatorMetrics | null;
  /** Every result received is logged here, accepted or rejected (null: no audit log). */
  readonly ingress: AuditLogWriter | null;
  /** The most rows a sketch may declare (federation.maxSiteRows), as the round loop checks. */
  readonly maxSiteRows: number;
  /** The most rows a client may claim in a result (see FederationLoop.declaredRows). */
  declaredRows(clientId: string): number;
  /**
   * Resolves when task streams must end: with Finished when the federation is complete,
   * or with UNAVAILABLE when the coordinator is shutting down (clients then reconnect).
   */
  readonly finished: Promise<{ reason: string; complete: boolean }>;
  log(line: string): void;
}

export function federationHandlers(ctx: ServiceContext): FederationHandlers {
  const onUnexpectedError = (error: unknown) =>
    ctx.log(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
  return {
    GetChallenge: wrapUnary(
      async (call) => {
        const { challenge, expiresMs } = ctx.enrolment.issueChallenge(call.request.clientSignKey);
        return {
          challenge,
          coordinatorSignKey: ctx.identity.signPublicKey,
          coordinatorBoxKey: ctx.identity.boxPublicKey,
          expiresUnixMs: expiresMs,
        };
      },
      { onUnexpectedError },
    ),

    Enrol: wrapUnary(
      async (call) => {
        const r = call.request;
        const session = ctx.enrolment.enrol(
          r.clientSignKey,
          r.clientBoxKey,
          r.challenge,
          r.signature,
        );
        ctx.log(`client ${session.identity.name} (${session.clientId}) enrolled`);
        return {
          sessionToken: session.token,
          heartbeatMs: ctx.heartbeatMs,
          coordinatorFingerprint: fingerprint(ctx.identity.signPublicKey),
        };
      },
      { onUnexpectedError },
    ),

    WaitForTask: wrapServerStream(
      async (call) => {
        const session = ctx.enrolment.session(call.request.sessionToken);
        const queue: Parameters<typeof taskEventToWire>[0][] = [];
        let wake: (() => void) | null = null;
        const push = (event: (typeof queue)[number]) => {
          queue.push(event);
          wake?.();
        };
        const send = (task: Parameters<Parameters<RemoteClients['attach']>[1]>[0]) =>
          push({ type: 'task', task });
        let ending: { reason: string; complete: boolean } | null = null;
        void ctx.finished.then((end) => {
          ending = end;
          wake?.();
        });
        const heartbeat = setInterval(
          () => push({ type: 'heartbeat', nowMs: Date.now() }),
          ctx.heartbeatMs,
        );
        ctx.clients.attach(session.clientId, send);
        ctx.activity.seen(session.clientId);
        const closed = new Promise<void>((resolve) => call.once('cancelled', resolve));
        try {
          await writeMessage(call, taskEventToWire({ type: 'heartbeat', nowMs: Date.now() }));
          for (;;) {
            while (queue.length > 0) await writeMessage(call, taskEventToWire(queue.shift()!));
            const end = ending as { reason: string; complete: boolean } | null;
            if (end && !end.complete)
              throw new FedflowError('unavailable', `${end.reason}; reconnect later`);
            if (end) {
              await writeMessage(call, taskEventToWire({ type: 'finished', reason: end.reason }));
              return;
            }
            const woke = new Promise<void>((resolve) => (wake = resolve));
            await Promise.race([woke, closed]);
            wake = null;
            if (call.cancelled) return;
          }
        } finally {
          clearInterval(heartbeat);
          // Within a second of its deadline, the stream expired rather than the client leaving.
          const deadline = Number(call.getDeadline());
          ctx.clients.detach(session.clientId, send, Date.now() >= deadline - 1000);
        }
      },
      { onUnexpectedError },
    ),

    FetchModel: wrapServerStream(
      async (call) => {
        ctx.enrolment.session(call.request.sessionToken);
        const model = ctx.current();
        if (!model)
          throw new FedflowError('failed-precondition', 'no global model has been published yet');
        if (call.request.modelVersion !== model.version) {
          throw new FedflowError(
            'failed-precondition',
            `model version ${call.request.modelVersion} is not current; the current version is ${model.version}`,
          );
        }
        const release = ctx.releases.bytesOf(model);
        for (const chunk of splitIntoChunks(release)) await writeMessage(call, chunk);
        ctx.metrics?.bytesSent.inc(release.length);
      },
      { onUnexpectedError },
    ),

    SubmitResult: wrapClientStream(
      async (call) => {
        let assembler: ChunkAssembler | null = null;
        let header: ReturnType<typeof resultHeaderFromWire> | null = null;
        let bytes: Uint8Array | null = null;
        let release = () => {};
        // A stream that stops sending gives its reservation back instead of holding it.
        let idle: NodeJS.Timeout | null = null;
        const stillSending = () => {
          if (idle) clearTimeout(idle);
          idle = setTimeout(
            () =>
              call.destroy(
                new FedflowError(
                  'deadline-exceeded',
                  `no data for ${ctx.uploadIdleMs / 1000} s; the upload was abandoned`,
                ),
              ),
            ctx.uploadIdleMs,
          );
        };
        stillSending();
        try {
          for await (const raw of call as AsyncIterable<
            | {
                header?: unknown;
                chunk?: { index: number; total: number; data: Uint8Array; sha256: Uint8Array };
              }
            | MalformedRequest
          >) {
            stillSending();
            const message = wellFormed(raw);
            if (!header) {
              if (!message.header)
                throw new FedflowError(
                  'invalid-argument',
                  'the first message of SubmitResult must be the header',
                );
              header = resultHeaderFromWire(message.header as never);
              // Who sends, and for which open task, is settled before a byte is buffered.
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
              release = ctx.inFlight.reserve(session.clientId, header.totalBytes);
              assembler = new ChunkAssembler({
                maxTotalBytes: ctx.maxPayloadBytes,
                expectedTotalBytes: header.totalBytes,
                expectedSha256: header.sha256,
              });
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
          if (idle) clearTimeout(idle);
          release();
        }
      },
      { onUnexpectedError },
    ),
  };
}

/** Opens, checks and delivers one sealed result; any failure is a precise FedflowError. */
function acceptResult(
  ctx: ServiceContext,
  header: ReturnType<typeof resultHeaderFromWire>,
  bytes: Uint8Array,
) {
  const session = ctx.enrolment.session(header.sessionToken);
  const task = ctx.clients.pendingTask(session.clientId, header.taskId);
  if (!task)
    throw new FedflowError(
      'failed-precondition',
      `task ${header.taskId} is not open for this client (wrong round, or the round has closed)`,
    );
  if (task.kind !== header.kind || task.round !== header.round)
    throw new FedflowError(
      'failed-precondition',
      `task ${header.taskId} is a ${task.kind} task of round ${task.round}, not ${header.kind} of round ${header.round}`,
    );
  const envelope = decodeSealedEnvelope(bytes);
  // openEnvelope checks the envelope's signed context against this one.
  const context = { kind: PAYLOAD_FOR_TASK[task.kind], round: task.round, taskId: task.taskId };
  let payload: ReturnType<typeof decodeClientPayload>;
  let plaintext: Uint8Array;
  try {
    plaintext = openEnvelope(ctx.identity, session.identity, envelope, context);
    // Decode before the replay guard records the envelope, so a malformed payload can be
    // corrected and resent under a fresh nonce.
    payload = decodeClientPayload(plaintext);
    ctx.replayGuard.check(envelope);
  } catch (error) {
    if (error instanceof FedflowError) {
      ctx.log(`rejected ${task.kind} result from ${session.identity.name}: ${error.message}`);
      throw error;
    }
    if (!(error instanceof EnvelopeError)) throw error;
    const code = {
      'wrong-sender': 'unauthenticated',
      'bad-signature': 'unauthenticated',
      'wrong-context': 'failed-precondition',
      replayed: 'already-exists',
      undecryptable: 'invalid-argument',
      malformed: 'invalid-argument',
    } as const;
    ctx.log(`rejected ${task.kind} result from ${session.identity.name}: ${error.reason}`);
    throw new FedflowError(code[error.reason], `envelope rejected: ${error.reason}`);
  }
  const problem = payloadProblem(
    task,
    ctx.schema,
    ctx.current(),
    payload,
    ctx.declaredRows(session.clientId),
    ctx.maxSiteRows,
  );
  if (problem) {
    ctx.clients.fail(session.clientId, task.taskId, `rejected: ${problem}`);
    throw new FedflowError('invalid-argument', problem);
  }
  const digest = sha256(bytes);
  const receivedMs = Date.now();
  const coordinatorSignature = signBlob(
    ctx.identity,
    RECEIPT_PURPOSE,
    receiptStatement(digest, receivedMs),
  ).signature;
  const receipt = { accepted: true, digest, receivedMs, coordinatorSignature };
  // On disk before the result counts: the ingress log is what auditors reconcile against.
  ctx.ingress?.append(
    {
      peer: session.clientId,
      type: payload.kind,
      round: task.round,
      taskId: task.taskId,
      bytes: bytes.length,
      sealedSha256: sha256Hex(bytes),
      outcome: 'accepted',
      receipt: toAuditReceipt(receipt),
    },
    plaintext,
  );
  // Kept after its ingress entry and before the receipt leaves: a restart resumes the round
  // with it, and every result it aggregates is one the audit log shows accepted.
  ctx.openRounds.saveResult(task.taskId, session.clientId, plaintext);
  ctx.clients.deliver(session.clientId, task.taskId, payload);
  ctx.activity.acceptedResult(session.clientId);
  ctx.metrics?.results.inc({ kind: payload.kind, outcome: 'accepted', reason: '' });
  ctx.metrics?.bytesReceived.inc({ kind: payload.kind }, bytes.length);
  return receipt;
}

/** Logs a refused result with why (its sender, if the session is known). */
function recordRejection(
  ctx: ServiceContext,
  header: ReturnType<typeof resultHeaderFromWire>,
  bytes: Uint8Array | null,
  error: unknown,
): void {
  let peer: string | null = null;
  try {
    peer = ctx.enrolment.session(header.sessionToken).clientId;
  } catch {
    // An unknown session is itself the reason; the sender stays unknown.
  }
  const reason =
    error instanceof FedflowError ? `${error.code}: ${error.message}` : 'internal error';
  ctx.activity.rejectedResult(peer);
  const kind = PAYLOAD_FOR_TASK[header.kind];
  ctx.metrics?.results.inc({
    kind,
    outcome: 'rejected',
    reason: error instanceof FedflowError ? error.code : 'internal',
  });
  if (peer === null) {
    // Noise from no enrolled client: counted and logged compactly, never signed and fsynced
    // one entry at a time (no site's egress log can hold it anyway).
    ctx.unauthenticated.note(reason);
    return;
  }
  if (bytes) ctx.metrics?.bytesReceived.inc({ kind }, bytes.length);
  // The header came from the client: keep only well-formed facts, and never let logging
  // replace the reason the result was refused.
  const declared =
    header.sha256.length === 32
      ? Buffer.from(header.sha256).toString('hex')
      : sha256Hex(new Uint8Array(0));
  try {
    appendRejection(ctx, {
      peer,
      type: PAYLOAD_FOR_TASK[header.kind],
      round: header.round,
      taskId: header.taskId,
      bytes: bytes?.length ?? header.totalBytes,
      sealedSha256: bytes ? sha256Hex(bytes) : declared,
      plaintextSha256: null,
      outcome: 'rejected',
      reason: reason.slice(0, 1000),
    });
  } catch (logError) {
    ctx.log(`could not log a rejected result in the ingress log: ${(logError as Error).message}`);
  }
}

function appendRejection(
  ctx: ServiceContext,
  fields: Parameters<AuditLogWriter['append']>[0],
): void {
  ctx.ingress?.append({
    ...fields,
    taskId: fields.taskId && fields.taskId.length <= 255 ? fields.taskId : null,
    round: Number.isSafeInteger(fields.round) ? fields.round : null,
  });
}
