/**
 * The coordinator's `federation` settings: rounds, membership, the local training every site
 * is told to do, and the encoder round's floors (see docs/federation.md).
 */
import { UPDATE_BITS } from '../codec/block-quantizer.js';
import { MAX_SKETCH_ROWS } from '../federation/encoder-round.js';
import { LOCAL_TRAINING_LIMITS } from '../federation/messages.js';
import { oneOf, positive, within } from './config-formats.js';

export const federationConfigSchema = {
  rounds: { doc: 'Training rounds', format: positive('federation.rounds', true), default: 8 },
  epochs: {
    doc: 'Local epochs per round, when localSteps is 0',
    format: within('federation.epochs', 1, LOCAL_TRAINING_LIMITS.epochs, true),
    default: 2,
  },
  localSteps: {
    doc: 'Optimiser steps each site takes per round, the same at every site whatever its size (0 = train epochs epochs instead)',
    format: within('federation.localSteps', 0, LOCAL_TRAINING_LIMITS.localSteps, true),
    default: 100,
  },
  batchSize: {
    doc: 'Flows per mini-batch in local training (published to the sites)',
    format: within('federation.batchSize', 1, LOCAL_TRAINING_LIMITS.batchSize, true),
    default: 512,
  },
  learningRate: {
    doc: 'Adam learning rate of local training (published to the sites)',
    format: positive('federation.learningRate', false),
    default: 0.008,
  },
  replayShare: {
    doc: 'Share of local training flows sampled from the global model (generative replay, from round 2 on) so sites keep what it knows of the others; 0 = off',
    format: within('federation.replayShare', 0, LOCAL_TRAINING_LIMITS.replayShare, false),
    default: 0.7,
  },
  keepOptimizerState: {
    doc: 'Sites keep their Adam moments across rounds instead of starting each round afresh',
    format: Boolean,
    default: true,
  },
  updateBits: {
    doc: 'Bits per value of the deltas sites send: 32 = float32 as is; 8 or 4 = quantised in blocks with stochastic rounding and error feedback at the site (published to the sites; under secure aggregation deltas are 32-bit fixed point whatever this says)',
    format: oneOf('federation.updateBits', UPDATE_BITS),
    // 8 since 8-bit deltas and releases measured no AUROC loss (bench federation-cost).
    default: 8,
  },
  releaseBits: {
    doc: 'Bits per value of a new global model sent to a site holding the version before: 32 = the weights in float32; 8 or 4 = the change, quantised in blocks with stochastic rounding, the quantisation residual kept by the coordinator (published to the sites)',
    format: oneOf('federation.releaseBits', UPDATE_BITS),
    default: 8,
  },
  minClients: {
    doc: 'Fewest clients a round starts and closes with',
    format: positive('federation.minClients', true),
    default: 2,
  },
  quorum: {
    doc: 'Results that close a round early: a fraction (0-1] of selected clients or a count (> 1)',
    format: positive('federation.quorum', false),
    default: 1,
  },
  roundTimeoutSeconds: {
    doc: 'Round deadline',
    format: positive('federation.roundTimeoutSeconds', false),
    default: 600,
  },
  waitForClientsSeconds: {
    doc: 'How long to wait for minClients to connect',
    format: positive('federation.waitForClientsSeconds', false),
    default: 3600,
  },
  minSites: {
    doc: 'k-anonymity: sites that must report a categorical value to keep it',
    format: positive('federation.minSites', true),
    default: 2,
  },
  minRecords: {
    doc: 'k-anonymity: flows across sites that must carry a categorical value to keep it',
    format: positive('federation.minRecords', true),
    default: 10,
  },
  siteMinCategoryCount: {
    doc: 'Sites drop categorical values rarer than this from their sketch (never fewer than 3: a site keeps its own floor)',
    format: positive('federation.siteMinCategoryCount', true),
    default: 3,
  },
  maxSiteRows: {
    doc: "The most flows a site's encoder-round sketch may declare; a site claiming more is refused (its later example counts are capped by what it declared)",
    format: within('federation.maxSiteRows', 1, MAX_SKETCH_ROWS, true),
    default: 100_000_000,
  },
  seed: { doc: 'Seed of the initial global model', format: 'int', default: 1 },
};
