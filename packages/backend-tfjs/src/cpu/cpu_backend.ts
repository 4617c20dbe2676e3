/**
 * The 'tfjs-cpu' backend: tfjs-backend-cpu's kernels (plain JavaScript) called through tfjs's
 * kernel registry on a MathBackendCPU instance of our own. Importing @tensorflow/tfjs-backend-cpu
 * registers its kernels (and a 'cpu' factory that tfjs's engine would use) but starts nothing.
 */
import { MathBackendCPU, version_cpu } from '@tensorflow/tfjs-backend-cpu';
import type { Backend } from '@keras-ts/core';
import { TfjsBackend } from '../common/tfjs_backend.js';

/** The name tfjs-backend-cpu registers its kernels under. */
const REGISTRY_NAME = 'cpu';

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
    super(newMathBackendCPU(), REGISTRY_NAME, 'tfjs-cpu');
  }

  /** Frees every tensor: the backend starts over on a fresh MathBackendCPU, and older handles become invalid. */
  close(): void {
    this.replaceTfjsBackend(newMathBackendCPU());
  }

  protected notes(): string[] {
    return [
      `@tensorflow/tfjs-backend-cpu ${version_cpu}: plain JavaScript kernels, one thread, called through tfjs's kernel registry (not its engine).`,
      'conv2dBackpropFilter and dilated conv2dBackpropInput: im2col + BatchMatMul (tfjs-cpu\'s Conv2DBackpropFilter is a naive loop).',
      'avgPool2dBackprop: tfjs AvgPoolGrad with the divisor corrected to the real cells of border windows.',
      'scatterAdd: ScatterNd on the axis moved to the front.',
    ];
  }
}

export function createTfjsCpuBackend(): Backend {
  return new TfjsCpuBackend();
}
