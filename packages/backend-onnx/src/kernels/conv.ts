/**
 * matmul and the three convolution kernels. keras-ts is NHWC with HWIO filters, ONNX Conv is
 * NCHW with OIHW weights: each graph transposes its inputs and output itself, so one session
 * runs the whole kernel (ORT fuses or folds what it can of the transposes).
 */
import type { Conv2DAttrs, OutputSpec } from '@keras-ts/core';
import { feedOf, int64Feed, type Executor, type T } from '../executor.js';
import type { OrtOut } from '../onnx/runtime.js';

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
/** HWIO filter → OIHW weight (also the [cout, cin, kh, kw] weight ConvTranspose wants for conv2d's adjoint). */
const HWIO_TO_OIHW = [3, 2, 0, 1];

export function matmul(ex: Executor, a: T, b: T, transposeA: boolean, transposeB: boolean, out: OutputSpec): OrtOut {
  const key = `matmul:${transposeA ? 't' : 'n'}${transposeB ? 't' : 'n'}`;
  const [batch, m, n] = out.shape;
  const work = 2 * batch * m * n * (transposeA ? a.shape[1] : a.shape[2]);
  return ex.run('matmul', key, [feedOf(a), feedOf(b)], [out.dtype], (g, [ai, bi]) => {
    const lhs = transposeA ? g.op('Transpose', [ai], { perm: [0, 2, 1] }) : ai;
    const rhs = transposeB ? g.op('Transpose', [bi], { perm: [0, 2, 1] }) : bi;
    return [g.op('MatMul', [lhs, rhs])];
  }, work)[0];
}

/** ONNX pads: [top, left, bottom, right]. */
const onnxPads = (attrs: Conv2DAttrs): number[] => [attrs.pads[0][0], attrs.pads[1][0], attrs.pads[0][1], attrs.pads[1][1]];

const attrKey = (attrs: Conv2DAttrs): string => `s${attrs.strides.join(',')}p${onnxPads(attrs).join(',')}d${attrs.dilations.join(',')}`;

/** Floating-point operations of conv2d (and of each of its gradients). */
const convWork = (y: readonly number[], filter: readonly number[]): number => 2 * y[0] * y[1] * y[2] * filter[0] * filter[1] * filter[2] * filter[3];

export function conv2d(ex: Executor, x: T, filter: T, attrs: Conv2DAttrs, out: OutputSpec): OrtOut {
  return ex.run('conv2d', `conv2d:${attrKey(attrs)}`, [feedOf(x), feedOf(filter)], [out.dtype], (g, [xi, fi]) => {
    const y = g.op('Conv', [g.op('Transpose', [xi], { perm: NHWC_TO_NCHW }), g.op('Transpose', [fi], { perm: HWIO_TO_OIHW })], {
      strides: attrs.strides, pads: onnxPads(attrs), dilations: attrs.dilations,
    });
    return [g.op('Transpose', [y], { perm: NCHW_TO_NHWC })];
  }, convWork(out.shape, filter.shape))[0];
}

/**
 * The rows (or columns) conv2d's last window leaves unread at the end: ConvTranspose's
 * output_padding that makes its output exactly `size` long. In [0, stride).
 */
function leftover(size: number, outSize: number, kernel: number, axis: 0 | 1, attrs: Conv2DAttrs): number {
  const effective = (kernel - 1) * attrs.dilations[axis] + 1;
  return size + attrs.pads[axis][0] + attrs.pads[axis][1] - effective - (outSize - 1) * attrs.strides[axis];
}

/**
 * conv2d's adjoint with respect to x: ConvTranspose with conv2d's strides, pads and dilations,
 * and output_padding for the input rows/columns no window reaches, so the output is out.shape.
 */
export function conv2dBackpropInput(ex: Executor, dy: T, filter: T, attrs: Conv2DAttrs, out: OutputSpec): OrtOut {
  const [kh, kw] = filter.shape;
  const outputPadding = [leftover(out.shape[1], dy.shape[1], kh, 0, attrs), leftover(out.shape[2], dy.shape[2], kw, 1, attrs)];
  const key = `conv2dBackpropInput:${attrKey(attrs)}o${outputPadding.join(',')}`;
  return ex.run('conv2dBackpropInput', key, [feedOf(dy), feedOf(filter)], [out.dtype], (g, [dyi, fi]) => {
    const dx = g.op('ConvTranspose', [g.op('Transpose', [dyi], { perm: NHWC_TO_NCHW }), g.op('Transpose', [fi], { perm: HWIO_TO_OIHW })], {
      strides: attrs.strides, pads: onnxPads(attrs), dilations: attrs.dilations, output_padding: outputPadding,
    });
    return [g.op('Transpose', [dx], { perm: NCHW_TO_NHWC })];
  }, convWork(dy.shape, filter.shape))[0];
}

/**
 * conv2d's adjoint with respect to the filter: df[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, row, col, ci] · dy[n, oh, ow, co].
 *
 * im2col as ONNX ops: one strided Slice of the padded x per filter tap gives that tap's
 * [n, oh, ow, ci] inputs; side by side they are the [n·oh·ow, taps·ci] patch matrix, and one
 * GEMM with dy viewed as [n·oh·ow, co] gives df already in [kh, kw, ci, co] order. The patch
 * matrix holds taps × x's elements, so beyond `maxIm2colElements` the kernel uses one Conv
 * instead (x as [cin, n, h, w], dy as a [cout, n, oh, ow] weight, stride and dilation
 * swapped), which bounds memory but runs at about half the speed here.
 */
export function conv2dBackpropFilter(ex: Executor, x: T, dy: T, attrs: Conv2DAttrs, out: OutputSpec, maxIm2colElements: number): OrtOut {
  const [kh, kw] = out.shape;
  const [n, oh, ow, co] = dy.shape;
  const ci = x.shape[3];
  const work = 2 * n * oh * ow * co * ci * kh * kw;
  if (n * oh * ow * ci * kh * kw > maxIm2colElements) return backpropFilterByConv(ex, x, dy, attrs, out, work);
  // What one tap's strided slice spans: n, (oh − 1)·sh + 1 rows, (ow − 1)·sw + 1 columns, ci.
  const extent = [n, (oh - 1) * attrs.strides[0] + 1, (ow - 1) * attrs.strides[1] + 1, ci];
  const feeds = [feedOf(x), feedOf(dy), int64Feed(extent), int64Feed(out.shape)];
  const key = `conv2dBackpropFilter:im2col:${attrKey(attrs)}k${kh},${kw}`;
  return ex.run('conv2dBackpropFilter', key, feeds, [out.dtype], (g, [xi, dyi, span, filterShape]) => {
    const [[top, bottom], [left, right]] = attrs.pads;
    const padded = top + bottom + left + right === 0 ? xi : g.op('Pad', [xi, g.constant('int64', [0, top, left, 0, 0, bottom, right, 0], [8])]);
    const steps = g.constant('int64', [1, attrs.strides[0], attrs.strides[1], 1], [4]);
    const taps: string[] = [];
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const starts = g.constant('int64', [0, a * attrs.dilations[0], b * attrs.dilations[1], 0], [4]);
        taps.push(g.op('Slice', [padded, starts, g.op('Add', [starts, span]), g.constant('int64', [0, 1, 2, 3], [4]), steps]));
      }
    }
    // Flatten, not Reshape with constants: the session serves every channel count.
    const patches = g.op('Flatten', [taps.length === 1 ? taps[0] : g.op('Concat', taps, { axis: 3 })], { axis: 3 });
    const grads = g.op('Flatten', [dyi], { axis: 3 });
    return [g.op('Reshape', [g.op('Gemm', [patches, grads], { transA: 1 }), filterShape])];
  }, work)[0];
}

function backpropFilterByConv(ex: Executor, x: T, dy: T, attrs: Conv2DAttrs, out: OutputSpec, work: number): OrtOut {
  const feeds = [feedOf(x), feedOf(dy), int64Feed([out.shape[0], out.shape[1]])];
  return ex.run('conv2dBackpropFilter', `conv2dBackpropFilter:conv:${attrKey(attrs)}`, feeds, [out.dtype], (g, [xi, dyi, taps]) => {
    const cnhw = [3, 0, 1, 2];
    const full = g.op('Conv', [g.op('Transpose', [xi], { perm: cnhw }), g.op('Transpose', [dyi], { perm: cnhw })], {
      strides: attrs.dilations, pads: onnxPads(attrs), dilations: attrs.strides,
    });
    // The output can be longer than the filter where padding leaves room for more taps.
    const kept = g.op('Slice', [full, g.constant('int64', [0, 0], [2]), taps, g.constant('int64', [2, 3], [2])]);
    // [ci, co, kh, kw] → [kh, kw, ci, co]
    return [g.op('Transpose', [kept], { perm: [2, 3, 0, 1] })];
  }, work)[0];
}
