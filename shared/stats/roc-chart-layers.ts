// The layers of the ROC chart, each an SVG fragment drawn onto a frame that maps rates to
// pixels: title, axes with grid and ticks, the chance diagonal, curves, operating points and
// the legend. roc-chart.ts puts them together.
import type { RocChartCurve } from './roc-chart.js';
import { element, polylinePath, textElement } from './svg-markup.js';

/** The plot area in pixels and how rates map onto it. */
export interface RocFrame {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly log: boolean;
  /** The x axis' left edge: 0, or on a log axis a power of ten. */
  readonly minFpr: number;
  readonly x: (fpr: number) => number;
  readonly y: (tpr: number) => number;
}

// Okabe-Ito: distinguishable with the common colour-vision deficiencies.
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const INK = '#333333';
const AXIS = '#6e7079';
const GRID = '#e0e6f1';
const CHANCE = '#9a9a9a';
/** A generous width per character of 12 px sans-serif, for boxes around text (no font metrics here). */
const CHAR_WIDTH = 7;

const colourOf = (i: number) => PALETTE[i % PALETTE.length]!;
const legendName = (c: RocChartCurve) => `${c.label} (AUROC ${c.auroc.toFixed(3)})`;
/** 0.6, not 0.6000000000000001; ticks stay at or above 1e-6, which String writes out in full. */
const tickText = (v: number) => String(Number(v.toPrecision(6)));

export function titleLayer(title: string, width: number): string {
  const attributes = { x: width / 2, y: 32, 'text-anchor': 'middle', 'font-size': 18 };
  return textElement({ ...attributes, 'font-weight': 'bold', fill: INK }, title);
}

/** Grid lines and tick labels at fifths of both axes, or at every power of ten on a log FPR axis. */
export function axesLayer(f: RocFrame): string {
  const fifths = [0, 1, 2, 3, 4, 5].map((k) => k / 5);
  const xTicks = f.log ? decades(f.minFpr) : fifths;
  const small = { 'font-size': 12, fill: AXIS };
  const grid = { stroke: GRID, 'stroke-width': 1 };
  const parts = [
    ...xTicks.map((v) =>
      element('line', { x1: f.x(v), x2: f.x(v), y1: f.top, y2: f.bottom, ...grid }),
    ),
    ...fifths.map((v) =>
      element('line', { x1: f.left, x2: f.right, y1: f.y(v), y2: f.y(v), ...grid }),
    ),
    element('path', {
      d: polylinePath([
        [f.left, f.top],
        [f.left, f.bottom],
        [f.right, f.bottom],
      ]),
      fill: 'none',
      stroke: AXIS,
    }),
    ...xTicks.map((v) =>
      textElement({ x: f.x(v), y: f.bottom + 18, 'text-anchor': 'middle', ...small }, tickText(v)),
    ),
    ...fifths.map((v) =>
      textElement({ x: f.left - 8, y: f.y(v) + 4, 'text-anchor': 'end', ...small }, tickText(v)),
    ),
    axisNames(f),
  ];
  return element('g', { class: 'axes' }, ...parts);
}

function axisNames(f: RocFrame): string {
  const name = { 'font-size': 13, fill: INK, 'text-anchor': 'middle' };
  const middle = (f.top + f.bottom) / 2;
  return [
    textElement(
      { x: (f.left + f.right) / 2, y: f.bottom + 42, ...name },
      f.log ? 'False positive rate (log scale)' : 'False positive rate',
    ),
    textElement(
      { x: f.left - 48, y: middle, transform: `rotate(-90 ${f.left - 48} ${middle})`, ...name },
      'True positive rate (detection rate)',
    ),
  ].join('');
}

function decades(from: number): number[] {
  const lowest = Math.round(Math.log10(from));
  return Array.from({ length: 1 - lowest }, (_, i) => 10 ** (lowest + i));
}

/** The dashed diagonal of a detector that guesses; on a log FPR axis it bends. */
export function chanceLayer(f: RocFrame): string {
  const rates = f.log ? logSpaced(f.minFpr, 60) : [0, 1];
  const d = polylinePath(rates.map((v) => [f.x(v), f.y(v)]));
  const dash = { stroke: CHANCE, 'stroke-width': 1, 'stroke-dasharray': '4 3' };
  return element('path', { class: 'chance', d, fill: 'none', ...dash });
}

function logSpaced(from: number, count: number): number[] {
  const lo = Math.log10(from);
  return Array.from({ length: count }, (_, i) => 10 ** (lo + (-lo * i) / (count - 1)));
}

/** Curve number `i` as one line. */
export function curveLayer(c: RocChartCurve, i: number, f: RocFrame): string {
  const points = Array.from(c.fpr, (fpr, k): [number, number] => [f.x(fpr), f.y(c.tpr[k]!)]);
  const line = { fill: 'none', stroke: colourOf(i), 'stroke-width': 2, 'stroke-linejoin': 'round' };
  return element('path', {
    class: 'curve',
    'data-label': c.label,
    d: polylinePath(points),
    ...line,
  });
}

/** Every curve's operating points as diamonds in its colour, each with its label beside it. */
export function operatingPointLayer(
  curves: readonly RocChartCurve[],
  f: RocFrame,
  width: number,
): string {
  const placed: LabelBox[] = [];
  const halo = { stroke: '#ffffff', 'stroke-width': 4, 'paint-order': 'stroke' };
  const parts = curves.flatMap((c, i) =>
    (c.operatingPoints ?? []).map((p) => {
      const x = f.x(p.fpr);
      const y = f.y(p.tpr);
      const label = placeLabel(x, y, p.label, width, placed);
      const text = { ...label, 'font-size': 11, fill: INK, ...halo };
      return element(
        'g',
        { class: 'operating-point' },
        element('path', { d: diamondPath(x, y, 6), fill: colourOf(i) }),
        textElement(text, p.label),
      );
    }),
  );
  return parts.join('');
}

interface LabelBox {
  readonly left: number;
  readonly baseline: number;
  readonly width: number;
}

/**
 * Where the label of the point at (x, y) goes: to its right, or to its left near the chart's
 * right edge, moved down a line while it would cover a label placed earlier (`placed`, which
 * it joins).
 */
function placeLabel(x: number, y: number, label: string, chartWidth: number, placed: LabelBox[]) {
  const width = label.length * CHAR_WIDTH * (11 / 12);
  const onLeft = x + 8 + width > chartWidth;
  const left = onLeft ? x - 8 - width : x + 8;
  const covers = (baseline: number) =>
    placed.some(
      (o) =>
        Math.abs(o.baseline - baseline) < 13 && left < o.left + o.width && o.left < left + width,
    );
  let baseline = y + 4;
  while (covers(baseline)) baseline += 13;
  placed.push({ left, baseline, width });
  return { x: onLeft ? x - 8 : left, y: baseline, 'text-anchor': onLeft ? 'end' : 'start' };
}

function diamondPath(x: number, y: number, r: number): string {
  const corners: [number, number][] = [
    [x, y - r],
    [x + r, y],
    [x, y + r],
    [x - r, y],
  ];
  return `${polylinePath(corners)}Z`;
}

/** Where ROC curves rarely pass: bottom right on a linear FPR axis, top left on a log one. */
export function legendLayer(curves: readonly RocChartCurve[], f: RocFrame): string {
  const entries = [
    ...curves.map((c, i) => ({ name: legendName(c), colour: colourOf(i), dash: undefined })),
    { name: 'chance', colour: CHANCE, dash: '4 3' },
  ];
  const boxWidth = 8 + 24 + 8 + Math.max(...entries.map((e) => e.name.length)) * CHAR_WIDTH + 8;
  const boxHeight = 8 + entries.length * 20;
  const left = f.log ? f.left + 10 : f.right - 10 - boxWidth;
  const top = f.log ? f.top + 10 : f.bottom - 15 - boxHeight;
  const rows = entries.map((e, k) => {
    const y = top + 4 + 20 * k + 10;
    const swatch = { stroke: e.colour, 'stroke-width': 2, 'stroke-dasharray': e.dash };
    return (
      element('line', { x1: left + 8, x2: left + 32, y1: y, y2: y, ...swatch }) +
      textElement({ x: left + 40, y: y + 4, 'font-size': 12, fill: INK }, e.name)
    );
  });
  const box = {
    x: left,
    y: top,
    width: boxWidth,
    height: boxHeight,
    fill: '#ffffff',
    'fill-opacity': 0.85,
  };
  return element('g', { class: 'legend' }, element('rect', { ...box, stroke: GRID }), ...rows);
}
