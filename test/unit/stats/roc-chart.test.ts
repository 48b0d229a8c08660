import { expect } from 'chai';
import { renderRocChart, rocChartCurve } from '../../../shared/stats/roc-chart.js';

/**
 * A small XML well-formedness check (balanced tags, quoted attributes, escaped text), so the
 * test needs no XML parser dependency. Returns the element names in document order.
 */
function checkWellFormedXml(xml: string): string[] {
  const body = xml
    .replace(/^<\?xml[^>]*\?>/, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  const open: string[] = [];
  const elements: string[] = [];
  const token = /<[^>]*>|[^<]+/g;
  const tag = /^<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>$/;
  const escaped = /^(?:[^&<]|&(?:[a-z]+|#\d+|#x[0-9a-f]+);)*$/i;
  for (const [piece] of body.matchAll(token)) {
    if (!piece.startsWith('<')) {
      if (!escaped.test(piece)) throw new Error(`unescaped text: ${piece.slice(0, 60)}`);
      continue;
    }
    const m = tag.exec(piece);
    if (!m) throw new Error(`malformed tag: ${piece.slice(0, 60)}`);
    const [, closing, name, attributes, selfClosing] = m;
    if (!escaped.test(attributes!)) throw new Error(`unescaped attribute: ${piece.slice(0, 60)}`);
    if (closing) {
      const expected = open.pop();
      if (expected !== name) throw new Error(`</${name}> closes <${expected}>`);
    } else {
      elements.push(name!);
      if (!selfClosing) open.push(name!);
    }
  }
  if (open.length > 0) throw new Error(`unclosed <${open.join('>, <')}>`);
  return elements;
}

describe('renderRocChart', () => {
  const scores = [0.1, 0.4, 0.35, 0.8, 0.9, 0.2];
  const positives = [false, false, true, true, true, false];

  it('renders a well-formed SVG with the curve label and its AUROC in the legend', () => {
    const curve = rocChartCurve('categorical VAE', scores, positives, [
      { label: 'FPR 1%', threshold: 0.5 },
    ]);
    const svg = renderRocChart([curve], { title: 'NSL-KDD test' });
    const elements = checkWellFormedXml(svg);
    expect(elements[0]).to.equal('svg');
    expect(svg).to.match(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).to.include('categorical VAE (AUROC 0.889)');
    expect(svg).to.include('FPR 1%: TPR 0.667');
    expect(svg).to.include('False positive rate');
    expect(svg).to.include('True positive rate');
    expect(svg).to.include('NSL-KDD test');
  });

  it('draws several curves, each with its own legend entry', () => {
    const svg = renderRocChart([
      rocChartCurve('vae', scores, positives),
      { label: 'random', fpr: [0, 1], tpr: [0, 1], auroc: 0.5 },
    ]);
    checkWellFormedXml(svg);
    expect(svg).to.include('vae (AUROC 0.889)');
    expect(svg).to.include('random (AUROC 0.500)');
    expect(svg).to.include('chance');
  });

  it('escapes markup in labels', () => {
    const svg = renderRocChart([{ label: 'a<b & c', fpr: [0, 1], tpr: [0, 1], auroc: 0.5 }]);
    checkWellFormedXml(svg);
    expect(svg).to.include('a&lt;b &amp; c');
  });

  it('draws the curve from the bottom-left corner of the plot to the top-right, the chance diagonal likewise', () => {
    const curve = { label: 'vae', fpr: [0, 0.5, 1], tpr: [0, 0.9, 1], auroc: 0.9 };
    // The default 640 x 560 chart: the plot spans x 70-610 and y 50-500.
    const svg = renderRocChart([curve]);
    expect(svg).to.match(/<path class="curve" data-label="vae" d="M70,500L340,95L610,50"/);
    expect(svg).to.match(/<path class="chance" d="M70,500L610,50"/);
  });

  it('marks each operating point with a diamond at its rates and its label beside it', () => {
    const curve = {
      label: 'vae',
      fpr: [0, 0.5, 1],
      tpr: [0, 0.9, 1],
      auroc: 0.9,
      operatingPoints: [{ label: 'FPR 50%: TPR 0.900', fpr: 0.5, tpr: 0.9 }],
    };
    const svg = renderRocChart([curve]);
    const marks = [...svg.matchAll(/<g class="operating-point"><path d="M([\d.]+),([\d.]+)L/g)];
    expect(marks.map((m) => [Number(m[1]), Number(m[2])])).to.deep.equal([[340, 89]]); // its top vertex, 6 px above (340, 95)
    expect(svg).to.match(/<text x="348" y="99"[^>]*>FPR 50%: TPR 0\.900<\/text>/);
  });

  it('moves a label down a line instead of writing it over a nearby one', () => {
    const curve = {
      label: 'vae',
      fpr: [0, 0.01, 1],
      tpr: [0, 0.5, 1],
      auroc: 0.9,
      operatingPoints: [
        { label: 'FPR 1%: TPR 0.500', fpr: 0.01, tpr: 0.5 },
        { label: 'FPR 0.9%: TPR 0.498', fpr: 0.009, tpr: 0.498 },
      ],
    };
    const svg = renderRocChart([curve]);
    const baselines = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)"[^>]*>FPR/g)].map((m) =>
      Number(m[1]),
    );
    expect(baselines).to.have.length(2);
    expect(baselines[1]! - baselines[0]!).to.be.at.least(13);
  });

  it('renders a log-scale FPR axis, ticked at every power of ten up to 1, with FPR 0 on its left edge', () => {
    const curve = { label: 'vae', fpr: [0, 0.002, 1], tpr: [0, 0.4, 1], auroc: 0.9 };
    const svg = renderRocChart([curve], { fprScale: 'log' });
    checkWellFormedXml(svg);
    expect(svg).to.include('False positive rate (log scale)');
    const ticks = [...svg.matchAll(/text-anchor="middle" font-size="12"[^>]*>([^<]+)</g)].map(
      (m) => m[1],
    );
    expect(ticks).to.deep.equal(['0.001', '0.01', '0.1', '1']);
    expect(svg).to.match(/<path class="curve" data-label="vae" d="M70,500L/);
  });

  it('refuses no curves and a curve whose FPR and TPR lengths differ', () => {
    expect(() => renderRocChart([])).to.throw(RangeError, /no ROC curve/);
    expect(() => renderRocChart([{ label: 'x', fpr: [0, 1], tpr: [0], auroc: 0.5 }])).to.throw(
      RangeError,
      /"x" has 2 FPR values but 1 TPR values/,
    );
  });
});
