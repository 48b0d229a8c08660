// ROC curves as a standalone SVG chart (curves, chance diagonal, AUROC in the legend, operating
// points at chosen thresholds), rendered in Node with no browser, DOM or native canvas.
//
// Library: Apache ECharts, through its server-side SVG renderer (`ssr: true`,
// `renderToSVGString()`). Evaluated against vega + vega-lite, whose `view.toSVG()` also works
// headless: ECharts brings 2 packages (zrender, tslib) against vega's 79, has no Node engine
// floor (vega-lite 6.5 requires Node >= 22, this project runs on 20), is Apache-2.0 like us and
// releases regularly (6.1.0 in 2026). Its cost is size (~67 MB unpacked against ~25 MB) and ~0.3 s to import,
// paid only by the modules that chart. The same options render in the dashboard's browser too.
// Rejected: @observablehq/plot and d3 need a DOM (jsdom, another large dependency tree);
// Chart.js needs a canvas (a native module).

import * as echarts from 'echarts';
import {
  auroc,
  type Positives,
  ratesAtThreshold,
  rocCurve,
  type Scores,
} from './detection-metrics.js';

/** A marked point on a curve, e.g. the detection rate at the 1% FPR threshold. */
export interface OperatingPoint {
  label: string;
  fpr: number;
  tpr: number;
}

/** One labelled ROC curve to draw. */
export interface RocChartCurve {
  label: string;
  fpr: ArrayLike<number>;
  tpr: ArrayLike<number>;
  /** Shown in the legend next to the label. */
  auroc: number;
  operatingPoints?: readonly OperatingPoint[];
}

export interface RocChartOptions {
  title?: string;
  width?: number;
  height?: number;
  /**
   * 'log' spreads out the low false-positive rates where detectors are operated (0.1%, 1%);
   * points at FPR 0 are drawn at the left edge, the lowest power of ten below every positive
   * FPR shown (at least 1e-6).
   */
  fprScale?: 'linear' | 'log';
}

/** A threshold to mark on a curve: alert iff score > threshold. */
export interface LabelledThreshold {
  label: string;
  threshold: number;
}

// Okabe-Ito: distinguishable with the common colour-vision deficiencies.
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

/**
 * A chart curve computed from scores: the (thinned) ROC curve, its AUROC, and one operating
 * point per threshold, labelled with the TPR reached there.
 * @example rocChartCurve('vae', scores, isAttack, [{ label: 'FPR 1%', threshold: t01 }])
 */
export function rocChartCurve(
  label: string,
  scores: Scores,
  positives: Positives,
  thresholds: readonly LabelledThreshold[] = [],
  maxPoints?: number,
): RocChartCurve {
  const curve = rocCurve(scores, positives, maxPoints);
  const operatingPoints = thresholds.map((t) => {
    const rates = ratesAtThreshold(scores, positives, t.threshold);
    return { label: `${t.label}: TPR ${rates.tpr.toFixed(3)}`, fpr: rates.fpr, tpr: rates.tpr };
  });
  return {
    label,
    fpr: curve.fpr,
    tpr: curve.tpr,
    auroc: auroc(scores, positives),
    operatingPoints,
  };
}

/**
 * Renders ROC curves as a standalone SVG document string.
 * @example writeFileSync('roc.svg', renderRocChart([rocChartCurve('vae', scores, isAttack)]))
 */
export function renderRocChart(
  curves: readonly RocChartCurve[],
  options: RocChartOptions = {},
): string {
  assertDrawable(curves);
  const { title = 'ROC curve', width = 640, height = 560, fprScale = 'linear' } = options;
  const option = rocChartOption(curves, title, fprAxis(curves, fprScale));
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** How FPRs map onto the x axis: as they are, or (log) with 0 moved to the left edge. */
interface FprAxis {
  readonly log: boolean;
  /** The axis' left edge. */
  readonly minFpr: number;
  readonly x: (fpr: number) => number;
}

function assertDrawable(curves: readonly RocChartCurve[]): void {
  if (curves.length === 0) throw new RangeError('no ROC curve to draw');
  for (const c of curves) {
    if (c.fpr.length !== c.tpr.length) {
      throw new RangeError(
        `curve "${c.label}" has ${c.fpr.length} FPR values but ${c.tpr.length} TPR values`,
      );
    }
  }
}

function fprAxis(curves: readonly RocChartCurve[], fprScale: 'linear' | 'log'): FprAxis {
  const log = fprScale === 'log';
  const minFpr = log ? leftEdgeFpr(curves) : 0;
  return { log, minFpr, x: (fpr: number) => (log ? Math.max(fpr, minFpr) : fpr) };
}

const legendName = (c: RocChartCurve) => `${c.label} (AUROC ${c.auroc.toFixed(3)})`;

/** The whole chart: axes, legend and every series, ready for `setOption`. */
function rocChartOption(
  curves: readonly RocChartCurve[],
  title: string,
  axis: FprAxis,
): echarts.EChartsOption {
  const { log, minFpr } = axis;
  const axisLabel = { formatter: (v: number) => String(Number(v.toPrecision(6))) };
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'sans-serif' },
    title: { text: title, left: 'center', top: 12 },
    grid: { left: 70, right: 30, top: 50, bottom: 60 },
    // Where ROC curves rarely pass: bottom right on a linear FPR axis, top left on a log one.
    legend: {
      data: curves.map(legendName).concat('chance'),
      orient: 'vertical',
      ...(log ? { left: 80, top: 60 } : { right: 40, bottom: 75 }),
      backgroundColor: 'rgba(255,255,255,0.85)',
    },
    xAxis: {
      type: log ? 'log' : 'value',
      min: log ? minFpr : 0,
      max: 1,
      name: log ? 'False positive rate (log scale)' : 'False positive rate',
      nameLocation: 'middle',
      nameGap: 30,
      axisLabel,
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 1,
      name: 'True positive rate (detection rate)',
      nameLocation: 'middle',
      nameGap: 45,
      axisLabel,
    },
    series: [chanceSeries(axis), ...curves.flatMap((c, i) => curveSeries(c, i, axis))],
  };
}

/** The dashed diagonal of a detector that guesses. */
function chanceSeries({ log, minFpr }: FprAxis): echarts.SeriesOption {
  return {
    type: 'line',
    name: 'chance',
    data: log
      ? logSpaced(minFpr, 60).map((v) => [v, v])
      : [
          [0, 0],
          [1, 1],
        ],
    showSymbol: false,
    lineStyle: { type: 'dashed', color: '#9a9a9a', width: 1 },
    color: '#9a9a9a',
  };
}

/** Curve number `i`: its line, and its operating points if it has any. */
function curveSeries(c: RocChartCurve, i: number, { x }: FprAxis): echarts.SeriesOption[] {
  const color = PALETTE[i % PALETTE.length]!;
  const name = legendName(c);
  const series: echarts.SeriesOption[] = [
    {
      type: 'line',
      name,
      data: Array.from(c.fpr, (f, k) => [x(f), c.tpr[k]!]),
      showSymbol: false,
      color,
      lineStyle: { width: 2 },
    },
  ];
  if (c.operatingPoints?.length) {
    // Same series name, so the markers share the curve's legend entry.
    series.push({
      type: 'scatter',
      name,
      data: c.operatingPoints.map((p) => ({ value: [x(p.fpr), p.tpr], name: p.label })),
      color,
      symbol: 'diamond',
      symbolSize: 10,
      label: {
        show: true,
        position: 'right',
        formatter: '{b}',
        color: '#333',
        fontSize: 11,
        backgroundColor: 'rgba(255,255,255,0.8)',
        padding: 2,
      },
    });
  }
  return series;
}

function leftEdgeFpr(curves: readonly RocChartCurve[]): number {
  let smallest = 1;
  for (const c of curves) {
    for (let k = 0; k < c.fpr.length; k++)
      if (c.fpr[k]! > 0) smallest = Math.min(smallest, c.fpr[k]!);
    for (const p of c.operatingPoints ?? []) if (p.fpr > 0) smallest = Math.min(smallest, p.fpr);
  }
  return Math.max(1e-6, Math.min(0.1, 10 ** Math.floor(Math.log10(smallest))));
}

function logSpaced(from: number, count: number): number[] {
  const lo = Math.log10(from);
  return Array.from({ length: count }, (_, i) => 10 ** (lo + (-lo * i) / (count - 1)));
}
