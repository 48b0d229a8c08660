// The dashboard's charts (validation loss, thresholds, update norms), drawn with ECharts from
// the status snapshot. ECharts is the classic script the page loads before this module, so it
// is reached as window.echarts.
import { byId } from './dashboard-dom.js?token=__TOKEN__';
import { formatFpr } from './dashboard-format.js?token=__TOKEN__';

const COLORS = ['#2563eb', '#d97706', '#059669', '#7c3aed', '#dc2626', '#0891b2'];

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

export function renderLossChart(status) {
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

export function renderNormChart(status) {
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

export function renderThresholdChart(status) {
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

/** Fits every chart drawn so far to its box again (on a window resize). */
export function resizeCharts() {
  for (const chart of charts.values()) chart.resize();
}
