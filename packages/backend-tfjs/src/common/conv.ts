/**
 * 2-D convolution and its two gradients, NHWC with an HWIO filter and explicit padding.
 *
 * - conv2d: tfjs's Conv2D, which takes explicit pads as [[0,0],[top,bottom],[left,right],[0,0]]
 *   and dilations; measured on tfjs-cpu about as fast as im2col + BatchMatMul, and on tfjs-wasm it
 *   is XNNPACK's convolution, so it stays.
 * - conv2dBackpropInput: tfjs's Conv2DBackpropInput (on tfjs-cpu as fast as the forward) where the
 *   dilations are 1; it ignores dilations, so dilated convolutions go through BatchMatMul + col2im
 *   (`backpropInputByMatmul`, which tfjs-wasm uses for every convolution: its Conv2DBackpropInput
 *   is a plain loop, 12 times slower than its forward pass).
 * - conv2dBackpropFilter: tfjs-cpu's kernel is a naive loop (50 to 125 times slower than the
 *   forward pass here) and tfjs-wasm registers none, so it is im2col + one BatchMatMul per chunk of
 *   images, about as fast as the forward pass on tfjs-cpu.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, KernelTensor, OutputSpec } from '@keras-ts/core';
import { type KernelRunner, type Scope, scoped, tidy } from './runner.js';
import { col2imAdd, convGeometry, im2colInto, imagesPerChunk, patchSize } from './im2col.js';

/** tfjs's explicit padding for NHWC. */
function tfjsPads(attrs: Conv2DAttrs): [number, number][] {
  const [[top, bottom], [left, right]] = attrs.pads;
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

export function conv2d(r: KernelRunner, x: KernelTensor<TensorInfo>, filter: KernelTensor<TensorInfo>, attrs: Conv2DAttrs, out: OutputSpec): TensorInfo {
  return scoped(r, (s) => {
    const y = s.run('Conv2D', { x: x.handle, filter: filter.handle }, {
      strides: [...attrs.strides], pad: tfjsPads(attrs), dataFormat: 'NHWC', dilations: [...attrs.dilations],
    });
    return s.output(y, out.dtype);
  });
}

/** `maxPatchElements` bounds the patch matrix of the dilated path (tests lower it to exercise chunking). */
export function conv2dBackpropInput(
  r: KernelRunner, dy: KernelTensor<TensorInfo>, filter: KernelTensor<TensorInfo>, attrs: Conv2DAttrs, out: OutputSpec,
  maxPatchElements?: number,
): TensorInfo {
  if (attrs.dilations[0] === 1 && attrs.dilations[1] === 1) {
    return scoped(r, (s) => {
      const dx = s.run('Conv2DBackpropInput', { dy: dy.handle, filter: filter.handle }, {
        inputShape: [...out.shape], strides: [...attrs.strides], pad: tfjsPads(attrs), dataFormat: 'NHWC',
      });
      return s.output(dx, out.dtype);
    });
  }
  return backpropInputByMatmul(r, dy, filter, attrs, out, maxPatchElements);
}

/** Images [n0, n1) of an NHWC tensor: the tensor itself when that is all of them (a Slice would copy it). */
function imagesOf(s: Scope, t: TensorInfo, n0: number, n1: number): TensorInfo {
  if (n0 === 0 && n1 === t.shape[0]) return t;
  return s.run('Slice', { x: t }, { begin: [n0, 0, 0, 0], size: [n1 - n0, ...t.shape.slice(1)] });
}

/** dx = col2im(dy · filterᵀ): the patch-matrix gradient of each chunk of images, folded back into the image. */
export function backpropInputByMatmul(
  r: KernelRunner, dy: KernelTensor<TensorInfo>, filter: KernelTensor<TensorInfo>, attrs: Conv2DAttrs, out: OutputSpec,
  maxPatchElements?: number,
): TensorInfo {
  const g = convGeometry(out.shape, filter.shape, dy.shape, attrs);
  const k = patchSize(g);
  const rowsPerImage = g.outHeight * g.outWidth;
  const dx = new Float32Array(g.batch * g.inHeight * g.inWidth * g.inChannels);
  tidy(r, (s) => {
    const w = s.reshape(s.cast(filter.handle, 'float32'), [1, k, g.outChannels]);
    const dyf = s.cast(dy.handle, 'float32');
    const step = imagesPerChunk(g, maxPatchElements);
    for (let n0 = 0; n0 < g.batch; n0 += step) {
      const n1 = Math.min(g.batch, n0 + step);
      // Each chunk's handles are freed before the next, so memory stays at one patch matrix.
      tidy(r, (c) => {
        const dyRows = c.reshape(imagesOf(c, dyf, n0, n1), [1, (n1 - n0) * rowsPerImage, g.outChannels]);
        const cols = c.run('BatchMatMul', { a: dyRows, b: w }, { transposeA: false, transposeB: true });
        col2imAdd(r.peek(cols), g, n0, n1, dx); // nothing is allocated while col2im reads
      });
    }
  });
  return scoped(r, (s) => s.output(s.track(r.adopt(dx, out.shape, 'float32')), out.dtype));
}

/**
 * dW = im2col(x)ᵀ · dy, computed as (dyᵀ · im2col(x))ᵀ: the operand transposed is dy, smaller than
 * the patch matrix by a factor kh·kw·cin / cout, which matters where a transposed operand costs an
 * explicit transpose (tfjs-wasm). One BatchMatMul per chunk of images (at most `maxPatchElements`
 * patch-matrix floats), summed.
 */
export function conv2dBackpropFilter(
  r: KernelRunner, x: KernelTensor<TensorInfo>, dy: KernelTensor<TensorInfo>, attrs: Conv2DAttrs, out: OutputSpec,
  maxPatchElements?: number,
): TensorInfo {
  const g = convGeometry(x.shape, out.shape, dy.shape, attrs);
  const k = patchSize(g);
  const rowsPerImage = g.outHeight * g.outWidth;
  return scoped(r, (s) => {
    const dyf = s.cast(dy.handle, 'float32');
    const step = imagesPerChunk(g, maxPatchElements);
    let sum: TensorInfo | undefined;
    for (let n0 = 0; n0 < g.batch; n0 += step) {
      const n1 = Math.min(g.batch, n0 + step);
      const part = s.track(
        scoped(r, (c) => {
          const rows = (n1 - n0) * rowsPerImage;
          // Written in place (tfjs-wasm's heap, or an array tfjs-cpu adopts), reading x without a copy.
          const cols = c.track(r.produce([1, rows, k], 'float32', (values) => im2colInto(values, r.peek(x.handle), g, n0, n1)));
          const dyRows = c.reshape(imagesOf(c, dyf, n0, n1), [1, rows, g.outChannels]);
          return c.run('BatchMatMul', { a: dyRows, b: cols }, { transposeA: true, transposeB: false });
        }),
      );
      sum = sum === undefined ? part : s.run('Add', { a: sum, b: part });
    }
    if (sum === undefined) {
      // An empty batch contributes nothing.
      return s.output(s.run('Fill', {}, { shape: [...out.shape], value: 0, dtype: 'float32' }), out.dtype);
    }
    // [1, cout, k] -> [k, cout], the HWIO filter's layout.
    const dw = s.run('Transpose', { x: s.reshape(sum, [g.outChannels, k]) }, { perm: [1, 0] });
    return s.output(s.reshape(dw, out.shape), out.dtype);
  });
}
