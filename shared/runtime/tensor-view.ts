/**
 * Tensors and their values without copies the backend makes anyway. Reading: a float32
 * tensor's values to read right away, without the copy that dataSync makes where the
 * backend can show them in place. The wasm backend keeps a tensor in its module's memory and
 * shows it as a typed array over that memory (typedArrayFromHeap); scoring reads 7 of every
 * 285 values of a [2,048 x 285] product, and copying all of them out (2.3 MB a batch) cost
 * more than picking. Other backends give a copy. Making: a tensor of values that are about to
 * change (a view of a kernel's memory), which the wasm backend copies into its own memory as it
 * makes the tensor; the cpu and native backends keep the array itself, so they get a copy.
 */
import { tf } from './tf.js';

interface ViewingBackend {
  typedArrayFromHeap(tensor: tf.Tensor): Float32Array;
}

function canView(backend: object): backend is ViewingBackend {
  return typeof (backend as Partial<ViewingBackend>).typedArrayFromHeap === 'function';
}

/**
 * The values of `tensor` (float32). A view is valid only until the backend makes another
 * tensor (its memory may grow and move) or `tensor` is disposed: read it, then let it go.
 */
export function viewValues(tensor: tf.Tensor): Float32Array {
  if (tensor.dtype !== 'float32') throw new TypeError(`viewValues: a ${tensor.dtype} tensor`);
  const backend = tf.backend();
  return canView(backend)
    ? backend.typedArrayFromHeap(tensor)
    : (tensor.dataSync() as Float32Array);
}

/** A [rows x cols] float32 tensor of `values`, which may change once this returns. */
export function tensorFromView(values: Float32Array, rows: number, cols: number): tf.Tensor2D {
  const copiesOnCreation = tf.getBackend() === 'wasm';
  return tf.tensor2d(copiesOnCreation ? values : values.slice(), [rows, cols]);
}
