/**
 * A training round under secure aggregation (shared/secagg): four steps, each asking only the
 * sites the step before kept. 1 keys; 2 shares, with the roster; 3 training, each site sending
 * its delta weighted by its examples, masked; 4 unmasking. The coordinator then holds the sum
 * of the survivors' weighted deltas, their total examples and loss, and nothing per site: no
 * screening can run (it needs each update), so the server optimiser takes the mean as it is.
 */
import type {
  MaskedDeltaPayload,
  SecAggKeysPayload,
  SecAggSharesPayload,
  SecAggUnmaskPayload,
} from '../../../shared/federation/secagg-messages.js';
import {
  decodeSecureSum,
  type SecureEncoding,
  secureEncoding,
} from '../../../shared/secagg/masked-input.js';
import { defaultThreshold, type Roster } from '../../../shared/secagg/roster.js';
import {
  buildRoster,
  keySharesProblem,
  routeShares,
  unmaskedSum,
  unmaskRequest,
} from '../../../shared/secagg/secagg-server.js';
import type { UnmaskRequest } from '../../../shared/secagg/secagg-site.js';
import type { SealedShare } from '../../../shared/secagg/share-box.js';
import type { FederationState } from '../../store/federation-state.js';
import { aggregationProblem } from '../../strategy/check-results.js';
import type { AggregationStrategy } from '../../strategy/strategy.js';
import type { FederationPlan, SecureAggregationPlan } from '../federation-plan.js';
import {
  modelVersionProblem,
  type ProtocolClose,
  type RoundProtocol,
  type RoundStep,
  type StepResults,
} from '../round-protocol.js';
import { releasedModel } from './released-model.js';
import { nextTrainingPhase } from './training-round.js';

/** Secure aggregation needs a sum of at least this many inputs to hide each one. */
export const MIN_SECURE_SITES = 3;

/** What one run of the protocol has built so far (a failed run starts a new one). */
interface Session {
  readonly id: string;
  roster?: Roster;
  inbox?: Map<string, SealedShare[]>;
  encoding?: SecureEncoding;
  request?: UnmaskRequest;
}

const ids = (results: StepResults | undefined) => (results ?? []).map((r) => r.clientId);

/** The run in progress: a new keys task starts a new session. */
interface Runs {
  session: Session;
}

export function secureTrainingRound(
  plan: FederationPlan,
  secure: SecureAggregationPlan,
  strategy: AggregationStrategy,
  /** A random permutation (the neighbour ring's order); crypto-random unless a test fixes it. */
  shuffle: <T>(items: T[]) => T[],
): RoundProtocol {
  const runs: Runs = { session: { id: '' } };
  return {
    phase: 'training',
    steps: [
      keysStep(runs, secure),
      sharesStep(runs, secure, shuffle),
      trainStep(runs, plan, secure),
      unmaskStep(runs, secure),
    ],
    position: (state) => ({ round: state.nextRound, modelVersion: state.model!.version }),
    close: (results, state) => {
      const done = runs.session;
      runs.session = { id: '' };
      return closeSecure(done, results, state, plan, strategy);
    },
  };
}

/** Step 1: fresh public keys from every connected site. */
function keysStep(runs: Runs, secure: SecureAggregationPlan): RoundStep {
  return {
    kind: 'secagg-keys',
    timeoutMs: secure.stepTimeoutMs,
    check: (payload) => {
      const p = payload as SecAggKeysPayload;
      return p.cipherKey.length === 32 && p.maskKey.length === 32
        ? null
        : 'public keys must be 32 bytes';
    },
    taskData: (_, { task }) => {
      if (runs.session.id !== task.taskId) runs.session = { id: task.taskId };
      return { step: 'keys', session: runs.session.id };
    },
  };
}

/** Step 2: the roster to the sites whose keys arrived; their sealed shares back. */
function sharesStep(
  runs: Runs,
  secure: SecureAggregationPlan,
  shuffle: <T>(items: T[]) => T[],
): RoundStep {
  return {
    kind: 'secagg-shares',
    timeoutMs: secure.stepTimeoutMs,
    participants: ([keys]) => ids(keys),
    check: (payload, { task, clientId }) => {
      const roster = task.secagg?.step === 'shares' ? task.secagg.roster : null;
      if (!roster) return 'no roster was sent with this task';
      return keySharesProblem(roster, clientId, payload as SecAggSharesPayload);
    },
    taskData: (_, { previous: [keys] }) => {
      const session = runs.session;
      if (!session.roster) {
        const members = new Map(
          (keys ?? []).map((r) => [r.clientId, r.payload as SecAggKeysPayload]),
        );
        if (members.size < MIN_SECURE_SITES)
          throw new Error(
            `${members.size} sites sent keys; secure aggregation needs at least ${MIN_SECURE_SITES}`,
          );
        const threshold = secure.threshold > 0 ? () => secure.threshold : defaultThreshold;
        // 0 neighbours: every pair (Bonawitz et al.), for consortia small enough to afford it.
        const degree = secure.neighbours > 0 ? secure.neighbours : members.size - 1;
        session.roster = buildRoster(session.id, members, { degree, threshold }, shuffle);
      }
      return { step: 'shares', session: session.id, roster: session.roster };
    },
  };
}

/** Step 3: each sharer gets the shares sealed to it, trains, and sends its masked delta. */
function trainStep(runs: Runs, plan: FederationPlan, secure: SecureAggregationPlan): RoundStep {
  return {
    kind: 'secagg-train',
    participants: ([, shares]) => ids(shares),
    check: (payload, { model }) => {
      const p = payload as MaskedDeltaPayload;
      const stale = modelVersionProblem(p, model);
      if (stale) return stale;
      const words = model!.weights.length + 2;
      return p.masked.length === words
        ? null
        : `masked delta has ${p.masked.length} words, the round needs ${words}`;
    },
    taskData: (clientId, { previous: [, shares], declaredRows }) => {
      const session = runs.session;
      const sharers = ids(shares);
      if (!session.inbox) {
        const sent = new Map(
          sharers.map((id, k) => [id, shares![k]!.payload as SecAggSharesPayload]),
        );
        session.inbox = routeShares(session.roster!, sent);
        const rows = sharers.reduce((n, id) => n + Math.min(declaredRows(id), plan.maxSiteRows), 0);
        session.encoding = secureEncoding(rows, secure.bound);
      }
      return {
        step: 'input',
        session: session.id,
        sharers,
        shares: session.inbox.get(clientId) ?? [],
        encoding: session.encoding!,
      };
    },
  };
}

/** Step 4: who survived and who dropped, to the survivors; the shares that unmask the sum back. */
function unmaskStep(runs: Runs, secure: SecureAggregationPlan): RoundStep {
  return {
    kind: 'secagg-unmask',
    timeoutMs: secure.stepTimeoutMs,
    participants: ([, , inputs]) => ids(inputs),
    check: (payload, { task }) => {
      const request = task.secagg?.step === 'unmask' ? task.secagg.request : null;
      if (!request) return 'no unmask request was sent with this task';
      const p = payload as SecAggUnmaskPayload;
      const wrong =
        p.selfMaskShares.find((s) => !request.survivors.includes(s.of)) ??
        p.maskKeyShares.find((s) => !request.dropped.includes(s.of));
      return wrong ? `a share of ${wrong.of} that the request did not ask for` : null;
    },
    taskData: (_, { previous: [, shares, inputs] }) => {
      const session = runs.session;
      if (!session.request) {
        const request = unmaskRequest(ids(shares), ids(inputs));
        if (request.survivors.length < session.roster!.threshold)
          throw new Error(
            `${request.survivors.length} masked deltas arrived, fewer than the threshold ${session.roster!.threshold}`,
          );
        session.request = request;
      }
      return { step: 'unmask', session: session.id, request: session.request };
    },
  };
}

/**
 * The one check the aggregate allows: a weighted mean of values each clipped to +-bound stays
 * within +-bound (plus the rounding). Beyond it, some site skipped the clipping or claimed
 * examples its values do not have; the round is not published (it runs again).
 */
function boundProblem(mean: Float32Array, encoding: SecureEncoding): string | null {
  const limit = encoding.bound * (1 + 1e-6) + encoding.step;
  const i = mean.findIndex((v) => !(Math.abs(v) <= limit));
  if (i < 0) return null;
  return `aggregate value ${i} is ${mean[i]}, beyond the published bound +-${encoding.bound}: a site sent an unclipped or inconsistent masked delta`;
}

/** The unmasked sum made into the next model, or why nothing is published. */
async function closeSecure(
  done: Session,
  [, shares, inputs, unmasks]: readonly StepResults[],
  state: FederationState,
  plan: FederationPlan,
  strategy: AggregationStrategy,
): Promise<ProtocolClose | { failed: string }> {
  const payloads = <P>(results: StepResults | undefined) =>
    new Map((results ?? []).map((r) => [r.clientId, r.payload as P]));
  let sum: Uint32Array;
  try {
    sum = await unmaskedSum({
      roster: done.roster!,
      commitments: new Map(
        [...payloads<SecAggSharesPayload>(shares)].map(([id, p]) => [id, p.selfMaskCommitment]),
      ),
      request: done.request!,
      masked: new Map([...payloads<MaskedDeltaPayload>(inputs)].map(([id, p]) => [id, p.masked])),
      responses: payloads<SecAggUnmaskPayload>(unmasks),
    });
  } catch (error) {
    return { failed: `secure aggregation could not unmask the sum: ${(error as Error).message}` };
  }
  const decoded = decodeSecureSum(sum, done.encoding!);
  if (decoded.examples === 0) return { failed: 'the unmasked sum claims no examples' };
  const outside = boundProblem(decoded.mean, done.encoding!);
  if (outside) return { failed: outside };
  const before = state.model!;
  const aggregation = strategy.aggregate(
    before.weights,
    [{ clientId: 'secure-sum', delta: decoded.mean, examples: decoded.examples }],
    state.serverState,
  );
  const problem = aggregationProblem(aggregation);
  if (problem) return { failed: `aggregation not published: ${problem}` };
  const round = state.nextRound;
  const { survivors, dropped } = done.request!;
  return {
    state: {
      ...state,
      phase: nextTrainingPhase(plan, round),
      nextRound: round + 1,
      ...releasedModel(plan, state, aggregation.weights),
      serverState: aggregation.state,
    },
    amend: (record) => ({
      ...record,
      strategy: `${strategy.name}+secagg`,
      validationLoss: decoded.validationLoss,
    }),
    log: [
      `round ${round}: securely aggregated ${survivors.length} sites' deltas (${decoded.examples} examples); dropped after sharing keys: ${dropped.join(', ') || 'none'}`,
    ],
  };
}
