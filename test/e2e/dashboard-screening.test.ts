import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { type Dashboard, startDashboard } from '../../coordinator/http/dashboard-server.js';
import { initBackend } from '../../shared/runtime/backend.js';
import { chromiumPresent, launchChromium } from '../helpers/browser.js';
import {
  OUTLIER,
  runScreenedFederation,
  SCREENED_STRATEGY,
} from '../helpers/screened-federation.js';

const TOKEN = 'screened-dashboard-token';

describe('the dashboard of a federation whose strategy clipped an update, in a browser', function () {
  this.timeout(120_000);
  let dir: string;
  let dashboard: Dashboard | null = null;
  let browser: Browser | null = null;

  before(async function () {
    if (!chromiumPresent()) this.skip();
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'fedflow-dash-screened-'));
    const federation = await runScreenedFederation(dir);
    dashboard = await startDashboard({
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      status: federation.status,
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await dashboard?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('marks the clipped site in the last round with its reason, and its norm in the chart', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`http://127.0.0.1:${dashboard!.port}/?token=${TOKEN}`);
    await page.locator('#updates-body td.name').first().waitFor();

    expect(await page.locator('#updates-round').textContent()).to.equal(
      `round 2 · ${SCREENED_STRATEGY}`,
    );
    expect(await page.locator('#updates-body td.name').allTextContents()).to.have.members([
      'site-a',
      'site-b',
      OUTLIER,
    ]);
    const clipped = page.locator('#updates-body tr.action-row-clipped');
    expect(await clipped.locator('td.name').allTextContents()).to.deep.equal([OUTLIER]);
    expect(await clipped.locator('td.reason').textContent()).to.match(
      /^norm [\d.]+ clipped to [\d.]+ \(1\.5x the round's median [\d.]+\)$/,
    );
    expect(await page.locator('#updates-body .badge.action-kept').count()).to.equal(2);
    // Two rounds per site, the outlier's drawn as red triangles that name it when hovered.
    const chart = page.locator('#norm-chart');
    expect(await chart.textContent())
      .to.include(OUTLIER)
      .and.include('site-a');
    const marks = await chart
      .locator('.marked-point')
      .evaluateAll((points) => points.map((p) => p.getAttribute('title') ?? ''));
    expect(marks).to.have.length(2);
    for (const title of marks) expect(title).to.match(new RegExp(`^${OUTLIER}, round \\d: norm`));
  });
});
