/**
 * The gRPC handlers: thin translations between wire messages and the enrolment, the
 * connected-client registry and the round loop (the task stream in task-stream.ts, results in
 * submit-result.ts and accept-result.ts). Every failure leaves as a precise status through
 * shared/wire/status.ts.
 */
import { fingerprint } from '../../shared/crypto/identity.js';
import { splitIntoChunks } from '../../shared/wire/chunks.js';
import { FedflowError } from '../../shared/wire/errors.js';
import type { FederationHandlers } from '../../shared/wire/generated/fedflow/v1/Federation.js';
import { wrapServerStream, wrapUnary, writeMessage } from '../../shared/wire/status.js';
import type { ServiceContext } from './service-context.js';
import { submitResultHandler } from './submit-result.js';
import { waitForTaskHandler } from './task-stream.js';

export function federationHandlers(ctx: ServiceContext): FederationHandlers {
  const onUnexpectedError = (error: unknown) =>
    ctx.log(`error: internal error: ${error instanceof Error ? error.stack : String(error)}`);
  // An operator needs to see who was turned away and why (a revoked site, a wrong key).
  const noteRefusal = <T>(enrol: () => T): T => {
    try {
      return enrol();
    } catch (error) {
      if (error instanceof FedflowError && error.code === 'unauthenticated')
        ctx.refusedEnrolments?.note(error.message);
      throw error;
    }
  };
  return {
    GetChallenge: wrapUnary(
      async (call) => {
        const { challenge, expiresMs } = noteRefusal(() =>
          ctx.enrolment.issueChallenge(call.request.clientSignKey),
        );
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
        const session = noteRefusal(() =>
          ctx.enrolment.enrol(r.clientSignKey, r.clientBoxKey, r.challenge, r.signature),
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

    WaitForTask: waitForTaskHandler(ctx, onUnexpectedError),

    FetchModel: wrapServerStream(
      async (call) => {
        ctx.enrolment.session(call.request.sessionToken);
        // A site that saw its job finish fetches that job's final model, whatever runs now.
        const model = ctx.finalModel?.(call.request.modelVersion) ?? ctx.current();
        if (!model)
          throw new FedflowError('failed-precondition', 'no global model has been published yet');
        if (call.request.modelVersion !== model.version) {
          throw new FedflowError(
            'failed-precondition',
            `model version ${call.request.modelVersion} is not current; the current version is ${model.version}`,
          );
        }
        const { heldVersion, heldWeightsSha256 } = call.request;
        const held =
          heldVersion > 0 ? { version: heldVersion, weightsSha256: heldWeightsSha256 } : null;
        const release = ctx.releases.bytesOf(model, ctx.currentRelease?.() ?? null, held);
        for (const chunk of splitIntoChunks(release)) await writeMessage(call, chunk);
        ctx.metrics?.bytesSent.inc(release.length);
      },
      { onUnexpectedError },
    ),

    SubmitResult: submitResultHandler(ctx, onUnexpectedError),
  };
}
