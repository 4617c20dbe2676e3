/**
 * The 'tfjs-wasm' backend: tfjs-backend-wasm's kernels (C++ and XNNPACK compiled to WebAssembly,
 * SIMD, one thread under Node) called through tfjs's kernel registry on the process's wasm module
 * (see wasm_module.ts), never through tfjs's engine and never on another tfjs backend. It starts
 * asynchronously (the module is compiled), so there is no synchronous factory.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ArgReduceOp, Backend, BinaryOp, Conv2DAttrs, KernelTensor, OutputSpec, Pool2DAttrs } from '@keras-ts/core';
import { backpropInputByMatmul } from '../common/conv.js';
import { hasNaN, hasNonFinite } from '../common/nan.js';
import { avgPool2d, avgPool2dBackprop } from '../common/pool_loops.js';
import { argReduceLoop, tfjsArgReduce } from '../common/reduction.js';
import { TfjsBackend } from '../common/tfjs_backend.js';
import { binary } from './elementwise.js';
import { XNN_MAX_DIMS, highRankPad } from './high_rank.js';
import { wasmOverrides } from './kernels.js';
import { WASM_REGISTRY_NAME, wasmModule, type WasmModuleInfo } from './wasm_module.js';

export class TfjsWasmBackend extends TfjsBackend {
  readonly name = 'tfjs-wasm';

  /** Starts the process's wasm module if needed (a few milliseconds) and returns a new backend over it. */
  static async create(): Promise<TfjsWasmBackend> {
    return new TfjsWasmBackend(await wasmModule());
  }

  /** Takes the started module: use `TfjsWasmBackend.create()` or `createTfjsWasmBackend()`, which start it. */
  constructor(readonly moduleInfo: WasmModuleInfo) {
    // The module is shared by the whole process, so the runner tracks what this backend made in order to free it on close().
    super(moduleInfo.instance, WASM_REGISTRY_NAME, 'tfjs-wasm', wasmOverrides(), true);
  }

  /**
   * Frees every tensor this backend made; their handles become invalid and the backend stays
   * usable. Storages of other users of the shared module are left alone.
   */
  close(): void {
    this.runner.freeAll();
  }

  /** maximum/minimum with NaN and int32 division by zero differ on wasm (see elementwise.ts). */
  override binary(op: BinaryOp, a: KernelTensor<TensorInfo>, b: KernelTensor<TensorInfo>, out: OutputSpec): TensorInfo {
    return binary(this.runner, op, a, b, out);
  }

  /** wasm's PadV2 (XNNPACK's) takes at most 6 axes: more go through high_rank.ts. */
  override pad(x: KernelTensor<TensorInfo>, paddings: readonly (readonly [number, number])[], constantValue: number, out: OutputSpec): TensorInfo {
    if (x.shape.length > XNN_MAX_DIMS) return highRankPad(this.runner, x, paddings, constantValue, out);
    return super.pad(x, paddings, constantValue, out);
  }

  /**
   * wasm's ArgMax/ArgMin skip NaN but are faster than the loop that does not (0.8 against 1.3 ms
   * over [1024, 1000]): they run where a SIMD pass over x (0.1 ms there, see common/nan.ts) finds no NaN.
   */
  override argReduce(op: ArgReduceOp, x: KernelTensor<TensorInfo>, axis: number, out: OutputSpec): TensorInfo {
    if (x.dtype === 'float32' && hasNaN(this.runner.peek(x.handle) as Float32Array)) return argReduceLoop(this.runner, op, x, axis, out);
    return tfjsArgReduce(this.runner, op, x, axis, out);
  }

  /**
   * BatchMatMul + col2im for every convolution: wasm's Conv2DBackpropInput is a plain loop (282 ms
   * against 23 ms for the forward pass on [32,26,26,32] with a [3,3,32,64] filter).
   */
  override conv2dBackpropInput(dy: KernelTensor<TensorInfo>, filter: KernelTensor<TensorInfo>, attrs: Conv2DAttrs, out: OutputSpec): TensorInfo {
    return backpropInputByMatmul(this.runner, dy, filter, attrs, out);
  }

  /**
   * wasm's AvgPool (XNNPACK's) gives −Infinity where a window's average is NaN (a NaN cell, or +Infinity
   * with −Infinity): where a SIMD pass finds NaN or an infinity in x, the loop over the heap pools instead.
   */
  override avgPool2d(x: KernelTensor<TensorInfo>, attrs: Pool2DAttrs, out: OutputSpec): TensorInfo {
    if (x.dtype === 'float32' && hasNonFinite(this.runner.peek(x.handle) as Float32Array)) return avgPool2d(this.runner, x, attrs, out);
    return super.avgPool2d(x, attrs, out);
  }

  /** The same single pass as tfjs-cpu's: twice as fast here as wasm's AvgPoolGrad with its border correction (4 ms against 9). */
  override avgPool2dBackprop(dy: KernelTensor<TensorInfo>, attrs: Pool2DAttrs, out: OutputSpec): TensorInfo {
    return avgPool2dBackprop(this.runner, dy, attrs, out);
  }

  protected notes(): string[] {
    return [
      `@tensorflow/tfjs-backend-wasm ${this.moduleInfo.version}: ${this.moduleInfo.binary}, ${this.moduleInfo.threads} thread(s); kernels called through tfjs's kernel registry (not its engine).`,
      'Under Node tfjs-backend-wasm runs its SIMD single-thread binary: its threaded build starts workers from a blob: URL, which Node refuses.',
      'conv2dBackpropFilter (not registered on wasm): im2col + wasm BatchMatMul; conv2dBackpropInput: wasm BatchMatMul + col2im (wasm\'s own is a plain loop).',
      'scatterAdd (UnsortedSegmentSum is not registered on wasm): wasm ScatterNd on the axis moved to the front.',
      'Binary arithmetic and pad of more than 6 axes (XNNPACK\'s limit): axes merged first, else broadcast and flattened (binary) or padded in passes.',
      'BatchMatMul with transposes: operands transposed first (wasm\'s transposed products are 13 times slower).',
      'maxPool2dBackprop, avgPool2dBackprop: single-pass loops over the wasm heap (as tfjs-cpu\'s).',
      'Replaced where wasm\'s kernels differ from Keras or copy too much: MaxPoolGrad, Slice, Cast to bool, Select and Reverse on bool, Sign, maximum/minimum with NaN, int32 division by zero and pow; Sum and Mean of float32 accumulate in float64.',
      'NaN wins in argmax/argmin and maxPool2d (the first NaN), as numpy: wasm\'s kernels skip it, so they run only where a WebAssembly SIMD pass over x finds no NaN, and a loop over the heap otherwise. avgPool2d likewise where x holds NaN or an infinity (wasm\'s AvgPool gives −Infinity for a NaN average).',
    ];
  }
}

/** Starts the process's wasm module if needed (a few milliseconds) and returns a new backend over it. */
export function createTfjsWasmBackend(): Promise<Backend> {
  return TfjsWasmBackend.create();
}
