import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { type Dashboard, startDashboard } from '../../coordinator/http/dashboard-server.js';
import type { FederationStatus } from '../../coordinator/status/federation-status.js';
import { chromiumPresent, launchChromium } from '../helpers/browser.js';
import {
  CLIPPED_REASON,
  federationStatusFixture,
  HOSTILE_REASON_MARKUP,
} from '../helpers/status-fixture.js';

const TOKEN = 'test-token-0123456789abcdef';
const METRICS = '# TYPE fedflow_rounds_total counter\nfedflow_rounds_total{outcome="closed"} 5\n';
const SCREENSHOT = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'docs',
  'images',
  'dashboard.png',
);

/** Reads the first `count` server-sent events of a stream, then closes it. */
async function readEvents(
  url: string,
  count: number,
  afterFirst?: () => void,
): Promise<{ event: string; data: string }[]> {
  const abort = new AbortController();
  const response = await fetch(url, { signal: abort.signal });
  expect(response.status).to.equal(200);
  expect(response.headers.get('content-type')).to.match(/^text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: string }[] = [];
  let buffer = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const field = (name: string) =>
        block
          .split('\n')
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      const event = field('event');
      if (event !== undefined) {
        events.push({ event, data: field('data') ?? '' });
        if (events.length === 1) afterFirst?.();
      }
      end = buffer.indexOf('\n\n');
    }
  }
  abort.abort();
  return events;
}

describe('the coordinator dashboard', () => {
  let current: FederationStatus;
  let dashboard: Dashboard;
  let base: string;

  before(async () => {
    current = federationStatusFixture();
    dashboard = await startDashboard({
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      status: () => current,
      metrics: async () => METRICS,
      // Long enough that the events a test sees come from connecting or from notify().
      eventIntervalMs: 60_000,
    });
    base = `http://127.0.0.1:${dashboard.port}`;
  });
  after(() => dashboard.stop());

  describe('over HTTP', () => {
    const auth = { headers: { Authorization: `Bearer ${TOKEN}` } };

    it('refuses every route without a token with 401 and a short plain message', async () => {
      for (const path of ['/', '/api/status', '/api/events', '/metrics', '/assets/dashboard.js']) {
        const response = await fetch(`${base}${path}`);
        expect(response.status, path).to.equal(401);
        expect(response.headers.get('content-type')).to.match(/^text\/plain/);
        expect(response.headers.get('www-authenticate')).to.match(/^Bearer/);
        expect(await response.text()).to.equal('unauthorized: missing or wrong dashboard token\n');
      }
    });

    it('refuses a wrong token in the header or the query with 401', async () => {
      const wrong = [
        fetch(`${base}/api/status`, { headers: { Authorization: 'Bearer not-the-token' } }),
        fetch(`${base}/api/status`, { headers: { Authorization: `Basic ${TOKEN}` } }),
        fetch(`${base}/api/status?token=${TOKEN}x`),
        fetch(`${base}/api/status?token=${TOKEN.slice(0, -1)}`),
        fetch(`${base}/api/status?token=`),
      ];
      for (const response of await Promise.all(wrong)) expect(response.status).to.equal(401);
    });

    it('serves the page with the token in an Authorization header or in the query', async () => {
      for (const response of [
        await fetch(`${base}/`, auth),
        await fetch(`${base}/?token=${TOKEN}`),
      ]) {
        expect(response.status).to.equal(200);
        expect(response.headers.get('content-type')).to.equal('text/html; charset=utf-8');
        const html = await response.text();
        expect(html).to.include(`assets/dashboard.js?token=${TOKEN}`);
        expect(html).not.to.include('__TOKEN__');
      }
    });

    it('answers /api/status with the federation status as JSON', async () => {
      const response = await fetch(`${base}/api/status`, auth);
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.match(/^application\/json/);
      expect(await response.json()).to.deep.equal(federationStatusFixture());
    });

    it('serves the Prometheus text on /metrics when given metrics, and 404 when not', async () => {
      const response = await fetch(`${base}/metrics`, auth);
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
      expect(await response.text()).to.equal(METRICS);

      const bare = await startDashboard({
        host: '127.0.0.1',
        port: 0,
        token: TOKEN,
        status: () => current,
      });
      try {
        const missing = await fetch(`http://127.0.0.1:${bare.port}/metrics`, auth);
        expect(missing.status).to.equal(404);
      } finally {
        await bare.stop();
      }
    });

    it("serves uPlot's script and styles from the installed package, and the page script", async () => {
      const uplot = await fetch(`${base}/assets/uPlot.iife.min.js`, auth);
      expect(uplot.status).to.equal(200);
      expect(uplot.headers.get('content-type')).to.match(/^text\/javascript/);
      expect(await uplot.text()).to.include('uPlot');
      const styles = await fetch(`${base}/assets/uPlot.min.css`, auth);
      expect(styles.headers.get('content-type')).to.match(/^text\/css/);
      expect(await styles.text()).to.include('.u-legend');
      const script = await fetch(`${base}/assets/dashboard.js`, auth);
      expect(await script.text()).to.include('textContent');
    });

    it('answers 405 to any method but GET, since it is read-only', async () => {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const response = await fetch(`${base}/api/status`, { ...auth, method, body: '{}' });
        expect(response.status, method).to.equal(405);
        expect(response.headers.get('allow')).to.equal('GET');
      }
    });

    it('answers 404 to an unknown path once authorised', async () => {
      expect((await fetch(`${base}/etc/passwd`, auth)).status).to.equal(404);
      expect((await fetch(`${base}/assets/../api/secret`, auth)).status).to.equal(404);
    });

    it('sends the security headers on every response', async () => {
      const responses = [
        await fetch(`${base}/`, auth),
        await fetch(`${base}/api/status`),
        await fetch(`${base}/nothing`, auth),
        await fetch(`${base}/`, { method: 'POST' }),
      ];
      for (const response of responses) {
        expect(response.headers.get('content-security-policy')).to.include(
          "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
        );
        expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
        expect(response.headers.get('cache-control')).to.equal('no-store');
        expect(response.headers.get('referrer-policy')).to.equal('no-referrer');
      }
    });

    it('streams the status as server-sent events on connect and on notify', async () => {
      const events = await readEvents(`${base}/api/events?token=${TOKEN}`, 2, () => {
        current = { ...current, phase: 'training' };
        dashboard.notify();
      });
      current = federationStatusFixture();
      expect(events.map((e) => e.event)).to.deep.equal(['status', 'status']);
      expect(JSON.parse(events[0]!.data)).to.deep.equal(federationStatusFixture());
      expect(JSON.parse(events[1]!.data).phase).to.equal('training');
    });

    it('sends the status every interval without a notify', async () => {
      const quick = await startDashboard({
        host: '127.0.0.1',
        port: 0,
        token: TOKEN,
        status: () => current,
        eventIntervalMs: 50,
      });
      try {
        const events = await readEvents(
          `http://127.0.0.1:${quick.port}/api/events?token=${TOKEN}`,
          3,
        );
        expect(events).to.have.length(3);
      } finally {
        await quick.stop();
      }
    });

    it('refuses event streams beyond the limit with 503 and ends open ones on stop', async () => {
      const small = await startDashboard({
        host: '127.0.0.1',
        port: 0,
        token: TOKEN,
        status: () => current,
        maxEventClients: 1,
      });
      const url = `http://127.0.0.1:${small.port}/api/events?token=${TOKEN}`;
      const first = await fetch(url);
      expect(first.status).to.equal(200);
      const second = await fetch(url);
      expect(second.status).to.equal(503);
      await small.stop();
      // The open stream ends (rather than hanging) once the server stops.
      const text = await first.text().catch(() => 'ended');
      expect(text).to.be.a('string');
    });

    it('refuses to start with a token shorter than 16 characters', async () => {
      let error: unknown;
      try {
        await startDashboard({ host: '127.0.0.1', port: 0, token: 'short', status: () => current });
      } catch (caught) {
        error = caught;
      }
      expect(String(error)).to.match(/at least 16 characters, got 5/);
    });
  });

  describe('in a browser', function () {
    this.timeout(60_000);
    let browser: Browser;
    let page: Page;
    const dialogs: string[] = [];
    const pageErrors: string[] = [];

    before(async function () {
      if (!chromiumPresent()) this.skip();
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        // A Content-Security-Policy violation shows up here.
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      await page.goto(`${base}/?token=${TOKEN}`);
      await page.locator('#connection', { hasText: 'live' }).waitFor();
    });
    after(() => browser?.close());

    it('shows the coordinator, the three sites and every round', async () => {
      expect(await page.locator('#coordinator-name').textContent()).to.equal('consortium-eu');
      expect(await page.locator('#model-version').textContent()).to.equal('v4');
      expect(await page.locator('#model-sha').textContent()).to.equal('9c1e4b7a0d2f');
      expect(await page.locator('#model-parameters').textContent()).to.equal('184,276');
      const siteNames = await page.locator('#sites-body td.name').allTextContents();
      expect(siteNames).to.deep.equal(['acme-web', 'globex-mail', 'initech-internal']);
      const rounds = await page.locator('#rounds-body tr').count();
      expect(rounds).to.equal(federationStatusFixture().rounds.length);
      expect(await page.locator('#rounds-body .badge.outcome-failed').count()).to.equal(1);
      expect(await page.locator('#audit-entries').textContent()).to.equal('15');
    });

    it('shows the federation jobs and which one the rounds belong to', async () => {
      expect(await page.locator('#job').textContent()).to.equal('1 · as configured');
      const jobs = await page.locator('#jobs-body tr').allTextContents();
      expect(jobs).to.deep.equal(['1as configuredcategorical-vae3donev4']);
    });

    it("shows the last training round's site updates, the clipped one marked with its reason", async () => {
      expect(await page.locator('#updates-round').textContent()).to.equal(
        'round 3 · fedavg+norm-bound',
      );
      const rows = page.locator('#updates-body tr');
      expect(await rows.locator('td.name').allTextContents()).to.deep.equal([
        'acme-web',
        'globex-mail',
        'initech-internal',
      ]);
      expect(await rows.nth(0).locator('td').allTextContents()).to.deep.equal([
        'acme-web',
        '0.42',
        '0.810',
        '40%',
        'kept',
        '–',
      ]);
      const clipped = page.locator('#updates-body tr.action-row-clipped');
      expect(await clipped.count()).to.equal(1);
      expect(await clipped.locator('td.name').textContent()).to.equal('initech-internal');
      expect(await clipped.locator('.badge.action-clipped').textContent()).to.equal('clipped');
      expect(await clipped.locator('td.reason').textContent()).to.equal(CLIPPED_REASON);
      // Marked, not only labelled: the row and the badge stand out from kept ones.
      const background = (selector: string) =>
        page.evaluate(`getComputedStyle(document.querySelector('${selector}')).backgroundColor`);
      expect(await background('#updates-body tr.action-row-clipped td')).not.to.equal(
        await background('#updates-body tr.action-row-kept td'),
      );
    });

    it('renders the three charts with a non-zero size', async () => {
      for (const id of ['loss-chart', 'threshold-chart', 'norm-chart']) {
        const drawing = page.locator(`#${id} svg, #${id} canvas`).first();
        const box = await drawing.boundingBox();
        expect(box, id).not.to.equal(null);
        expect(box!.width, id).to.be.greaterThan(100);
        expect(box!.height, id).to.be.greaterThan(100);
      }
      // One line per target FPR in the threshold chart's legend.
      const legend = await page.locator('#threshold-chart').textContent();
      expect(legend).to.include('FPR 1%').and.include('FPR 0.1%');
      // One line per site in the norm chart's legend.
      const sites = await page.locator('#norm-chart').textContent();
      expect(sites).to.include('acme-web').and.include('initech-internal');
    });

    it('reads out the values of the round under the cursor in the legend, else the latest', async () => {
      // Each legend entry as "label value" (the colon between them is drawn by CSS).
      const readout = () =>
        page
          .locator('#loss-chart .u-legend .u-series')
          .evaluateAll((rows) =>
            rows.map((r) =>
              ['.u-label', '.u-value'].map((c) => r.querySelector(c)!.textContent).join(' '),
            ),
          );
      expect(await readout()).to.deep.equal(['training round 3', 'validation loss 37.55']);
      // The plot area spans the three rounds; its left sixth is round 1's band.
      const plot = (await page.locator('#loss-chart .u-over').boundingBox())!;
      await page.mouse.move(plot.x + plot.width / 6, plot.y + plot.height / 2);
      await page.locator('#loss-chart .u-legend .u-value', { hasText: /^1$/ }).waitFor();
      expect(await readout()).to.deep.equal(['training round 1', 'validation loss 61.84']);
      await page.mouse.move(1, 1);
      await page.locator('#loss-chart .u-legend .u-value', { hasText: /^3$/ }).waitFor();
    });

    it('marks the clipped update on the norm chart with a triangle that says why when hovered', async () => {
      const marks = page.locator('#norm-chart .marked-point');
      expect(await marks.count()).to.equal(1);
      expect(await marks.getAttribute('title')).to.equal(
        `initech-internal, round 3: ${CLIPPED_REASON}`,
      );
      // Over round 3, the last of three bands, and inside the plot.
      const plot = (await page.locator('#norm-chart .u-over').boundingBox())!;
      const mark = (await marks.boundingBox())!;
      const centre = mark.x + mark.width / 2 - plot.x;
      expect(centre / plot.width).to.be.closeTo(5 / 6, 0.01);
      expect(mark.y).to.be.within(plot.y - mark.height, plot.y + plot.height);
    });

    it('fits the charts to their panels again when the window is resized', async () => {
      /** Each chart's box width and the drawn chart's, once they agree (or after 5 s). */
      const settledWidths = async () => {
        let widths: [number, number][] = [];
        for (let tries = 0; tries < 50; tries++) {
          widths = (await page.evaluate(`[...document.querySelectorAll('.chart')].map((c) =>
            [c.clientWidth, c.querySelector('.uplot').getBoundingClientRect().width])`)) as [
            number,
            number,
          ][];
          if (widths.every(([box, chart]) => Math.abs(box - chart) < 1)) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return widths;
      };
      const wide = await settledWidths();
      try {
        // Still two charts side by side (from 900 px), each narrower.
        await page.setViewportSize({ width: 1000, height: 800 });
        const narrow = await settledWidths();
        for (const [box, chart] of narrow) expect(chart).to.be.closeTo(box, 1);
        expect(narrow[0]![0]).to.be.lessThan(wide[0]![0]);
      } finally {
        await page.setViewportSize({ width: 1280, height: 800 });
      }
      for (const [box, chart] of await settledWidths()) expect(chart).to.be.closeTo(box, 1);
    });

    it('shows markup from a failure reason as text and runs none of it', async () => {
      const failures = await page.locator('#rounds-body .failures').allTextContents();
      expect(failures.join('\n')).to.include(HOSTILE_REASON_MARKUP);
      // Only the page's own two scripts exist; nothing from the status became an element.
      expect(await page.locator('script').count()).to.equal(2);
      expect(dialogs).to.deep.equal([]);
      expect(pageErrors).to.deep.equal([]);
    });

    it('updates the page when the coordinator notifies', async () => {
      const fixture = federationStatusFixture();
      current = {
        ...fixture,
        sites: [
          ...fixture.sites,
          { ...fixture.sites[0]!, id: '0d9e8f7a6b5c4d3e', name: 'umbrella-dns', connected: false },
        ],
      };
      dashboard.notify();
      await page.locator('#sites-body td.name', { hasText: 'umbrella-dns' }).waitFor();
      current = fixture;
      dashboard.notify();
      await page.locator('#sites-body tr').nth(3).waitFor({ state: 'detached' });
    });

    it('shows the privacy spent of the budget under differential privacy, and nothing without it', async () => {
      expect(await page.locator('#privacy-fact').isHidden()).to.equal(true);
      const fixture = federationStatusFixture();
      current = {
        ...fixture,
        privacy: {
          noiseMultiplier: 1.1,
          clipNorm: 10,
          delta: 1e-5,
          epsilonBudget: 8,
          epsilon: 5.4321,
          rdpEpsilon: 5.9,
          rounds: 3,
        },
      };
      dashboard.notify();
      await page.locator('#privacy-fact').waitFor({ state: 'visible' });
      expect(await page.locator('#privacy-epsilon').textContent()).to.equal(
        'ε 5.43 of 8 (δ 0.00001)',
      );
      expect(await page.locator('#privacy-epsilon').getAttribute('title')).to.include(
        'noise multiplier 1.1, clip norm 10, 3 rounds',
      );
      current = fixture;
      dashboard.notify();
      await page.locator('#privacy-fact').waitFor({ state: 'hidden' });
    });

    it('falls back to polling /api/status when no event stream is free', async () => {
      const full = await startDashboard({
        host: '127.0.0.1',
        port: 0,
        token: TOKEN,
        status: () => current,
        maxEventClients: 0,
      });
      const other = await browser.newPage();
      try {
        await other.goto(`http://127.0.0.1:${full.port}/?token=${TOKEN}`);
        await other.locator('#connection', { hasText: 'polling' }).waitFor();
        expect(await other.locator('#sites-body td.name').count()).to.equal(3);
      } finally {
        await other.close();
        await full.stop();
      }
    });

    it('answers a wrong token with 401 instead of the page', async () => {
      const other = await browser.newPage();
      try {
        const response = await other.goto(`${base}/?token=wrong-token`);
        expect(response!.status()).to.equal(401);
        expect(await other.locator('body').textContent()).to.include('unauthorized');
      } finally {
        await other.close();
      }
    });

    it('reads on a 420 px phone: the header wraps, and wide tables scroll inside their panel, not the page', async () => {
      const narrow = await browser.newPage({ viewport: { width: 420, height: 800 } });
      try {
        await narrow.goto(`${base}/?token=${TOKEN}`);
        await narrow.locator('#connection', { hasText: 'live' }).waitFor();
        if (process.env.FEDFLOW_NARROW_SCREENSHOT)
          await narrow.screenshot({ path: process.env.FEDFLOW_NARROW_SCREENSHOT, fullPage: true });
        expect(await narrow.evaluate('document.documentElement.scrollWidth')).to.be.at.most(420);
        // Every header item is on screen, whole, and none covers another.
        const boxes = await narrow.evaluate(`[...document.querySelectorAll(
          '.topbar h1, .topbar .fingerprint, .facts > div:not([hidden]), #connection')]
          .map((e) => { const r = e.getBoundingClientRect();
            return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; })`);
        const items = boxes as { left: number; right: number; top: number; bottom: number }[];
        for (const b of items) {
          expect(b.left).to.be.at.least(0);
          expect(b.right).to.be.at.most(420);
        }
        for (const [i, a] of items.entries())
          for (const b of items.slice(i + 1)) {
            const overlap =
              a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            expect(overlap, JSON.stringify([a, b])).to.equal(false);
          }
        const panels = (await narrow.evaluate(
          `[...document.querySelectorAll('.panel')].map((p) => p.getBoundingClientRect().right)`,
        )) as number[];
        for (const right of panels) expect(right).to.be.at.most(420);
        // Tables may scroll inside their panel; a chart and its legend fit without that.
        const chartOverflow = await narrow.evaluate(
          `[...document.querySelectorAll('.chart-panel')].map((p) => p.scrollWidth - p.clientWidth)`,
        );
        expect(chartOverflow).to.deep.equal([0, 0, 0]);
      } finally {
        await narrow.close();
      }
    });

    it('reads well at 1280x800 (screenshot for the documentation)', async () => {
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(existsSync(SCREENSHOT)).to.equal(true);
      // Nothing sticks out sideways at this width.
      const width = await page.evaluate('document.documentElement.scrollWidth');
      expect(width).to.be.at.most(1280);
    });
  });
});
