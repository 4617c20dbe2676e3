/**
 * The Backend interface: the small, explicit set of kernels a compute engine implements so that
 * keras-ts can run and train on it. Core checks every shape and dtype before a kernel is called,
 * so a kernel can trust its arguments: the shapes are consistent, axes are non-negative and
 * sorted, dtypes match what the kernel's doc says.
 *
 * Kernels work on opaque handles. Each argument comes as a `KernelTensor`, the handle together
 * with the shape and dtype core knows for it; each kernel returns the handle(s) of its output,
 * whose shape and dtype core has already computed (they are given to the kernel as `out` where a
 * backend needs them).
 */
import type { DType, TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';

/** A handle with the shape and dtype core knows for it. */
export interface KernelTensor<H = unknown> {
  readonly handle: H;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** The shape and dtype of a kernel's output, as computed by core. */
export interface OutputSpec {
  readonly shape: Shape;
  readonly dtype: DType;
}

// ---------------------------------------------------------------------------------------------
// Op tags of the families. Each family is data: adding a tag here makes every backend and the
// gradient table fail the typecheck until they handle it.
// ---------------------------------------------------------------------------------------------

/** Elementwise ops of one tensor. Input and output have the same shape and dtype, except `logicalNot` (bool), `isNan`/`isFinite` (float32 in, bool out). */
export const UNARY_OPS = [
  'neg', 'abs', 'sign', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'reciprocal',
  'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'erf', 'floor', 'ceil', 'round', 'softplus',
  'logicalNot', 'isNan', 'isFinite',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/**
 * Elementwise ops of two tensors with numpy broadcasting. Both inputs have the same dtype; comparisons and logical ops return bool.
 * `maximum`/`minimum` return NaN where either operand is NaN. float `pow` is C's pow (numpy's), not JavaScript's `Math.pow`:
 * `1 ** y = 1` for every y (NaN included), `(-1) ** ±Infinity = 1`, `x ** ±0 = 1` for every x (NaN included).
 */
export const BINARY_OPS = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'floorDiv', 'mod',
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

/** Reductions over a sorted, non-empty list of axes; the output drops the reduced axes (core re-adds them for keepdims). `max`/`min` of a group holding NaN is NaN. */
export const REDUCE_OPS = ['sum', 'mean', 'max', 'min', 'prod'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/** Index of the largest/smallest element along one axis (first on ties; NaN beats every number, so the first NaN's index wins); output int32 without that axis. */
export const ARG_REDUCE_OPS = ['argmax', 'argmin'] as const;
export type ArgReduceOp = (typeof ARG_REDUCE_OPS)[number];

/** Attributes of a 2-D convolution in NHWC layout with an HWIO kernel. */
export interface Conv2DAttrs {
  /** [strideHeight, strideWidth] */
  readonly strides: readonly [number, number];
  /** explicit zero padding [[top, bottom], [left, right]]; core turns Keras's 'same' into this */
  readonly pads: readonly [readonly [number, number], readonly [number, number]];
  /** [dilationHeight, dilationWidth] */
  readonly dilations: readonly [number, number];
}

/** Attributes of 2-D pooling in NHWC layout. */
export interface Pool2DAttrs {
  /** [poolHeight, poolWidth] */
  readonly poolSize: readonly [number, number];
  readonly strides: readonly [number, number];
  /** Keras padding mode; `pads` are the explicit amounts it implies. */
  readonly padding: 'valid' | 'same';
  /**
   * Explicit padding [[top, bottom], [left, right]]. Padded cells never win a max and are not
   * counted in an average (the divisor is the number of real cells in the window), as in Keras.
   */
  readonly pads: readonly [readonly [number, number], readonly [number, number]];
}

/** Attributes of an LSTM cell in Keras's gate order (i, f, c, o). */
export interface LstmCellAttrs {
  /** Activations of Keras's LSTM: `activation` for the candidate and the output, `recurrentActivation` for the gates. */
  readonly activation: 'tanh';
  readonly recurrentActivation: 'sigmoid';
}

/** What `capabilities()` reports: which kernels run natively on the backend and which core composes for it. */
export interface BackendCapabilities {
  /** Kernel names the backend runs itself. */
  readonly native: readonly string[];
  /** Optional kernel names the backend lacks, so core composes them from required kernels. */
  readonly composed: readonly string[];
  /** Free-form notes: binaries in use, thread counts, known limits. */
  readonly notes?: readonly string[];
}

/**
 * Required kernels. Every handle a kernel returns is new: core disposes each handle exactly once.
 */
export interface BackendMemory<H> {
  /** Uploads values (already in the storage type of `dtype`) as a new handle of that shape. */
  upload(values: TypedArray, shape: Shape, dtype: DType): H;
  /** Reads a handle back. The returned array may be a view the caller must not mutate. */
  readSync(x: KernelTensor<H>): TypedArray;
  read(x: KernelTensor<H>): Promise<TypedArray>;
  dispose(handle: H): void;
  /**
   * Optional: like `upload`, but the backend may keep `values` itself (a view into a larger
   * array) instead of copying it: core promises not to change them while the handle lives. Core
   * uses it for the rows of a batch that fit, evaluate and predict feed, so a batch reaches the
   * engine with no copy. Without it core copies the rows and calls `upload`.
   */
  borrow?(values: TypedArray, shape: Shape, dtype: DType): H;
}

export interface BackendMatmul<H> {
  /**
   * Batched matrix product of rank-3 tensors: a `[batchA, m, k]` (or `[batchA, k, m]` with
   * transposeA), b `[batchB, k, n]` (or `[batchB, n, k]` with transposeB); batchA and batchB are
   * equal or one of them is 1 (broadcast). Output `[max(batchA, batchB), m, n]`, float32.
   */
  matmul(a: KernelTensor<H>, b: KernelTensor<H>, transposeA: boolean, transposeB: boolean, out: OutputSpec): H;
}

export interface BackendConvolution<H> {
  /** x `[n, h, w, cin]`, filter `[kh, kw, cin, cout]` -> `[n, oh, ow, cout]`. */
  conv2d(x: KernelTensor<H>, filter: KernelTensor<H>, attrs: Conv2DAttrs, out: OutputSpec): H;
  /** Gradient of conv2d with respect to x (also Conv2DTranspose's forward): dy `[n, oh, ow, cout]` -> `[n, h, w, cin]` = out.shape. */
  conv2dBackpropInput(dy: KernelTensor<H>, filter: KernelTensor<H>, attrs: Conv2DAttrs, out: OutputSpec): H;
  /** Gradient of conv2d with respect to the filter: -> `[kh, kw, cin, cout]` = out.shape. */
  conv2dBackpropFilter(x: KernelTensor<H>, dy: KernelTensor<H>, attrs: Conv2DAttrs, out: OutputSpec): H;
}

export interface BackendPooling<H> {
  /** The maximum of each window's real cells; a window holding NaN gives NaN (numpy's rule: NaN wins a maximum). */
  maxPool2d(x: KernelTensor<H>, attrs: Pool2DAttrs, out: OutputSpec): H;
  avgPool2d(x: KernelTensor<H>, attrs: Pool2DAttrs, out: OutputSpec): H;
  /**
   * dy flows to the first maximum of each window, in row-major window order; where the window holds
   * NaN, to its first NaN (the cell maxPool2d took). Returns a tensor shaped like x.
   */
  maxPool2dBackprop(dy: KernelTensor<H>, x: KernelTensor<H>, attrs: Pool2DAttrs, out: OutputSpec): H;
  /** dy is spread evenly over the real cells of each window. Returns a tensor of `out.shape` (x's shape). */
  avgPool2dBackprop(dy: KernelTensor<H>, attrs: Pool2DAttrs, out: OutputSpec): H;
}

export interface BackendStatistics<H> {
  /**
   * Mean and biased variance (divide by N) over the sorted `axes`, both without those axes.
   * Must be accurate when the mean is large against the spread: use two passes or Welford, not E[x²] − E[x]².
   */
  moments(x: KernelTensor<H>, axes: readonly number[], out: OutputSpec): [H, H];
}

export interface BackendElementwise<H> {
  unary(op: UnaryOp, x: KernelTensor<H>, out: OutputSpec): H;
  /**
   * Inputs have one dtype (core casts first) and broadcast to `out.shape`. `maximum`/`minimum` propagate NaN;
   * float `pow` follows C's pow, not `Math.pow` (`1 ** NaN = 1`, `(-1) ** ±Infinity = 1`, `NaN ** 0 = 1`).
   */
  binary(op: BinaryOp, a: KernelTensor<H>, b: KernelTensor<H>, out: OutputSpec): H;
  /** cond bool, a and b of out.dtype; all three broadcast to `out.shape`. */
  where(cond: KernelTensor<H>, a: KernelTensor<H>, b: KernelTensor<H>, out: OutputSpec): H;
  cast(x: KernelTensor<H>, out: OutputSpec): H;
}

export interface BackendReduction<H> {
  /**
   * axes: sorted, non-empty, within rank; the output drops them. `mean` of int32 is int32 (truncated), as in tfjs.
   * `max`/`min` propagate NaN: a group holding NaN gives NaN, as numpy.max.
   */
  reduce(op: ReduceOp, x: KernelTensor<H>, axes: readonly number[], out: OutputSpec): H;
  /**
   * The index along `axis` of the largest (argmax) or smallest (argmin) element, int32, without that axis.
   * Ties go to the first index; NaN beats every number, so the first NaN's index wins (numpy.argmax([1, NaN, 3]) is 1).
   */
  argReduce(op: ArgReduceOp, x: KernelTensor<H>, axis: number, out: OutputSpec): H;
}

export interface BackendLayout<H> {
  /** Same number of elements, new shape. Returns a new handle (it may share storage). */
  reshape(x: KernelTensor<H>, out: OutputSpec): H;
  transpose(x: KernelTensor<H>, perm: readonly number[], out: OutputSpec): H;
  /** begin and size per axis, both within bounds. */
  slice(x: KernelTensor<H>, begin: readonly number[], size: readonly number[], out: OutputSpec): H;
  /** Inputs share rank, dtype and every axis but `axis`. */
  concat(xs: readonly KernelTensor<H>[], axis: number, out: OutputSpec): H;
  /** Constant padding: `paddings[i] = [before, after]`, both >= 0. */
  pad(x: KernelTensor<H>, paddings: readonly (readonly [number, number])[], constantValue: number, out: OutputSpec): H;
  /** Takes slices along `axis` at int32 `indices` (each within [0, x.shape[axis])). Output: x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
  gather(x: KernelTensor<H>, indices: KernelTensor<H>, axis: number, out: OutputSpec): H;
  /**
   * The adjoint of gather: a zero tensor of `out.shape` into which each slice of `updates` is added at
   * its index along `axis` (repeated indices accumulate). updates: out.shape[:axis] + indices.shape + out.shape[axis+1:].
   */
  scatterAdd(updates: KernelTensor<H>, indices: KernelTensor<H>, axis: number, out: OutputSpec): H;
  /** Repeats x `reps[i]` times along axis i. */
  tile(x: KernelTensor<H>, reps: readonly number[], out: OutputSpec): H;
  /** Reverses x along the sorted `axes`. */
  reverse(x: KernelTensor<H>, axes: readonly number[], out: OutputSpec): H;
}

/** The kernels every backend must have. */
export interface RequiredKernels<H>
  extends BackendMemory<H>,
    BackendMatmul<H>,
    BackendConvolution<H>,
    BackendPooling<H>,
    BackendStatistics<H>,
    BackendElementwise<H>,
    BackendReduction<H>,
    BackendLayout<H> {}

/**
 * Fused kernels a backend may offer for speed. Core has a composite default for each (built from
 * required kernels), and their gradients are core's, so a backend that offers one needs only the
 * forward pass and must match the composite within float32 tolerance.
 */
export interface OptionalKernels<H> {
  /**
   * One LSTM step in Keras's gate order (i, f, c, o): x `[b, in]`, h and c `[b, units]`, kernel
   * `[in, 4·units]`, recurrentKernel `[units, 4·units]`, bias `[4·units]`. Returns [h', c'].
   */
  lstmCell?(
    x: KernelTensor<H>, h: KernelTensor<H>, c: KernelTensor<H>,
    kernel: KernelTensor<H>, recurrentKernel: KernelTensor<H>, bias: KernelTensor<H>,
    out: OutputSpec,
  ): [H, H];
  /**
   * A whole LSTM over time: x `[b, t, in]`, initial h and c `[b, units]`. Returns
   * [sequences `[b, t, units]`, last h, last c].
   */
  lstmSequence?(
    x: KernelTensor<H>, h0: KernelTensor<H>, c0: KernelTensor<H>,
    kernel: KernelTensor<H>, recurrentKernel: KernelTensor<H>, bias: KernelTensor<H>,
    out: OutputSpec,
  ): [H, H, H];
  /** softmax along the last axis. */
  softmax?(x: KernelTensor<H>, out: OutputSpec): H;
  /** log-softmax along the last axis. */
  logSoftmax?(x: KernelTensor<H>, out: OutputSpec): H;
  /**
   * Per-sample softmax cross-entropy from logits `[b, classes]` and float32 one-hot (or soft)
   * labels of the same shape: `-sum(labels * logSoftmax(logits), -1)`, output `[b]`.
   */
  softmaxCrossEntropy?(logits: KernelTensor<H>, labels: KernelTensor<H>, out: OutputSpec): H;
  /**
   * Adam's update of one float32 weight (keras.optimizers.Adam without AMSGrad), elementwise over
   * `variable`, its moments `m` and `v` and `gradient` (all of `out`'s shape) with the scalar step
   * size `alpha` (the learning rate with the bias correction folded in). Returns [variable', m', v']:
   *
   * ```
   * m' = m + (gradient - m) · c1          c1 = float32(1 - beta1)
   * v' = v + (gradient² - v) · c2         c2 = float32(1 - beta2)
   * variable' = variable - (m' · alpha) / (sqrt(v') + epsilon)
   * ```
   * each operation rounded to float32 in this order, as core's composite does it. One liberty: a
   * backend may store as zero a moment so small that it or its next product (m'·alpha,
   * (gradient - m')·c1, (gradient² - v')·c2) would be subnormal (below 2^-126), as processors in
   * flush-to-zero mode do; the onnx backend does (subnormal arithmetic is ~4x slower on x86 and
   * WebAssembly cannot switch that mode on). The inputs are not changed (a backend writes the
   * results to new storage, as any kernel does).
   */
  adamUpdate?(
    variable: KernelTensor<H>, m: KernelTensor<H>, v: KernelTensor<H>, gradient: KernelTensor<H>, alpha: KernelTensor<H>,
    attrs: AdamAttrs, out: OutputSpec,
  ): [H, H, H];
}

/** The constants of an Adam update (see `OptionalKernels.adamUpdate`). */
export interface AdamAttrs {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export const OPTIONAL_KERNELS = ['lstmCell', 'lstmSequence', 'softmax', 'logSoftmax', 'softmaxCrossEntropy', 'adamUpdate'] as const;
export type OptionalKernelName = (typeof OPTIONAL_KERNELS)[number];

// ---------------------------------------------------------------------------------------------
// Whole-graph compilation (optional). Core's compiled steps (runtime/compile.ts) record one call
// of a training, evaluation or prediction step while it runs eagerly, then run the recording as
// one graph. A backend offers this by implementing `recordGraph`.
// ---------------------------------------------------------------------------------------------

/** A value the recorded graph read but did not compute: fed at each run, or baked in as a constant. */
export interface CapturedValue<H> {
  readonly handle: H;
  /** True when the handle was uploaded during the recording (a constant the step made itself). */
  readonly madeDuringRecording: boolean;
}

/** A host read (readSync/read) of a captured value during the recording, with the values read. */
export interface CapturedRead<H> {
  readonly handle: H;
  readonly values: TypedArray;
  /** True when the handle was uploaded during the recording. */
  readonly madeDuringRecording: boolean;
}

/** A recording that succeeded: what it captured, and how to compile it. */
export interface RecordedGraph<H> {
  readonly ok: true;
  /** Every captured value, in the order `compile`'s `fed` flags and the compiled run's feeds follow. */
  readonly captures: readonly CapturedValue<H>[];
  /** Host reads of captured values (a read of a computed value fails the recording instead). */
  readonly reads: readonly CapturedRead<H>[];
  /**
   * Builds the graph: `fed[i]` true makes capture i an input fed at each run; false bakes its
   * values (read now) into the graph as a constant.
   */
  compile(fed: readonly boolean[]): CompiledGraph<H>;
}

/** Why a recording cannot be compiled (a host read of a computed value, an empty tensor, ...). */
export interface FailedRecording {
  readonly ok: false;
  readonly reason: string;
}

/** A compiled recording: one run computes the recorded outputs from the fed captures. */
export interface CompiledGraph<H> {
  /** The fed captures in order (shapes and dtypes as recorded); returns new handles, one per recorded output. */
  run(feeds: readonly KernelTensor<H>[]): H[];
  /** Frees the graph's session. */
  dispose(): void;
}

/** An open recording. Kernels keep running eagerly while it records. */
export interface GraphRecorder<H> {
  /** Ends the recording with the tensors the graph must output (each computed or captured during it), in order. */
  finish(outputs: readonly KernelTensor<H>[]): RecordedGraph<H> | FailedRecording;
  /** Ends the recording and discards it (core found a reason it cannot be compiled, e.g. a random draw). */
  cancel(): void;
}

/** Optional: recording kernel calls into one graph, which core then runs in place of the step. */
export interface BackendGraphCompiler<H> {
  /**
   * Starts recording every kernel call (and upload and host read) until `finish` or `cancel`.
   * Only one recording is open at a time.
   */
  recordGraph?(): GraphRecorder<H>;
}

/** A compute engine for keras-ts. `H` is the backend's own handle type. */
export interface Backend<H = unknown> extends RequiredKernels<H>, OptionalKernels<H>, BackendGraphCompiler<H> {
  /** The name it is registered under, e.g. 'tfjs-cpu'. */
  readonly name: string;
  /** Which kernels are native and which core composes; see `describeCapabilities` for the full report. */
  capabilities?(): Partial<BackendCapabilities>;
  /** Frees everything the backend holds (used by tests and when switching backends). */
  close?(): void;
}

/** What `registerBackend` takes: a function that makes a backend, possibly asynchronously. */
export type BackendFactory = () => Backend | Promise<Backend>;

/** The names of the required kernels, for capability reports and the conformance kit. */
export const REQUIRED_KERNELS = [
  'upload', 'readSync', 'read', 'dispose', 'matmul', 'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter',
  'maxPool2d', 'avgPool2d', 'maxPool2dBackprop', 'avgPool2dBackprop', 'moments', 'unary', 'binary', 'where', 'cast',
  'reduce', 'argReduce', 'reshape', 'transpose', 'slice', 'concat', 'pad', 'gather', 'scatterAdd', 'tile', 'reverse',
] as const satisfies readonly (keyof RequiredKernels<unknown>)[];
