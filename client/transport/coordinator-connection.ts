/**
 * The client's only network code: enrol, wait for tasks, fetch the signed global model,
 * submit sealed results. It can send nothing but a ClientPayload (a sketch, a model delta or
 * a score histogram), and it does not import anything that reads flow records.
 */
import * as grpc from '@grpc/grpc-js';
import { FINISHED_TYPE, sha256Hex, toAuditReceipt } from '../../shared/audit/audit-entry.js';
import type { AuditLogWriter } from '../../shared/audit/audit-log-writer.js';
import { bytesEqual, sha256 } from '../../shared/crypto/bytes.js';
import { fingerprint, type Identity, type PublicIdentity } from '../../shared/crypto/identity.js';
import { sealEnvelope } from '../../shared/crypto/sealed-envelope.js';
import { signBlob, verifyBlob } from '../../shared/crypto/signed-blob.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import {
  type ClientPayload,
  PAYLOAD_FOR_TASK,
  type Task,
} from '../../shared/federation/messages.js';
import { weightsSha256 } from '../../shared/federation/release-delta.js';
import {
  ENROL_PURPOSE,
  enrolStatement,
  RECEIPT_PURPOSE,
  receiptStatement,
} from '../../shared/federation/signed-statements.js';
import { ChunkAssembler, splitIntoChunks } from '../../shared/wire/chunks.js';
import {
  type ResultReceipt,
  receiptFromWire,
  resultHeaderToWire,
  type TaskStreamEvent,
  taskEventFromWire,
} from '../../shared/wire/convert.js';
import { FedflowError } from '../../shared/wire/errors.js';
import type { FederationClient } from '../../shared/wire/generated/fedflow/v1/Federation.js';
import { encodeClientPayload, encodeSealedEnvelope } from '../../shared/wire/payload-codec.js';
import { loadFederation } from '../../shared/wire/proto-loader.js';
import { fromServiceError } from '../../shared/wire/status.js';
import { deadline, unary } from './grpc-calls.js';
import { globalModelFrom, verifiedRelease } from './open-release.js';
import { ReleaseMismatchError } from './release-weights.js';

const UNARY_DEADLINE_MS = 10_000;
const TRANSFER_DEADLINE_MS = 300_000;
/** The task stream is renewed this often (a long poll with a deadline, like every call). */
export const TASK_STREAM_DEADLINE_MS = 15 * 60_000;
const MAX_MODEL_BYTES = 512 * 1024 * 1024;

export interface Enrolled {
  readonly token: string;
  readonly heartbeatMs: number;
}

export interface ConnectionOptions {
  /** TLS credentials (shared/tls/credentials.ts); plaintext when absent. */
  readonly credentials?: grpc.ChannelCredentials;
  readonly channelOptions?: grpc.ChannelOptions;
  /** Every result is logged here (hash-chained, signed, fsynced) before it is sent. */
  readonly egress?: AuditLogWriter | null;
}

export class CoordinatorConnection {
  private readonly client: FederationClient;
  private readonly egress: AuditLogWriter | null;
  /** Signed release bytes received so far (what a site downloads; benchmarks read it). */
  releaseBytes = 0;

  constructor(
    readonly address: string,
    private readonly identity: Identity,
    private readonly coordinator: PublicIdentity,
    options: ConnectionOptions = {},
  ) {
    this.egress = options.egress ?? null;
    const Federation = loadFederation().fedflow.v1.Federation;
    // Plaintext only when the caller passes no credentials (loopback tests and demos).
    this.client = new Federation(
      address,
      options.credentials ?? grpc.credentials.createInsecure(),
      options.channelOptions ?? {},
    );
  }

  close(): void {
    this.client.close();
  }

  /** Signed-challenge enrolment; the coordinator must present the trusted keys. */
  async enrol(): Promise<Enrolled> {
    const challenge = await unary<{
      challenge: Uint8Array;
      coordinatorSignKey: Uint8Array;
      coordinatorBoxKey: Uint8Array;
    }>((cb) =>
      this.client.getChallenge(
        { clientSignKey: this.identity.signPublicKey },
        { deadline: deadline(UNARY_DEADLINE_MS) },
        cb,
      ),
    );
    if (
      !bytesEqual(challenge.coordinatorSignKey, this.coordinator.signPublicKey) ||
      !bytesEqual(challenge.coordinatorBoxKey, this.coordinator.boxPublicKey)
    ) {
      throw new FedflowError(
        'unauthenticated',
        `the server at ${this.address} is not the trusted coordinator (its keys differ)`,
      );
    }
    const { signature } = signBlob(
      this.identity,
      ENROL_PURPOSE,
      enrolStatement(challenge.challenge, this.identity.boxPublicKey),
    );
    const response = await unary<{ sessionToken: string; heartbeatMs: number }>((cb) =>
      this.client.enrol(
        {
          clientSignKey: this.identity.signPublicKey,
          clientBoxKey: this.identity.boxPublicKey,
          challenge: challenge.challenge,
          signature,
        },
        { deadline: deadline(UNARY_DEADLINE_MS) },
        cb,
      ),
    );
    return { token: response.sessionToken, heartbeatMs: response.heartbeatMs };
  }

  /** The task stream; `cancel()` closes it. Errors surface as FedflowError from iteration. */
  tasks(token: string): { events: AsyncIterable<TaskStreamEvent>; cancel(): void } {
    const call = this.client.waitForTask(
      { sessionToken: token },
      { deadline: deadline(TASK_STREAM_DEADLINE_MS) },
    );
    async function* events() {
      try {
        for await (const message of call) yield taskEventFromWire(message);
      } catch (error) {
        throw fromServiceError(error);
      }
    }
    return { events: events(), cancel: () => call.cancel() };
  }

  /**
   * Downloads, verifies (coordinator signature) and decodes global model `version`. With the
   * model this site `held`, the coordinator may send only the change from it; a change that does
   * not reconstruct the signed weights is refused and the whole release fetched instead.
   */
  async fetchModel(
    token: string,
    version: number,
    held: GlobalModel | null = null,
  ): Promise<GlobalModel> {
    const release = await this.fetchRelease(token, version, held);
    try {
      return globalModelFrom(release, held);
    } catch (error) {
      if (!(error instanceof ReleaseMismatchError) || !held) throw error;
      return this.fetchModel(token, version, null);
    }
  }

  /** The verified, decoded release of `version` for a site holding `held`. */
  private async fetchRelease(token: string, version: number, held: GlobalModel | null) {
    const call = this.client.fetchModel(
      {
        sessionToken: token,
        modelVersion: version,
        ...(held
          ? { heldVersion: held.version, heldWeightsSha256: weightsSha256(held.weights) }
          : {}),
      },
      { deadline: deadline(TRANSFER_DEADLINE_MS) },
    );
    const assembler = new ChunkAssembler({ maxTotalBytes: MAX_MODEL_BYTES });
    try {
      for await (const chunk of call) assembler.accept(chunk);
    } catch (error) {
      throw error instanceof FedflowError ? error : fromServiceError(error);
    }
    const bytes = assembler.finish();
    this.releaseBytes += bytes.length;
    return verifiedRelease(bytes, this.coordinator.signPublicKey, version);
  }

  /**
   * Seals `payload` for the task, logs it to the egress log, streams it, verifies the
   * coordinator's signed receipt and logs that too.
   */
  async submit(
    token: string,
    task: Task,
    payload: ClientPayload,
  ): Promise<ResultReceipt & { sealedBytes: number }> {
    const plaintext = encodeClientPayload(payload);
    const sealed = this.sealBytes(task, plaintext);
    const peer = fingerprint(this.coordinator.signPublicKey);
    const facts = {
      peer,
      type: payload.kind,
      round: task.round,
      taskId: task.taskId,
      bytes: sealed.length,
      sealedSha256: sha256Hex(sealed),
    };
    // Logged (and fsynced) before anything leaves: an auditor sees every attempt, answered or not.
    this.egress?.append({ ...facts, outcome: 'sent' }, plaintext);
    const receipt = await this.submitSealed(token, task, sealed);
    this.egress?.append({
      ...facts,
      type: 'receipt',
      plaintextSha256: null,
      outcome: 'accepted',
      receipt: toAuditReceipt(receipt),
    });
    return receipt;
  }

  /**
   * Closes this site's part in the egress log: a 'finished' entry naming the final model it
   * received (its size and weights' SHA-256). An auditor then knows the log did not simply
   * stop: a result without its receipt before this entry was answered and lost in transit.
   */
  noteFinished(model: GlobalModel): void {
    this.egress?.append({
      peer: fingerprint(this.coordinator.signPublicKey),
      type: FINISHED_TYPE,
      round: null,
      taskId: null,
      bytes: model.weights.byteLength,
      // The digest `fedflow status` and the model directory's integrity.json give the weights.
      sealedSha256: sha256Hex(
        new Uint8Array(model.weights.buffer, model.weights.byteOffset, model.weights.byteLength),
      ),
      plaintextSha256: null,
      outcome: 'sent',
    });
  }

  /** The serialised sealed envelope of a payload for a task. */
  seal(task: Task, payload: ClientPayload): Uint8Array {
    return this.sealBytes(task, encodeClientPayload(payload));
  }

  private sealBytes(task: Task, plaintext: Uint8Array): Uint8Array {
    const context = { kind: PAYLOAD_FOR_TASK[task.kind], round: task.round, taskId: task.taskId };
    return encodeSealedEnvelope(
      sealEnvelope(this.identity, this.coordinator.boxPublicKey, context, plaintext),
    );
  }

  /** Streams already sealed bytes (split out so tests can send tampered ones). */
  async submitSealed(
    token: string,
    task: Task,
    sealed: Uint8Array,
  ): Promise<ResultReceipt & { sealedBytes: number }> {
    const digest = sha256(sealed);
    const receipt = await new Promise<ResultReceipt>((resolve, reject) => {
      const call = this.client.submitResult(
        { deadline: deadline(TRANSFER_DEADLINE_MS) },
        (error, response) =>
          error ? reject(fromServiceError(error)) : resolve(receiptFromWire(response!)),
      );
      call.write({
        header: resultHeaderToWire({
          sessionToken: token,
          round: task.round,
          taskId: task.taskId,
          kind: task.kind,
          totalBytes: sealed.length,
          sha256: digest,
        }),
      });
      for (const chunk of splitIntoChunks(sealed)) call.write({ chunk });
      call.end();
    });
    const statement = receiptStatement(digest, receipt.receivedMs);
    if (!bytesEqual(receipt.digest, digest))
      throw new FedflowError('internal', 'the receipt names a different digest than what was sent');
    verifyBlob(
      {
        payload: statement,
        signature: receipt.coordinatorSignature,
        signerKey: this.coordinator.signPublicKey,
        purpose: RECEIPT_PURPOSE,
      },
      this.coordinator.signPublicKey,
      RECEIPT_PURPOSE,
    );
    return { ...receipt, sealedBytes: sealed.length };
  }
}
