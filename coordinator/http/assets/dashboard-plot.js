// Draws one of the dashboard's line charts with uPlot, the classic script the page loads before
// these modules (so it is reached as window.uPlot): a category on x per round or model version,
// a line per series, and a legend that reads out the values under the cursor. Points that need
// a look (a clipped update) are drawn over the line as red triangles, DOM elements with a
// tooltip of their own rather than pixels, so a reader can hover them and a test can find them.
import { byId, el } from './dashboard-dom.js?token=__TOKEN__';
import { dash, formatSignificant } from './dashboard-format.js?token=__TOKEN__';

const COLORS = ['#2563eb', '#d97706', '#059669', '#7c3aed', '#dc2626', '#0891b2'];
const HEIGHT = 230;
const INK = '#6b7280';

/** By element id: the chart drawn there and the spec it was drawn from. */
const drawn = new Map();

/**
 * Draws `chart` into the element `id`, only when the spec changed, so a steady status does not
 * reset the cursor every 2 s. A spec: { emptyText, xName, yName, yLog, categories: [string],
 * series: [{ label, values: [number | null], marks?: [{ index, title }] }] }.
 */
export function drawLineChart(id, chart) {
  const key = JSON.stringify(chart);
  const previous = drawn.get(id);
  if (previous?.key === key) return;
  previous?.plot?.destroy();
  const box = byId(id);
  box.replaceChildren();
  if (chart.categories.length === 0) {
    box.append(el('p', { className: 'chart-empty', text: chart.emptyText }));
    drawn.set(id, { key, plot: null });
    return;
  }
  const data = [chart.categories.map((_, i) => i), ...chart.series.map((s) => s.values)];
  const plot = new window.uPlot(plotOptions(chart, box.clientWidth), data, box);
  drawn.set(id, { key, plot });
}

/** Fits every chart drawn so far to its box again (on a window resize). */
export function resizeCharts() {
  for (const [id, { plot }] of drawn)
    plot?.setSize({ width: byId(id).clientWidth, height: HEIGHT });
}

/**
 * Grid lines and ticks only where the axis writes a value: uPlot would draw a log axis' at
 * every 2..9 between powers of ten too, most of them unlabelled.
 */
const labelledOnly = (plot, splits, i, space, incr) =>
  plot.axes[i].filter(plot, splits, i, space, incr);

function plotOptions(chart, width) {
  const last = chart.categories.length - 1;
  const category = (i) => chart.categories[i] ?? '';
  const font = '12px system-ui, sans-serif';
  const axis = { stroke: INK, font, labelFont: font, labelSize: 24, labelGap: 0 };
  return {
    width,
    height: HEIGHT,
    // The categories sit at 0, 1, ..., each in the middle of its own band.
    scales: {
      x: { time: false, range: [-0.5, chart.categories.length - 0.5] },
      y: chart.yLog ? { distr: 3, log: 10 } : {},
    },
    axes: [
      {
        ...axis,
        label: chart.xName,
        size: 30,
        grid: { show: false },
        ticks: { stroke: '#e5e7eb' },
        splits: () => chart.categories.map((_, i) => i),
        values: (_, splits) => splits.map(category),
      },
      {
        ...axis,
        label: chart.yName,
        size: 48,
        grid: { stroke: '#e5e7eb', width: 1, filter: labelledOnly },
        ticks: { stroke: '#e5e7eb', filter: labelledOnly },
      },
    ],
    // Away from the chart, the legend reads out the latest category; over it, the one under
    // the cursor.
    series: [
      { label: chart.xName, value: (_, _v, _s, i) => category(i ?? last) },
      ...chart.series.map((series, k) => lineSeries(series, k, last)),
    ],
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    hooks: { draw: [(plot) => placeMarks(plot, chart)] },
  };
}

function lineSeries(series, k, last) {
  const marked = new Set((series.marks ?? []).map((m) => m.index));
  const reading = (i) => series.values[i ?? last];
  return {
    label: series.label,
    stroke: COLORS[k % COLORS.length],
    width: 2,
    spanGaps: true,
    value: (_, _v, _s, i) => (reading(i) === null ? dash : formatSignificant(reading(i))),
    points: {
      show: true,
      size: 7,
      space: 0,
      fill: '#ffffff',
      // A marked point is drawn as its triangle only.
      filter: () => series.values.flatMap((v, i) => (v === null || marked.has(i) ? [] : [i])),
    },
  };
}

/** The marks of every series shown, over the plot at their values; redrawn with the plot. */
function placeMarks(plot, chart) {
  for (const old of plot.over.querySelectorAll('.marked-point')) old.remove();
  chart.series.forEach((series, k) => {
    if (!plot.series[k + 1].show) return;
    for (const mark of series.marks ?? []) {
      const value = series.values[mark.index];
      if (value === null) continue;
      const point = el('span', { className: 'marked-point', title: mark.title });
      point.style.left = `${plot.valToPos(mark.index, 'x')}px`;
      point.style.top = `${plot.valToPos(value, 'y')}px`;
      plot.over.append(point);
    }
  });
}
