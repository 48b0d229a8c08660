import { expect } from 'chai';
import { LineWriter, piece } from '../../../client/detect/line-writer.js';
import {
  round4,
  writeNumber,
  writePrecision4,
  writeRound4,
} from '../../../client/detect/number-text.js';

/** What a write routine writes for each value, one per line. */
function written(values: readonly number[], write: (out: LineWriter, v: number) => void): string[] {
  const out = new LineWriter();
  out.start();
  for (const value of values) {
    write(out, value);
    out.byte(0x0a);
  }
  return out.finish().toString('utf8').split('\n').slice(0, -1);
}

/** A deterministic stream of doubles in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const float32 = new Float32Array(1);
function toFloat32(value: number): number {
  float32[0] = value;
  return float32[0];
}

/** The doubles either side of `value`. */
function neighbours(value: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  return [-1n, 1n].map((step) => {
    view.setBigUint64(0, bits + step);
    return view.getFloat64(0);
  });
}

const EDGES = [
  0,
  -0,
  1,
  -1,
  0.5,
  1e-4,
  5e-5,
  4.9999e-5,
  -5e-5,
  1e-5,
  1e-6,
  1e-7,
  9.99995e-7,
  0.1,
  0.01,
  0.001,
  0.99995,
  0.999949999,
  99.99995,
  999.95,
  999.9999,
  1e3,
  1e4,
  1e15,
  1e16,
  1e21,
  1e22,
  2 ** 53,
  -(2 ** 53),
  123456789.12345,
  1.00005,
  1.00015,
  0.00015,
  0.000149999,
  Number.MIN_VALUE,
  Number.MAX_VALUE,
  Number.EPSILON,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

/** Edge cases, their neighbours, exact decimal ties, and random values over many magnitudes. */
function testValues(count: number): number[] {
  const next = random(count);
  const values = [...EDGES, ...EDGES.filter(Number.isFinite).flatMap(neighbours)];
  for (let k = -10; k <= 22; k++) values.push(10 ** k, ...neighbours(10 ** k));
  // Ties at the 4th significant digit (x.xxx5) and at the 4th decimal (n + 0.00005).
  for (let i = 0; i < 2000; i++) {
    const tie = (Math.floor(next() * 9000) + 1000.5) * 10 ** (Math.floor(next() * 10) - 10);
    values.push(tie, ...neighbours(tie), Math.floor(next() * 1e6) / 1e4 + 0.00005);
  }
  for (let i = 0; i < count; i++) {
    const magnitude = 10 ** (next() * 30 - 12);
    const value = next() * magnitude * (next() < 0.2 ? -1 : 1);
    values.push(value, toFloat32(value), Math.exp(-toFloat32(next() * 20)), Math.round(value));
  }
  return values;
}

describe('writing numbers as JavaScript writes them', () => {
  const values = testValues(200_000);

  it('writes String(x) for every value, integers digit by digit', () => {
    expect(written(values, writeNumber)).to.deep.equal(values.map(String));
  });

  it('writes String(round4(x)) for every value, scores and nats alike', () => {
    expect(written(values, writeRound4)).to.deep.equal(values.map((v) => String(round4(v))));
  });

  it('writes x.toPrecision(4) for every value, probabilities included', () => {
    expect(written(values, writePrecision4)).to.deep.equal(values.map((v) => v.toPrecision(4)));
  });

  it('writes exact ties at the fourth digit as toPrecision does (the larger)', () => {
    const ties = [0.015625, 0.0009765625, 1.0625e-3, 0.123450001, 0.5, 0.25, 0.125, 0.0625];
    expect(written(ties, writePrecision4)).to.deep.equal(ties.map((v) => v.toPrecision(4)));
  });
});

describe('writing text into alert lines as UTF-8', () => {
  const texts = [
    '',
    'normal',
    'neptune',
    'Malicious   PartOfAHorizontalPortScan',
    'café',
    'ÿ',
    '日本語のラベル',
    'emoji 🛰️ here',
    'lone \ud800 surrogate',
    'quote " and backslash \\',
    'tab\tnewline\ncontrol\x01del\x7f',
    '\u2028\u2029',
  ];

  it('writes each text as Buffer.from(text) does, ASCII or not', () => {
    const out = new LineWriter();
    out.start();
    for (const text of texts) out.text(text);
    expect(out.finish().equals(Buffer.from(texts.join(''), 'utf8'))).to.equal(true);
  });

  it('writes each text as the UTF-8 of JSON.stringify(text), escapes included', () => {
    const out = new LineWriter();
    out.start();
    for (const text of texts) out.jsonString(text);
    const expected = texts.map((text) => JSON.stringify(text)).join('');
    expect(out.finish().equals(Buffer.from(expected, 'utf8'))).to.equal(true);
  });

  it('writes constant pieces of any length (whole words and the bytes left) as their UTF-8', () => {
    const pieces = [
      ...texts,
      'a',
      'ab',
      'abc',
      'abcd',
      'abcde',
      ',"category":"(0, 0.0562)","probability":',
    ];
    const out = new LineWriter();
    out.start();
    for (const text of pieces) out.piece(piece(text));
    expect(out.finish().equals(Buffer.from(pieces.join(''), 'utf8'))).to.equal(true);
  });

  it('never writes over a batch the output still holds, and reuses one handed back', () => {
    const out = new LineWriter();
    const batch = (text: string) => {
      out.start();
      out.text(text);
      return out.finish();
    };
    const first = batch('first batch');
    const second = batch('second batch');
    out.release(first);
    const third = batch('third');
    expect(second.toString()).to.equal('second batch');
    expect(third.toString()).to.equal('third');
    expect(third.buffer).to.equal(first.buffer);
  });

  it('grows its buffer for a batch larger than the last one, keeping what was written', () => {
    const out = new LineWriter();
    out.start();
    const long = 'é'.repeat(70_000);
    out.text('start ');
    out.jsonString(long);
    out.text(long);
    expect(out.finish().toString('utf8')).to.equal(`start ${JSON.stringify(long)}${long}`);
  });
});
