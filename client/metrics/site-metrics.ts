/**
 * A site's own Prometheus metrics: local training and scoring. `fedflow client` can serve
 * them on /metrics; one-shot commands write them as a node_exporter textfile.
 */
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import { writeFileDurably } from '../../shared/fs/atomic-write.js';

export class SiteMetrics {
  readonly registry = new Registry();
  readonly trainingSeconds = new Counter({
    name: 'fedflow_site_training_seconds_total',
    help: 'Time spent training locally',
    registers: [this.registry],
  });
  readonly flowsTrained = new Counter({
    name: 'fedflow_site_flows_trained_total',
    help: 'Flows passed through local training (per epoch)',
    registers: [this.registry],
  });
  readonly tasks = new Counter({
    name: 'fedflow_site_tasks_total',
    help: 'Federated tasks completed, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly bytesSent = new Counter({
    name: 'fedflow_site_bytes_sent_total',
    help: 'Sealed result bytes sent to the coordinator',
    registers: [this.registry],
  });
  readonly flowsScored = new Counter({
    name: 'fedflow_site_flows_scored_total',
    help: 'Flows scored',
    registers: [this.registry],
  });
  readonly alerts = new Counter({
    name: 'fedflow_site_alerts_total',
    help: 'Scored flows that crossed at least one threshold',
    registers: [this.registry],
  });
  readonly modelVersion = new Gauge({
    name: 'fedflow_site_model_version',
    help: 'Version of the global model this site holds',
    registers: [this.registry],
  });

  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** For batch jobs: node_exporter's textfile collector picks the file up. */
  async writeTextfile(path: string): Promise<void> {
    writeFileDurably(path, await this.text());
  }

  /** Serves GET /metrics on loopback (or `host`); nothing else. */
  serve(port: number, host = '127.0.0.1'): Promise<{ port: number; server: Server }> {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url !== '/metrics') {
        response.writeHead(404).end('not found\n');
        return;
      }
      void this.text().then((body) =>
        response.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
      );
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () =>
        resolve({ port: (server.address() as { port: number }).port, server }),
      );
    });
  }
}
