/**
 * ReferenceBackend: the Backend interface of @keras-ts/core implemented over typed arrays, one
 * kernel family per file under ./kernels. This class only keeps the handles: it checks that each
 * argument is a live handle of this backend, hands the kernels plain `TensorData`, and wraps what
 * they return as new handles.
 */
import {
  OPTIONAL_KERNELS, REQUIRED_KERNELS,
  type AdamAttrs, type ArgReduceOp, type Backend, type BackendCapabilities, type BinaryOp, type Conv2DAttrs, type DType, type KernelTensor,
  type OutputSpec, type Pool2DAttrs, type ReduceOp, type Shape, type TypedArray, type UnaryOp,
} from '@keras-ts/core';
import { sizeOf, type RefHandle, type TensorData } from './tensor_data.js';
import * as conv from './kernels/convolution.js';
import * as elementwise from './kernels/elementwise.js';
import * as fused from './kernels/fused.js';
import * as layout from './kernels/layout.js';
import { matmul } from './kernels/matmul.js';
import * as pooling from './kernels/pooling.js';
import * as reduction from './kernels/reduction.js';
import { moments } from './kernels/statistics.js';

type T = KernelTensor<RefHandle>;

const STORAGE_TAG: Record<DType, string> = { float32: '[object Float32Array]', int32: '[object Int32Array]', bool: '[object Uint8Array]' };

/** Whether `values` is the typed array that stores `dtype` (checked by tag, so arrays from another realm pass). */
function storageMatches(values: TypedArray, dtype: DType): boolean {
  return Object.prototype.toString.call(values) === STORAGE_TAG[dtype];
}

export class ReferenceBackend implements Backend<RefHandle> {
  readonly name = 'reference';
  /** Every handle this backend made and nobody has disposed yet. */
  private readonly live = new Set<RefHandle>();
  private closed = false;

  /** How many handles are alive: tests use it to check that core frees what it makes. */
  numHandles(): number {
    return this.live.size;
  }

  capabilities(): Partial<BackendCapabilities> {
    return {
      native: [...REQUIRED_KERNELS, ...OPTIONAL_KERNELS],
      composed: [],
      notes: [
        'The reference backend: plain, readable TypeScript over typed arrays, the executable definition of every kernel.',
        'Computes in float64 and rounds once per stored element; written for clarity, not speed.',
      ],
    };
  }

  /** Frees every handle; later disposals of this backend's handles are ignored. */
  close(): void {
    this.live.clear();
    this.closed = true;
  }

  // --- memory ---------------------------------------------------------------------------------

  /** Copies the values (so the caller may reuse its array) into a new handle. */
  upload(values: TypedArray, shape: Shape, dtype: DType): RefHandle {
    if (values.length !== sizeOf(shape)) {
      throw new Error(`reference.upload: ${values.length} values for shape [${shape.join(', ')}] of ${sizeOf(shape)} elements.`);
    }
    if (!storageMatches(values, dtype)) {
      throw new TypeError(`reference.upload: a ${values.constructor.name} is not the storage of ${dtype}.`);
    }
    return this.wrap(values.slice());
  }

  /** A copy of the values: a caller that writes into it cannot change the tensor. */
  readSync(x: T): TypedArray {
    return this.data(x).values.slice();
  }

  read(x: T): Promise<TypedArray> {
    return Promise.resolve(this.readSync(x));
  }

  /** Frees a handle. Core disposes each handle exactly once, so a second disposal is an error here. */
  dispose(handle: RefHandle): void {
    if (this.closed) return;
    if (!this.live.delete(handle)) throw new Error('reference.dispose: the handle is not live (disposed twice, or made by another backend).');
  }

  // --- kernels ----------------------------------------------------------------------------------

  matmul(a: T, b: T, transposeA: boolean, transposeB: boolean, out: OutputSpec): RefHandle {
    return this.wrap(matmul(this.data(a), this.data(b), transposeA, transposeB, out));
  }

  conv2d(x: T, filter: T, attrs: Conv2DAttrs, out: OutputSpec): RefHandle {
    return this.wrap(conv.conv2d(this.data(x), this.data(filter), attrs, out));
  }

  conv2dBackpropInput(dy: T, filter: T, attrs: Conv2DAttrs, out: OutputSpec): RefHandle {
    return this.wrap(conv.conv2dBackpropInput(this.data(dy), this.data(filter), attrs, out));
  }

  conv2dBackpropFilter(x: T, dy: T, attrs: Conv2DAttrs, out: OutputSpec): RefHandle {
    return this.wrap(conv.conv2dBackpropFilter(this.data(x), this.data(dy), attrs, out));
  }

  maxPool2d(x: T, attrs: Pool2DAttrs, out: OutputSpec): RefHandle {
    return this.wrap(pooling.maxPool2d(this.data(x), attrs, out));
  }

  avgPool2d(x: T, attrs: Pool2DAttrs, out: OutputSpec): RefHandle {
    return this.wrap(pooling.avgPool2d(this.data(x), attrs, out));
  }

  maxPool2dBackprop(dy: T, x: T, attrs: Pool2DAttrs, out: OutputSpec): RefHandle {
    return this.wrap(pooling.maxPool2dBackprop(this.data(dy), this.data(x), attrs, out));
  }

  avgPool2dBackprop(dy: T, attrs: Pool2DAttrs, out: OutputSpec): RefHandle {
    return this.wrap(pooling.avgPool2dBackprop(this.data(dy), attrs, out));
  }

  moments(x: T, axes: readonly number[], out: OutputSpec): [RefHandle, RefHandle] {
    const [mean, variance] = moments(this.data(x), axes, out);
    return [this.wrap(mean), this.wrap(variance)];
  }

  unary(op: UnaryOp, x: T, out: OutputSpec): RefHandle {
    return this.wrap(elementwise.unary(op, this.data(x), out));
  }

  binary(op: BinaryOp, a: T, b: T, out: OutputSpec): RefHandle {
    return this.wrap(elementwise.binary(op, this.data(a), this.data(b), out));
  }

  where(cond: T, a: T, b: T, out: OutputSpec): RefHandle {
    return this.wrap(elementwise.where(this.data(cond), this.data(a), this.data(b), out));
  }

  cast(x: T, out: OutputSpec): RefHandle {
    return this.wrap(elementwise.cast(this.data(x), out));
  }

  reduce(op: ReduceOp, x: T, axes: readonly number[], out: OutputSpec): RefHandle {
    return this.wrap(reduction.reduce(op, this.data(x), axes, out));
  }

  argReduce(op: ArgReduceOp, x: T, axis: number, out: OutputSpec): RefHandle {
    return this.wrap(reduction.argReduce(op, this.data(x), axis, out));
  }

  /** A new handle sharing x's storage (out.shape has as many elements): no kernel ever writes into an input, so sharing is safe. */
  reshape(x: T, _out: OutputSpec): RefHandle {
    return this.wrap(layout.reshape(this.data(x)));
  }

  transpose(x: T, perm: readonly number[], out: OutputSpec): RefHandle {
    return this.wrap(layout.transpose(this.data(x), perm, out));
  }

  /** `size` is out.shape. */
  slice(x: T, begin: readonly number[], _size: readonly number[], out: OutputSpec): RefHandle {
    return this.wrap(layout.slice(this.data(x), begin, out));
  }

  concat(xs: readonly T[], axis: number, out: OutputSpec): RefHandle {
    return this.wrap(layout.concat(xs.map((x) => this.data(x)), axis, out));
  }

  pad(x: T, paddings: readonly (readonly [number, number])[], constantValue: number, out: OutputSpec): RefHandle {
    return this.wrap(layout.pad(this.data(x), paddings, constantValue, out));
  }

  gather(x: T, indices: T, axis: number, out: OutputSpec): RefHandle {
    return this.wrap(layout.gather(this.data(x), this.data(indices), axis, out));
  }

  scatterAdd(updates: T, indices: T, axis: number, out: OutputSpec): RefHandle {
    return this.wrap(layout.scatterAdd(this.data(updates), this.data(indices), axis, out));
  }

  /** out.shape[i] = x.shape[i] · reps[i], so the kernel reads the repetitions from the shapes. */
  tile(x: T, _reps: readonly number[], out: OutputSpec): RefHandle {
    return this.wrap(layout.tile(this.data(x), out));
  }

  reverse(x: T, axes: readonly number[], out: OutputSpec): RefHandle {
    return this.wrap(layout.reverse(this.data(x), axes, out));
  }

  // --- optional fused kernels -------------------------------------------------------------------

  softmax(x: T, out: OutputSpec): RefHandle {
    return this.wrap(fused.softmax(this.data(x), out));
  }

  logSoftmax(x: T, out: OutputSpec): RefHandle {
    return this.wrap(fused.logSoftmax(this.data(x), out));
  }

  softmaxCrossEntropy(logits: T, labels: T, out: OutputSpec): RefHandle {
    return this.wrap(fused.softmaxCrossEntropy(this.data(logits), this.data(labels), out));
  }

  adamUpdate(variable: T, m: T, v: T, gradient: T, alpha: T, attrs: AdamAttrs, out: OutputSpec): [RefHandle, RefHandle, RefHandle] {
    const [next, mNext, vNext] = fused.adamUpdate(this.data(variable), this.data(m), this.data(v), this.data(gradient), this.data(alpha), attrs, out);
    return [this.wrap(next), this.wrap(mNext), this.wrap(vNext)];
  }

  lstmCell(x: T, h: T, c: T, kernel: T, recurrentKernel: T, bias: T, out: OutputSpec): [RefHandle, RefHandle] {
    const weights = { kernel: this.data(kernel), recurrentKernel: this.data(recurrentKernel), bias: this.data(bias) };
    const [hNext, cNext] = fused.lstmCell(this.data(x), this.data(h), this.data(c), weights, out);
    return [this.wrap(hNext), this.wrap(cNext)];
  }

  /** `out` is the spec of the sequences output; the last h and c are [batch, units]. */
  lstmSequence(x: T, h0: T, c0: T, kernel: T, recurrentKernel: T, bias: T, out: OutputSpec): [RefHandle, RefHandle, RefHandle] {
    const weights = { kernel: this.data(kernel), recurrentKernel: this.data(recurrentKernel), bias: this.data(bias) };
    const [sequences, h, c] = fused.lstmSequence(this.data(x), this.data(h0), this.data(c0), weights, out);
    return [this.wrap(sequences), this.wrap(h), this.wrap(c)];
  }

  // --- handles ----------------------------------------------------------------------------------

  private wrap(values: TypedArray): RefHandle {
    const handle: RefHandle = { values };
    this.live.add(handle);
    return handle;
  }

  /** The argument as TensorData, after checking that its handle is live and holds shape × dtype. */
  private data(x: T): TensorData {
    if (!this.live.has(x.handle)) throw new Error('reference: a kernel got a handle that is not live (disposed, or made by another backend).');
    const { values } = x.handle;
    if (values.length !== sizeOf(x.shape) || !storageMatches(values, x.dtype)) {
      throw new Error(`reference: a handle of ${values.length} ${values.constructor.name} values was passed as ${x.dtype} [${x.shape.join(', ')}].`);
    }
    return { values, shape: x.shape, dtype: x.dtype };
  }
}

/** A new reference backend. */
export function createReferenceBackend(): ReferenceBackend {
  return new ReferenceBackend();
}
