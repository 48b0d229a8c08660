import { expect } from 'chai';
import {
  BLOCK_SIZE,
  codeBytes,
  dequantizeBlocks,
  type QuantizedVector,
  quantizeBlocks,
  quantizedProblem,
} from '../../../shared/codec/block-quantizer.js';
import { ErrorFeedback } from '../../../shared/codec/error-feedback.js';
import { seededUniform, stochasticRound } from '../../../shared/codec/stochastic-rounding.js';

/** A delta whose blocks move by very different amounts, like a model's layers. */
function layeredDelta(length: number, seed: number): Float32Array {
  const uniform = seededUniform(seed);
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const layerScale = 10 ** -(1 + (Math.floor(i / 700) % 5)); // 1e-1 .. 1e-5
    values[i] = (uniform() * 2 - 1) * layerScale;
  }
  return values;
}

describe('stochastic rounding', () => {
  it('rounds up with probability equal to the fraction, so the mean of many roundings is the value', () => {
    const uniform = seededUniform(7);
    for (const x of [0.25, -1.7, 3.01, 5]) {
      let sum = 0;
      let elsewhere = 0;
      const n = 40_000;
      for (let i = 0; i < n; i++) {
        const r = stochasticRound(x, uniform);
        if (r !== Math.floor(x) && r !== Math.ceil(x)) elsewhere++;
        sum += r;
      }
      expect(elsewhere).to.equal(0);
      expect(sum / n).to.be.closeTo(x, 0.01);
    }
  });

  it('repeats itself for one seed and differs for another', () => {
    const draw = (seed: number) => Array.from({ length: 20 }, seededUniform(seed));
    expect(draw(3)).to.deep.equal(draw(3));
    expect(draw(3)).to.not.deep.equal(draw(4));
  });
});

describe('block quantisation of deltas', () => {
  for (const bits of [8, 4] as const) {
    it(`decodes every ${bits}-bit value within one rounding step of its block's scale`, () => {
      const delta = layeredDelta(3000, 1);
      const q = quantizeBlocks(delta, bits, seededUniform(2));
      expect(quantizedProblem(q)).to.equal(null);
      const back = dequantizeBlocks(q);
      for (let i = 0; i < delta.length; i++) {
        const scale = q.scales[Math.floor(i / BLOCK_SIZE)]!;
        expect(Math.abs(back[i]! - delta[i]!)).to.be.at.most(scale * (1 + 1e-6));
      }
    });

    it(`sends ${bits === 8 ? 'a byte' : 'half a byte'} a value plus one float32 scale per ${BLOCK_SIZE} values`, () => {
      const q = quantizeBlocks(layeredDelta(1001, 3), bits, seededUniform(1));
      expect(q.codes.length)
        .to.equal(codeBytes(1001, bits))
        .and.equal(bits === 8 ? 1001 : 501);
      expect(q.scales.length).to.equal(Math.ceil(1001 / BLOCK_SIZE));
    });

    it(`is unbiased at ${bits} bits: the mean decoded value of many quantisations is the value`, () => {
      const delta = layeredDelta(BLOCK_SIZE, 5);
      const uniform = seededUniform(9);
      const sum = new Float64Array(delta.length);
      const n = 2000;
      for (let k = 0; k < n; k++) {
        const back = dequantizeBlocks(quantizeBlocks(delta, bits, uniform));
        for (let i = 0; i < delta.length; i++) sum[i]! += back[i]!;
      }
      const scale = quantizeBlocks(delta, bits, uniform).scales[0]!;
      for (let i = 0; i < delta.length; i++)
        expect(sum[i]! / n).to.be.closeTo(delta[i]!, scale * 0.08);
    });
  }

  it('keeps each block on its own scale, so a layer of 1e-5 changes survives beside one of 1e-1', () => {
    const delta = layeredDelta(3500, 4);
    const back = dequantizeBlocks(quantizeBlocks(delta, 8, seededUniform(1)));
    const small = [...delta.keys()].filter((i) => Math.floor(i / 700) % 5 === 4);
    const err = small.reduce((s, i) => s + Math.abs(back[i]! - delta[i]!), 0) / small.length;
    const mag = small.reduce((s, i) => s + Math.abs(delta[i]!), 0) / small.length;
    expect(err / mag).to.be.below(0.02);
  });

  it('encodes zeros, an all-zero block and an empty vector exactly', () => {
    const delta = new Float32Array(BLOCK_SIZE + 3);
    delta[BLOCK_SIZE + 1] = 0.5;
    const back = dequantizeBlocks(quantizeBlocks(delta, 4, seededUniform(1)));
    expect([...back]).to.deep.equal([...delta]);
    const empty = quantizeBlocks(new Float32Array(0), 8, seededUniform(1));
    expect(dequantizeBlocks(empty).length).to.equal(0);
  });

  it('does not change the delta it is given', () => {
    const delta = layeredDelta(600, 2);
    const copy = new Float32Array(delta);
    quantizeBlocks(delta, 8, seededUniform(1));
    new ErrorFeedback(4).compress(delta, seededUniform(1));
    expect([...delta]).to.deep.equal([...copy]);
  });
});

describe('checks of a received quantised vector', () => {
  const good = (): QuantizedVector => quantizeBlocks(layeredDelta(600, 1), 8, seededUniform(1));

  it('names a missing scale, short codes, bad bits, a NaN or negative scale and the unused code', () => {
    const q = good();
    expect(quantizedProblem({ ...q, scales: q.scales.subarray(1) })).to.match(
      /need 3 scales, got 2/,
    );
    expect(quantizedProblem({ ...q, codes: q.codes.subarray(1) })).to.match(/need 600 bytes/);
    expect(quantizedProblem({ ...q, bits: 6 as 8 })).to.match(/bits must be 8 or 4/);
    expect(quantizedProblem({ ...q, blockSize: 0 })).to.match(/block size/);
    const nan = new Float32Array(q.scales);
    nan[1] = Number.NaN;
    expect(quantizedProblem({ ...q, scales: nan })).to.match(/scale of block 1/);
    nan[1] = -1;
    expect(quantizedProblem({ ...q, scales: nan })).to.match(/scale of block 1/);
    const codes = new Uint8Array(q.codes);
    codes[17] = 0x80;
    expect(quantizedProblem({ ...q, codes })).to.match(/code 17 is -128/);
    const four = quantizeBlocks(layeredDelta(5, 1), 4, seededUniform(1));
    const nibbles = new Uint8Array(four.codes);
    nibbles[1]! &= 0x0f; // value 3's high nibble
    expect(quantizedProblem({ ...four, codes: nibbles })).to.match(/code 3 is -8/);
  });
});

describe('error feedback', () => {
  it('sends over rounds what one round rounded away: the sum sent stays within a step of the sum learned', () => {
    const feedback = new ErrorFeedback(4);
    const uniform = seededUniform(11);
    const learned = new Float64Array(BLOCK_SIZE);
    const withFeedback = new Float64Array(BLOCK_SIZE);
    const without = new Float64Array(BLOCK_SIZE);
    for (let round = 0; round < 200; round++) {
      // One large value sets the block's scale (step 1/7); the others move by a third of a step.
      const delta = new Float32Array(BLOCK_SIZE).fill(0.05);
      delta[0] = 1;
      const sent = feedback.compress(delta, uniform).sent;
      const plain = dequantizeBlocks(quantizeBlocks(delta, 4, uniform));
      for (let i = 0; i < BLOCK_SIZE; i++) {
        learned[i]! += delta[i]!;
        withFeedback[i]! += sent[i]!;
        without[i]! += plain[i]!;
      }
    }
    const step = 1 / 7;
    const worst = (sums: Float64Array) =>
      Math.max(...sums.map((s, i) => Math.abs(s - learned[i]!)));
    expect(worst(withFeedback)).to.be.at.most(step * 1.01);
    // Unbiased rounding alone wanders like a random walk: several steps after 200 rounds.
    expect(worst(without)).to.be.above(3 * step);
  });

  it('returns, as sent, exactly what the receiver decodes', () => {
    const out = new ErrorFeedback(8).compress(layeredDelta(900, 6), seededUniform(2));
    expect([...out.sent]).to.deep.equal([...dequantizeBlocks(out.quantized)]);
  });
});
