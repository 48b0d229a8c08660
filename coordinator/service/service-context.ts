/** What the gRPC handlers work with: the coordinator's parts they translate to and from. */
import type { AuditLogWriter } from '../../shared/audit/audit-log-writer.js';
import type { Identity } from '../../shared/crypto/identity.js';
import type { ReplayGuard } from '../../shared/crypto/replay-guard.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import type { ClientPayload, Task } from '../../shared/federation/messages.js';
import type { ReleaseDelta } from '../../shared/federation/release-delta.js';
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
  readonly heartbeatMs: number;
  readonly maxPayloadBytes: number;
  /** The round in progress: accepted payloads are kept there before their receipt. */
  readonly openRounds: Pick<OpenRoundStore, 'saveResult'>;
  /** How long a result stream may send nothing before it is dropped. */
  readonly uploadIdleMs: number;
  /** Result bytes being received, reserved per client before buffering. */
  readonly inFlight: InFlightResults;
  /** Counts and, at most every few seconds, logs results refused for an unknown session. */
  readonly unauthenticated: RateLimitedLog;
  /** Logs, at most every few seconds, enrolments refused and why (not on the allow-list, ...). */
  readonly refusedEnrolments?: RateLimitedLog;
  /** The model clients may fetch now. */
  current(): GlobalModel | null;
  /** The final model of a federation job that is complete, by its version (null: no such job). */
  finalModel?(version: number): GlobalModel | null;
  /** How the current model was quantised for sites holding the version before (null: it was not). */
  currentRelease?(): ReleaseDelta | null;
  /** Last contact and rejections per site, for the operator's status. */
  readonly activity: SiteActivity;
  readonly metrics: CoordinatorMetrics | null;
  /** Every result received is logged here, accepted or rejected (null: no audit log). */
  readonly ingress: AuditLogWriter | null;
  /** Why a result cannot count toward its task, or null (FederationLoop.check). */
  check(task: Task, clientId: string, payload: ClientPayload): string | null;
  /**
   * When a task stream opened now must end: with Finished when the federation job running
   * now is complete, or with UNAVAILABLE when the coordinator is shutting down (clients then
   * reconnect). A stream opened between jobs ends at once with the last job's Finished.
   */
  ending(): Promise<{ reason: string; complete: boolean }>;
  log(line: string): void;
}

/** Receives every error that is not raised on purpose (the peer sees only 'internal error'). */
export type UnexpectedErrorSink = (error: unknown) => void;
