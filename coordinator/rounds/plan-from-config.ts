/** Builds the federation plan and the aggregation strategy from the coordinator's configuration. */
import type { UpdateBits } from '../../shared/codec/block-quantizer.js';
import type { CoordinatorConfig } from '../../shared/config/federation-config.js';
import { modelFromConfig } from '../../shared/config/model-config.js';
import {
  type LocalTrainingSettings,
  localTrainingProblem,
  MAX_SKETCH_VALUES,
} from '../../shared/federation/messages.js';
import { schemaForFormat } from '../../shared/flows/format-schema.js';
import { parseFlowFormat } from '../../shared/flows/formats.js';
import { privacySpent } from '../privacy/gaussian-accountant.js';
import type { Gaussian } from '../strategy/gaussian-noise.js';
import type { AggregationStrategy } from '../strategy/strategy.js';
import { createStrategy } from '../strategy/strategy-factory.js';
import type { StrategySettings } from '../strategy/strategy-settings.js';
import type { FederationPlan, PrivacyPlan, SecureAggregationPlan } from './federation-plan.js';
import { MIN_SECURE_SITES } from './protocols/secure-training-round.js';

/** `proximalMu` is the strategy's site-side term (FedProx), published with every training task. */
export async function planFromConfig(
  config: CoordinatorConfig,
  proximalMu: number,
): Promise<FederationPlan> {
  const f = config.federation;
  const training: LocalTrainingSettings = {
    epochs: f.epochs,
    localSteps: f.localSteps,
    batchSize: f.batchSize,
    learningRate: f.learningRate,
    proximalMu,
    keepOptimizerState: f.keepOptimizerState,
    replayShare: f.replayShare,
    // Masked deltas are 32-bit fixed point whatever the setting: publish what sites send.
    updateBits: config.secureAggregation.enabled ? 32 : (f.updateBits as UpdateBits),
    releaseBits: f.releaseBits as UpdateBits,
  };
  // Refuse at start what every site would refuse with each task.
  const problem = localTrainingProblem(training);
  if (problem) throw new Error(`federation local training settings: ${problem}`);
  // Published with the sketch task: no site may send more values per field than the encoder keeps.
  if (config.encoder.maxVocabulary > MAX_SKETCH_VALUES)
    throw new Error(
      `encoder.maxVocabulary is ${config.encoder.maxVocabulary}; a site sketch carries at most ${MAX_SKETCH_VALUES} values per field`,
    );
  const model = modelFromConfig(config.model);
  return {
    schema: await schemaForFormat(
      parseFlowFormat(config.data.format),
      config.data.csvSchema,
      config.data.trafficFeatures,
      config.data.lastConnections,
    ),
    rounds: f.rounds,
    training,
    minClients: f.minClients,
    quorum: f.quorum,
    roundTimeoutMs: f.roundTimeoutSeconds * 1000,
    waitForClientsMs: f.waitForClientsSeconds * 1000,
    kAnonymity: { minSites: f.minSites, minRecords: f.minRecords },
    siteMinCategoryCount: f.siteMinCategoryCount,
    maxSiteRows: f.maxSiteRows,
    encoderFit: config.encoder,
    architecture: model.architecture,
    modelKind: model.kind,
    seed: f.seed,
    targetFprs: config.thresholds.targetFprs,
    privacy: privacyPlan(config),
    secureAggregation: securePlan(config),
  };
}

/** The secure aggregation settings, refused at start beside what needs each site's delta. */
function securePlan(config: CoordinatorConfig): SecureAggregationPlan | null {
  const s = config.secureAggregation;
  if (!s.enabled) return null;
  const conflicts = [
    config.strategy.screening.method !== 'none' &&
      `strategy.screening.method must be 'none' (got '${config.strategy.screening.method}'): screening needs each site's delta, the coordinator sees only their sum`,
    config.privacy.noiseMultiplier > 0 &&
      'privacy.noiseMultiplier must be 0: differential privacy is not combined with secure aggregation yet',
    config.federation.minClients < MIN_SECURE_SITES &&
      `federation.minClients must be at least ${MIN_SECURE_SITES} (got ${config.federation.minClients}): a sum of fewer hides nobody's delta`,
  ].filter((c): c is string => typeof c === 'string');
  if (conflicts.length > 0) throw new Error(`secureAggregation.enabled: ${conflicts.join('; ')}`);
  return {
    neighbours: s.neighbours,
    threshold: s.threshold,
    bound: s.bound,
    stepTimeoutMs: s.stepTimeoutSeconds * 1000,
  };
}

/** The privacy settings, refused at start when the budget cannot pay for one round. */
function privacyPlan(config: CoordinatorConfig): PrivacyPlan | null {
  const p = config.privacy;
  if (p.noiseMultiplier === 0) return null;
  const first = privacySpent(p.noiseMultiplier, 1, p.delta).epsilon;
  if (p.epsilonBudget > 0 && first > p.epsilonBudget)
    throw new Error(
      `privacy.epsilonBudget ${p.epsilonBudget} is spent by the first training round (epsilon ${first.toFixed(3)} at privacy.noiseMultiplier ${p.noiseMultiplier}, delta ${p.delta}): raise the noise or the budget`,
    );
  return { ...p };
}

/** The aggregation strategy the `strategy` settings choose (one factory: strategy-factory.ts). */
export function strategyFromConfig(
  config: CoordinatorConfig,
  gaussian?: () => Gaussian,
): AggregationStrategy {
  const s = config.strategy;
  return createStrategy(
    {
      ...s,
      name: s.name as StrategySettings['name'],
      screening: {
        ...s.screening,
        method: s.screening.method as StrategySettings['screening']['method'],
      },
      privacy: config.privacy,
    },
    gaussian,
  );
}
