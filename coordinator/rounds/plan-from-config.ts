/** Builds the federation plan from the coordinator's validated configuration. */
import { architectureFromConfig } from '../../client/pipeline/train-site-model.js';
import type { CoordinatorConfig } from '../../shared/config/federation-config.js';
import type { ModelConfig } from '../../shared/config/model-config.js';
import { schemaForFormat } from '../../shared/flows/format-schema.js';
import { parseFlowFormat } from '../../shared/flows/formats.js';
import type { FederationPlan } from './federation-plan.js';

export async function planFromConfig(config: CoordinatorConfig): Promise<FederationPlan> {
  const f = config.federation;
  return {
    schema: await schemaForFormat(parseFlowFormat(config.data.format), config.data.csvSchema),
    rounds: f.rounds,
    epochs: f.epochs,
    minClients: f.minClients,
    quorum: f.quorum,
    roundTimeoutMs: f.roundTimeoutSeconds * 1000,
    waitForClientsMs: f.waitForClientsSeconds * 1000,
    kAnonymity: { minSites: f.minSites, minRecords: f.minRecords },
    siteMinCategoryCount: f.siteMinCategoryCount,
    encoderFit: config.encoder,
    architecture: architectureFromConfig({ model: config.model } as ModelConfig),
    seed: f.seed,
    targetFprs: config.thresholds.targetFprs,
  };
}
