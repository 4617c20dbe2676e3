/**
 * Adam's update as an ONNX graph: the form a compiled step records (and keeps where a later node
 * reads the new values), and the way an update too large for the host's arenas runs. Usually the
 * update runs on the host in one WebAssembly pass (host/adam.ts), with the same float32 operations.
 */
import type { AdamAttrs, OutputSpec } from '@keras-ts/core';
import { feedOf, type Executor, type GraphBody, type T } from '../executor.js';
import type { OrtOut } from '../onnx/runtime.js';

/** The graph of one update: inputs variable, m, v, gradient, alpha; outputs variable', m', v'. */
export function adamGraph(attrs: AdamAttrs): GraphBody {
  return (g, [w, m, v, gradient, alpha]) => {
    const scalar = (value: number) => g.constant('float32', [value]);
    const mNext = g.op('Add', [m, g.op('Mul', [g.op('Sub', [gradient, m]), scalar(1 - attrs.beta1)])]);
    const vNext = g.op('Add', [v, g.op('Mul', [g.op('Sub', [g.op('Mul', [gradient, gradient]), v]), scalar(1 - attrs.beta2)])]);
    const step = g.op('Div', [g.op('Mul', [mNext, alpha]), g.op('Add', [g.op('Sqrt', [vNext]), scalar(attrs.epsilon)])]);
    return [g.op('Sub', [w, step]), mNext, vNext];
  };
}

export function adamUpdate(ex: Executor, variable: T, m: T, v: T, gradient: T, alpha: T, attrs: AdamAttrs, out: OutputSpec): [OrtOut, OrtOut, OrtOut] {
  const feeds = [variable, m, v, gradient, alpha].map(feedOf);
  const key = `adamUpdate:${attrs.beta1}:${attrs.beta2}:${attrs.epsilon}`;
  const [next, mNext, vNext] = ex.run('adamUpdate', key, feeds, [out.dtype, out.dtype, out.dtype], adamGraph(attrs), 0);
  return [next, mNext, vNext];
}
