import { expect } from 'chai';
import { formatStatus } from '../../../cli/actions/status.js';
import type { FederationStatus } from '../../../coordinator/status/federation-status.js';
import { federationStatusFixture } from '../../helpers/status-fixture.js';

describe('fedflow status and federation jobs', () => {
  it('names the job its rounds belong to', () => {
    expect(formatStatus(federationStatusFixture())).to.match(
      /^coordinator consortium-eu \(3f9a0c2e71d4b8a5\), job 1 \(as configured\), phase done/,
    );
  });

  it('prints no jobs table while the configured job is the only one', () => {
    expect(formatStatus(federationStatusFixture())).to.not.match(/model kind/);
  });

  it('prints every job with its phase and model once the operator requested more', () => {
    const status: FederationStatus = {
      ...federationStatusFixture(),
      job: { id: 2, name: 'gru retrain' },
      jobs: [
        ...federationStatusFixture().jobs,
        {
          id: 2,
          name: 'gru retrain',
          modelKind: 'gru',
          plannedRounds: 4,
          phase: 'training',
          modelVersion: 6,
          dir: 'state/jobs/2',
        },
        {
          id: 3,
          name: 'job 3',
          modelKind: '(as configured)',
          plannedRounds: Number.NaN,
          phase: 'waiting',
          modelVersion: null,
          dir: '',
        },
        {
          id: 4,
          name: 'too private',
          modelKind: '(as configured)',
          plannedRounds: 2,
          phase: 'refused',
          reason: 'job 4: privacy.epsilonBudget 3 cannot pay for a training round',
          modelVersion: null,
          dir: '',
        },
      ],
    };
    const text = formatStatus(status);
    expect(text).to.match(/job 2 \(gru retrain\), phase done/);
    expect(text).to.match(/^\s*2\s+gru retrain\s+gru\s+4\s+training\s+v6\s*$/m);
    expect(text).to.match(/^\s*3\s+job 3\s+\(as configured\)\s+-\s+waiting\s+-\s*$/m);
    expect(text).to.match(
      /^job 4 refused: job 4: privacy.epsilonBudget 3 cannot pay for a training round$/m,
    );
  });
});
