/**
 * The eager runtime: which backend is current, scopes for `tidy`, the autodiff tapes, and the
 * one function through which every primitive runs (`runPrimitive`).
 */
import type { KernelTensor, OutputSpec } from '../backend/backend.js';
import { currentEntry } from '../backend/registry.js';
import { assertConcrete, formatShape } from '../tensor/shape.js';
import type { BackendEntry } from '../tensor/tensor.js';
import { Tensor } from '../tensor/tensor.js';
import { SymbolicTensor } from '../tensor/symbolic.js';
import type { Primitive, TensorSpec } from './primitive.js';

/** One recorded primitive call. */
export interface TapeRecord {
  readonly primitive: Primitive<unknown>;
  readonly attrs: unknown;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
}

export class Tape {
  readonly records: TapeRecord[] = [];
  /** Ids of the tensors whose gradients are wanted; only calls that depend on them are recorded. */
  readonly watched = new Set<number>();
}

class Scope {
  readonly tensors: Tensor[] = [];
}

const scopes: Scope[] = [];
const tapes: Tape[] = [];

/** @internal the current backend entry, starting the chosen backend synchronously if needed */
export function activeEntry(): BackendEntry {
  return currentEntry();
}

/** @internal every new tensor goes through here, so tidy can free it */
export function track(t: Tensor): Tensor {
  const scope = scopes[scopes.length - 1];
  if (scope) scope.tensors.push(t);
  return t;
}

export function startScope(): void {
  scopes.push(new Scope());
}

/** Ends a scope: frees what it made except `keep`, which moves to the enclosing scope. */
export function endScope(keep: Iterable<Tensor>): void {
  const scope = scopes.pop();
  if (!scope) throw new Error('endScope without startScope (an internal error in keras-ts).');
  const kept = new Set<Tensor>(keep);
  const parent = scopes[scopes.length - 1];
  for (const t of scope.tensors) {
    if (kept.has(t) || t.kept) {
      if (parent && !t.kept) parent.tensors.push(t);
    } else {
      t.dispose();
    }
  }
}

/** Stops `t` from being freed by the scopes it was made in (as tfjs's `keep`). */
export function keep<T extends Tensor>(t: T): T {
  t.kept = true;
  return t;
}

export function pushTape(tape: Tape): void {
  tapes.push(tape);
}

export function popTape(): void {
  tapes.pop();
}

/** @internal true while any tape records; gradient rules run with recording paused */
export function isRecording(): boolean {
  return tapes.length > 0;
}

/** Tapes below this index are paused (while their own gradient rules run); newer tapes record. */
let recordFrom = 0;

/** Runs fn without recording on the tapes open now; a tape opened inside fn (a vjp in a rule) still records. */
export function withoutRecording<T>(fn: () => T): T {
  const saved = recordFrom;
  recordFrom = tapes.length;
  try {
    return fn();
  } finally {
    recordFrom = saved;
  }
}

function checkInputs(name: string, inputs: readonly Tensor[]): BackendEntry {
  let entry: BackendEntry | undefined;
  for (const t of inputs) {
    t.assertLive(name);
    if (entry === undefined) entry = t.entry;
    else if (t.entry !== entry) {
      throw new Error(
        `${name}: the inputs live on two backends, '${entry.name}' and '${t.entry.name}'. ` +
          `Expected every input on one backend. Fix: make all tensors after choosing the backend (setBackend), or recreate the old ones with tensor(await t.data(), t.shape, t.dtype).`,
      );
    }
  }
  return entry ?? activeEntry();
}

/** Runs one primitive: checks inputs, infers outputs, calls the kernel, wraps and records. */
export function runPrimitive<A>(primitive: Primitive<A>, inputs: readonly Tensor[], attrs: A): Tensor[] {
  // Families (unary, binary, reduce) name the op in their attrs: errors use the op's name.
  const where = (attrs as { op?: string } | undefined)?.op ?? primitive.name;
  // While a shape is traced, symbolic inputs give symbolic outputs from the shape rule alone.
  // They travel typed as Tensor, as Keras's symbolic tensors do through keras.ops.
  if (inputs.some((t) => (t as unknown) instanceof SymbolicTensor)) {
    return primitive.infer(inputs, attrs).map((spec) => new SymbolicTensor(spec.shape, spec.dtype) as unknown as Tensor);
  }
  const entry = checkInputs(where, inputs);
  const specs: TensorSpec[] = primitive.infer(inputs, attrs);
  const outSpecs: OutputSpec[] = specs.map((s) => ({ shape: assertConcrete(s.shape, primitive.name), dtype: s.dtype }));
  const kernelInputs: KernelTensor[] = inputs as readonly KernelTensor[] as KernelTensor[];
  const handles = primitive.forward(entry.backend, kernelInputs, attrs, outSpecs);
  if (handles.length !== outSpecs.length) {
    throw new Error(`${primitive.name}: backend '${entry.name}' returned ${handles.length} outputs, expected ${outSpecs.length}.`);
  }
  const outputs = handles.map((h, i) => track(new Tensor(h, outSpecs[i].shape, outSpecs[i].dtype, entry)));
  if (tapes.length > recordFrom) {
    for (let i = recordFrom; i < tapes.length; i++) {
      const tape = tapes[i];
      if (inputs.some((t) => tape.watched.has(t.id))) {
        tape.records.push({ primitive: primitive as Primitive<unknown>, attrs, inputs, outputs });
        for (const o of outputs) if (o.dtype === 'float32') tape.watched.add(o.id);
      }
    }
  }
  return outputs;
}

/** Runs a single-output primitive. */
export function run1<A>(primitive: Primitive<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  return runPrimitive(primitive, inputs, attrs)[0];
}

/** @internal wraps a handle made outside a primitive (uploads) as a tracked tensor */
export function wrapHandle(handle: unknown, spec: OutputSpec, entry: BackendEntry): Tensor {
  return track(new Tensor(handle, spec.shape, spec.dtype, entry));
}

/** @internal for error messages */
export function describe(t: Tensor): string {
  return `${formatShape(t.shape)} ${t.dtype}`;
}
