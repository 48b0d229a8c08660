import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { runKillLoop } from '../../bench/hardening/kill-loop.js';
import { initBackend } from '../../shared/runtime/backend.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('a coordinator killed with SIGKILL again and again, mid-round', function () {
  this.timeout(600_000);
  before(async () => {
    await initBackend();
  });

  it('loses no result it accepted and receipted, finishes the federation, and its logs verify', async () => {
    const result = await runKillLoop({
      kills: 6,
      fedflow: [process.execPath, '--import', 'tsx', join(root, 'cli', 'fedflow.ts')],
    });
    expect(result.phase).to.equal('done');
    expect(result.kills).to.equal(6);
    // 3 sites x (sketch, 3 training rounds, calibration): each result counted once.
    expect(result.resultsInClosedRounds).to.equal(15);
    // A kill between the accepted entry and keeping the result makes the site send it again,
    // so a result may be accepted twice; each accepted one is still counted (lost is empty).
    expect(result.accepted).to.be.at.least(15);
    // Every result accepted, or receipted, is one some round record counted.
    expect(result.lost).to.deep.equal([]);
    expect(result.trainingRoundsClosed).to.equal(3);
    expect(result.auditExitCode, result.auditSummary).to.equal(0);
  });
});
