/**
 * Registers the gradient of every op, which training needs and scoring does not. tfjs-core's
 * Node bundle registers none (its ES-module build does, in files Node cannot load as they are);
 * the @tensorflow/tfjs bundle registers them all when it loads. So code that trains imports
 * this module, and a run that only scores never loads @tensorflow/tfjs (layers, converter, data).
 * Loaded through require: importing the bundle as an ES module would first scan its source for
 * export names, which costs as much again and is not needed here.
 */
import { createRequire } from 'node:module';

createRequire(import.meta.url)('@tensorflow/tfjs');
