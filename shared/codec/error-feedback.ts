/**
 * Error feedback for quantised deltas (Seide et al. 2014; Karimireddy et al. 2019): what a
 * round's quantisation left out is added to the next round's delta before it is quantised,
 * so nothing a site learned is lost, only sent a round later. Without it, a weight whose
 * per-round change stays below its block's rounding step moves only by chance.
 */
import { dequantizeBlocks, type QuantizedVector, quantizeBlocks } from './block-quantizer.js';
import type { Uniform } from './stochastic-rounding.js';

export class ErrorFeedback {
  private residual: Float32Array | null = null;

  constructor(private readonly bits: 8 | 4) {}

  /**
   * `delta` plus what earlier rounds left out, quantised; `sent` is what the receiver will
   * decode. The new residual is the difference.
   */
  compress(
    delta: Float32Array,
    uniform: Uniform,
  ): { quantized: QuantizedVector; sent: Float32Array } {
    const corrected = new Float32Array(delta);
    if (this.residual?.length === delta.length)
      for (let i = 0; i < delta.length; i++) corrected[i]! += this.residual[i]!;
    const quantized = quantizeBlocks(corrected, this.bits, uniform);
    const sent = dequantizeBlocks(quantized);
    const residual = new Float32Array(delta.length);
    for (let i = 0; i < delta.length; i++) residual[i] = corrected[i]! - sent[i]!;
    this.residual = residual;
    return { quantized, sent };
  }
}
