/**
 * A keras-ts Backend over one tfjs `KernelBackend` and its kernel registry. Everything here works
 * for any tfjs backend whose kernels are registered (tfjs-cpu and tfjs-wasm); the subclass
 * picks the tfjs backend and says what is specific to it.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type {
  ArgReduceOp, Backend, BackendCapabilities, BinaryOp, Conv2DAttrs, DType, KernelTensor, OutputSpec, Pool2DAttrs,
  ReduceOp, Shape, TypedArray, UnaryOp,
} from '@keras-ts/core';
import { KernelRunner, type TfjsKernelBackend } from './runner.js';
import * as conv from './conv.js';
import * as elementwise from './elementwise.js';
import * as fused from './fused.js';
import * as layout from './layout.js';
import { matmul } from './matmul.js';
import * as pool from './pool.js';
import * as reduction from './reduction.js';

type T = KernelTensor<TensorInfo>;

/** Every required kernel, in core's order (REQUIRED_KERNELS). */
const REQUIRED = [
  'upload', 'readSync', 'read', 'dispose', 'matmul', 'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter',
  'maxPool2d', 'avgPool2d', 'maxPool2dBackprop', 'avgPool2dBackprop', 'moments', 'unary', 'binary', 'where', 'cast',
  'reduce', 'argReduce', 'reshape', 'transpose', 'slice', 'concat', 'pad', 'gather', 'scatterAdd', 'tile', 'reverse',
] as const;

/** The optional kernels offered here, and those left for core to compose. */
const OPTIONAL_NATIVE = ['lstmCell', 'softmax', 'logSoftmax', 'softmaxCrossEntropy'] as const;
const OPTIONAL_COMPOSED = ['lstmSequence'] as const;

export abstract class TfjsBackend implements Backend<TensorInfo> {
  abstract readonly name: string;
  protected runner: KernelRunner;

  /**
   * @param tfjsBackend the tfjs backend instance that holds the memory
   * @param registryName the name tfjs registers its kernels under ('cpu', 'wasm')
   * @param label the keras-ts name, for error messages
   * @param overrides kernels that replace tfjs's for this backend (see KernelRunner)
   * @param tracksStorages whether the runner remembers the storages it makes (see KernelRunner)
   */
  protected constructor(
    tfjsBackend: TfjsKernelBackend, registryName: string, label: string, overrides: Readonly<Record<string, KernelFunc>> = {},
    tracksStorages = false,
  ) {
    this.runner = new KernelRunner(tfjsBackend, registryName, label, overrides, tracksStorages);
  }

  /**
   * Starts over on a new tfjs backend instance: the old one, with every storage it holds, becomes
   * garbage (tfjs keeps storages in a WeakMap it cannot enumerate, so they are not freed one by one).
   */
  protected replaceTfjsBackend(tfjsBackend: TfjsKernelBackend): void {
    const r = this.runner;
    this.runner = new KernelRunner(tfjsBackend, r.registryName, r.label, r.overrides, r.tracksStorages);
  }

  /** Notes for `capabilities()`: binaries, threads, known limits. */
  protected abstract notes(): string[];

  /** How many tensor storages the tfjs backend holds (tensors sharing storage count once): for leak checks. */
  numDataIds(): number {
    return this.runner.numDataIds();
  }

  capabilities(): BackendCapabilities {
    return { native: [...REQUIRED, ...OPTIONAL_NATIVE], composed: [...OPTIONAL_COMPOSED], notes: this.notes() };
  }

  // --- memory -----------------------------------------------------------------------------------

  upload(values: TypedArray, shape: Shape, dtype: DType): TensorInfo {
    return this.runner.upload(values, shape, dtype);
  }

  readSync(x: T): TypedArray {
    this.assertAlive(x.handle, 'readSync');
    return this.runner.values(x.handle);
  }

  read(x: T): Promise<TypedArray> {
    this.assertAlive(x.handle, 'read');
    return this.runner.valuesAsync(x.handle);
  }

  dispose(handle: TensorInfo): void {
    this.assertAlive(handle, 'dispose');
    this.runner.dispose(handle);
  }

  /** tfjs would otherwise look a freed storage up on its global engine and fail obscurely. */
  private assertAlive(handle: TensorInfo, kernel: string): void {
    if (!this.runner.isAlive(handle)) {
      throw new Error(`${this.name}: ${kernel} got a tensor whose storage was already freed (disposed twice, or used after dispose).`);
    }
  }

  // --- compute ----------------------------------------------------------------------------------

  matmul(a: T, b: T, transposeA: boolean, transposeB: boolean, out: OutputSpec): TensorInfo {
    return matmul(this.runner, a, b, transposeA, transposeB, out);
  }

  conv2d(x: T, filter: T, attrs: Conv2DAttrs, out: OutputSpec): TensorInfo {
    return conv.conv2d(this.runner, x, filter, attrs, out);
  }

  conv2dBackpropInput(dy: T, filter: T, attrs: Conv2DAttrs, out: OutputSpec): TensorInfo {
    return conv.conv2dBackpropInput(this.runner, dy, filter, attrs, out);
  }

  conv2dBackpropFilter(x: T, dy: T, attrs: Conv2DAttrs, out: OutputSpec): TensorInfo {
    return conv.conv2dBackpropFilter(this.runner, x, dy, attrs, out);
  }

  maxPool2d(x: T, attrs: Pool2DAttrs, out: OutputSpec): TensorInfo {
    return pool.maxPool2d(this.runner, x, attrs, out);
  }

  avgPool2d(x: T, attrs: Pool2DAttrs, out: OutputSpec): TensorInfo {
    return pool.avgPool2d(this.runner, x, attrs, out);
  }

  maxPool2dBackprop(dy: T, x: T, attrs: Pool2DAttrs, out: OutputSpec): TensorInfo {
    return pool.maxPool2dBackprop(this.runner, dy, x, attrs, out);
  }

  avgPool2dBackprop(dy: T, attrs: Pool2DAttrs, out: OutputSpec): TensorInfo {
    return pool.avgPool2dBackprop(this.runner, dy, attrs, out);
  }

  moments(x: T, axes: readonly number[], out: OutputSpec): [TensorInfo, TensorInfo] {
    return reduction.moments(this.runner, x, axes, out);
  }

  unary(op: UnaryOp, x: T, out: OutputSpec): TensorInfo {
    return elementwise.unary(this.runner, op, x, out);
  }

  binary(op: BinaryOp, a: T, b: T, out: OutputSpec): TensorInfo {
    return elementwise.binary(this.runner, op, a, b, out);
  }

  where(cond: T, a: T, b: T, out: OutputSpec): TensorInfo {
    return elementwise.where(this.runner, cond, a, b, out);
  }

  cast(x: T, out: OutputSpec): TensorInfo {
    return elementwise.cast(this.runner, x, out);
  }

  reduce(op: ReduceOp, x: T, axes: readonly number[], out: OutputSpec): TensorInfo {
    return reduction.reduce(this.runner, op, x, axes, out);
  }

  argReduce(op: ArgReduceOp, x: T, axis: number, out: OutputSpec): TensorInfo {
    return reduction.argReduce(this.runner, op, x, axis, out);
  }

  reshape(x: T, out: OutputSpec): TensorInfo {
    return layout.reshape(this.runner, x, out);
  }

  transpose(x: T, perm: readonly number[], out: OutputSpec): TensorInfo {
    return layout.transpose(this.runner, x, perm, out);
  }

  slice(x: T, begin: readonly number[], size: readonly number[], out: OutputSpec): TensorInfo {
    return layout.slice(this.runner, x, begin, size, out);
  }

  concat(xs: readonly T[], axis: number, out: OutputSpec): TensorInfo {
    return layout.concat(this.runner, xs, axis, out);
  }

  pad(x: T, paddings: readonly (readonly [number, number])[], constantValue: number, out: OutputSpec): TensorInfo {
    return layout.pad(this.runner, x, paddings, constantValue, out);
  }

  gather(x: T, indices: T, axis: number, out: OutputSpec): TensorInfo {
    return layout.gather(this.runner, x, indices, axis, out);
  }

  scatterAdd(updates: T, indices: T, axis: number, out: OutputSpec): TensorInfo {
    return layout.scatterAdd(this.runner, updates, indices, axis, out);
  }

  tile(x: T, reps: readonly number[], out: OutputSpec): TensorInfo {
    return layout.tile(this.runner, x, reps, out);
  }

  reverse(x: T, axes: readonly number[], out: OutputSpec): TensorInfo {
    return layout.reverse(this.runner, x, axes, out);
  }

  // --- optional fused kernels -------------------------------------------------------------------

  softmax(x: T, out: OutputSpec): TensorInfo {
    return fused.softmax(this.runner, x, out);
  }

  logSoftmax(x: T, out: OutputSpec): TensorInfo {
    return fused.logSoftmax(this.runner, x, out);
  }

  softmaxCrossEntropy(logits: T, labels: T, out: OutputSpec): TensorInfo {
    return fused.softmaxCrossEntropy(this.runner, logits, labels, out);
  }

  lstmCell(x: T, h: T, c: T, kernel: T, recurrentKernel: T, bias: T, out: OutputSpec): [TensorInfo, TensorInfo] {
    return fused.lstmCell(this.runner, x, h, c, kernel, recurrentKernel, bias, out);
  }
}
