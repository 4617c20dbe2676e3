/**
 * Reverse-mode autodiff over the tape: `valueAndGrad(fn, variables)` runs fn while recording every
 * primitive that depends on the variables, then walks the records backwards applying each
 * primitive's gradient rule. It is backend-agnostic, so every backend trains.
 */
import { endScope, popTape, pushTape, startScope, Tape, withoutRecording } from '../runtime/engine.js';
import { Variable } from '../runtime/variable.js';
import { fill } from '../tensor/create.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import * as g from '../ops/primitives/grad_ops.js';

/** What can be differentiated with respect to: a Variable, or any Tensor. */
export type Differentiable = Variable | Tensor;

export interface ValueAndGrad<V> {
  value: V;
  grads: Tensor[];
}

const tensorOf = (x: Differentiable): Tensor => (x instanceof Variable ? x.value : x);

function checkSources(sources: readonly Differentiable[]): Tensor[] {
  if (!Array.isArray(sources)) {
    throw new TypeError(`valueAndGrad: expected a list of Variables or Tensors to differentiate with respect to, got ${typeof sources}. Fix: valueAndGrad(fn, [v1, v2]).`);
  }
  return sources.map((s, i) => {
    if (!(s instanceof Variable) && !(s instanceof Tensor)) {
      throw new TypeError(`valueAndGrad: item ${i} of the list is ${typeof s}, not a Variable or a Tensor.`);
    }
    const t = tensorOf(s);
    if (t.dtype !== 'float32') {
      throw new TypeError(`valueAndGrad: item ${i} (${formatShape(t.shape)}) is ${t.dtype}; gradients exist for float32 only. Fix: differentiate with respect to float32 values.`);
    }
    return t;
  });
}

/** Walks the tape backwards from the outputs `ys` (seeded with `dys`) and returns the gradient of each source. */
function backward(tape: Tape, ys: readonly Tensor[], dys: readonly Tensor[], sources: readonly Tensor[]): Tensor[] {
  const grads = new Map<number, Tensor>();
  ys.forEach((y, i) => grads.set(y.id, grads.has(y.id) ? g.add(grads.get(y.id) as Tensor, dys[i]) : dys[i]));
  // Only records on a path from a source to an output matter: walk back marking what they need.
  const needed = new Set<number>(ys.map((y) => y.id));
  const relevant: boolean[] = new Array<boolean>(tape.records.length).fill(false);
  for (let r = tape.records.length - 1; r >= 0; r--) {
    const record = tape.records[r];
    if (record.outputs.some((o) => needed.has(o.id))) {
      relevant[r] = true;
      for (const input of record.inputs) needed.add(input.id);
    }
  }
  withoutRecording(() => {
    for (let r = tape.records.length - 1; r >= 0; r--) {
      if (!relevant[r]) continue;
      const record = tape.records[r];
      if (!record.outputs.some((o) => grads.has(o.id))) continue;
      const dys = record.outputs.map((o) => grads.get(o.id) ?? fill(o.shape, 0, o.dtype));
      const needsGrad = record.inputs.map((input) => tape.watched.has(input.id));
      const inputGrads = record.primitive.grad({ dys, inputs: record.inputs, outputs: record.outputs, attrs: record.attrs, needsGrad });
      record.inputs.forEach((input, i) => {
        const gi = inputGrads[i];
        if (!gi || !tape.watched.has(input.id)) return;
        if (!shapesEqual(gi.shape, input.shape)) {
          throw new Error(
            `The gradient rule of '${record.primitive.name}' returned a gradient of shape ${formatShape(gi.shape)} for an input of shape ${formatShape(input.shape)} (an internal error in keras-ts; please report it).`,
          );
        }
        const previous = grads.get(input.id);
        grads.set(input.id, previous ? g.add(previous, gi) : gi);
      });
    }
  });
  return sources.map((s) => grads.get(s.id) ?? fill(s.shape, 0, 'float32'));
}

function collectTensors(value: unknown, out: Tensor[]): void {
  if (value instanceof Tensor) out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectTensors(v, out);
  else if (value !== null && typeof value === 'object' && !(value instanceof Variable)) for (const v of Object.values(value)) collectTensors(v, out);
}

/**
 * Runs `fn` and returns its value with the gradients of its (scalar, or first) output with respect
 * to each source. Every intermediate tensor is freed; `value` and `grads` belong to the caller.
 *
 * ```ts
 * const { value, grads } = valueAndGrad(() => ops.sum(ops.square(v)), [v]);
 * ```
 *
 * `fn` may return a Tensor, or an array / object whose first Tensor is the loss (the rest is
 * returned as auxiliary values).
 */
export function valueAndGrad<V>(fn: () => V, sources: readonly Differentiable[]): ValueAndGrad<V> {
  if (typeof fn !== 'function') {
    throw new TypeError(`valueAndGrad: expected a function that returns a scalar loss, got ${typeof fn}. Fix: valueAndGrad(() => loss(...), [v]).`);
  }
  const tensors = checkSources(sources);
  const tape = new Tape();
  for (const t of tensors) tape.watched.add(t.id);
  startScope();
  let value: V;
  let grads: Tensor[];
  const outputs: Tensor[] = [];
  try {
    pushTape(tape);
    try {
      value = fn();
    } finally {
      popTape();
    }
    collectTensors(value, outputs);
    const y = outputs[0];
    if (!y) throw new TypeError('valueAndGrad: the function returned no Tensor. Expected it to return the loss as a scalar Tensor.');
    if (y.dtype !== 'float32') throw new TypeError(`valueAndGrad: the loss is ${y.dtype}; expected float32.`);
    // A non-scalar output is differentiated as the sum of its elements (a seed of ones), as in tfjs.
    grads = backward(tape, [y], [fill(y.shape, 1, 'float32')], tensors);
  } catch (error) {
    endScope([]);
    throw error;
  }
  endScope([...outputs, ...grads]);
  return { value, grads };
}

/** The gradients alone (see `valueAndGrad`). */
export function grad(fn: () => Tensor, sources: readonly Differentiable[]): Tensor[] {
  const { value, grads } = valueAndGrad(fn, sources);
  value.dispose();
  return grads;
}

/**
 * The vector-Jacobian product of `fn` at `inputs` with one cotangent per output (the gradient of
 * `sum_i sum(dys[i] * fn(inputs)[i])`). Fused kernels take their gradient from the vjp of their
 * composite definition, and the conformance kit uses it for gradient cases.
 */
export function vjp(
  fn: (...inputs: Tensor[]) => Tensor | Tensor[],
  inputs: readonly Tensor[],
  dys: Tensor | readonly Tensor[],
): { outputs: Tensor[]; grads: Tensor[] } {
  const tensors = checkSources(inputs);
  const cotangents = dys instanceof Tensor ? [dys] : [...dys];
  const tape = new Tape();
  for (const t of tensors) tape.watched.add(t.id);
  startScope();
  let outputs: Tensor[];
  let grads: Tensor[];
  try {
    pushTape(tape);
    let result: Tensor | Tensor[];
    try {
      result = fn(...tensors);
    } finally {
      popTape();
    }
    outputs = result instanceof Tensor ? [result] : result;
    if (outputs.length !== cotangents.length) {
      throw new Error(`vjp: the function has ${outputs.length} outputs but ${cotangents.length} cotangents were given. Expected one cotangent per output.`);
    }
    outputs.forEach((y, i) => {
      if (!shapesEqual(y.shape, cotangents[i].shape)) {
        throw new Error(`vjp: cotangent ${i} has shape ${formatShape(cotangents[i].shape)} but output ${i} has ${formatShape(y.shape)}. Expected the same shape.`);
      }
    });
    grads = backward(tape, outputs, cotangents, tensors);
  } catch (error) {
    endScope([]);
    throw error;
  }
  endScope([...outputs, ...grads]);
  return { outputs, grads };
}
