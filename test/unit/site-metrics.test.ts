import { expect } from 'chai';
import { SiteMetrics } from '../../client/metrics/site-metrics.js';

describe("a site's metrics", () => {
  it('serves Prometheus text on /metrics and nothing else', async () => {
    const metrics = new SiteMetrics();
    metrics.tasks.inc({ kind: 'train' });
    metrics.trainingSeconds.inc(2.5);
    const { port, server } = await metrics.serve(0);
    try {
      const ok = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(ok.status).to.equal(200);
      const text = await ok.text();
      expect(text).to.match(/fedflow_site_tasks_total\{kind="train"\} 1/);
      expect(text).to.match(/fedflow_site_training_seconds_total 2.5/);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).to.equal(404);
    } finally {
      server.close();
    }
  });
});
