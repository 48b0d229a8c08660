/**
 * The coordinator's read-only operator dashboard over HTTP: the page, the federation status
 * as JSON and as server-sent events, and the Prometheus metrics, all behind one token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FederationStatus } from '../status/federation-status.js';
import { MIN_TOKEN_LENGTH, tokenFromRequest, tokensMatch } from './bearer-token.js';
import { type DashboardAssets, loadDashboardAssets } from './dashboard-assets.js';
import { StatusStream } from './status-stream.js';

export interface DashboardOptions {
  /** Interface to listen on; keep 127.0.0.1 unless a proxy or firewall guards it. */
  readonly host: string;
  /** 0 picks a free port (see the returned `port`). */
  readonly port: number;
  /** Required on every request, as `Authorization: Bearer TOKEN` or `?token=TOKEN`. */
  readonly token: string;
  readonly status: () => FederationStatus;
  /** Prometheus exposition text for `GET /metrics`; without it that route answers 404. */
  readonly metrics?: () => Promise<string>;
  readonly log?: (line: string) => void;
  /** How often open pages get the status without a `notify()`. Default 2000. */
  readonly eventIntervalMs?: number;
  /** Open event streams allowed at once; more get 503. Default 32. */
  readonly maxEventClients?: number;
}

export interface Dashboard {
  /** The port actually bound. */
  readonly port: number;
  /** Pushes the current status to every open page now (e.g. when a round closes). */
  notify(): void;
  /** Closes the event streams and the server. */
  stop(): Promise<void>;
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  // The token may sit in the page's URL: never send it on in a Referer.
  'Referrer-Policy': 'no-referrer',
};

/**
 * Starts the dashboard; resolves once it listens.
 *
 * @example
 * const dashboard = await startDashboard({ host: '127.0.0.1', port: 8080, token, status: () => loop.status() });
 * // open http://127.0.0.1:8080/?token=TOKEN; later: dashboard.notify(); await dashboard.stop();
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  if (options.token.length < MIN_TOKEN_LENGTH) {
    throw new Error(
      `the dashboard token must have at least ${MIN_TOKEN_LENGTH} characters, got ${options.token.length}`,
    );
  }
  const assets = await loadDashboardAssets(options.token);
  const stream = new StatusStream({
    snapshot: () => JSON.stringify(options.status()),
    intervalMs: options.eventIntervalMs ?? 2000,
    maxClients: options.maxEventClients ?? 32,
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const server = createServer((req, res) => {
    handle(req, res, options, assets, stream).catch((error: unknown) => {
      options.log?.(`dashboard: ${req.method} ${req.url?.split('?')[0]} failed: ${String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.log?.(`dashboard listening on http://${options.host}:${port}/ (token required)`);
  let stopping: Promise<void> | undefined;
  return {
    port,
    notify: () => stream.broadcast(),
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        stream.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: DashboardOptions,
  assets: DashboardAssets,
  stream: StatusStream,
): Promise<void> {
  if (req.method !== 'GET') {
    sendText(res, 405, 'method not allowed: the dashboard is read-only', { Allow: 'GET' });
    return;
  }
  const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
  if (!tokensMatch(tokenFromRequest(req, url), options.token)) {
    sendText(res, 401, 'unauthorized: missing or wrong dashboard token', {
      'WWW-Authenticate': 'Bearer realm="fedflow dashboard"',
    });
    return;
  }
  const asset = assets.get(url.pathname);
  if (asset !== undefined) {
    send(res, 200, asset.contentType, asset.body);
    return;
  }
  switch (url.pathname) {
    case '/api/status':
      send(res, 200, 'application/json; charset=utf-8', JSON.stringify(options.status()));
      return;
    case '/api/events':
      if (!stream.add(res, SECURITY_HEADERS)) {
        sendText(res, 503, 'too many open event streams; poll /api/status', { 'Retry-After': '5' });
      }
      return;
    case '/metrics':
      if (options.metrics === undefined) {
        sendText(res, 404, 'no metrics on this coordinator');
        return;
      }
      send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', await options.metrics());
      return;
    default:
      sendText(res, 404, 'not found');
  }
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  extraHeaders: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...extraHeaders,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

function sendText(
  res: ServerResponse,
  status: number,
  message: string,
  extraHeaders: Record<string, string> = {},
): void {
  send(res, status, 'text/plain; charset=utf-8', `${message}\n`, extraHeaders);
}
