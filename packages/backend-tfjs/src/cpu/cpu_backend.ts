/**
 * The 'tfjs-cpu' backend: tfjs-backend-cpu's kernels (plain JavaScript) called through tfjs's
 * kernel registry on a MathBackendCPU instance of our own. Importing @tensorflow/tfjs-backend-cpu
 * registers its kernels (and a 'cpu' factory that tfjs's engine would use) but starts nothing.
 */
import { MathBackendCPU, version_cpu } from '@tensorflow/tfjs-backend-cpu';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { Backend, KernelTensor, OutputSpec, Pool2DAttrs } from '@keras-ts/core';
import { TfjsBackend } from '../common/tfjs_backend.js';
import { avgPool2dBackprop, maxPool2d } from '../common/pool_loops.js';
import { absKernel } from './abs.js';
import { transposeKernel } from './transpose.js';

/** The name tfjs-backend-cpu registers its kernels under. */
const REGISTRY_NAME = 'cpu';

/** tfjs-cpu kernels replaced for this backend only, where tfjs's are slow or use tfjs's engine (see each file). */
const OVERRIDES = { Transpose: transposeKernel, Abs: absKernel };

/**
 * A MathBackendCPU that never prints tfjs's "looks like you are running TensorFlow.js in Node.js"
 * banner: the banner is printed on an instance's first write while `firstUse` is set, and this
 * instance is not tfjs's global one, so clearing the flag silences only it (no global tfjs flag changes).
 */
function newMathBackendCPU(): MathBackendCPU {
  const backend = new MathBackendCPU();
  (backend as unknown as { firstUse: boolean }).firstUse = false;
  return backend;
}

export class TfjsCpuBackend extends TfjsBackend {
  readonly name = 'tfjs-cpu';

  constructor() {
    super(newMathBackendCPU(), REGISTRY_NAME, 'tfjs-cpu', OVERRIDES);
  }

  /** Frees every tensor: the backend starts over on a fresh MathBackendCPU, and older handles become invalid. */
  close(): void {
    this.replaceTfjsBackend(newMathBackendCPU());
  }

  /**
   * The single-pass loop, which lets NaN win as core asks (tfjs-cpu's MaxPool skips it) and is also
   * faster than tfjs-cpu's MaxPool: 7.9 against 11.4 ms for a 2x2 pool over [32,24,24,64].
   */
  override maxPool2d(x: KernelTensor<TensorInfo>, attrs: Pool2DAttrs, out: OutputSpec): TensorInfo {
    return maxPool2d(this.runner, x, attrs, out);
  }

  override avgPool2dBackprop(dy: KernelTensor<TensorInfo>, attrs: Pool2DAttrs, out: OutputSpec): TensorInfo {
    return avgPool2dBackprop(this.runner, dy, attrs, out);
  }

  protected notes(): string[] {
    return [
      `@tensorflow/tfjs-backend-cpu ${version_cpu}: plain JavaScript kernels, one thread, called through tfjs's kernel registry (not its engine).`,
      'conv2dBackpropFilter and dilated conv2dBackpropInput: im2col + BatchMatMul (tfjs-cpu\'s Conv2DBackpropFilter is a naive loop).',
      'transpose (also used by reductions over non-trailing axes), maxPool2d, maxPool2dBackprop, avgPool2dBackprop: single-pass loops replacing tfjs-cpu\'s element-by-element kernels.',
      'argmax/argmin of float32, maxPool2d and maxPool2dBackprop: loops where NaN wins (the first NaN), as numpy; tfjs-cpu\'s kernels skip NaN. pow: C\'s special values (1 ** NaN = 1), where tfjs-cpu\'s Math.pow gives NaN.',
      'scatterAdd: ScatterNd on the axis moved to the front.',
    ];
  }
}

export function createTfjsCpuBackend(): Backend {
  return new TfjsCpuBackend();
}
