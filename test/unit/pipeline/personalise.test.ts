import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { personaliseGlobalModel } from '../../../client/pipeline/personalise.js';
import { loadModelDir } from '../../../shared/model/model-dir.js';
import {
  type GlobalModelFixture,
  globalModelFixture,
  smallConfig,
} from './global-model-fixture.js';

describe('personaliseGlobalModel', function () {
  this.timeout(120_000);
  let fixture: GlobalModelFixture;
  const file = (name: string) => fixture.file(name);

  before(async () => {
    fixture = await globalModelFixture();
  });
  after(() => fixture.remove());

  it("personalises a federation's final model at its target FPRs, leaving the global model as it was", async () => {
    const integrity = readFileSync(file('global/integrity.json'), 'utf8');
    const model = {
      version: 7,
      spec: fixture.global.spec,
      weights: fixture.global.weights,
      thresholds: {
        source: 'federated-calibration' as const,
        calibrationFlows: 400,
        targets: [
          { fpr: 0.05, threshold: 20 },
          { fpr: 0.02, threshold: 25 },
        ],
      },
    };
    const settings = { selection: fixture.site, training: smallConfig().training, epochs: 1 };
    const result = await personaliseGlobalModel(
      model,
      file('global'),
      settings,
      file('personalised'),
      fixture.backend,
    );
    const tuned = loadModelDir(file('personalised'));
    expect(tuned.thresholds!.source).to.equal('local-calibration');
    expect(tuned.thresholds!.targets.map((t) => t.fpr)).to.deep.equal([0.05, 0.02]);
    expect(tuned.metadata!.origin).to.include({ version: 7, dir: file('global'), epochs: 1 });
    expect(result.training.history).to.have.length(1);
    expect(readFileSync(file('global/integrity.json'), 'utf8')).to.equal(integrity);
  });
});
