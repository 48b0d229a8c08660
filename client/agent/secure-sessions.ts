/**
 * A site's secure-aggregation sessions: the SecAggSite of the aggregation in progress, kept
 * from its keys task to its unmask task, then forgotten. A new keys task (the coordinator ran
 * the round again) replaces an unfinished one; a task of an unknown session (this process
 * restarted and lost its secrets) is refused, and the coordinator counts the site as dropped.
 */

import { seededUniform } from '../../shared/codec/stochastic-rounding.js';
import type { Task } from '../../shared/federation/messages.js';
import type { SecAggPayload } from '../../shared/federation/secagg-messages.js';
import { encodeSecureInput } from '../../shared/secagg/masked-input.js';
import { SecAggRefusal, SecAggSite } from '../../shared/secagg/secagg-site.js';

/** What local training produced for the round's model. */
export interface TrainedDelta {
  readonly modelVersion: number;
  readonly delta: Float32Array;
  readonly examples: number;
  readonly validationLoss: number;
}

export class SecureSessions {
  private current: SecAggSite | null = null;
  private session = '';

  /** `id` is this site's client id in the federation (the fingerprint of its signing key). */
  constructor(
    private readonly id: string,
    private readonly seed: number,
  ) {}

  async answer(task: Task, train: () => Promise<TrainedDelta>): Promise<SecAggPayload> {
    const data = task.secagg;
    if (!data) throw new SecAggRefusal(`a ${task.kind} task without its secure aggregation data`);
    if (data.step === 'keys') {
      this.current = new SecAggSite(this.id);
      this.session = data.session;
      return { kind: 'secagg-keys', ...this.current.advertise() };
    }
    const site = this.current;
    if (!site || this.session !== data.session)
      throw new SecAggRefusal(
        `no secure aggregation ${data.session} here (this site did not take part in its keys step)`,
      );
    switch (data.step) {
      case 'shares':
        return { kind: 'secagg-shares', ...(await site.shareKeys(data.roster)) };
      case 'input': {
        const trained = await train();
        const uniform = seededUniform(this.seed * 7919 + task.round);
        const words = encodeSecureInput(
          trained.delta,
          trained.examples,
          trained.validationLoss,
          data.encoding,
          uniform,
        );
        const masked = site.maskInput(words, data.shares, data.sharers);
        return { kind: 'masked-delta', modelVersion: trained.modelVersion, masked };
      }
      case 'unmask': {
        const response = site.unmask(data.request);
        // Answered once: any later request about this aggregation finds no secrets to reveal.
        this.current = null;
        return { kind: 'secagg-unmask', ...response };
      }
    }
  }
}
