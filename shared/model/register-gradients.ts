/**
 * Registers the gradient of every op, which autograd needs and scoring does not. tfjs-core's
 * Node bundle registers none (its ES-module build does, in files Node cannot load as they are);
 * the @tensorflow/tfjs bundle registers them all when it loads. The default model trains
 * through its hand-written gradient and needs none of them, so only code that calls autograd
 * calls this, and a run that scores or trains the default model never loads @tensorflow/tfjs
 * (layers, converter, data). Loaded through require: importing the bundle as an ES module would
 * first scan its source for export names, which costs as much again and is not needed here.
 */
import { createRequire } from 'node:module';

let registered = false;

export function registerGradients(): void {
  if (registered) return;
  createRequire(import.meta.url)('@tensorflow/tfjs');
  registered = true;
}
