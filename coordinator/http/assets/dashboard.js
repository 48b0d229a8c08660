// The coordinator dashboard page: renders the FederationStatus snapshot
// (coordinator/status/federation-status.ts) from server-sent events, or by polling when
// events are unavailable. Every string from the status goes into the page as text
// (textContent), never as HTML: site names and failure reasons come from the outside.
(() => {
  const POLL_MS = 2000;
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const numbers = new Intl.NumberFormat('en');
  const norms = new Intl.NumberFormat('en', { maximumSignificantDigits: 4 });
  const shares = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
  const COLORS = ['#2563eb', '#d97706', '#059669', '#7c3aed', '#dc2626', '#0891b2'];

  const byId = (id) => document.getElementById(id);

  /** An element with text and attributes set as data, and children appended. */
  function el(tag, props = {}, children = []) {
    const node = document.createElement(tag);
    if (props.text !== undefined) node.textContent = String(props.text);
    if (props.className) node.className = props.className;
    if (props.title) node.title = String(props.title);
    node.append(...children);
    return node;
  }

  function setText(id, text, title) {
    const node = byId(id);
    node.textContent = String(text);
    if (title !== undefined) node.title = String(title);
  }

  // ---- formatting ----------------------------------------------------------------------

  const dash = '–';
  const formatCount = (n) => numbers.format(n);
  const formatTime = (ms) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  const formatFpr = (fpr) => `FPR ${Number((fpr * 100).toPrecision(3))}%`;

  function formatDuration(ms) {
    if (ms === null || ms === undefined) return dash;
    if (ms < 1000) return `${Math.round(ms)} ms`;
    if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
    const total = Math.round(ms / 1000);
    const minutes = Math.floor(total / 60);
    const seconds = total % 60;
    return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
  }

  /** How long before `now` (the snapshot's time, so the browser's clock does not matter). */
  function formatAgo(ms, now) {
    const seconds = Math.max(0, Math.round((now - ms) / 1000));
    if (seconds < 5) return 'just now';
    if (seconds < 120) return `${seconds} s ago`;
    if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
    return `${Math.round(seconds / 3600)} h ago`;
  }

  // ---- header, sites, audit, rounds ----------------------------------------------------

  function renderHeader(status) {
    const { coordinator, model } = status;
    document.title = `fedflow · ${coordinator.name}`;
    setText('coordinator-name', coordinator.name);
    setText('coordinator-fingerprint', coordinator.fingerprint);
    const phase = byId('phase');
    phase.textContent = status.phase;
    phase.className = `badge phase-${status.phase}`;
    const trained = new Set(
      status.rounds.filter((r) => r.kind === 'train' && r.outcome === 'closed').map((r) => r.round),
    ).size;
    setText('round-progress', `${trained} / ${status.plannedRounds} training`);
    setText('model-version', model === null ? 'none yet' : `v${model.version}`);
    setText('model-sha', model === null ? dash : model.sha256.slice(0, 12), model?.sha256 ?? '');
    setText('model-parameters', model === null ? dash : formatCount(model.parameters));
    setText('updated', formatTime(status.updatedMs).slice(11), formatTime(status.updatedMs));
  }

  function emptyRow(columns, text) {
    const cell = el('td', { text, className: 'empty' });
    cell.colSpan = columns;
    return el('tr', {}, [cell]);
  }

  function renderSites(status) {
    const rows = status.sites.map((site) =>
      el('tr', {}, [
        el('td', { text: site.name, className: 'name' }),
        el('td', { text: site.id, className: 'mono' }),
        el('td', {}, [
          el('span', {
            className: site.connected ? 'state on' : 'state off',
            text: site.connected ? 'connected' : 'disconnected',
          }),
        ]),
        el('td', {
          text: site.lastSeenMs === null ? 'never' : formatAgo(site.lastSeenMs, status.updatedMs),
          title: site.lastSeenMs === null ? '' : formatTime(site.lastSeenMs),
        }),
        el('td', { text: formatCount(site.roundsJoined), className: 'num' }),
        el('td', { text: formatCount(site.examplesContributed), className: 'num' }),
        el('td', {
          text: formatCount(site.rejectedMessages),
          className: site.rejectedMessages > 0 ? 'num warn-text' : 'num',
        }),
      ]),
    );
    byId('sites-body').replaceChildren(
      ...(rows.length > 0 ? rows : [emptyRow(7, 'no site enrolled yet')]),
    );
  }

  function renderAudit(status) {
    const { audit } = status;
    setText('audit-entries', formatCount(audit.ingressEntries));
    setText('audit-accepted', formatCount(audit.accepted));
    setText('audit-rejected', formatCount(audit.rejected));
    byId('audit-rejected').className = audit.rejected > 0 ? 'warn-text' : '';
    setText('audit-last-hash', audit.lastEntryHash ?? 'no entry yet', audit.lastEntryHash ?? '');
  }

  function failureList(failures, roundReason) {
    if (failures.length === 0 && !roundReason)
      return [el('span', { text: dash, className: 'muted' })];
    const items = failures.map((failure) =>
      el('li', {}, [
        el('strong', { text: failure.site }),
        document.createTextNode(`: ${failure.reason}`),
      ]),
    );
    if (roundReason) items.push(el('li', { text: roundReason }));
    return [el('ul', { className: 'failures' }, items)];
  }

  function renderRounds(status) {
    const newestFirst = [...status.rounds].sort(
      (a, b) => b.startedMs - a.startedMs || b.round - a.round,
    );
    const rows = newestFirst.map((round) =>
      el('tr', { className: `outcome-row-${round.outcome}` }, [
        el('td', { text: round.round, className: 'num', title: `task ${round.taskId}` }),
        el('td', { text: round.kind }),
        el('td', {}, [
          el('span', { text: round.outcome, className: `badge outcome-${round.outcome}` }),
        ]),
        el('td', {
          text: round.reported.length > 0 ? round.reported.join(', ') : dash,
          className: 'reported',
        }),
        el('td', {}, failureList(round.failures, round.reason)),
        el('td', {
          text: round.durationMs === null ? 'running' : formatDuration(round.durationMs),
          className: 'num',
          title: `started ${formatTime(round.startedMs)}`,
        }),
        el('td', { text: formatDuration(round.aggregateMs), className: 'num' }),
      ]),
    );
    byId('rounds-body').replaceChildren(
      ...(rows.length > 0 ? rows : [emptyRow(7, 'no round yet')]),
    );
  }

  /** The last training round the strategy screened (a reopened round's last attempt). */
  function lastScreenedRound(status) {
    return [...status.rounds].reverse().find((round) => round.updates.length > 0);
  }

  function renderUpdates(status) {
    const round = lastScreenedRound(status);
    setText('updates-round', round ? `round ${round.round} · ${round.strategy ?? 'unknown'}` : '');
    const rows = (round?.updates ?? []).map((update) =>
      el('tr', { className: `action-row-${update.action}` }, [
        el('td', { text: update.site, className: 'name' }),
        el('td', { text: norms.format(update.norm), className: 'num', title: update.norm }),
        el('td', { text: update.cosine.toFixed(3), className: 'num', title: update.cosine }),
        el('td', { text: shares.format(update.weight), className: 'num', title: update.weight }),
        el('td', {}, [
          el('span', { text: update.action, className: `badge action-${update.action}` }),
        ]),
        el('td', { text: update.reason ?? dash, className: 'reason' }),
      ]),
    );
    byId('updates-body').replaceChildren(
      ...(rows.length > 0 ? rows : [emptyRow(6, 'no training round screened yet')]),
    );
  }

  // ---- charts --------------------------------------------------------------------------

  const charts = new Map();
  const chartOptions = new Map();

  function chartIn(id) {
    let chart = charts.get(id);
    if (chart === undefined) {
      chart = window.echarts.init(byId(id), null, { renderer: 'svg' });
      charts.set(id, chart);
    }
    return chart;
  }

  function baseOption(emptyText, hasData) {
    return {
      animation: false,
      color: COLORS,
      textStyle: { fontFamily: 'inherit' },
      grid: { left: 64, right: 24, top: 36, bottom: 44 },
      tooltip: { trigger: 'axis' },
      title: {
        show: !hasData,
        text: emptyText,
        left: 'center',
        top: 'middle',
        textStyle: { color: '#6b7280', fontSize: 13, fontWeight: 'normal' },
      },
    };
  }

  /** Only when the option changed, so a steady status does not reset tooltips every 2 s. */
  function setChart(id, option) {
    const key = JSON.stringify(option);
    if (chartOptions.get(id) === key) return;
    chartOptions.set(id, key);
    chartIn(id).setOption(option, { notMerge: true });
  }

  function renderLossChart(status) {
    // A round reopened after a failure appears twice; its last loss stands.
    const losses = new Map();
    for (const round of status.rounds) {
      if (round.kind === 'train' && round.validationLoss !== null)
        losses.set(round.round, round.validationLoss);
    }
    const points = [...losses.entries()].sort((a, b) => a[0] - b[0]);
    setChart('loss-chart', {
      ...baseOption('no training round yet', points.length > 0),
      xAxis: {
        type: 'category',
        name: 'training round',
        nameLocation: 'middle',
        nameGap: 28,
        data: points.map(([round]) => String(round)),
      },
      yAxis: { type: 'value', name: 'loss (nats)', scale: true },
      series: [
        {
          type: 'line',
          name: 'validation loss',
          data: points.map(([, loss]) => loss),
          symbolSize: 7,
          lineStyle: { width: 2 },
        },
      ],
    });
  }

  /** A point of the norm chart; clipped and excluded updates stand out as red triangles. */
  function normPoint(update) {
    if (update === undefined || !(update.norm > 0)) return null; // a log axis has no 0
    if (update.action === 'kept') return update.norm;
    return {
      value: update.norm,
      symbol: 'triangle',
      symbolSize: 12,
      itemStyle: { color: '#b91c1c' },
    };
  }

  function renderNormChart(status) {
    // As for the loss: a round reopened after a failure counts once, by its last attempt.
    const byRound = new Map();
    for (const round of status.rounds)
      if (round.updates.length > 0) byRound.set(round.round, round.updates);
    const rounds = [...byRound.entries()].sort((a, b) => a[0] - b[0]);
    const sites = [...new Set(rounds.flatMap(([, updates]) => updates.map((u) => u.site)))];
    setChart('norm-chart', {
      ...baseOption('no training round screened yet', rounds.length > 0),
      legend: { top: 0, right: 16, itemGap: 20, type: 'scroll' },
      xAxis: {
        type: 'category',
        name: 'training round',
        nameLocation: 'middle',
        nameGap: 28,
        data: rounds.map(([round]) => String(round)),
      },
      yAxis: { type: 'log', name: 'update norm' },
      series: sites.map((site) => ({
        type: 'line',
        name: site,
        connectNulls: true,
        symbolSize: 7,
        lineStyle: { width: 2 },
        data: rounds.map(([, updates]) => normPoint(updates.find((u) => u.site === site))),
      })),
    });
  }

  function renderThresholdChart(status) {
    const history = [...status.thresholds].sort((a, b) => a.modelVersion - b.modelVersion);
    const fprs = [...new Set(history.flatMap((h) => h.targets.map((t) => t.fpr)))].sort(
      (a, b) => b - a,
    );
    setChart('threshold-chart', {
      ...baseOption('no thresholds published yet', history.length > 0),
      legend: { top: 0, right: 16, itemGap: 20 },
      xAxis: {
        type: 'category',
        name: 'model version',
        nameLocation: 'middle',
        nameGap: 28,
        data: history.map((h) => `v${h.modelVersion}`),
      },
      yAxis: { type: 'value', name: 'threshold (nats)', scale: true },
      series: fprs.map((fpr) => ({
        type: 'line',
        name: formatFpr(fpr),
        connectNulls: true,
        symbolSize: 7,
        lineStyle: { width: 2 },
        data: history.map((h) => h.targets.find((t) => t.fpr === fpr)?.threshold ?? null),
      })),
    });
  }

  // ---- status in, connection state -----------------------------------------------------

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
      renderRounds(status);
      renderUpdates(status);
      if (window.echarts === undefined) {
        showError('charts unavailable: assets/echarts.min.js did not load');
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

  window.addEventListener('resize', () => {
    for (const chart of charts.values()) chart.resize();
  });
  listen();
})();
