/**
 * What happens to an assembled result: opened, decoded, checked, logged in the ingress log,
 * kept for the open round, delivered to the round loop and receipted; or refused, with the
 * refusal logged (signed for an enrolled sender, counted for anyone else).
 */
import { sha256Hex, toAuditReceipt } from '../../shared/audit/audit-entry.js';
import type { AuditLogWriter } from '../../shared/audit/audit-log-writer.js';
import { sha256 } from '../../shared/crypto/bytes.js';
import { EnvelopeError, openEnvelope } from '../../shared/crypto/sealed-envelope.js';
import { signBlob } from '../../shared/crypto/signed-blob.js';
import {
  type ClientPayload,
  PAYLOAD_FOR_TASK,
  type Task,
} from '../../shared/federation/messages.js';
import { RECEIPT_PURPOSE, receiptStatement } from '../../shared/federation/signed-statements.js';
import type { resultHeaderFromWire } from '../../shared/wire/convert.js';
import { FedflowError } from '../../shared/wire/errors.js';
import { decodeClientPayload, decodeSealedEnvelope } from '../../shared/wire/payload-codec.js';
import type { Session } from './enrolment.js';
import type { ServiceContext } from './service-context.js';

/** Opens, checks and delivers one sealed result; any failure is a precise FedflowError. */
export function acceptResult(
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
  const { payload, plaintext } = openResult(ctx, session, task, bytes);
  // The one check of this payload: the loop trusts what the service delivers (checksPayloads).
  const problem = ctx.check(task, session.clientId, payload);
  if (problem) {
    ctx.clients.fail(session.clientId, task.taskId, `rejected: ${problem}`);
    throw new FedflowError('invalid-argument', problem);
  }
  const receipt = signedReceipt(ctx, bytes);
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

/** The payload inside a sealed result, from this session's sender and for this task. */
function openResult(
  ctx: ServiceContext,
  session: Session,
  task: Task,
  bytes: Uint8Array,
): { payload: ClientPayload; plaintext: Uint8Array } {
  const envelope = decodeSealedEnvelope(bytes);
  // openEnvelope checks the envelope's signed context against this one.
  const context = { kind: PAYLOAD_FOR_TASK[task.kind], round: task.round, taskId: task.taskId };
  let payload: ClientPayload;
  let plaintext: Uint8Array;
  try {
    plaintext = openEnvelope(ctx.identity, session.identity, envelope, context);
    // Decode before the replay guard records the envelope, so a malformed payload can be
    // corrected and resent under a fresh nonce.
    payload = decodeClientPayload(plaintext);
    ctx.replayGuard.check(envelope);
  } catch (error) {
    if (error instanceof FedflowError) {
      ctx.log(
        `warning: rejected ${task.kind} result from ${session.identity.name}: ${error.message}`,
      );
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
    ctx.log(`warning: rejected ${task.kind} result from ${session.identity.name}: ${error.reason}`);
    throw new FedflowError(code[error.reason], `envelope rejected: ${error.reason}`);
  }
  return { payload, plaintext };
}

/** The coordinator's signed receipt for the bytes as received, now. */
function signedReceipt(ctx: ServiceContext, bytes: Uint8Array) {
  const digest = sha256(bytes);
  const receivedMs = Date.now();
  const coordinatorSignature = signBlob(
    ctx.identity,
    RECEIPT_PURPOSE,
    receiptStatement(digest, receivedMs),
  ).signature;
  return { accepted: true, digest, receivedMs, coordinatorSignature };
}

/** Logs a refused result with why (its sender, if the session is known). */
export function recordRejection(
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
    ctx.log(
      `error: could not log a rejected result in the ingress log: ${(logError as Error).message}`,
    );
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
