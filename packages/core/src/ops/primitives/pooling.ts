/**
 * 2-D pooling primitives in NHWC layout: max and average pooling and their backprops. Padded
 * cells never win a max and are not counted in an average (Keras's 'same').
 */
import type { Conv2DAttrs, Pool2DAttrs } from '../../backend/backend.js';
import { run1 } from '../../runtime/engine.js';
import { definePrimitive, type Primitive, type TensorSpec } from '../../runtime/primitive.js';
import { tensor } from '../../tensor/create.js';
import { formatShape, shapesEqual, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { extractPatches, windowOutputLength } from './convolution.js';
import * as g from './grad_ops.js';
import { argReducePrimitive } from './reduction.js';

function kernelAttrs(a: Pool2DAttrs): Pool2DAttrs {
  return { poolSize: a.poolSize, strides: a.strides, padding: a.padding, pads: a.pads };
}

function checkInput(name: string, x: TensorSpec, what: string): void {
  if (x.dtype !== 'float32') throw new TypeError(`${name}: ${what} must be float32, got ${x.dtype} ${formatShape(x.shape)}. Fix: ops.cast(${what}, 'float32').`);
  if (x.shape.length !== 4) throw new Error(`${name}: ${what} must have rank 4 (batch, height, width, channels), got ${formatShape(x.shape)}.`);
}

/** The pooled shape of an NHWC shape, rejecting windows larger than the padded input. */
export function pool2dShape(name: string, x: SymbolicShape, a: Pool2DAttrs): Dim[] {
  const oh = windowOutputLength(x[1], a.poolSize[0], a.strides[0], a.pads[0]);
  const ow = windowOutputLength(x[2], a.poolSize[1], a.strides[1], a.pads[1]);
  if ((oh !== null && oh < 1) || (ow !== null && ow < 1)) {
    throw new Error(
      `${name}: a ${a.poolSize.join('x')} pool does not fit the input ${formatShape(x)} padded by ${JSON.stringify(a.pads)}. ` +
        `Expected the pool to fit inside the padded height and width. Fix: use padding 'same' or a smaller poolSize.`,
    );
  }
  return [x[0], oh, ow, x[3]];
}

function checkDy(name: string, dy: TensorSpec, expected: SymbolicShape): void {
  const mismatch = dy.shape.length !== 4 || dy.shape.some((d, i) => d !== null && expected[i] !== null && d !== expected[i]);
  if (mismatch) throw new Error(`${name}: dy has shape ${formatShape(dy.shape)} but the pooled input has shape ${formatShape(expected)}.`);
}

export const maxPool2dPrimitive: Primitive<Pool2DAttrs> = definePrimitive<Pool2DAttrs>({
  name: 'maxPool2d',
  infer([x], attrs) {
    checkInput('maxPool2d', x, 'x');
    return [{ shape: pool2dShape('maxPool2d', x.shape, attrs), dtype: 'float32' }];
  },
  forward(backend, [x], attrs, [out]) {
    return [backend.maxPool2d(x, kernelAttrs(attrs), out)];
  },
  grad: ({ dys: [dy], inputs: [x], attrs }) => [run1(maxPool2dBackpropPrimitive, [dy, x], kernelAttrs(attrs))],
});

export const maxPool2dBackpropPrimitive: Primitive<Pool2DAttrs> = definePrimitive<Pool2DAttrs>({
  name: 'maxPool2dBackprop',
  infer([dy, x], attrs) {
    checkInput('maxPool2dBackprop', x, 'x');
    checkInput('maxPool2dBackprop', dy, 'dy');
    checkDy('maxPool2dBackprop', dy, pool2dShape('maxPool2dBackprop', x.shape, attrs));
    return [{ shape: x.shape, dtype: 'float32' }];
  },
  forward(backend, [dy, x], attrs, [out]) {
    return [backend.maxPool2dBackprop(dy, x, kernelAttrs(attrs), out)];
  },
  // dx = R_x^T dy, where R_x picks each window's (first) maximum of x. It is linear in dy, so dy's
  // cotangent is R_x g: g read at each window's maximum. x gets none: the routing is piecewise constant.
  grad: ({ dys: [dx], inputs: [, x], attrs }) => [readAtWindowMax(dx, x, attrs), null],
});

/**
 * R_x g: for each window, the value of g at the cell where x has the window's first maximum.
 * Both are cut into windows (extractPatches); argmax over the cells picks the first maximum, as
 * the backprop kernel does, with padded cells set to -Infinity so they never win.
 */
function readAtWindowMax(gx: Tensor, x: Tensor, attrs: Pool2DAttrs): Tensor {
  const [kh, kw] = attrs.poolSize;
  const windows: Conv2DAttrs = { strides: attrs.strides, pads: attrs.pads, dilations: [1, 1] };
  let candidates = extractPatches(x, kh, kw, windows);
  if (attrs.pads.some(([before, after]) => before > 0 || after > 0)) {
    const real = g.binary('greater', extractPatches(g.onesLike(x), kh, kw, windows), g.scalarLike(0, x));
    candidates = g.where(real, candidates, g.scalarLike(-Infinity, x));
  }
  const winner = run1(argReducePrimitive, [candidates], { op: 'argmax', axis: 4 });
  const cells = tensor(Int32Array.from({ length: kh * kw }, (_, i) => i), [kh * kw], 'int32');
  const oneHot = g.cast(g.binary('equal', g.reshape(winner, [...winner.shape, 1]), cells), 'float32');
  return g.reduce('sum', g.mul(extractPatches(gx, kh, kw, windows), oneHot), [4]);
}

export const avgPool2dPrimitive: Primitive<Pool2DAttrs> = definePrimitive<Pool2DAttrs>({
  name: 'avgPool2d',
  infer([x], attrs) {
    checkInput('avgPool2d', x, 'x');
    return [{ shape: pool2dShape('avgPool2d', x.shape, attrs), dtype: 'float32' }];
  },
  forward(backend, [x], attrs, [out]) {
    return [backend.avgPool2d(x, kernelAttrs(attrs), out)];
  },
  grad: ({ dys: [dy], inputs: [x], attrs }) => [run1(avgPool2dBackpropPrimitive, [dy], { ...kernelAttrs(attrs), inputShape: x.shape })],
});

export interface AvgPool2DBackpropAttrs extends Pool2DAttrs {
  /** The shape of the pooled input (only its height and width are read). */
  readonly inputShape: SymbolicShape;
}

export const avgPool2dBackpropPrimitive: Primitive<AvgPool2DBackpropAttrs> = definePrimitive<AvgPool2DBackpropAttrs>({
  name: 'avgPool2dBackprop',
  infer([dy], attrs) {
    checkInput('avgPool2dBackprop', dy, 'dy');
    const inputShape: Dim[] = [dy.shape[0], attrs.inputShape[1], attrs.inputShape[2], dy.shape[3]];
    const pooled = pool2dShape('avgPool2dBackprop', inputShape, attrs);
    if (!shapesEqual(pooled, dy.shape)) checkDy('avgPool2dBackprop', dy, pooled);
    return [{ shape: inputShape, dtype: 'float32' }];
  },
  forward(backend, [dy], attrs, [out]) {
    return [backend.avgPool2dBackprop(dy, kernelAttrs(attrs), out)];
  },
  // Average pooling is linear and this is its adjoint; the adjoint of the adjoint is the pooling itself.
  grad: ({ dys: [dx], attrs }) => [run1(avgPool2dPrimitive, [dx], kernelAttrs(attrs))],
});
