import { randomBytes } from 'node:crypto';
import {
  credentials,
  type requestCallback,
  Server,
  ServerCredentials,
  type ServiceError,
  status,
} from '@grpc/grpc-js';
import { expect } from 'chai';
import { ChunkAssembler, sha256, splitIntoChunks } from '../../../shared/wire/chunks.js';
import {
  receiptFromWire,
  receiptToWire,
  resultHeaderFromWire,
  resultHeaderToWire,
  taskEventFromWire,
  taskEventToWire,
} from '../../../shared/wire/convert.js';
import { FedflowError, WireError } from '../../../shared/wire/errors.js';
import type { Challenge__Output } from '../../../shared/wire/generated/fedflow/v1/Challenge.js';
import type {
  FederationClient,
  FederationHandlers,
} from '../../../shared/wire/generated/fedflow/v1/Federation.js';
import type { Receipt__Output } from '../../../shared/wire/generated/fedflow/v1/Receipt.js';
import { loadFederation } from '../../../shared/wire/proto-loader.js';
import {
  fromServiceError,
  wrapClientStream,
  wrapServerStream,
  wrapUnary,
  writeMessage,
} from '../../../shared/wire/status.js';
import { TEST_TRAINING } from '../../helpers/tasks.js';

const MiB = 1024 * 1024;
const KNOWN_SIGN_KEY = Buffer.alloc(32, 1);
const SESSION = 'session-1';
const MAX_RESULT_BYTES = 2 * MiB;

/** The fake server's model, and what it saw, for assertions on its side of a call. */
interface FakeServerState {
  /** The model every FetchModel streams (50 MB). */
  readonly modelBytes: Uint8Array;
  readonly unexpected: unknown[];
  /** How each FetchModel handler ended: 'ok' or the error it rejected with. */
  readonly fetchEndings: unknown[];
}

/** A tiny Federation: just enough behaviour to exercise statuses and streaming. */
function fakeFederation(state: FakeServerState): FederationHandlers {
  const options = { onUnexpectedError: (error: unknown) => state.unexpected.push(error) };
  return {
    GetChallenge: wrapUnary(async (call) => {
      const key = call.request.clientSignKey;
      if (key.length !== 32) {
        throw new FedflowError(
          'invalid-argument',
          `expected a 32-byte key, got ${key.length} bytes`,
        );
      }
      if (!key.equals(KNOWN_SIGN_KEY))
        throw new FedflowError('permission-denied', 'unknown client key');
      return { challenge: randomBytes(32), expiresUnixMs: Date.now() + 60_000 };
    }, options),
    Enrol: wrapUnary(async () => {
      throw new Error('ENOENT: open /var/lib/fedflow/secret/journal.db');
    }, options),
    WaitForTask: wrapServerStream(async (call) => {
      if (call.request.sessionToken !== SESSION)
        throw new FedflowError('unauthenticated', 'unknown session');
      await writeMessage(call, taskEventToWire({ type: 'heartbeat', nowMs: 1000 }));
      await writeMessage(
        call,
        taskEventToWire({
          type: 'task',
          task: {
            kind: 'sketch',
            round: 0,
            taskId: 'enc',
            modelVersion: 0,
            training: TEST_TRAINING,
            minCategoryCount: 3,
            maxCategoryValues: 256,
            deadlineMs: 2000,
          },
        }),
      );
      await writeMessage(call, taskEventToWire({ type: 'finished', reason: 'done' }));
    }, options),
    FetchModel: wrapServerStream(async (call) => {
      try {
        const { modelVersion } = call.request;
        if (modelVersion === 404) throw new FedflowError('not-found', 'no model version 404');
        for (const chunk of splitIntoChunks(state.modelBytes)) {
          // Version 13 fails midway, after some chunks went out.
          if (modelVersion === 13 && chunk.index === 2) {
            throw new FedflowError('unavailable', 'store went away');
          }
          await writeMessage(call, chunk);
        }
        state.fetchEndings.push('ok');
      } catch (error) {
        state.fetchEndings.push(error);
        throw error;
      }
    }, options),
    SubmitResult: wrapClientStream(async (call) => {
      let assembler: ChunkAssembler | undefined;
      for await (const message of call) {
        if (message.part === 'header') {
          const header = resultHeaderFromWire(message.header!);
          assembler = new ChunkAssembler({
            maxTotalBytes: MAX_RESULT_BYTES,
            expectedTotalBytes: header.totalBytes,
            expectedSha256: header.sha256,
          });
        } else if (message.part === 'chunk' && assembler !== undefined) {
          assembler.accept(message.chunk!);
        } else {
          throw new WireError('expected a SubmitHeader before any chunk');
        }
      }
      const envelope = assembler?.finish();
      if (envelope === undefined)
        throw new WireError('expected a SubmitHeader, got an empty stream');
      return receiptToWire({
        accepted: true,
        digest: sha256(envelope),
        receivedMs: 5000,
        coordinatorSignature: new Uint8Array(64),
      });
    }, options),
  };
}

function callOptions() {
  return { deadline: Date.now() + 20_000 };
}

/** Resolves with the response of a unary-style call, or rejects with its ServiceError. */
function call<Response>(start: (callback: requestCallback<Response>) => void): Promise<Response> {
  return new Promise((resolve, reject) => {
    start((error, response) => {
      if (error) reject(error);
      else resolve(response!);
    });
  });
}

/** Reads a server stream to its end. */
async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) {
    // Only the final status matters here.
  }
}

/** Asserts that a call fails with this status and details, and reads back as a FedflowError. */
async function expectFailure(promise: Promise<unknown>, code: status, details: string) {
  try {
    await promise;
  } catch (error) {
    const received = error as ServiceError;
    expect({ code: status[received.code], details: received.details }).to.deep.equal({
      code: status[code],
      details,
    });
    expect(fromServiceError(error).message).to.equal(details);
    return;
  }
  expect.fail(`expected the call to fail with ${status[code]}`);
}

describe('Federation service over a real gRPC server', () => {
  let state: FakeServerState;
  let server: Server;
  let client: FederationClient;

  before(async () => {
    state = { modelBytes: randomBytes(50_000_000), unexpected: [], fetchEndings: [] };
    const { Federation } = loadFederation().fedflow.v1;
    server = new Server();
    server.addService(Federation.service, fakeFederation(state));
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, boundPort) => {
        if (error) reject(error);
        else resolve(boundPort);
      });
    });
    client = new Federation(`127.0.0.1:${port}`, credentials.createInsecure());
  });

  after(async () => {
    client?.close();
    await new Promise<void>((resolve) => {
      if (server === undefined) resolve();
      else server.tryShutdown(() => resolve());
    });
  });

  it('answers a unary call from an async handler', async () => {
    const challenge = await call<Challenge__Output>((callback) =>
      client.getChallenge({ clientSignKey: KNOWN_SIGN_KEY }, callOptions(), callback),
    );

    expect(challenge.challenge).to.have.length(32);
  });

  it('sends a FedflowError as its status code and message', async () => {
    await expectFailure(
      call((callback) =>
        client.getChallenge({ clientSignKey: Buffer.alloc(3) }, callOptions(), callback),
      ),
      status.INVALID_ARGUMENT,
      'expected a 32-byte key, got 3 bytes',
    );
    await expectFailure(
      call((callback) =>
        client.getChallenge({ clientSignKey: Buffer.alloc(32, 2) }, callOptions(), callback),
      ),
      status.PERMISSION_DENIED,
      'unknown client key',
    );
  });

  it('sends an unexpected error as UNKNOWN without its message, and reports it on the server', async () => {
    await expectFailure(
      call((callback) => client.enrol({}, callOptions(), callback)),
      status.UNKNOWN,
      'internal error',
    );

    expect(state.unexpected).to.have.length(1);
    expect((state.unexpected[0] as Error).message).to.contain('journal.db');
  });

  it('streams task events that convert back to the domain', async () => {
    const events = [];
    for await (const message of client.waitForTask({ sessionToken: SESSION }, callOptions())) {
      events.push(taskEventFromWire(message));
    }

    expect(events.map((event) => event.type)).to.deep.equal(['heartbeat', 'task', 'finished']);
  });

  it('ends a server stream with the status of a rejection before the first message', async () => {
    const stream = client.waitForTask({ sessionToken: 'stolen' }, callOptions());

    await expectFailure(drain(stream), status.UNAUTHENTICATED, 'unknown session');
  });

  it('delivers a 50 MB model intact within default message limits', async function () {
    this.timeout(30_000);
    const assembler = new ChunkAssembler({ maxTotalBytes: 64 * MiB });

    for await (const chunk of client.fetchModel(
      { sessionToken: SESSION, modelVersion: 1 },
      callOptions(),
    )) {
      assembler.accept(chunk);
    }

    expect(Buffer.from(assembler.finish()).equals(state.modelBytes)).to.equal(true);
  });

  it('ends a model stream with the status of a rejection, before or midway', async () => {
    const fetch = (modelVersion: number) =>
      drain(client.fetchModel({ sessionToken: SESSION, modelVersion }, callOptions()));

    await expectFailure(fetch(404), status.NOT_FOUND, 'no model version 404');
    await expectFailure(fetch(13), status.UNAVAILABLE, 'store went away');
  });

  it('stops writing a model stream when the client cancels', async () => {
    const endingsBefore = state.fetchEndings.length;
    const stream = client.fetchModel({ sessionToken: SESSION, modelVersion: 1 }, callOptions());
    const clientError = new Promise<ServiceError>((resolve) => stream.once('error', resolve));
    await new Promise((resolve) => stream.once('data', resolve));

    stream.cancel();
    expect((await clientError).code).to.equal(status.CANCELLED);
    while (state.fetchEndings.length === endingsBefore) await new Promise((r) => setTimeout(r, 10));

    const ending = state.fetchEndings.at(-1);
    expect(ending).to.be.instanceOf(FedflowError);
    expect((ending as FedflowError).code).to.equal('cancelled');
    expect(state.unexpected).to.have.length(1); // only the Enrol error of the earlier test
  });

  it('accepts a chunked result and returns a receipt with its digest', async () => {
    const envelope = randomBytes(1.5 * MiB);

    const receipt = await submit(envelope);

    expect(receipt.accepted).to.equal(true);
    expect(Buffer.from(receipt.digest).equals(sha256(envelope))).to.equal(true);
  });

  it('refuses a result larger than the limit with RESOURCE_EXHAUSTED', async () => {
    await expectFailure(
      submit(randomBytes(3 * MiB)),
      status.RESOURCE_EXHAUSTED,
      `payload of ${3 * MiB} bytes exceeds the limit of ${MAX_RESULT_BYTES} bytes`,
    );
  });

  async function submit(envelope: Uint8Array) {
    const response = call<Receipt__Output>((callback) => {
      const stream = client.submitResult(callOptions(), callback);
      stream.write({
        header: resultHeaderToWire({
          sessionToken: SESSION,
          round: 1,
          taskId: 't',
          kind: 'train',
          totalBytes: envelope.length,
          sha256: sha256(envelope),
        }),
      });
      for (const chunk of splitIntoChunks(envelope)) stream.write({ chunk });
      stream.end();
    });
    return receiptFromWire(await response);
  }
});
