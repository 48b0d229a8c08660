// ROC curves as a standalone SVG chart (curves, chance diagonal, AUROC in the legend, operating
// points at chosen thresholds), written in Node with no browser, DOM or native canvas.
//
// Written directly as SVG text (roc-chart-layers.ts) rather than through a chart library: it is
// one fixed chart, and the libraries that render SVG headless are large for it. ECharts did it
// here before and cost 70 MB installed (echarts + zrender) for this image and the dashboard's
// lines (docs/architecture.md, "Dependencies"); vega + vega-lite cost 79 packages and want
// Node >= 22; @observablehq/plot and d3 need a DOM (jsdom); Chart.js a native canvas.
import {
  auroc,
  type Positives,
  ratesAtThreshold,
  rocCurve,
  type Scores,
} from './detection-metrics.js';
import {
  axesLayer,
  chanceLayer,
  curveLayer,
  legendLayer,
  operatingPointLayer,
  type RocFrame,
  titleLayer,
} from './roc-chart-layers.js';
import { element, escapeXml } from './svg-markup.js';

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
  const frame = rocFrame(curves, fprScale, width, height);
  return element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      'font-family': 'sans-serif',
    },
    element('title', {}, escapeXml(title)),
    element('rect', { width, height, fill: '#ffffff' }),
    titleLayer(title, width),
    axesLayer(frame),
    chanceLayer(frame),
    ...curves.map((c, i) => curveLayer(c, i, frame)),
    operatingPointLayer(curves, frame, width),
    legendLayer(curves, frame),
  );
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

/** The plot area inside margins for the title, tick labels and axis names, and its scales. */
function rocFrame(
  curves: readonly RocChartCurve[],
  fprScale: 'linear' | 'log',
  width: number,
  height: number,
): RocFrame {
  const area = { left: 70, top: 50, right: width - 30, bottom: height - 60 };
  const log = fprScale === 'log';
  const minFpr = log ? leftEdgeFpr(curves) : 0;
  const lowest = log ? Math.log10(minFpr) : 0;
  // On the log axis an FPR below the left edge (0 among them) is drawn on it.
  const share = (fpr: number) =>
    log ? (Math.log10(Math.max(fpr, minFpr)) - lowest) / -lowest : fpr;
  return {
    ...area,
    log,
    minFpr,
    x: (fpr) => area.left + share(fpr) * (area.right - area.left),
    y: (tpr) => area.bottom - tpr * (area.bottom - area.top),
  };
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
