/**
 * 2-D convolution primitives in NHWC layout with HWIO filters: conv2d and its two backprops.
 * The three are bilinear maps that are each other's adjoints, so every gradient rule is one of
 * the three again (with the operands rearranged), to any order.
 */
import type { Conv2DAttrs } from '../../backend/backend.js';
import { run1 } from '../../runtime/engine.js';
import { definePrimitive, type Primitive, type TensorSpec } from '../../runtime/primitive.js';
import { tensor } from '../../tensor/create.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as g from './grad_ops.js';

/**
 * Output length of a sliding window along one axis with explicit pads:
 * `floor((in + padBefore + padAfter - (k-1)*dilation - 1) / stride) + 1`. Unknown sizes stay null.
 */
export function windowOutputLength(input: Dim, kernel: Dim, stride: number, pads: readonly [number, number], dilation = 1): Dim {
  if (input === null || kernel === null) return null;
  return Math.floor((input + pads[0] + pads[1] - (kernel - 1) * dilation - 1) / stride) + 1;
}

/**
 * Keras's 'same' pads along one axis: `out = ceil(in / stride)`,
 * `total = max((out-1)*stride + (k-1)*dilation + 1 - in, 0)`, the odd one at the end.
 */
export function samePads(input: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const out = Math.ceil(input / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - input, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The kernel's own attributes, without the shapes the backprop primitives carry along. */
function kernelAttrs(a: Conv2DAttrs): Conv2DAttrs {
  return { strides: a.strides, pads: a.pads, dilations: a.dilations };
}

function checkOperands(name: string, a: TensorSpec, aName: string, b: TensorSpec, bName: string): void {
  for (const [t, what] of [[a, aName], [b, bName]] as const) {
    if (t.dtype !== 'float32') throw new TypeError(`${name}: ${what} must be float32, got ${t.dtype} ${formatShape(t.shape)}. Fix: ops.cast(${what}, 'float32').`);
    if (t.shape.length !== 4) throw new Error(`${name}: ${what} must have rank 4, got ${formatShape(t.shape)}.`);
  }
}

function checkSame(name: string, what: string, a: Dim, b: Dim): void {
  if (a !== null && b !== null && a !== b) throw new Error(`${name}: ${what} differ (${a} vs ${b}).`);
}

/** The spatial output sizes of conv2d for x's spatial sizes, rejecting windows that do not fit. */
function spatialOutput(name: string, x: SymbolicShape, kh: Dim, kw: Dim, a: Conv2DAttrs): [Dim, Dim] {
  const out: [Dim, Dim] = [
    windowOutputLength(x[1], kh, a.strides[0], a.pads[0], a.dilations[0]),
    windowOutputLength(x[2], kw, a.strides[1], a.pads[1], a.dilations[1]),
  ];
  if (out.some((d) => d !== null && d < 1)) {
    throw new Error(
      `${name}: a ${kh}x${kw} window (dilations ${a.dilations.join('x')}) does not fit the input ${formatShape(x)} padded by ${JSON.stringify(a.pads)}. ` +
        `Expected the dilated window to fit inside the padded height and width. Fix: pad more (padding 'same') or use a smaller kernel.`,
    );
  }
  return out;
}

export const conv2dPrimitive: Primitive<Conv2DAttrs> = definePrimitive<Conv2DAttrs>({
  name: 'conv2d',
  infer([x, filter], attrs) {
    checkOperands('conv2d', x, 'x', filter, 'filter');
    checkSame('conv2d', `the input channels of x ${formatShape(x.shape)} and filter ${formatShape(filter.shape)}`, x.shape[3], filter.shape[2]);
    const [oh, ow] = spatialOutput('conv2d', x.shape, filter.shape[0], filter.shape[1], attrs);
    return [{ shape: [x.shape[0], oh, ow, filter.shape[3]], dtype: 'float32' }];
  },
  forward(backend, [x, filter], attrs, [out]) {
    return [backend.conv2d(x, filter, kernelAttrs(attrs), out)];
  },
  grad: ({ dys: [dy], inputs: [x, filter], attrs }) => [
    conv2dBackpropInput(dy, filter, attrs, x.shape),
    conv2dBackpropFilter(x, dy, attrs, filter.shape),
  ],
});

export interface Conv2DBackpropInputAttrs extends Conv2DAttrs {
  /** The shape of conv2d's x (only its height and width are read: batch and channels come from the operands). */
  readonly inputShape: SymbolicShape;
}

export const conv2dBackpropInputPrimitive: Primitive<Conv2DBackpropInputAttrs> = definePrimitive<Conv2DBackpropInputAttrs>({
  name: 'conv2dBackpropInput',
  infer([dy, filter], attrs) {
    const name = 'conv2dBackpropInput';
    checkOperands(name, dy, 'dy', filter, 'filter');
    checkSame(name, `the output channels of dy ${formatShape(dy.shape)} and filter ${formatShape(filter.shape)}`, dy.shape[3], filter.shape[3]);
    const [oh, ow] = spatialOutput(name, attrs.inputShape, filter.shape[0], filter.shape[1], attrs);
    checkSame(name, `dy ${formatShape(dy.shape)} and the conv2d output size of input ${formatShape(attrs.inputShape)}`, dy.shape[1], oh);
    checkSame(name, `dy ${formatShape(dy.shape)} and the conv2d output size of input ${formatShape(attrs.inputShape)}`, dy.shape[2], ow);
    return [{ shape: [dy.shape[0], attrs.inputShape[1], attrs.inputShape[2], filter.shape[2]], dtype: 'float32' }];
  },
  forward(backend, [dy, filter], attrs, [out]) {
    return [backend.conv2dBackpropInput(dy, filter, kernelAttrs(attrs), out)];
  },
  // dx = A_f^T dy is bilinear: its cotangent g maps back by A_f (a conv2d) and, for the filter,
  // by the same correlation conv2d's filter gradient computes, with g in x's place.
  grad: ({ dys: [dx], inputs: [dy, filter], attrs }) => [
    conv2d(dx, filter, attrs),
    conv2dBackpropFilter(dx, dy, attrs, filter.shape),
  ],
});

export interface Conv2DBackpropFilterAttrs extends Conv2DAttrs {
  /** The filter's shape (only kh and kw are read: its channels come from x and dy). */
  readonly filterShape: SymbolicShape;
}

export const conv2dBackpropFilterPrimitive: Primitive<Conv2DBackpropFilterAttrs> = definePrimitive<Conv2DBackpropFilterAttrs>({
  name: 'conv2dBackpropFilter',
  infer([x, dy], attrs) {
    const name = 'conv2dBackpropFilter';
    checkOperands(name, x, 'x', dy, 'dy');
    checkSame(name, `the batch sizes of x ${formatShape(x.shape)} and dy ${formatShape(dy.shape)}`, x.shape[0], dy.shape[0]);
    const [kh, kw] = attrs.filterShape;
    const [oh, ow] = spatialOutput(name, x.shape, kh, kw, attrs);
    checkSame(name, `dy ${formatShape(dy.shape)} and the conv2d output size of x ${formatShape(x.shape)}`, dy.shape[1], oh);
    checkSame(name, `dy ${formatShape(dy.shape)} and the conv2d output size of x ${formatShape(x.shape)}`, dy.shape[2], ow);
    return [{ shape: [kh, kw, x.shape[3], dy.shape[3]], dtype: 'float32' }];
  },
  forward(backend, [x, dy], attrs, [out]) {
    return [backend.conv2dBackpropFilter(x, dy, kernelAttrs(attrs), out)];
  },
  // df = B(x, dy) with <G, B(x, dy)> = <conv2d(x, G), dy>: so x's cotangent is A_G^T dy and dy's is conv2d(x, G).
  grad: ({ dys: [df], inputs: [x, dy], attrs }) => [
    conv2dBackpropInput(dy, df, attrs, x.shape),
    conv2d(x, df, attrs),
  ],
});

export const conv2d = (x: Tensor, filter: Tensor, attrs: Conv2DAttrs): Tensor => run1(conv2dPrimitive, [x, filter], kernelAttrs(attrs));

export const conv2dBackpropInput = (dy: Tensor, filter: Tensor, attrs: Conv2DAttrs, inputShape: SymbolicShape): Tensor =>
  run1(conv2dBackpropInputPrimitive, [dy, filter], { ...kernelAttrs(attrs), inputShape });

export const conv2dBackpropFilter = (x: Tensor, dy: Tensor, attrs: Conv2DAttrs, filterShape: SymbolicShape): Tensor =>
  run1(conv2dBackpropFilterPrimitive, [x, dy], { ...kernelAttrs(attrs), filterShape });

/**
 * Every window of x `[n, h, w, c]` as `[n, oh, ow, c, kh*kw]` (cells in row-major order, padded
 * cells 0). One conv2d does it: the channels move into the batch, and a one-hot filter copies
 * each cell of the window to its own output channel (x*1 + 0s, so the values are exact).
 */
export function extractPatches(x: Tensor, kh: number, kw: number, attrs: Conv2DAttrs): Tensor {
  const [n, h, w, c] = x.shape;
  const cells = kh * kw;
  const eye = new Float32Array(cells * cells);
  for (let i = 0; i < cells; i++) eye[i * cells + i] = 1;
  const filter = tensor(eye, [kh, kw, 1, cells]);
  const columns = g.reshape(g.transpose(x, [0, 3, 1, 2]), [n * c, h, w, 1]);
  const patches = conv2d(columns, filter, attrs);
  const [, oh, ow] = patches.shape;
  return g.transpose(g.reshape(patches, [n, c, oh, ow, cells]), [0, 2, 3, 1, 4]);
}
