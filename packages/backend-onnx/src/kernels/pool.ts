/**
 * Pooling in NHWC over ONNX's NCHW MaxPool/AveragePool, transposing inside the graph. ONNX's
 * explicit pads already have Keras's meaning: a padded cell never wins a max, and with
 * count_include_pad = 0 it is not counted in an average.
 *
 * The gradients have no ONNX op of their own:
 * - maxPool2dBackprop: MaxPool's Indices output (flat NCHW positions of each window's first
 *   maximum) and ScatterElements with reduction 'add' send each dy to its winner (MaxUnpool
 *   where windows cannot overlap);
 * - avgPool2dBackprop: dy divided by each window's real-cell count, spread back over the window
 *   by a ConvTranspose with a ones kernel (one channel, the batch and channels folded together).
 * NaN: ORT's MaxPool skips it where the reference lets the first NaN win, so a window holding
 * one gives NaN, and the gradient goes to the window's first NaN (the winners of those windows come
 * from the Indices of a MaxPool over the NaN mask). Eager runs look for NaN in x's values (a
 * JavaScript array) and build the plain or the NaN-aware graph. A recorded graph must be right for
 * any later x: its forward computes the NaN term below and offers the plain MaxPool as a speculation
 * (GraphBuilder.speculate), which an inference graph runs, falling back to the exact graph when x
 * holds a NaN (recording.ts); its backward holds both winner graphs as the branches of an If on x
 * holding a NaN.
 */
import type { OutputSpec, Pool2DAttrs } from '@keras-ts/core';
import { float, type GraphBuilder } from '../onnx/graph.js';
import { feedOf, int64Feed, type Executor, type T } from '../executor.js';
import type { OrtOut } from '../onnx/runtime.js';

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];

const onnxPads = (attrs: Pool2DAttrs): number[] => [attrs.pads[0][0], attrs.pads[1][0], attrs.pads[0][1], attrs.pads[1][1]];

const poolAttrs = (attrs: Pool2DAttrs) => ({ kernel_shape: attrs.poolSize, strides: attrs.strides, pads: onnxPads(attrs) });

const attrKey = (attrs: Pool2DAttrs): string => `k${attrs.poolSize.join(',')}s${attrs.strides.join(',')}p${onnxPads(attrs).join(',')}`;

const nchw = (g: GraphBuilder, x: string) => g.op('Transpose', [x], { perm: NHWC_TO_NCHW });
const nhwc = (g: GraphBuilder, x: string) => g.op('Transpose', [x], { perm: NCHW_TO_NHWC });

/**
 * MaxPool that lets a window's NaN win. A window's mean of |x| is NaN exactly where the window holds a
 * NaN (|x| has no -Infinity to cancel a +Infinity); its sigmoid is NaN there and finite elsewhere
 * (+Infinity gives 1), so a BatchNormalization of scale 0 turns it into NaN or 0, which is added to the
 * MaxPool. Every op on that path (pooling, sigmoid, batch norm as a depthwise convolution, add) has an
 * onnxruntime kernel in its blocked NCHWc layout, next to the MaxPool's: the check costs about one
 * pooling pass, where IsNaN and Where would move the data out of that layout and back.
 */
function nanPropagatingMaxPool(g: GraphBuilder, xt: string, channels: number, attrs: Pool2DAttrs): string {
  const y = g.op('MaxPool', [xt], poolAttrs(attrs));
  const magnitudes = g.op('AveragePool', [g.op('Abs', [xt])], { ...poolAttrs(attrs), count_include_pad: 0 });
  const zeros = g.constant('float32', new Array<number>(channels).fill(0), [channels]);
  const ones = g.constant('float32', new Array<number>(channels).fill(1), [channels]);
  const nanOrZero = g.op('BatchNormalization', [g.op('Sigmoid', [magnitudes]), zeros, zeros, zeros, ones], { epsilon: float(0) });
  return g.op('Add', [y, nanOrZero]);
}

export function maxPool2d(ex: Executor, x: T, attrs: Pool2DAttrs, out: OutputSpec): OrtOut {
  // Eagerly x's values are at hand and say whether the NaN check is needed. A recorded graph must be
  // right for every later x: it computes the exact values, and offers the plain MaxPool as their
  // speculation, valid unless x holds a NaN. Its probe, x's global average pool, is NaN exactly then
  // (or where +Infinity meets -Infinity, a false alarm that only costs the exact run): a reduction
  // that onnxruntime runs in its NCHWc layout, cheaper than the NaN term over every window.
  const recorded = ex.recording !== undefined;
  const withNaN = recorded || hasNaN(x.handle.data);
  // The NaN check's constants have one value per channel: its sessions are per channel count.
  const key = `maxPool2d:${recorded ? 'rec:' : ''}${withNaN ? `nan:c${x.shape[3]}:` : ''}${attrKey(attrs)}`;
  return ex.run('maxPool2d', key, [feedOf(x)], [out.dtype], (g, [xi]) => {
    const xt = nchw(g, xi);
    if (!withNaN) return [nhwc(g, g.op('MaxPool', [xt], poolAttrs(attrs)))];
    const exact = nhwc(g, nanPropagatingMaxPool(g, xt, x.shape[3], attrs));
    if (recorded) {
      const fast = nhwc(g, g.op('MaxPool', [xt], poolAttrs(attrs)));
      g.speculate(exact, fast, g.op('ReduceSum', [g.op('GlobalAveragePool', [xt])], { keepdims: 0 }));
    }
    return [exact];
  })[0];
}

export function avgPool2d(ex: Executor, x: T, attrs: Pool2DAttrs, out: OutputSpec): OrtOut {
  return ex.run('avgPool2d', `avgPool2d:${attrKey(attrs)}`, [feedOf(x)], [out.dtype], (g, [xi]) => [
    nhwc(g, g.op('AveragePool', [nchw(g, xi)], { ...poolAttrs(attrs), count_include_pad: 0 })),
  ])[0];
}

/** Whether x holds a NaN (one pass that stops at the first). */
function hasNaN(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return true;
  return false;
}

/** Each window's winner (flat NCHW index): its first maximum, or its first NaN where it holds one. */
function nanAwareWinners(g: GraphBuilder, xt: string, attrs: Pool2DAttrs): string {
  const [, winners] = g.opN('MaxPool', [xt], 2, poolAttrs(attrs));
  // MaxPool of the 0/1 NaN mask: 1 and the index of the first NaN where a window holds one.
  const [nanWindows, firstNaN] = g.opN('MaxPool', [g.cast(g.op('IsNaN', [xt]), 'bool', 'float32')], 2, poolAttrs(attrs));
  return g.op('Where', [g.op('Greater', [nanWindows, g.constant('float32', [0])]), firstNaN, winners]);
}

export function maxPool2dBackprop(ex: Executor, dy: T, x: T, attrs: Pool2DAttrs, out: OutputSpec): OrtOut {
  // Windows that cannot overlap give each cell at most one dy: MaxUnpool places them (faster than a scatter).
  const disjoint = attrs.strides[0] >= attrs.poolSize[0] && attrs.strides[1] >= attrs.poolSize[1];
  // Eagerly x's values say which winners are needed. A recorded graph must be right for every later x:
  // it branches (If) on x holding a NaN, which costs one reduction where the NaN-aware winners cost
  // three passes over x and a second MaxPool.
  const recorded = ex.recording !== undefined;
  const withNaN = !recorded && hasNaN(x.handle.data);
  const key = `maxPool2dBackprop:${recorded ? 'if:' : withNaN ? 'nan:' : ''}${attrKey(attrs)}`;
  return ex.run('maxPool2dBackprop', key, [feedOf(dy), feedOf(x)], [out.dtype], (g, [dyi, xi]) => {
    const xt = nchw(g, xi);
    const plainWinners = () => g.opN('MaxPool', [xt], 2, poolAttrs(attrs))[1];
    let winners: string;
    if (!recorded) winners = withNaN ? nanAwareWinners(g, xt, attrs) : plainWinners();
    else {
      // x's sum is NaN exactly where x holds a NaN, or where +Infinity meets -Infinity (there the NaN-aware
      // winners are the plain ones).
      const holdsNaN = g.op('IsNaN', [g.op('ReduceSum', [xt], { keepdims: 0 })]);
      const exact = g.subgraph(() => [nanAwareWinners(g, xt, attrs)], ['int64']);
      const plain = g.subgraph(() => [plainWinners()], ['int64']);
      winners = g.op('If', [holdsNaN], { then_branch: exact, else_branch: plain });
    }
    if (disjoint) return [nhwc(g, g.op('MaxUnpool', [nchw(g, dyi), winners, g.op('Shape', [xt])], poolAttrs(attrs)))];
    const flat = g.constant('int64', [-1], [1]);
    const zeros = g.op('ConstantOfShape', [g.op('Shape', [g.op('Reshape', [xt, flat])])], {
      value: { kind: 'tensor', type: 'float32', dims: [1], values: [0] },
    });
    const dx = g.op('ScatterElements', [zeros, g.op('Reshape', [winners, flat]), g.op('Reshape', [nchw(g, dyi), flat])], {
      axis: 0, reduction: 'add',
    });
    return [nhwc(g, g.op('Reshape', [dx, g.op('Shape', [xt])]))];
  })[0];
}

/** Rows/columns past the last window: ConvTranspose's output_padding so its output has x's size. */
function leftover(size: number, outSize: number, axis: 0 | 1, attrs: Pool2DAttrs): number {
  return size + attrs.pads[axis][0] + attrs.pads[axis][1] - attrs.poolSize[axis] - (outSize - 1) * attrs.strides[axis];
}

export function avgPool2dBackprop(ex: Executor, dy: T, attrs: Pool2DAttrs, out: OutputSpec): OrtOut {
  const [n, h, w, c] = out.shape;
  const outputPadding = [leftover(h, dy.shape[1], 0, attrs), leftover(w, dy.shape[2], 1, attrs)];
  const feeds = [feedOf(dy), int64Feed([1, 1, h, w]), int64Feed([n, c, h, w])];
  const key = `avgPool2dBackprop:${attrKey(attrs)}o${outputPadding.join(',')}`;
  return ex.run('avgPool2dBackprop', key, feeds, [out.dtype], (g, [dyi, planeShape, nchwShape]) => {
    const [ph, pw] = attrs.poolSize;
    const ones = g.op('ConstantOfShape', [planeShape], { value: { kind: 'tensor', type: 'float32', dims: [1], values: [1] } });
    // Real cells per window: the include-pad average of ones times the window size, rounded to the exact integer.
    const included = g.op('AveragePool', [ones], { ...poolAttrs(attrs), count_include_pad: 1 });
    const counts = g.op('Round', [g.op('Mul', [included, g.constant('float32', [ph * pw])])]);
    const share = g.op('Div', [nchw(g, dyi), counts]);
    const planes = g.op('Reshape', [share, g.constant('int64', [-1, 1, 0, 0], [4])]);
    const spread = g.op('ConvTranspose', [planes, g.constant('float32', new Array<number>(ph * pw).fill(1), [1, 1, ph, pw])], {
      strides: attrs.strides, pads: onnxPads(attrs), output_padding: outputPadding,
    });
    return [nhwc(g, g.op('Reshape', [spread, nchwShape]))];
  })[0];
}
