// The coordinator dashboard page: renders the FederationStatus snapshot
// (coordinator/status/federation-status.ts) from server-sent events, or by polling when
// events are unavailable. Every string from the status goes into the page as text
// (textContent), never as HTML: site names and failure reasons come from the outside.
//
// This is the module the page loads; the tables, the charts, the formatting and the DOM
// helpers are modules of their own. Each import URL carries the token placeholder, which the
// server fills in as it does in index.html: every asset needs the token, and an import cannot
// send an Authorization header.
import {
  renderLossChart,
  renderNormChart,
  renderThresholdChart,
} from './dashboard-charts.js?token=__TOKEN__';
import { byId } from './dashboard-dom.js?token=__TOKEN__';
import { resizeCharts } from './dashboard-plot.js?token=__TOKEN__';
import {
  renderAudit,
  renderHeader,
  renderJobs,
  renderRounds,
  renderSites,
  renderUpdates,
} from './dashboard-tables.js?token=__TOKEN__';

const POLL_MS = 2000;
const token = new URLSearchParams(window.location.search).get('token') ?? '';

function showError(message) {
  const box = byId('error');
  box.textContent = message;
  box.hidden = message === '';
}

function showConnection(text, kind) {
  const node = byId('connection');
  node.textContent = text;
  node.className = `connection ${kind}`;
}

function render(status) {
  try {
    renderHeader(status);
    renderSites(status);
    renderAudit(status);
    renderJobs(status);
    renderRounds(status);
    renderUpdates(status);
    if (window.uPlot === undefined) {
      showError('charts unavailable: assets/uPlot.iife.min.js did not load');
    } else {
      renderLossChart(status);
      renderThresholdChart(status);
      renderNormChart(status);
      showError('');
    }
  } catch (error) {
    showError(`cannot show this status: ${error.message}`);
  }
}

async function poll() {
  try {
    const response = await fetch('api/status', {
      headers: { Authorization: `Bearer ${token}` },
      cache: 'no-store',
    });
    if (response.status === 401) {
      showConnection('unauthorized', 'bad');
      showError("unauthorized: the token in this page's address is missing or wrong");
      return;
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    render(await response.json());
    showConnection(`polling every ${POLL_MS / 1000} s`, 'warn');
  } catch (error) {
    showConnection(`offline (${error.message})`, 'bad');
  }
  window.setTimeout(poll, POLL_MS);
}

function listen() {
  if (typeof window.EventSource !== 'function') {
    poll();
    return;
  }
  const source = new EventSource(`api/events?token=${encodeURIComponent(token)}`);
  source.addEventListener('status', (event) => {
    showConnection('live', 'ok');
    render(JSON.parse(event.data));
  });
  source.addEventListener('error', () => {
    // CLOSED: refused (401, 503, not an event stream); the browser will not retry, so poll.
    if (source.readyState === EventSource.CLOSED) {
      source.close();
      poll();
    } else {
      showConnection('reconnecting…', 'warn');
    }
  });
}

window.addEventListener('resize', resizeCharts);
listen();
