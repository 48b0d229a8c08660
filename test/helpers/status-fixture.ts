/**
 * A realistic federation snapshot for dashboard and status tests: three sites, rounds 0-4
 * (encoder, training, calibration) with one failed training round that was reopened, and
 * thresholds published for two model versions. Norm bounding clipped one site's update in the
 * last training round. One failure reason carries markup, to prove that whatever shows it
 * escapes it.
 */
import type { FederationStatus } from '../../coordinator/status/federation-status.js';

/** The markup inside a rejection reason; a page must show it as text and never run it. */
export const HOSTILE_REASON_MARKUP = '<script>alert("xss")</script>';

const START = Date.UTC(2026, 10, 2, 9, 0, 0);
const SECOND = 1000;
const STRATEGY = 'fedavg+norm-bound';

/** Why the last training round clipped initech-internal's update (as norm-bound says it). */
export const CLIPPED_REASON = "norm 41.7 clipped to 0.675 (1.5x the round's median 0.45)";

const kept = (site: string, norm: number, cosine: number, weight: number) =>
  ({ site, norm, cosine, action: 'kept', reason: null, weight }) as const;

/** The fixture, built fresh so a test may modify its copy. */
export function federationStatusFixture(): FederationStatus {
  return {
    coordinator: { name: 'consortium-eu', fingerprint: '3f9a0c2e71d4b8a5', startedMs: START },
    job: { id: 1, name: 'as configured' },
    jobs: [
      {
        id: 1,
        name: 'as configured',
        modelKind: 'categorical-vae',
        plannedRounds: 3,
        phase: 'done',
        modelVersion: 4,
        dir: 'state',
      },
    ],
    phase: 'done',
    plannedRounds: 3,
    model: {
      version: 4,
      sha256: '9c1e4b7a0d2f58e3b6a1c9d4e7f0a3b6c9d2e5f8a1b4c7d0e3f6a9b2c5d8e1f4',
      parameters: 184_276,
    },
    thresholds: [
      {
        modelVersion: 3,
        targets: [
          { fpr: 0.01, threshold: 38.42 },
          { fpr: 0.001, threshold: 51.07 },
        ],
      },
      {
        modelVersion: 4,
        targets: [
          { fpr: 0.01, threshold: 34.9 },
          { fpr: 0.001, threshold: 46.31 },
        ],
      },
    ],
    privacy: null,
    sites: [
      {
        id: 'a41c9e07b2d35f68',
        name: 'acme-web',
        connected: true,
        lastSeenMs: START + 412 * SECOND,
        trainingRoundsJoined: 6,
        flows: 16_000,
        rejectedMessages: 0,
      },
      {
        id: '5be0d17f3a9c2e84',
        name: 'globex-mail',
        connected: true,
        lastSeenMs: START + 405 * SECOND,
        trainingRoundsJoined: 5,
        flows: 14_250,
        rejectedMessages: 0,
      },
      {
        id: 'c7f2805d1e6ab493',
        name: 'initech-internal',
        connected: false,
        lastSeenMs: START + 291 * SECOND,
        trainingRoundsJoined: 3,
        flows: 13_600,
        rejectedMessages: 1,
      },
    ],
    rounds: [
      {
        round: 0,
        kind: 'sketch',
        outcome: 'closed',
        taskId: 'r0-sketch-1',
        startedMs: START + 2 * SECOND,
        durationMs: 6_840,
        aggregateMs: 41,
        reported: ['acme-web', 'globex-mail', 'initech-internal'],
        failures: [],
        validationLoss: null,
        reason: null,
        strategy: null,
        updates: [],
        privacy: null,
      },
      {
        round: 1,
        kind: 'train',
        outcome: 'closed',
        taskId: 'r1-train-1',
        startedMs: START + 10 * SECOND,
        durationMs: 48_200,
        aggregateMs: 87,
        reported: ['acme-web', 'globex-mail', 'initech-internal'],
        failures: [],
        validationLoss: 61.84,
        reason: null,
        strategy: STRATEGY,
        updates: [
          kept('acme-web', 0.84, 0.93, 0.4),
          kept('globex-mail', 0.91, 0.95, 0.35),
          kept('initech-internal', 0.77, 0.9, 0.25),
        ],
        privacy: null,
      },
      {
        round: 2,
        kind: 'train',
        outcome: 'failed',
        taskId: 'r2-train-1',
        startedMs: START + 60 * SECOND,
        durationMs: 120_000,
        aggregateMs: null,
        reported: ['acme-web'],
        failures: [
          {
            site: 'initech-internal',
            reason: `INVALID_ARGUMENT: expected 8 weight tensors, got 7 ${HOSTILE_REASON_MARKUP}`,
          },
          { site: 'globex-mail', reason: 'deadline passed before a result arrived' },
        ],
        validationLoss: 44.17,
        reason: null,
        strategy: null,
        updates: [],
        privacy: null,
      },
      {
        round: 2,
        kind: 'train',
        outcome: 'closed',
        taskId: 'r2-train-2',
        startedMs: START + 182 * SECOND,
        durationMs: 51_300,
        aggregateMs: 92,
        reported: ['acme-web', 'globex-mail'],
        failures: [],
        validationLoss: 44.02,
        reason: null,
        strategy: STRATEGY,
        updates: [kept('acme-web', 0.61, 0.97, 0.55), kept('globex-mail', 0.58, 0.96, 0.45)],
        privacy: null,
      },
      {
        round: 3,
        kind: 'train',
        outcome: 'closed',
        taskId: 'r3-train-1',
        startedMs: START + 236 * SECOND,
        durationMs: 47_900,
        aggregateMs: 85,
        reported: ['acme-web', 'globex-mail', 'initech-internal'],
        failures: [],
        validationLoss: 37.55,
        reason: null,
        strategy: STRATEGY,
        updates: [
          kept('acme-web', 0.42, 0.81, 0.4),
          kept('globex-mail', 0.45, 0.84, 0.35),
          {
            site: 'initech-internal',
            norm: 41.7,
            cosine: 0.12,
            action: 'clipped',
            reason: CLIPPED_REASON,
            weight: 0.25,
          },
        ],
        privacy: null,
      },
      {
        round: 4,
        kind: 'calibrate',
        outcome: 'closed',
        taskId: 'r4-calibrate-1',
        startedMs: START + 288 * SECOND,
        durationMs: 9_450,
        aggregateMs: 12,
        reported: ['acme-web', 'globex-mail'],
        failures: [],
        validationLoss: null,
        reason: null,
        strategy: null,
        updates: [],
        privacy: null,
      },
    ],
    audit: {
      ingressEntries: 15,
      accepted: 14,
      rejected: 1,
      lastEntryHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    },
    updatedMs: START + 420 * SECOND,
  };
}
