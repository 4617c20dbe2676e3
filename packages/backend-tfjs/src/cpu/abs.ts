/**
 * Abs for tfjs-cpu. tfjs-cpu's own kernel returns its output through `makeOutput`, which registers
 * a Tensor with tfjs's global engine (the only kernel this package calls that does): the engine
 * would count one more tensor per call, forever, since this package frees storages on the backend.
 * This one makes a plain handle, in the input's storage type.
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { DataType, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { TypedArray } from '@keras-ts/core';

export const absKernel: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  const b = backend as MathBackendCPU;
  const values = b.readSync(x.dataId) as TypedArray;
  const out = values instanceof Int32Array ? new Int32Array(values.length) : new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.abs(values[i]);
  return b.makeTensorInfo([...x.shape], x.dtype as DataType, out);
};
