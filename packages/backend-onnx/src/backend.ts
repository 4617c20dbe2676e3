/**
 * OnnxBackend: every kernel of keras-ts's Backend interface as an ONNX graph run synchronously
 * by onnxruntime-node (one cached session per kernel, op attributes, dtypes and ranks). The
 * kernels live under ./kernels; this class keeps the handles, checks what goes in and comes out,
 * and skips the runs that move no data (reshape, same-dtype cast, reversal along no axis, empty outputs).
 */
import { availableParallelism } from 'node:os';
import {
  OPTIONAL_KERNELS, REQUIRED_KERNELS,
  type AdamAttrs, type ArgReduceOp, type Backend, type BackendCapabilities, type BinaryOp, type Conv2DAttrs, type DType, type FailedRecording,
  type CompiledGraph, type GraphRecorder, type RecordedGraph,
  type OutputSpec, type Pool2DAttrs, type ReduceOp, type Shape, type TypedArray, type UnaryOp,
} from '@keras-ts/core';
import { copyStorage, Executor, feedOf, OnnxHandle, sizeOf, storageMatches, type T } from './executor.js';
import * as conv from './kernels/conv.js';
import * as elementwise from './kernels/elementwise.js';
import * as fused from './kernels/fused.js';
import * as optimizer from './kernels/optimizer.js';
import { adamOnHost } from './host/adam.js';
import { HostMemory } from './host/arena.js';
import * as layout from './kernels/layout.js';
import * as pool from './kernels/pool.js';
import * as reduction from './kernels/reduction.js';
import { OPSET } from './onnx/proto.js';
import { checkBinding, PINNED_ORT_VERSION, type KernelSession, type OrtOut } from './onnx/runtime.js';
import type { HostPlan, HostSource } from './recording.js';

export interface OnnxBackendOptions {
  /**
   * Intra-op threads of the sessions of ordinary kernels. Default 1: as fast as 2 for the small
   * ops of eager execution (slower for large elementwise ops), and no session owns idle threads.
   */
  readonly intraOpThreads?: number;
  /** Intra-op threads for heavy matmul, convolution and LSTM calls. Default: the machine's cores. */
  readonly heavyOpThreads?: number;
  /** Floating-point operations from which a call counts as heavy. Default 2^24 (a 203³ matmul). */
  readonly heavyWork?: number;
  /**
   * Most elements of the patch matrix conv2dBackpropFilter builds (taps × x's elements);
   * beyond it the kernel runs as one slower Conv that needs no such matrix. Default 2^25 (128 MB).
   */
  readonly maxIm2colElements?: number;
  /** Most sessions kept (least recently used evicted first). Default 512. */
  readonly maxSessions?: number;
  /**
   * Largest weight (elements) whose optimizer update runs on the host in WebAssembly; larger ones run
   * as onnxruntime graphs (the same values), so that no arena holds several copies of a huge weight.
   * Default 2^22 (16 MB of float32).
   */
  readonly maxHostUpdateElements?: number;
}

/** This realm's storage constructors: an array of another realm (Jest's sandbox) must be copied for onnxruntime. */
const STORAGE: Record<DType, new (n: number) => TypedArray> = { float32: Float32Array, int32: Int32Array, bool: Uint8Array };

const EMPTY: Record<DType, () => TypedArray> = {
  float32: () => new Float32Array(0), int32: () => new Int32Array(0), bool: () => new Uint8Array(0),
};

export class OnnxBackend implements Backend<OnnxHandle> {
  readonly name = 'onnx';
  private readonly ex: Executor;
  private readonly maxIm2colElements: number;
  private readonly maxHostUpdateElements: number;
  private readonly live = new Set<OnnxHandle>();
  /** Storage of the kernels that run on the host (Adam's update), recycled as handles over it are disposed. */
  private readonly host = new HostMemory();
  private closed = false;

  constructor(options: OnnxBackendOptions = {}) {
    // Checks the pinned onnxruntime-node and its binding now, so a mismatch fails at setBackend, not mid-model.
    checkBinding();
    this.ex = new Executor('onnx', {
      intraOpThreads: options.intraOpThreads ?? 1,
      heavyOpThreads: options.heavyOpThreads ?? availableParallelism(),
      heavyWork: options.heavyWork ?? 2 ** 24,
      maxSessions: options.maxSessions ?? 512,
    });
    this.maxIm2colElements = options.maxIm2colElements ?? 2 ** 25;
    this.maxHostUpdateElements = options.maxHostUpdateElements ?? 2 ** 22;
  }

  /** How many handles are alive (for leak checks). */
  numHandles(): number {
    return this.live.size;
  }

  /** How many onnxruntime sessions are cached. */
  sessionCacheSize(): number {
    return this.ex.cacheSize;
  }

  /** How many compiled step graphs (whole-graph compilation) are alive. */
  compiledGraphCount(): number {
    return this.ex.graphCount;
  }

  /** Sessions cached, kernel runs, and graphs compiled since creation. */
  sessionStats(): { sessions: number; runs: number; compiles: number } {
    return this.ex.stats();
  }

  capabilities(): Partial<BackendCapabilities> {
    return {
      native: [...REQUIRED_KERNELS, ...OPTIONAL_KERNELS],
      composed: [],
      notes: [
        `onnxruntime-node ${PINNED_ORT_VERSION} (CPU), through its synchronous native binding; ONNX opset ${OPSET}.`,
        'One session per kernel graph, keyed by op, attributes, dtypes and ranks (symbolic dimensions).',
        `Intra-op threads: ${this.ex.options.intraOpThreads} per session, ${this.ex.options.heavyOpThreads} for matmul/convolution/LSTM calls of at least ${this.ex.options.heavyWork} FLOPs.`,
        'NHWC convolution and pooling transpose to NCHW and back inside the same graph.',
        'Whole-graph compilation: fit\'s, evaluate\'s and predict\'s default steps run as one ONNX model per batch signature ' +
          '(recorded on the second call) with both cores: training feeds the weights in place, predict bakes them in as constants ' +
          '(pre-packed by onnxruntime; new weights record again, and weights that keep changing are fed). Random draws (Dropout and ' +
          'other noise layers) are drawn again in JavaScript and fed, and so are the learning rate and a schedule\'s value. Steps that ' +
          'read computed values on the host, shuffle, create variables or make empty tensors stay kernel by kernel (input values only checked on the host, ' +
          'as Embedding\'s and CategoryEncoding\'s index ranges, are checked again before each run); ' +
          'compiledStepReport(model) says which and why. compile({ jitCompile: false }) turns it off.',
        `Adam's update (adamUpdate) runs on the host in one WebAssembly SIMD pass over recycled storage, also after a compiled training graph ` +
          `(which then computes only the gradients); weights of more than ${this.maxHostUpdateElements} elements update in onnxruntime.`,
      ],
    };
  }

  close(): void {
    this.ex.close();
    this.live.clear();
    this.host.clear();
    this.closed = true;
  }

  // --- memory -----------------------------------------------------------------------------------

  /** Copies the values into this realm's typed array (the caller may reuse its array; onnxruntime needs this realm's arrays). */
  upload(values: TypedArray, shape: Shape, dtype: DType): OnnxHandle {
    if (values.length !== sizeOf(shape)) {
      throw new Error(`onnx.upload: ${values.length} values for shape [${shape.join(', ')}] of ${sizeOf(shape)} elements.`);
    }
    if (!storageMatches(values, dtype)) throw new TypeError(`onnx.upload: a ${values.constructor.name} is not the storage of ${dtype}.`);
    const handle = this.wrap(copyStorage(values, dtype));
    this.ex.recording?.uploaded(handle);
    return handle;
  }

  /** Keeps `values` as the handle (core will not change them while it lives); copies only an array of another realm, which onnxruntime rejects. */
  borrow(values: TypedArray, shape: Shape, dtype: DType): OnnxHandle {
    if (values.length !== sizeOf(shape)) {
      throw new Error(`onnx.borrow: ${values.length} values for shape [${shape.join(', ')}] of ${sizeOf(shape)} elements.`);
    }
    return this.wrap(storageMatches(values, dtype) && values instanceof STORAGE[dtype] ? values : copyStorage(values, dtype));
  }

  /** The handle's own array: a view the caller must not mutate. */
  readSync(x: T): TypedArray {
    this.ex.recording?.read(x);
    return this.check(x, 'readSync').handle.data;
  }

  read(x: T): Promise<TypedArray> {
    return Promise.resolve(this.readSync(x));
  }

  dispose(handle: OnnxHandle): void {
    if (this.closed) return;
    if (!this.live.delete(handle)) throw new Error('onnx.dispose: the handle is not live (disposed twice, or made by another backend).');
    this.host.release(handle.data);
  }

  /** How many host memory blocks are in use (for leak checks). */
  hostBlockCount(): number {
    return this.host.blockCount;
  }

  // --- kernels ----------------------------------------------------------------------------------

  matmul(a: T, b: T, transposeA: boolean, transposeB: boolean, out: OutputSpec): OnnxHandle {
    return this.run('matmul', [a, b], out, () => conv.matmul(this.ex, a, b, transposeA, transposeB, out));
  }

  conv2d(x: T, filter: T, attrs: Conv2DAttrs, out: OutputSpec): OnnxHandle {
    return this.run('conv2d', [x, filter], out, () => conv.conv2d(this.ex, x, filter, attrs, out));
  }

  conv2dBackpropInput(dy: T, filter: T, attrs: Conv2DAttrs, out: OutputSpec): OnnxHandle {
    return this.run('conv2dBackpropInput', [dy, filter], out, () => conv.conv2dBackpropInput(this.ex, dy, filter, attrs, out));
  }

  conv2dBackpropFilter(x: T, dy: T, attrs: Conv2DAttrs, out: OutputSpec): OnnxHandle {
    return this.run('conv2dBackpropFilter', [x, dy], out, () => conv.conv2dBackpropFilter(this.ex, x, dy, attrs, out, this.maxIm2colElements));
  }

  maxPool2d(x: T, attrs: Pool2DAttrs, out: OutputSpec): OnnxHandle {
    return this.run('maxPool2d', [x], out, () => pool.maxPool2d(this.ex, x, attrs, out));
  }

  avgPool2d(x: T, attrs: Pool2DAttrs, out: OutputSpec): OnnxHandle {
    return this.run('avgPool2d', [x], out, () => pool.avgPool2d(this.ex, x, attrs, out));
  }

  maxPool2dBackprop(dy: T, x: T, attrs: Pool2DAttrs, out: OutputSpec): OnnxHandle {
    return this.run('maxPool2dBackprop', [dy, x], out, () => pool.maxPool2dBackprop(this.ex, dy, x, attrs, out));
  }

  avgPool2dBackprop(dy: T, attrs: Pool2DAttrs, out: OutputSpec): OnnxHandle {
    return this.run('avgPool2dBackprop', [dy], out, () => pool.avgPool2dBackprop(this.ex, dy, attrs, out));
  }

  moments(x: T, axes: readonly number[], out: OutputSpec): [OnnxHandle, OnnxHandle] {
    this.checkAll([x], 'moments');
    if (sizeOf(out.shape) === 0) return [this.empty(out), this.empty(out)];
    const [mean, variance] = reduction.moments(this.ex, x, axes, out);
    return [this.output('moments', mean, out), this.output('moments', variance, out)];
  }

  unary(op: UnaryOp, x: T, out: OutputSpec): OnnxHandle {
    return this.run(`unary '${op}'`, [x], out, () => elementwise.unary(this.ex, op, x, out));
  }

  binary(op: BinaryOp, a: T, b: T, out: OutputSpec): OnnxHandle {
    return this.run(`binary '${op}'`, [a, b], out, () => elementwise.binary(this.ex, op, a, b, out));
  }

  where(cond: T, a: T, b: T, out: OutputSpec): OnnxHandle {
    return this.run('where', [cond, a, b], out, () => elementwise.where(this.ex, cond, a, b, out));
  }

  /** A cast to the same dtype shares the storage: no kernel ever writes into its inputs. */
  cast(x: T, out: OutputSpec): OnnxHandle {
    if (x.dtype === out.dtype) return this.alias(x, this.wrap(this.check(x, 'cast').handle.data));
    return this.run('cast', [x], out, () => elementwise.cast(this.ex, x, out));
  }

  reduce(op: ReduceOp, x: T, axes: readonly number[], out: OutputSpec): OnnxHandle {
    return this.run(`reduce '${op}'`, [x], out, () => reduction.reduce(this.ex, op, x, axes, out));
  }

  argReduce(op: ArgReduceOp, x: T, axis: number, out: OutputSpec): OnnxHandle {
    return this.run(`argReduce '${op}'`, [x], out, () => reduction.argReduce(this.ex, op, x, axis, out));
  }

  /** Same elements in the same order: a new handle over the same storage, no session run. */
  reshape(x: T, out: OutputSpec): OnnxHandle {
    const handle = this.wrap(this.check(x, 'reshape').handle.data);
    this.ex.recording?.reshape(x, handle, out.shape);
    return handle;
  }

  transpose(x: T, perm: readonly number[], out: OutputSpec): OnnxHandle {
    return this.run('transpose', [x], out, () => layout.transpose(this.ex, x, perm, out));
  }

  slice(x: T, begin: readonly number[], size: readonly number[], out: OutputSpec): OnnxHandle {
    return this.run('slice', [x], out, () => layout.slice(this.ex, x, begin, size, out));
  }

  concat(xs: readonly T[], axis: number, out: OutputSpec): OnnxHandle {
    return this.run('concat', xs, out, () => layout.concat(this.ex, xs, axis, out));
  }

  pad(x: T, paddings: readonly (readonly [number, number])[], constantValue: number, out: OutputSpec): OnnxHandle {
    return this.run('pad', [x], out, () => layout.pad(this.ex, x, paddings, constantValue, out));
  }

  gather(x: T, indices: T, axis: number, out: OutputSpec): OnnxHandle {
    return this.run('gather', [x, indices], out, () => layout.gather(this.ex, x, indices, axis, out));
  }

  scatterAdd(updates: T, indices: T, axis: number, out: OutputSpec): OnnxHandle {
    return this.run('scatterAdd', [updates, indices], out, () => layout.scatterAdd(this.ex, updates, indices, axis, out));
  }

  tile(x: T, reps: readonly number[], out: OutputSpec): OnnxHandle {
    return this.run('tile', [x], out, () => layout.tile(this.ex, x, reps, out));
  }

  reverse(x: T, axes: readonly number[], out: OutputSpec): OnnxHandle {
    if (axes.length === 0) return this.alias(x, this.wrap(this.check(x, 'reverse').handle.data));
    return this.run('reverse', [x], out, () => layout.reverse(this.ex, x, axes, out));
  }

  // --- optional fused kernels -------------------------------------------------------------------

  softmax(x: T, out: OutputSpec): OnnxHandle {
    return this.run('softmax', [x], out, () => fused.softmax(this.ex, x, out));
  }

  logSoftmax(x: T, out: OutputSpec): OnnxHandle {
    return this.run('logSoftmax', [x], out, () => fused.logSoftmax(this.ex, x, out));
  }

  softmaxCrossEntropy(logits: T, labels: T, out: OutputSpec): OnnxHandle {
    return this.run('softmaxCrossEntropy', [logits, labels], out, () => fused.softmaxCrossEntropy(this.ex, logits, labels, out));
  }

  lstmCell(x: T, h: T, c: T, kernel: T, recurrentKernel: T, bias: T, out: OutputSpec): [OnnxHandle, OnnxHandle] {
    this.checkAll([x, h, c, kernel, recurrentKernel, bias], 'lstmCell');
    const [hNext, cNext] = fused.lstmCell(this.ex, x, h, c, kernel, recurrentKernel, bias, out);
    return [this.output('lstmCell', hNext, out), this.output('lstmCell', cNext, out)];
  }

  /** With no time steps the sequences are empty and the last states are h0 and c0 (shared, as a reshape would). */
  lstmSequence(x: T, h0: T, c0: T, kernel: T, recurrentKernel: T, bias: T, out: OutputSpec): [OnnxHandle, OnnxHandle, OnnxHandle] {
    this.checkAll([x, h0, c0, kernel, recurrentKernel, bias], 'lstmSequence');
    const state: OutputSpec = { shape: h0.shape, dtype: out.dtype };
    if (x.shape[1] === 0) return [this.empty(out), this.alias(h0, this.wrap(h0.handle.data)), this.alias(c0, this.wrap(c0.handle.data))];
    const [seq, h, c] = fused.lstmSequence(this.ex, x, h0, c0, kernel, recurrentKernel, bias, out);
    return [this.output('lstmSequence', seq, out), this.output('lstmSequence', h, state), this.output('lstmSequence', c, state)];
  }

  /**
   * On the host, in one WebAssembly SIMD pass over arena storage (no onnxruntime run, no new arrays
   * once the arenas are warm); an update larger than an arena holds runs as an onnxruntime graph.
   */
  adamUpdate(variable: T, m: T, v: T, gradient: T, alpha: T, attrs: AdamAttrs, out: OutputSpec): [OnnxHandle, OnnxHandle, OnnxHandle] {
    const inputs = [variable, m, v, gradient, alpha];
    this.checkAll(inputs, 'adamUpdate');
    if (sizeOf(out.shape) === 0) return [this.empty(out), this.empty(out), this.empty(out)];
    if (sizeOf(out.shape) > this.maxHostUpdateElements) {
      const [next, mNext, vNext] = optimizer.adamUpdate(this.ex, variable, m, v, gradient, alpha, attrs, out);
      return [this.output('adamUpdate', next, out), this.output('adamUpdate', mNext, out), this.output('adamUpdate', vNext, out)];
    }
    // Also the step a compiled graph runs after onnxruntime, on the values it computed or was fed.
    const run = ([w, mi, vi, g, a]: readonly TypedArray[]) =>
      adamOnHost(this.host, w as Float32Array, mi as Float32Array, vi as Float32Array, g as Float32Array, a[0], attrs);
    const handles = run(inputs.map((x) => x.handle.data)).map((data) => this.wrap(data));
    this.ex.recording?.host('adamUpdate', inputs, handles, optimizer.adamGraph(attrs), run);
    return [handles[0], handles[1], handles[2]];
  }

  // --- handles ----------------------------------------------------------------------------------

  /** Checks the inputs, skips the run when the output is empty, and checks the output. */
  private run(kernel: string, inputs: readonly T[], out: OutputSpec, body: () => OrtOut): OnnxHandle {
    this.checkAll(inputs, kernel);
    if (sizeOf(out.shape) === 0) return this.empty(out);
    return this.output(kernel, body(), out);
  }

  /** The output as a handle, after checking that onnxruntime gave core's shape and dtype. */
  private output(kernel: string, result: OrtOut, out: OutputSpec): OnnxHandle {
    const { data, dims } = result;
    if (dims.length !== out.shape.length || dims.some((d, i) => d !== out.shape[i]) || !storageMatches(data, out.dtype)) {
      throw new Error(
        `onnx: kernel ${kernel} produced a ${data.constructor.name} of shape [${dims.join(', ')}] where core expects ${out.dtype} [${out.shape.join(', ')}] (internal error).`,
      );
    }
    return this.wrap(data as TypedArray);
  }

  private wrap(data: TypedArray): OnnxHandle {
    const handle = new OnnxHandle(data);
    this.live.add(handle);
    this.host.retain(data);
    this.ex.recording?.wrapped(data, handle);
    return handle;
  }

  /** A new handle over x's values, which a recording knows holds x's graph value. */
  private alias(x: T, handle: OnnxHandle): OnnxHandle {
    this.ex.recording?.alias(x, handle);
    return handle;
  }

  /** An empty output: no run, so no graph node makes it, and a recording that meets one gives up (rare in a step). */
  private empty(out: OutputSpec): OnnxHandle {
    this.ex.recording?.fail(`it makes an empty ${out.dtype} [${out.shape.join(', ')}] tensor`);
    return this.wrap(EMPTY[out.dtype]());
  }

  // --- whole-graph compilation ------------------------------------------------------------------

  /** A compiled graph over its session. Made apart from the recording, so that it keeps none of the recorded step's arrays alive. */
  private compiledGraph(session: KernelSession, shapes: readonly OutputSpec[], plan: HostPlan | undefined): CompiledGraph<OnnxHandle> {
    return {
      run: (feeds) => {
        this.checkAll(feeds as readonly T[], 'compiled graph');
        let results: OrtOut[];
        try {
          results = session.run((feeds as readonly T[]).map(feedOf));
        } catch (e) {
          throw new Error(`onnx: a compiled step failed in onnxruntime: ${(e as Error).message}`, { cause: e });
        }
        if (plan === undefined) return results.map((r, i) => this.output('compiled graph', r, shapes[i]));
        return this.runHostSteps(plan, feeds as readonly T[], results, shapes);
      },
      dispose: () => this.ex.releaseGraph(session),
    };
  }

  /** A compiled graph's host steps, after onnxruntime ran the graph; then every output as a handle. */
  private runHostSteps(plan: HostPlan, feeds: readonly T[], results: readonly OrtOut[], shapes: readonly OutputSpec[]): OnnxHandle[] {
    const made: (readonly TypedArray[])[] = [];
    const valueOf = (s: HostSource): TypedArray =>
      s.kind === 'graph' ? (results[s.index].data as TypedArray) : s.kind === 'feed' ? feeds[s.index].handle.data : made[s.step][s.index];
    for (const step of plan.steps) made.push(step.run(step.inputs.map(valueOf)));
    const handles = plan.results.map((s, i) =>
      this.output('compiled graph', s.kind === 'graph' ? results[s.index] : { data: valueOf(s) as OrtOut['data'], dims: shapes[i].shape }, shapes[i]));
    // A host output no handle took (none for Adam, whose outputs are all new values) goes back to its arena.
    for (const outputs of made) for (const data of outputs) this.host.discard(data as Float32Array);
    return handles;
  }

  /** Records every kernel call, upload and host read into one graph until the recorder finishes or cancels. */
  recordGraph(): GraphRecorder<OnnxHandle> {
    const recording = this.ex.startRecording();
    let open = true;
    const stop = () => {
      if (open) this.ex.stopRecording();
      open = false;
    };
    return {
      cancel: stop,
      finish: (outputs): RecordedGraph<OnnxHandle> | FailedRecording => {
        stop();
        const names = outputs.map((o) => (recording.failure === undefined ? recording.valueOf(o) : ''));
        if (recording.failure !== undefined) return { ok: false, reason: recording.failure };
        const captures = recording.captures;
        return {
          ok: true,
          captures,
          reads: recording.reads,
          compile: (fed) => {
            const spec = recording.compile(names, outputs.map((o) => o.dtype), fed);
            const session = this.ex.compileGraph(spec.model, spec.outputs);
            return this.compiledGraph(session, outputs.map((o) => ({ shape: o.shape, dtype: o.dtype })), spec.host);
          },
        };
      },
    };
  }

  private checkAll(xs: readonly T[], kernel: string): void {
    for (const x of xs) this.check(x, kernel);
  }

  private check(x: T, kernel: string): T {
    if (!this.live.has(x.handle)) throw new Error(`onnx: kernel ${kernel} got a handle that is not live (disposed, or made by another backend).`);
    return x;
  }
}

/** A new onnx backend. */
export function createOnnxBackend(options: OnnxBackendOptions = {}): OnnxBackend {
  return new OnnxBackend(options);
}
