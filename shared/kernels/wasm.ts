/**
 * Instantiates the hand-written WebAssembly kernels (the *.wat files beside this one, held as
 * bytes in the generated *-wasm.ts modules). Each is a few hundred bytes: compiling one
 * synchronously, once per thread, costs less than a microtask round trip would.
 */

// @types/node leaves the WebAssembly global undeclared, and the DOM lib would bring far more.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: unknown };
};

/** What every kernel module exports besides its functions: its memory. */
export interface KernelMemory {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
}

const compiled = new Map<string, object>();

/** A new instance (with its own memory) of the module whose bytes are `base64`. */
export function instantiateKernel<T extends KernelMemory>(base64: string): T {
  let module = compiled.get(base64);
  if (!module) {
    module = new WebAssembly.Module(Buffer.from(base64, 'base64'));
    compiled.set(base64, module);
  }
  return new WebAssembly.Instance(module).exports as T;
}

/** Grows `kernel`'s memory to at least `bytes`. */
export function reserveBytes(kernel: KernelMemory, bytes: number): void {
  const missing = bytes - kernel.memory.buffer.byteLength;
  if (missing > 0) kernel.memory.grow(Math.ceil(missing / 65536));
}

/** Rounds a byte count up to the 16-byte alignment of SIMD loads. */
export function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
