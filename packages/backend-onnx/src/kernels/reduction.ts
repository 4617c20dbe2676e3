/**
 * Reductions, arg-reductions and moments. Axes are an int64 input (opset 18 takes them so for
 * every Reduce op), so one session serves every axis list of a rank.
 *
 * Differences from ONNX that the graphs handle: ORT's ReduceMax/Min and ArgMax/Min skip NaN
 * where the reference propagates it (the first NaN wins); int32 sum/prod go through int64 so
 * they wrap like 32-bit integers (ORT's int32 reductions saturate); a float mean divides the
 * sum by the count, fed per run, so an empty group gives NaN (ORT's ReduceMean gives 0).
 */
import type { ArgReduceOp, OutputSpec, ReduceOp } from '@keras-ts/core';
import type { GraphBuilder } from '../onnx/graph.js';
import { feedOf, int64Feed, scalarFeed, sizeOf, type Executor, type T } from '../executor.js';
import type { OrtOut } from '../onnx/runtime.js';

type G = GraphBuilder;

/** Where any element of a group is NaN, NaN; else `y`. `isNan` reduces like `y` over the same axes. */
function propagateNan(g: G, x: string, y: string, reduceNan: (nanMask: string) => string): string {
  const anyNan = g.cast(reduceNan(g.cast(g.op('IsNaN', [x]), 'bool', 'uint8')), 'uint8', 'bool');
  return g.op('Where', [anyNan, g.constant('float32', [NaN]), y]);
}

export function reduce(ex: Executor, op: ReduceOp, x: T, axes: readonly number[], out: OutputSpec): OrtOut {
  const count = sizeOf(axes.map((a) => x.shape[a]));
  const feeds = [feedOf(x), int64Feed(axes)];
  if (op === 'mean' && x.dtype === 'float32') feeds.push(scalarFeed('float32', count));
  return ex.run(`reduce ${op}`, `reduce:${op}`, feeds, [out.dtype], (g, [xi, ax, n]) => {
    const attrs = { keepdims: 0 };
    if (x.dtype === 'bool') {
      // max is logical or, min logical and: reduce 0/1 bytes.
      const onnxOp = op === 'max' ? 'ReduceMax' : 'ReduceMin';
      return [g.cast(g.op(onnxOp, [g.cast(xi, 'bool', 'uint8'), ax], attrs), 'uint8', 'bool')];
    }
    if (x.dtype === 'int32') {
      if (op === 'max' || op === 'min') return [g.op(op === 'max' ? 'ReduceMax' : 'ReduceMin', [xi, ax], attrs)];
      // Exact int64 sum (mean: truncated, of the exact sum), then keep the low 32 bits.
      const onnxOp = op === 'sum' ? 'ReduceSum' : op === 'mean' ? 'ReduceMean' : 'ReduceProd';
      return [g.cast(g.op(onnxOp, [g.cast(xi, 'int32', 'int64'), ax], attrs), 'int64', 'int32')];
    }
    switch (op) {
      case 'sum':
        return [g.op('ReduceSum', [xi, ax], attrs)];
      case 'mean':
        return [g.op('Div', [g.op('ReduceSum', [xi, ax], attrs), n])];
      case 'prod':
        return [g.op('ReduceProd', [xi, ax], attrs)];
      default: {
        const onnxOp = op === 'max' ? 'ReduceMax' : 'ReduceMin';
        return [propagateNan(g, xi, g.op(onnxOp, [xi, ax], attrs), (m) => g.op('ReduceMax', [m, ax], attrs))];
      }
    }
  })[0];
}

/** ArgMax/ArgMin with the first index on ties (select_last_index = 0) and the first NaN winning, as the reference. */
export function argReduce(ex: Executor, op: ArgReduceOp, x: T, axis: number, out: OutputSpec): OrtOut {
  return ex.run(`argReduce ${op}`, `arg:${op}:${axis}`, [feedOf(x)], [out.dtype], (g, [xi]) => {
    const attrs = { axis, keepdims: 0, select_last_index: 0 };
    const onnxOp = op === 'argmax' ? 'ArgMax' : 'ArgMin';
    const input = x.dtype === 'bool' ? g.cast(xi, 'bool', 'uint8') : xi;
    let index = g.op(onnxOp, [input], attrs);
    if (x.dtype === 'float32') {
      const nanMask = g.cast(g.op('IsNaN', [xi]), 'bool', 'uint8');
      const anyNan = g.cast(g.op('ReduceMax', [nanMask, g.constant('int64', [axis], [1])], { keepdims: 0 }), 'uint8', 'bool');
      index = g.op('Where', [anyNan, g.op('ArgMax', [nanMask], attrs), index]);
    }
    return [g.cast(index, 'int64', 'int32')];
  })[0];
}

/**
 * Mean and biased variance in two passes (mean, then the mean of squared deviations from it),
 * which stays accurate when the mean is large against the spread. Both divide by the count fed
 * per run, so an empty group gives NaN as in the reference.
 */
export function moments(ex: Executor, x: T, axes: readonly number[], out: OutputSpec): [OrtOut, OrtOut] {
  const count = sizeOf(axes.map((a) => x.shape[a]));
  const feeds = [feedOf(x), int64Feed(axes), scalarFeed('float32', count)];
  const [mean, variance] = ex.run('moments', 'moments', feeds, [out.dtype, out.dtype], (g, [xi, ax, n]) => {
    const meanKept = g.op('Div', [g.op('ReduceSum', [xi, ax], { keepdims: 1 }), n]);
    const d = g.op('Sub', [xi, meanKept]);
    const variance = g.op('Div', [g.op('ReduceSum', [g.op('Mul', [d, d]), ax], { keepdims: 0 }), n]);
    return [g.op('Squeeze', [meanKept, ax]), variance];
  });
  return [mean, variance];
}
