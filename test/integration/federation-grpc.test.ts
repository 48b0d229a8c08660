import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, credentials, type ServiceError, status } from '@grpc/grpc-js';
import { expect } from 'chai';
import { type RunningCoordinator, startCoordinator } from '../../cli/roles/coordinator.js';
import { participate } from '../../client/agent/participation.js';
import { CoordinatorConnection } from '../../client/transport/coordinator-connection.js';
import type { RoundRecord } from '../../coordinator/store/federation-state.js';
import { verifyLog } from '../../shared/audit/verify-chain.js';
import { fingerprint, generateIdentity } from '../../shared/crypto/identity.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import type { Task } from '../../shared/federation/messages.js';
import { initBackend } from '../../shared/runtime/backend.js';
import { resultHeaderToWire } from '../../shared/wire/convert.js';
import { FedflowError } from '../../shared/wire/errors.js';
import { loadFederation } from '../../shared/wire/proto-loader.js';
import {
  federationFixture,
  publicIdentity,
  siteAgents,
  siteWorker,
} from '../helpers/federation-fixture.js';

const quiet = () => {};

async function expectRejection(
  promise: Promise<unknown>,
  code: string,
  message: RegExp,
): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected a rejection').to.be.instanceOf(FedflowError);
  expect((error as FedflowError).code).to.equal(code);
  expect((error as Error).message).to.match(message);
}

/** Reads the task stream until a task of `kind` arrives. */
async function nextTask(
  events: AsyncIterator<{ type: string; task?: Task }>,
  kind: Task['kind'],
): Promise<Task> {
  for (;;) {
    const { value, done } = await events.next();
    if (done) throw new Error('stream ended');
    if (value.type === 'task' && value.task!.kind === kind) return value.task!;
  }
}

describe('federation over gRPC on loopback', function () {
  this.timeout(240_000);
  let dir: string;
  let coordinator: RunningCoordinator | null = null;

  before(async () => {
    await initBackend();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-grpc-'));
  });
  afterEach(async () => {
    await coordinator?.stop();
    coordinator = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('trains a global model with three sites and gives every site the calibrated model', async () => {
    const fixture = await federationFixture(dir, ['web', 'mail-dns', 'internal']);
    // The coordinator keeps every received plaintext too (audit.keepPlaintext).
    coordinator = await startCoordinator(fixture.config({ 'audit.keepPlaintext': true }), quiet);
    const address = `127.0.0.1:${coordinator.port}`;
    const sent: number[] = [];
    const models = await Promise.all(
      fixture.sites.map((site, i) =>
        participate({
          connection: new CoordinatorConnection(
            address,
            site.identity,
            publicIdentity(fixture.coordinator),
          ),
          worker: siteWorker(site.file, i + 1),
          reconnect: { initialMs: 50, maxMs: 500 },
          log: quiet,
          onSubmitted: (_task, bytes) => sent.push(bytes),
        }),
      ),
    );
    const final = await coordinator.done;
    expect(final.version).to.equal(3);
    expect(final.thresholds!.source).to.equal('federated-calibration');
    for (const model of models) {
      expect(model!.version).to.equal(3);
      expect(model!.thresholds).to.deep.equal(final.thresholds);
      expect(Buffer.from(model!.weights.buffer).equals(Buffer.from(final.weights.buffer))).to.equal(
        true,
      );
    }
    const kinds = coordinator.loop.rounds.map((r) => `${r.kind}:${r.outcome}:${r.results.length}`);
    expect(kinds).to.deep.equal([
      'sketch:closed:3',
      'train:closed:3',
      'train:closed:3',
      'calibrate:closed:3',
    ]);
    expect(sent).to.have.length(12);
    const enrolments = readFileSync(join(dir, 'coordinator-state', 'enrolments.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(enrolments).to.have.length(3);
    expect(readdirSync(join(dir, 'coordinator-state', 'audit', 'payloads'))).to.have.length(12);
  });

  for (const [what, misbuild, expected] of [
    [
      'a weight manifest the architecture does not imply',
      (m: GlobalModel) => ({ ...m, spec: { ...m.spec, weights: m.spec.weights.slice(1) } }),
      /^model release v1: 'weights' does not match the architecture over the encoder's \d+ inputs/,
    ],
    [
      'fewer weights than its manifest needs',
      (m: GlobalModel) => ({ ...m, weights: m.weights.slice(1) }),
      /^model release v1: it carries \d+ weights, its manifest needs \d+$/,
    ],
  ] as const)
    it(`stops a site whose coordinator publishes a model with ${what}, naming it, instead of retrying forever`, async () => {
      const fixture = await federationFixture(dir, ['web']);
      coordinator = await startCoordinator(fixture.config({ 'federation.minClients': 1 }), quiet);
      /** A signed release altered after verification, as a faulty coordinator build could send. */
      class MisbuiltReleases extends CoordinatorConnection {
        override async fetchModel(token: string, version: number) {
          return misbuild(await super.fetchModel(token, version));
        }
      }
      const connection = new MisbuiltReleases(
        `127.0.0.1:${coordinator.port}`,
        fixture.sites[0]!.identity,
        publicIdentity(fixture.coordinator),
      );
      const outcome = await participate({
        connection,
        worker: siteWorker(fixture.sites[0]!.file, 1),
        reconnect: { initialMs: 50, maxMs: 500 },
        log: quiet,
      }).then(
        () => null,
        (error: unknown) => error as Error,
      );
      connection.close();
      expect(outcome?.message).to.match(expected);
    });

  it('refuses to enrol a key that is not on the allow-list', async () => {
    const fixture = await federationFixture(dir, ['web']);
    coordinator = await startCoordinator(fixture.config({ 'federation.minClients': 1 }), quiet);
    const stranger = generateIdentity('client', 'stranger');
    const connection = new CoordinatorConnection(
      `127.0.0.1:${coordinator.port}`,
      stranger,
      publicIdentity(fixture.coordinator),
    );
    await expectRejection(connection.enrol(), 'unauthenticated', /not on the allow-list/);
    connection.close();
  });

  it('answers GetChallenge and Enrol with malformed keys by INVALID_ARGUMENT and a reason, logging no stack trace', async () => {
    const fixture = await federationFixture(dir, ['web']);
    const lines: string[] = [];
    coordinator = await startCoordinator(fixture.config({ 'federation.minClients': 1 }), (l) =>
      lines.push(l),
    );
    const { Federation } = loadFederation().fedflow.v1;
    const client = new Federation(`127.0.0.1:${coordinator.port}`, credentials.createInsecure());
    const call = <R>(start: (done: (e: ServiceError | null, r?: R) => void) => void) =>
      new Promise<ServiceError | null>((resolve) => start((e) => resolve(e)));
    try {
      for (const n of [0, 1, 31, 33, 64, 100_000]) {
        const key = Buffer.alloc(n, 7);
        const challenge = await call((cb) => client.getChallenge({ clientSignKey: key }, cb));
        expect(challenge?.code, `GetChallenge, ${n}-byte key`).to.equal(status.INVALID_ARGUMENT);
        expect(challenge?.details).to.equal(`clientSignKey must be 32 bytes, got ${n}`);
        const enrol = await call((cb) =>
          client.enrol(
            {
              clientSignKey: fixture.sites[0]!.identity.signPublicKey,
              clientBoxKey: key,
              challenge: Buffer.alloc(32),
              signature: Buffer.alloc(64),
            },
            cb,
          ),
        );
        expect(enrol?.code, `Enrol, ${n}-byte box key`).to.equal(status.INVALID_ARGUMENT);
        expect(enrol?.details).to.equal(`clientBoxKey must be 32 bytes, got ${n}`);
      }
    } finally {
      client.close();
    }
    expect(lines.filter((l) => /internal error|\n\s+at /.test(l))).to.deep.equal([]);
  });

  it('answers bytes that are not a protobuf message, on every RPC, by INVALID_ARGUMENT naming the message, logging no stack trace', async () => {
    const fixture = await federationFixture(dir, ['web']);
    const lines: string[] = [];
    coordinator = await startCoordinator(fixture.config({ 'federation.minClients': 1 }), (l) =>
      lines.push(l),
    );
    const client = new Client(`127.0.0.1:${coordinator.port}`, credentials.createInsecure());
    const raw = (b: Buffer) => b;
    // Field 1's length is a varint cut off after its first byte: no message type decodes it.
    const garbage = Buffer.from([0x0a, 0xff]);
    const path = (method: string) => `/fedflow.v1.Federation/${method}`;
    const outcome = (method: string) =>
      new Promise<ServiceError | null>((resolve) => {
        if (method === 'GetChallenge' || method === 'Enrol') {
          client.makeUnaryRequest(path(method), raw, raw, garbage, (e) => resolve(e));
        } else if (method === 'SubmitResult') {
          const call = client.makeClientStreamRequest(path(method), raw, raw, (e) => resolve(e));
          call.write(garbage);
          call.end();
        } else {
          const call = client.makeServerStreamRequest(path(method), raw, raw, garbage);
          call.on('data', () => {});
          call.on('error', (e: ServiceError) => resolve(e));
          call.on('end', () => resolve(null));
        }
      });
    const expected = {
      GetChallenge: 'ChallengeRequest',
      Enrol: 'EnrolRequest',
      WaitForTask: 'WaitRequest',
      FetchModel: 'FetchModelRequest',
      SubmitResult: 'SubmitChunk',
    };
    try {
      for (const [method, message] of Object.entries(expected)) {
        const error = await outcome(method);
        expect(error?.code, method).to.equal(status.INVALID_ARGUMENT);
        expect(error?.details, method).to.match(
          new RegExp(`^the request is not a valid ${message} message: `),
        );
      }
    } finally {
      client.close();
    }
    expect(lines.filter((l) => /internal error|\n\s+at /.test(l))).to.deep.equal([]);
  });

  it('restarts after a crash that tore the last line of its ingress log: the line is quarantined, the log goes on and verifies', async () => {
    const fixture = await federationFixture(dir, ['web']);
    const config = fixture.config({ 'federation.minClients': 1 });
    coordinator = await startCoordinator(config, quiet);
    const stranger = generateIdentity('client', 'stranger');
    const connection = new CoordinatorConnection(
      `127.0.0.1:${coordinator.port}`,
      stranger,
      publicIdentity(fixture.coordinator),
    );
    await connection.enrol().catch(() => {}); // an ingress entry or none; the log exists either way
    connection.close();
    await coordinator.stop();
    coordinator = null;
    const ingress = join(dir, 'coordinator-state', 'audit', 'ingress.jsonl');
    appendFileSync(ingress, '{"format":"fedflow-audit","version":1,"log":"ingr');
    const lines: string[] = [];
    coordinator = await startCoordinator(config, (l) => lines.push(l));
    expect(
      lines.some((l) => /ingress log's last line was cut off .*torn-.*\.bin/.test(l)),
    ).to.equal(true);
    const { entries, findings } = verifyLog(ingress, fixture.coordinator.signPublicKey);
    expect(findings.filter((f) => f.severity === 'error')).to.deep.equal([]);
    expect(entries.at(-1)!.type).to.equal('quarantine');
  });

  it('releases the task of a site whose process died mid-round at the reattach window, not at the round deadline', async () => {
    const fixture = await federationFixture(dir, ['web', 'mail-dns']);
    const rounds: RoundRecord[] = [];
    coordinator = await startCoordinator(
      fixture.config({
        'federation.minClients': 2,
        'federation.quorum': 2,
        'federation.roundTimeoutSeconds': 120,
        'transport.reattachSeconds': 1,
      }),
      quiet,
      { onRound: (r) => rounds.push(r) },
    );
    const address = `127.0.0.1:${coordinator.port}`;
    const abort = new AbortController();
    const honest = participate({
      connection: new CoordinatorConnection(
        address,
        fixture.sites[0]!.identity,
        publicIdentity(fixture.coordinator),
      ),
      worker: siteWorker(fixture.sites[0]!.file, 1),
      reconnect: { initialMs: 50, maxMs: 500 },
      log: quiet,
      signal: abort.signal,
    }).catch(() => null);
    // The other site enrols, takes the sketch task and dies: its connection goes away.
    const dying = new CoordinatorConnection(
      address,
      fixture.sites[1]!.identity,
      publicIdentity(fixture.coordinator),
    );
    const { token } = await dying.enrol();
    const stream = dying.tasks(token);
    await nextTask(stream.events[Symbol.asyncIterator](), 'sketch');
    const died = Date.now();
    stream.cancel(); // what the socket closing does when a process dies
    dying.close();
    while (!rounds.some((r) => r.kind === 'sketch')) await new Promise((r) => setTimeout(r, 50));
    const sketch = rounds.find((r) => r.kind === 'sketch')!;
    expect(Date.now() - died).to.be.below(20_000); // about the 1 s window, far from 120 s
    expect(sketch.failures).to.deep.equal([
      {
        clientId: sketch.selected.find((id) => !sketch.results.some((r) => r.clientId === id))!,
        reason: 'the client disconnected',
      },
    ]);
    abort.abort();
    await coordinator.stop();
    coordinator = null;
    await honest;
  });

  for (const step of ['secagg-shares', 'secagg-train', 'secagg-unmask'] as const) {
    it(`finishes a secure aggregation round over gRPC when a site's process dies as its ${step} task arrives`, async () => {
      const fixture = await federationFixture(dir, ['web', 'mail-dns', 'internal', 'web']);
      const lines: string[] = [];
      coordinator = await startCoordinator(
        fixture.config({
          'federation.rounds': 1,
          'federation.minClients': 3,
          'strategy.screening.method': 'none',
          'secureAggregation.enabled': true,
          'transport.reattachSeconds': 1,
        }),
        (line) => lines.push(line),
      );
      const address = `127.0.0.1:${coordinator.port}`;
      const sites = fixture.sites.map((site, i) => {
        const abort = new AbortController();
        const worker = siteWorker(site.file, i + 1, fingerprint(site.identity.signPublicKey));
        // The last site's process dies when the step's task reaches it: nothing answers.
        const dying = i === fixture.sites.length - 1;
        const run = worker.run.bind(worker);
        worker.run = (task, model) => {
          if (dying && task.kind === step) {
            abort.abort();
            return Promise.reject(new Error('the process died'));
          }
          return run(task, model);
        };
        const connection = new CoordinatorConnection(
          address,
          site.identity,
          publicIdentity(fixture.coordinator),
        );
        return participate({
          connection,
          worker,
          reconnect: { initialMs: 50, maxMs: 500 },
          log: quiet,
          signal: abort.signal,
        })
          .catch(() => null)
          .finally(() => connection.close());
      });
      const final = await coordinator.done;
      expect(final.thresholds).to.not.equal(null);
      const steps = coordinator.loop.rounds
        .filter((r) => r.kind.startsWith('secagg-'))
        .map((r) => `${r.kind}:${r.outcome}:${r.results.length}`);
      // The dying site answered every step before its own: 4 results there, 3 from it on.
      const order = ['secagg-keys', 'secagg-shares', 'secagg-train', 'secagg-unmask'];
      expect(steps).to.deep.equal(
        order.map((kind) => `${kind}:closed:${order.indexOf(kind) < order.indexOf(step) ? 4 : 3}`),
      );
      const summary = lines.find((l) => l.includes('securely aggregated'))!;
      // Dying after its shares, before its masked delta: its pairwise masks were rebuilt.
      // Dying before unmasking: its masked delta is in the sum.
      expect(summary).to.match(
        step === 'secagg-train'
          ? /securely aggregated 3 sites' deltas .*dropped after sharing keys: [0-9a-f]{16}$/
          : step === 'secagg-unmask'
            ? /securely aggregated 4 sites' deltas .*dropped after sharing keys: none$/
            : /securely aggregated 3 sites' deltas .*dropped after sharing keys: none$/,
      );
      await Promise.all(sites);
    });
  }

  it('refuses a result stream from no enrolled client at its header, before buffering, without signing a log entry for it', async () => {
    const fixture = await federationFixture(dir, ['web']);
    const lines: string[] = [];
    coordinator = await startCoordinator(fixture.config({ 'federation.minClients': 1 }), (l) =>
      lines.push(l),
    );
    const { Federation } = loadFederation().fedflow.v1;
    const client = new Federation(`127.0.0.1:${coordinator.port}`, credentials.createInsecure());
    const ingress = join(dir, 'coordinator-state', 'audit', 'ingress.jsonl');
    const entriesBefore = readFileSync(ingress, 'utf8').length;
    try {
      for (let i = 0; i < 50; i++) {
        const error = await new Promise<ServiceError | null>((resolve) => {
          const call = client.submitResult((e) => resolve(e));
          call.write({
            header: resultHeaderToWire({
              sessionToken: `forged-${i}`,
              round: 0,
              taskId: 't',
              kind: 'sketch',
              totalBytes: 200 * 1024 * 1024,
              sha256: new Uint8Array(32),
            }),
          });
          // Chunks keep coming; none may be buffered.
          for (let c = 0; c < 4; c++)
            call.write({
              chunk: {
                index: c,
                total: 800,
                data: Buffer.alloc(256 * 1024),
                sha256: Buffer.alloc(32),
              },
            });
          call.end();
        });
        expect(error?.code).to.equal(status.UNAUTHENTICATED);
        expect(error?.details).to.equal('unknown session: enrol again');
      }
    } finally {
      client.close();
    }
    expect(readFileSync(ingress, 'utf8').length).to.equal(entriesBefore);
    const noted = lines.filter((l) =>
      l.startsWith('warning: refused results from no enrolled client'),
    );
    expect(noted.length).to.be.within(1, 2);
    expect(noted[0]).to.include('unauthenticated: unknown session');
  });

  it('drops a result upload that stalls after its header, freeing its reservation for the next one', async () => {
    const fixture = await federationFixture(dir, ['web']);
    coordinator = await startCoordinator(
      fixture.config({ 'federation.minClients': 1, 'transport.uploadIdleSeconds': 1 }),
      quiet,
    );
    const site = fixture.sites[0]!;
    const connection = new CoordinatorConnection(
      `127.0.0.1:${coordinator.port}`,
      site.identity,
      publicIdentity(fixture.coordinator),
    );
    const { token } = await connection.enrol();
    const stream = connection.tasks(token);
    const sketchTask = await nextTask(stream.events[Symbol.asyncIterator](), 'sketch');
    const sealed = connection.seal(
      sketchTask,
      await siteWorker(site.file, 1).run(sketchTask, null),
    );
    const { Federation } = loadFederation().fedflow.v1;
    const raw = new Federation(`127.0.0.1:${coordinator.port}`, credentials.createInsecure());
    const started = Date.now();
    const stalled = await new Promise<ServiceError | null>((resolve) => {
      const call = raw.submitResult((e) => resolve(e));
      call.write({
        header: resultHeaderToWire({
          sessionToken: token,
          round: sketchTask.round,
          taskId: sketchTask.taskId,
          kind: 'sketch',
          totalBytes: sealed.length,
          sha256: new Uint8Array(32),
        }),
      });
      // ...and nothing more: the site hung, its upload holds the one slot it has.
    });
    raw.close();
    expect(stalled).to.not.equal(null);
    expect(Date.now() - started).to.be.below(10_000);
    const receipt = await connection.submitSealed(token, sketchTask, sealed);
    expect(receipt.accepted).to.equal(true);
    stream.cancel();
    connection.close();
  });

  it('does not enrol with a server that presents other keys than the trusted coordinator', async () => {
    const fixture = await federationFixture(dir, ['web']);
    coordinator = await startCoordinator(fixture.config({ 'federation.minClients': 1 }), quiet);
    const impostor = publicIdentity(generateIdentity('coordinator', 'impostor'));
    const connection = new CoordinatorConnection(
      `127.0.0.1:${coordinator.port}`,
      fixture.sites[0]!.identity,
      impostor,
    );
    await expectRejection(connection.enrol(), 'unauthenticated', /not the trusted coordinator/);
    connection.close();
  });

  it('rejects tampered, replayed, wrongly shaped and non-finite results with precise statuses', async () => {
    const fixture = await federationFixture(dir, ['web']);
    coordinator = await startCoordinator(
      fixture.config({ 'federation.minClients': 1, 'federation.rounds': 1 }),
      quiet,
    );
    const site = fixture.sites[0]!;
    const connection = new CoordinatorConnection(
      `127.0.0.1:${coordinator.port}`,
      site.identity,
      publicIdentity(fixture.coordinator),
    );
    const worker = siteWorker(site.file, 1);
    const { token } = await connection.enrol();
    const stream = connection.tasks(token);
    const events = stream.events[Symbol.asyncIterator]();

    const sketchTask = await nextTask(events, 'sketch');
    const sealed = connection.seal(sketchTask, await worker.run(sketchTask, null));
    const tampered = Uint8Array.from(sealed);
    tampered[tampered.length - 80]! ^= 0x01; // inside the ciphertext
    await expectRejection(
      connection.submitSealed(token, sketchTask, tampered),
      'unauthenticated',
      /envelope rejected: bad-signature/,
    );
    await expectRejection(
      connection.submitSealed('not-a-session', sketchTask, sealed),
      'unauthenticated',
      /unknown session/,
    );
    const receipt = await connection.submitSealed(token, sketchTask, sealed);
    expect(receipt.accepted).to.equal(true);
    await expectRejection(
      connection.submitSealed(token, sketchTask, sealed),
      'failed-precondition',
      /not open for this client/,
    );

    let trainTask = await nextTask(events, 'train');
    const model = await connection.fetchModel(token, trainTask.modelVersion);
    const wrongShape = {
      kind: 'delta' as const,
      modelVersion: model.version,
      delta: new Float32Array(3),
      examples: 10,
      validationLoss: 1,
    };
    await expectRejection(
      connection.submit(token, trainTask, wrongShape),
      'invalid-argument',
      /delta has 3 values, the model has \d+/,
    );
    // The rejected result failed the round (one site, minimum one): it is reopened as a new task.
    trainTask = await nextTask(events, 'train');
    const nan = new Float32Array(model.weights.length);
    nan[7] = Number.NaN;
    await expectRejection(
      connection.submit(token, trainTask, { ...wrongShape, delta: nan }),
      'invalid-argument',
      /delta value 7 is NaN/,
    );
    trainTask = await nextTask(events, 'train');
    await expectRejection(
      connection.fetchModel(token, trainTask.modelVersion + 5),
      'failed-precondition',
      /is not current/,
    );
    const good = await worker.run(trainTask, model);
    expect((await connection.submit(token, trainTask, good)).accepted).to.equal(true);
    const failures = coordinator.loop.rounds
      .filter((r) => r.kind === 'train' && r.outcome === 'failed')
      .flatMap((r) => r.failures.map((f) => f.reason));
    expect(failures).to.have.length(2);
    expect(failures[0]).to.match(/rejected: delta has 3 values/);
    expect(failures[1]).to.match(/rejected: delta value 7 is NaN/);
    stream.cancel();
    connection.close();
  });
});

describe('coordinator restart over gRPC', function () {
  this.timeout(240_000);
  let dir: string;
  before(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'fedflow-restart-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes at the open round after a restart, and clients reconnect by themselves', async () => {
    const fixture = await federationFixture(dir, ['web', 'internal']);
    const first = await startCoordinator(fixture.config({ 'federation.rounds': 3 }), quiet);
    const port = first.port;
    const logs: string[] = [];
    const agents = siteAgents(fixture, port, (line) => logs.push(line));
    while (!first.loop.rounds.some((r) => r.kind === 'train' && r.outcome === 'closed'))
      await new Promise((r) => setTimeout(r, 20));
    await first.stop();
    const second = await startCoordinator(
      fixture.config({ 'federation.rounds': 3, 'listen.port': port }),
      quiet,
    );
    try {
      expect(second.loop.current!.version).to.equal(2); // round 1 survived the restart
      const final = await second.done;
      const models = await Promise.all(agents);
      expect(final.version).to.equal(4);
      for (const model of models) expect(model!.version).to.equal(4);
      const closed = second.loop.rounds
        .filter((r) => r.outcome === 'closed')
        .map((r) => `${r.kind}${r.round}`);
      expect(closed).to.deep.equal(['sketch0', 'train1', 'train2', 'train3', 'calibrate4']);
      expect(logs.some((l) => /connection to the coordinator failed/.test(l))).to.equal(true);
      expect(logs.filter((l) => /enrolled/.test(l)).length).to.be.greaterThan(2);
    } finally {
      await second.stop();
    }
  });
});

describe('coordinator crash mid-round over gRPC', function () {
  this.timeout(240_000);
  let dir: string;
  before(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'fedflow-crash-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a result it accepted and receipted before a crash, and aggregates it after the restart under the same task', async () => {
    const fixture = await federationFixture(dir, ['web', 'internal']);
    const config = fixture.config({ 'federation.rounds': 1 });
    const first = await startCoordinator(config, quiet);
    const port = first.port;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const receipted: Task[] = [];
    const logs: string[] = [];
    const agents = fixture.sites.map((site, i) => {
      const worker = siteWorker(site.file, i + 1);
      // Site 2 is still training round 1 when the coordinator goes down.
      const slow = {
        run: async (task: Task, model: Parameters<typeof worker.run>[1]) => {
          if (i === 1 && task.kind === 'train') await held;
          return worker.run(task, model);
        },
      } as unknown as typeof worker;
      return participate({
        connection: new CoordinatorConnection(
          `127.0.0.1:${port}`,
          site.identity,
          publicIdentity(fixture.coordinator),
        ),
        worker: i === 1 ? slow : worker,
        reconnect: { initialMs: 50, maxMs: 400 },
        log: quiet,
        onSubmitted: (task) => {
          if (i === 0) receipted.push(task);
        },
      });
    });
    while (!receipted.some((t) => t.kind === 'train')) await new Promise((r) => setTimeout(r, 20));
    const accepted = receipted.find((t) => t.kind === 'train')!;
    await first.stop(); // the crash: nothing of round 1 was committed
    const second = await startCoordinator({ ...config, listen: { ...config.listen, port } }, (l) =>
      logs.push(l),
    );
    release();
    try {
      await second.done;
      await Promise.all(agents);
      const train = second.loop.rounds.filter((r) => r.kind === 'train');
      expect(train.map((r) => r.outcome)).to.deep.equal(['closed']);
      expect(train[0]!.taskId).to.equal(accepted.taskId);
      expect(train[0]!.results).to.have.length(2);
      expect(
        logs.some((l) =>
          /resumed after a restart with 1 accepted results; asking 1 clients again/.test(l),
        ),
      ).to.equal(true);
    } finally {
      await second.stop();
    }
  });
});

describe('client restart over gRPC', function () {
  this.timeout(240_000);
  let dir: string;
  before(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'fedflow-client-restart-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lets a site that restarts mid-federation rejoin and finish with the others', async () => {
    const fixture = await federationFixture(dir, ['web', 'mail-dns']);
    const coordinator = await startCoordinator(fixture.config({ 'federation.rounds': 3 }), quiet);
    try {
      const address = `127.0.0.1:${coordinator.port}`;
      const join = (i: number, signal?: AbortSignal) =>
        participate({
          connection: new CoordinatorConnection(
            address,
            fixture.sites[i]!.identity,
            publicIdentity(fixture.coordinator),
          ),
          worker: siteWorker(fixture.sites[i]!.file, i + 1),
          reconnect: { initialMs: 50, maxMs: 400 },
          log: quiet,
          signal,
        });
      const steady = join(0);
      const crash = new AbortController();
      const first = join(1, crash.signal);
      while (!coordinator.loop.rounds.some((r) => r.kind === 'train' && r.outcome === 'closed'))
        await new Promise((r) => setTimeout(r, 20));
      crash.abort(); // the site's process dies...
      await first;
      const restarted = join(1); // ...and comes back with the same keys
      const [a, b] = await Promise.all([steady, restarted]);
      const final = await coordinator.done;
      expect(a!.version).to.equal(final.version);
      expect(b!.version).to.equal(final.version);
      expect(
        coordinator.loop.rounds.filter((r) => r.kind === 'train' && r.outcome === 'closed'),
      ).to.have.length(3);
    } finally {
      await coordinator.stop();
    }
  });
});
