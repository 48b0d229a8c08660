import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { type RunningCoordinator, startCoordinator } from '../../cli/roles/coordinator.js';
import { checkScreening } from '../../shared/audit/screening-check.js';
import { verifyLog } from '../../shared/audit/verify-chain.js';
import { initBackend } from '../../shared/runtime/backend.js';
import { chromiumPresent, launchChromium } from '../helpers/browser.js';
import { federationFixture, siteAgents } from '../helpers/federation-fixture.js';

const TOKEN = 'real-run-dashboard-token';
// The README's screenshot is refreshed on request (FEDFLOW_UPDATE_SCREENSHOTS=1): a real
// run's keys and times differ every time and would leave the tree changed after tests.
const SCREENSHOT = process.env.FEDFLOW_UPDATE_SCREENSHOTS
  ? resolve(
      dirname(fileURLToPath(import.meta.url)),
      '..',
      '..',
      'docs',
      'images',
      'dashboard-real-run.png',
    )
  : join(tmpdir(), `fedflow-dashboard-${process.pid}.png`);

describe('the dashboard of a real federation run, in a browser', function () {
  this.timeout(180_000);
  let dir: string;
  let coordinator: RunningCoordinator | null = null;

  before(async function () {
    if (!chromiumPresent()) this.skip();
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'fedflow-dash-'));
    const fixture = await federationFixture(dir, ['web', 'mail-dns', 'internal'], 3000);
    coordinator = await startCoordinator(
      fixture.config({
        'federation.rounds': 3,
        'dashboard.enabled': true,
        'dashboard.port': 0,
        'dashboard.token': TOKEN,
      }),
      () => {},
    );
    await Promise.all(siteAgents(fixture, coordinator.port));
    await coordinator.done;
  });
  after(async () => {
    await coordinator?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the sites and rounds the coordinator ran, with the charts drawn', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`http://127.0.0.1:${coordinator!.dashboardPort}/?token=${TOKEN}`);
      await page.locator('#sites-body td.name').first().waitFor();
      expect(await page.locator('#sites-body td.name').allTextContents()).to.deep.equal([
        'site-1',
        'site-2',
        'site-3',
      ]);
      expect(await page.locator('#rounds-body tr').count()).to.equal(5); // sketch, 3 x train, calibrate
      expect(await page.locator('#rounds-body .badge.outcome-closed').count()).to.equal(5);
      expect(await page.locator('#model-version').textContent()).to.equal('v4');
      // The default strategy (FedAvg after robust screening) kept every honest site's update of the last round.
      expect(await page.locator('#updates-round').textContent()).to.equal(
        'round 3 · fedavg+robust',
      );
      expect(await page.locator('#updates-body .badge.action-kept').count()).to.equal(3);
      for (const id of ['loss-chart', 'threshold-chart', 'norm-chart']) {
        const box = await page.locator(`#${id} svg, #${id} canvas`).first().boundingBox();
        expect(box!.width * box!.height).to.be.greaterThan(0);
      }
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(existsSync(SCREENSHOT)).to.equal(true);
    } finally {
      await browser.close();
    }
  });

  it("records each site's screening per training round in the coordinator's ingress log", () => {
    const path = join(dir, 'coordinator-state', 'audit', 'ingress.jsonl');
    const { entries, findings } = verifyLog(path);
    expect(findings.filter((f) => f.severity === 'error')).to.deep.equal([]);
    expect(checkScreening(entries, path)).to.deep.equal([]);
    const screened = entries.filter((e) => e.type === 'screening');
    expect(screened).to.have.length(9); // 3 sites x 3 training rounds
    expect(screened.every((e) => e.screening?.strategy === 'fedavg+robust')).to.equal(true);
    expect(screened.every((e) => e.screening?.action === 'kept')).to.equal(true);
  });
});
