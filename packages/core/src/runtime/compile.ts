/**
 * Compiled steps: a training, evaluation or prediction step that runs as one graph on backends
 * that can record one (`Backend.recordGraph`, e.g. onnx), per input signature.
 *
 * "Record while executing": the first call of a signature runs eagerly (it builds the optimizer's
 * and the metrics' state); the second runs eagerly too and records every kernel call into one
 * graph; later calls run the graph. Each value the graph read but did not compute is bound: a batch
 * input, the current value of a Variable (weights, optimizer and metric state), or a constant the
 * step uploaded itself (baked in). Variables the step assigned are graph outputs, and take the new
 * values after each run without a copy.
 *
 * Random draws (keras.random's sampling, e.g. Dropout's masks) are drawn again in JavaScript before
 * each run and fed, so a compiled step gives eager's numbers for the same seeds.
 *
 * Never silently wrong: a random draw that cannot be replayed (shuffle), a host read of a computed
 * value or of an input, a variable created during the step, or a plain tensor from outside the
 * step (a layer's state kept outside a Variable) keeps that signature eager, with the reason kept
 * for `compiledStepReport`. A host
 * read of a variable (the learning rate) is a guard: before each run the variable must still hold
 * the value read, else the step is recorded again, and after two such misses it stays eager.
 */
import type { CompiledGraph, KernelTensor } from '../backend/backend.js';
import type { TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import type { BackendEntry, Tensor } from '../tensor/tensor.js';
import { activeEntry, wrapHandle } from './engine.js';
import { listenForNondeterminism, recordDraws, replayDraw } from './nondeterminism.js';
import { observeVariables, variableOfValueHandle, type Variable } from './variable.js';

/** Where each fed capture of a compiled graph comes from at run time: a batch input, a variable's value, or a random draw made again. */
type Binding =
  | { readonly kind: 'input'; readonly index: number }
  | { readonly kind: 'variable'; readonly variable: Variable }
  | { readonly kind: 'draw'; readonly index: number };

interface Guard {
  readonly variable: Variable;
  readonly values: TypedArray;
}

/** A variable whose value was baked into the graph, and the value handle it had then (values never change in place). */
interface Baked {
  readonly variable: Variable;
  readonly handle: unknown;
}

interface CompiledStep {
  readonly entry: BackendEntry;
  readonly baked: readonly Baked[];
  /** The step's random draws, in order: each is drawn again before a run (advancing the seed generators as eager would). */
  readonly draws: readonly (() => Tensor)[];
  readonly graph: CompiledGraph<unknown>;
  readonly bindings: readonly Binding[];
  readonly outputs: readonly { readonly shape: Shape; readonly dtype: Tensor['dtype'] }[];
  readonly updated: readonly Variable[];
  readonly guards: readonly Guard[];
  /** Checks of input values the step made on the host, run again on each call's inputs before the graph. */
  readonly inputChecks: readonly { readonly index: number; readonly check: HostCheck }[];
}

/** A check of a tensor's values on the host that throws a clear error (e.g. an index out of range). */
export type HostCheck = (values: ArrayLike<number>) => void;

interface SignatureState {
  calls: number;
  compiled: CompiledStep | undefined;
  /** Set when this signature stays eager: why. */
  reason: string | undefined;
  guardMisses: number;
  /** Times a baked weight had a new value; from MAX_GUARD_MISSES on, this signature feeds its weights. */
  weightChanges: number;
  recordings: number;
  lastUsed: number;
}

/** What `compiledStepReport` says about one signature. */
export interface CompiledSignatureReport {
  readonly signature: string;
  /** 'warming up' (eager, recording on a later call), 'compiled', or 'eager' (with the reason). */
  readonly status: 'warming up' | 'compiled' | 'eager';
  readonly reason?: string;
  readonly calls: number;
  /** How many times the step was recorded (more than once after a guard miss). */
  readonly recordings: number;
}

/** Guard misses after which a signature stays eager: its host reads change every step. */
const MAX_GUARD_MISSES = 2;

/**
 * Most weight elements baked into one graph (16 MB of float32): beyond it, weights are fed. Baked
 * values travel inside the model bytes, which are slow to write and held twice while they are.
 */
const MAX_BAKED_ELEMENTS = 2 ** 22;

export interface CompiledFunctionOptions {
  /** Most signatures kept compiled (least recently used dropped first). Default 8. */
  readonly maxSignatures?: number;
  /**
   * Bake the values of the variables the step reads but does not change into the graph as
   * constants (inference: the backend can pre-pack convolution and matmul weights). A variable
   * given a new value later makes the step record again. Default false (weights are fed).
   */
  readonly bakeWeights?: boolean;
}

/** True while a recording is open: steps called inside a recorded step just run. */
let recording = false;
/** The host checks made while the open recording runs. */
let hostChecks: { handle: unknown; check: HostCheck }[] = [];
let clock = 0;

/**
 * @internal true while a compiled step records. An op that checks values on the host (e.g. take's
 * index range) keeps the step eager; it may instead compute with ops while this is true, leaving
 * out-of-range errors to the compiled run (a failing run falls back to eager, which reports them).
 */
export function recordingStep(): boolean {
  return recording;
}

/**
 * Runs `check` on t's values now (the values are read on the host). Inside a recorded step, when t
 * is one of the step's inputs, the compiled graph stays possible: the check runs again on each later
 * call's input, before the graph, so an out-of-range index still throws the op's own error. An op
 * that reads the values for anything else (computing with them) must not use this.
 */
export function checkOnHost(t: Tensor, check: HostCheck): void {
  check(t.dataSync());
  if (recording) hostChecks.push({ handle: t.handle, check });
}

/** One step function (e.g. a model's train step) compiled per input signature. */
export class CompiledFunction {
  private readonly signatures = new Map<string, SignatureState>();

  private readonly maxSignatures: number;
  private readonly bakeWeights: boolean;

  constructor(
    readonly name: string,
    options: CompiledFunctionOptions = {},
  ) {
    this.maxSignatures = options.maxSignatures ?? 8;
    this.bakeWeights = options.bakeWeights ?? false;
  }

  /**
   * Calls `fn` (a step reading `inputs` and variables, returning its output tensors), eagerly or
   * as the compiled graph of `signature`. The outputs are the caller's, as fn's would be.
   */
  call(signature: string, inputs: readonly Tensor[], fn: () => Tensor[]): Tensor[] {
    const entry = inputs[0]?.entry ?? activeEntry();
    if (recording || typeof entry.backend.recordGraph !== 'function') return fn();
    const state = this.stateOf(signature);
    state.lastUsed = ++clock;
    state.calls++;
    if (state.reason !== undefined) return fn();
    if (state.compiled && state.compiled.entry !== entry) {
      // The backend was replaced (setBackend after close): the graph belongs to the old one.
      state.compiled.graph.dispose();
      state.compiled = undefined;
      state.calls = 1;
    }
    if (state.compiled && state.compiled.baked.some((b) => b.variable.value.handle !== b.handle)) {
      // A baked weight has a new value (training, setWeights): record with the new values. Not a guard miss;
      // weights that keep changing (predict between training steps) are fed from then on.
      state.compiled.graph.dispose();
      state.compiled = undefined;
      state.weightChanges++;
      return this.record(state, entry, inputs, fn);
    }
    if (state.compiled) {
      if (this.guardsHold(state.compiled)) {
        // Before the graph, as eager execution would before the op: a failing check throws the op's error.
        for (const c of state.compiled.inputChecks) c.check(inputs[c.index].dataSync());
        try {
          return this.runCompiled(state.compiled, inputs);
        } catch (error) {
          // No variable changed (they take new values after a successful run only), though the replayed
          // draws did advance their seed generators: run the step eagerly from now on.
          state.compiled.graph.dispose();
          state.compiled = undefined;
          state.reason = `the compiled graph failed: ${(error as Error).message}`;
          return fn();
        }
      }
      state.compiled.graph.dispose();
      state.compiled = undefined;
      if (++state.guardMisses >= MAX_GUARD_MISSES) {
        state.reason = `a variable it reads on the host (e.g. a learning rate set by a callback) changed ${MAX_GUARD_MISSES} times`;
        return fn();
      }
      return this.record(state, entry, inputs, fn);
    }
    return state.calls === 1 ? fn() : this.record(state, entry, inputs, fn);
  }

  /** Each signature seen, and whether it runs compiled. */
  report(): CompiledSignatureReport[] {
    return [...this.signatures].map(([signature, s]) => ({
      signature,
      status: s.compiled ? 'compiled' : s.reason !== undefined ? 'eager' : 'warming up',
      ...(s.reason !== undefined ? { reason: s.reason } : {}),
      calls: s.calls,
      recordings: s.recordings,
    }));
  }

  /** Frees every compiled graph. The function still works (it records again). */
  dispose(): void {
    for (const s of this.signatures.values()) s.compiled?.graph.dispose();
    this.signatures.clear();
  }

  private stateOf(signature: string): SignatureState {
    let state = this.signatures.get(signature);
    if (state === undefined) {
      if (this.signatures.size >= this.maxSignatures) this.evictLeastRecentlyUsed();
      state = { calls: 0, compiled: undefined, reason: undefined, guardMisses: 0, weightChanges: 0, recordings: 0, lastUsed: 0 };
      this.signatures.set(signature, state);
    }
    return state;
  }

  private evictLeastRecentlyUsed(): void {
    let oldest: [string, SignatureState] | undefined;
    for (const item of this.signatures) if (!oldest || item[1].lastUsed < oldest[1].lastUsed) oldest = item;
    if (!oldest) return;
    oldest[1].compiled?.graph.dispose();
    this.signatures.delete(oldest[0]);
  }

  private guardsHold(step: CompiledStep): boolean {
    for (const guard of step.guards) {
      const value = guard.variable.value;
      if (value.isDisposed) return false;
      const now = value.dataSync();
      if (now.length !== guard.values.length) return false;
      for (let i = 0; i < now.length; i++) if (!Object.is(now[i], guard.values[i])) return false;
    }
    return true;
  }

  private runCompiled(step: CompiledStep, inputs: readonly Tensor[]): Tensor[] {
    const drawn = step.draws.map((make) => replayDraw(make));
    let handles: unknown[];
    try {
      const feeds = step.bindings.map((b) => (b.kind === 'input' ? inputs[b.index] : b.kind === 'draw' ? drawn[b.index] : b.variable.value) as KernelTensor);
      handles = step.graph.run(feeds);
    } finally {
      for (const t of drawn) t.dispose();
    }
    const outputs = step.outputs.map((spec, i) => wrapHandle(handles[i], spec, step.entry));
    step.updated.forEach((variable, i) => {
      variable.replaceValue(wrapHandle(handles[step.outputs.length + i], { shape: variable.shape, dtype: variable.dtype }, step.entry));
    });
    return outputs;
  }

  /** Runs fn eagerly while the backend records it; compiles the recording when it can be replayed. */
  private record(state: SignatureState, entry: BackendEntry, inputs: readonly Tensor[], fn: () => Tensor[]): Tensor[] {
    const recorder = (entry.backend.recordGraph as NonNullable<typeof entry.backend.recordGraph>)();
    state.recordings++;
    const created: Variable[] = [];
    const assigned = new Set<Variable>();
    let nondeterministic: string | undefined;
    const draws: { make: () => Tensor; tensor: Tensor }[] = [];
    const previousObserver = observeVariables({ created: (v) => created.push(v), assigned: (v) => assigned.add(v) });
    const previousListener = listenForNondeterminism((reason) => (nondeterministic ??= reason));
    const previousDraws = recordDraws((make) => {
      const tensor = make();
      draws.push({ make, tensor });
      return tensor;
    });
    recording = true;
    const checks: { handle: unknown; check: HostCheck }[] = [];
    hostChecks = checks;
    let outputs: Tensor[];
    try {
      outputs = fn();
    } catch (error) {
      recorder.cancel();
      throw error;
    } finally {
      recording = false;
      hostChecks = [];
      observeVariables(previousObserver);
      listenForNondeterminism(previousListener);
      recordDraws(previousDraws);
    }
    const giveUp = (reason: string): Tensor[] => {
      state.reason = reason;
      return outputs;
    };
    if (nondeterministic !== undefined) {
      recorder.cancel();
      return giveUp(nondeterministic);
    }
    if (created.length > 0) {
      recorder.cancel();
      return giveUp(`it creates variables (${created[0].path}) on every call`);
    }
    const updated = [...assigned].filter((v) => !v.value.isDisposed);
    const result = recorder.finish([...outputs, ...updated.map((v) => v.value)] as KernelTensor[]);
    if (!result.ok) return giveUp(result.reason);
    const fed: boolean[] = [];
    const bindings: Binding[] = [];
    const baked: Baked[] = [];
    let bakedElements = 0;
    for (const capture of result.captures) {
      const drawIndex = draws.findIndex((d) => d.tensor.handle === capture.handle);
      if (drawIndex >= 0) {
        bindings.push({ kind: 'draw', index: drawIndex });
        fed.push(true);
        continue;
      }
      const index = inputs.findIndex((t) => t.handle === capture.handle);
      const variable = index < 0 ? variableOfValueHandle(capture.handle) : undefined;
      const size = variable ? variable.value.size : 0;
      if (index >= 0) bindings.push({ kind: 'input', index });
      else if (variable && (assigned.has(variable) || variable.value.handle === capture.handle)) {
        const bake = this.bakeWeights && state.weightChanges < MAX_GUARD_MISSES && !assigned.has(variable);
        if (bake && bakedElements + size <= MAX_BAKED_ELEMENTS) {
          bakedElements += size;
          baked.push({ variable, handle: capture.handle });
          fed.push(false);
          continue;
        }
        bindings.push({ kind: 'variable', variable });
      } else if (!capture.madeDuringRecording) return giveUp('it reads a tensor made before the step that is neither an input nor a variable (e.g. a layer state kept in a plain tensor)');
      fed.push(index >= 0 || variable !== undefined);
    }
    const guards: Guard[] = [];
    // An input read on the host only by host checks (as many reads as checks) is checked again before each run.
    const readsOf = (handle: unknown) => result.reads.filter((r) => r.handle === handle).length;
    const checkedOnly = (handle: unknown) => readsOf(handle) <= checks.filter((c) => c.handle === handle).length;
    const inputChecks: { index: number; check: HostCheck }[] = [];
    for (const c of checks) {
      const index = inputs.findIndex((t) => t.handle === c.handle);
      if (index >= 0) inputChecks.push({ index, check: c.check });
    }
    for (const read of result.reads) {
      if (inputs.some((t) => t.handle === read.handle)) {
        if (checkedOnly(read.handle)) continue;
        return giveUp('it reads input values on the host');
      }
      if (draws.some((d) => d.tensor.handle === read.handle)) return giveUp('it reads random values on the host');
      const variable = variableOfValueHandle(read.handle);
      // The step changes what it reads: the next call would miss the guard for sure.
      if (variable && assigned.has(variable)) return giveUp(`it reads '${variable.path}' on the host and changes it (e.g. a learning rate schedule reads the iteration count)`);
      if (variable) guards.push({ variable, values: read.values.slice() });
      else if (!read.madeDuringRecording) return giveUp('it reads on the host a tensor made before the step that is neither an input nor a variable');
    }
    let graph: CompiledGraph<unknown>;
    try {
      graph = result.compile(fed);
    } catch (error) {
      return giveUp(`the backend could not compile the recorded graph: ${(error as Error).message}`);
    }
    state.compiled = {
      entry, graph, bindings, updated, guards, baked, inputChecks, draws: draws.map((d) => d.make),
      outputs: outputs.map((t) => ({ shape: t.shape, dtype: t.dtype })),
    };
    return outputs;
  }
}

/** The shapes and dtypes of tensors, as a signature key. */
export function signatureOf(tensors: readonly (Tensor | undefined)[]): string {
  return tensors.map((t) => (t === undefined ? '-' : `${t.dtype}[${t.shape.join(',')}]`)).join(';');
}

const functions = new WeakMap<object, Map<string, CompiledFunction>>();
/** Frees a dropped owner's graphs (a model or compile state that is garbage collected). */
const release = new FinalizationRegistry<Map<string, CompiledFunction>>((byName) => {
  for (const f of byName.values()) f.dispose();
});

/** @internal the compiled function `name` of `owner` (a model, or its compile state), made on first use with `options` */
export function compiledFunctionOf(owner: object, name: string, options: CompiledFunctionOptions = {}): CompiledFunction {
  let byName = functions.get(owner);
  if (byName === undefined) {
    byName = new Map();
    functions.set(owner, byName);
    release.register(owner, byName);
  }
  let f = byName.get(name);
  if (f === undefined) {
    f = new CompiledFunction(name, options);
    byName.set(name, f);
  }
  return f;
}

/**
 * What each compiled step of `owner` did with each signature: `{ train: [...], test: [...], predict: [...] }`.
 * For a model, the steps of its current compile (train, test) are included.
 */
export function compiledStepReport(owner: object): Record<string, CompiledSignatureReport[]> {
  const report: Record<string, CompiledSignatureReport[]> = {};
  const compileState = (owner as { compileState?: unknown }).compileState;
  for (const source of [owner, typeof compileState === 'object' && compileState !== null ? compileState : undefined]) {
    const byName = source ? functions.get(source) : undefined;
    if (byName) for (const [name, f] of byName) report[name] = f.report();
  }
  return report;
}

/** Frees the compiled graphs of `owner` (they are recorded again on later calls). */
export function releaseCompiledSteps(owner: object): void {
  const byName = functions.get(owner);
  if (!byName) return;
  for (const f of byName.values()) f.dispose();
  functions.delete(owner);
}
