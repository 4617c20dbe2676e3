/**
 * Pooling as single passes over the windows, in plain JavaScript over the backend's own memory.
 * They follow Keras's semantics directly: a window's maximum is its first maximum in row-major order,
 * NaN beating every number (the first NaN wins, as numpy); the max gradient goes to that cell; the
 * average gradient is spread over the real (unpadded) cells of each window.
 *
 * - maxPool2d: on tfjs-cpu always (faster than its MaxPool), on tfjs-wasm where the input holds NaN
 *   (see pool.ts). tfjs's MaxPool skips NaN (tfjs-cpu's compares `value > max`; tfjs-wasm's XNNPACK
 *   kernel returns some other cell of the window, even −Infinity), so a window holding NaN would not
 *   give NaN.
 * - avgPool2d: on tfjs-wasm where the input holds NaN or an infinity (see wasm_backend.ts).
 * - maxPool2dBackprop, on both backends: tfjs-cpu's MaxPoolGrad loops over every input cell and
 *   every window position that might cover it, reading through TensorBuffer.get (272 ms and 132 ms
 *   for a 2x2 pool over [32,24,24,64] here, against 14 ms for the forward pass); this visits each
 *   window once. tfjs-wasm's MaxPoolGrad starts each window's maximum at 0, so a window of negative
 *   values sends its gradient to its first cell whatever the values, and sends ties to the last
 *   maximum. Both skip NaN.
 * - avgPool2dBackprop, on both backends: tfjs-cpu's AvgPoolGrad is slow as its MaxPoolGrad;
 *   tfjs-wasm's (with the border correction of pool.ts) is right but twice as slow as this loop
 *   over its heap.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelTensor, OutputSpec, Pool2DAttrs, Shape } from '@keras-ts/core';
import { type KernelRunner, scoped } from './runner.js';

/** Calls `visit(outOffset, cells)` per output pixel with the input pixel offsets (times channels) of its real cells, row-major. */
function forEachWindow(xShape: Shape, yShape: Shape, attrs: Pool2DAttrs, visit: (outOffset: number, cells: number[]) => void): void {
  const [batch, height, width, channels] = xShape;
  const [, outHeight, outWidth] = yShape;
  const [poolHeight, poolWidth] = attrs.poolSize;
  const [strideHeight, strideWidth] = attrs.strides;
  const [[top], [left]] = attrs.pads;
  const cells: number[] = [];
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = Math.max(0, oy * strideHeight - top);
      const y1 = Math.min(height, oy * strideHeight - top + poolHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = Math.max(0, ox * strideWidth - left);
        const x1 = Math.min(width, ox * strideWidth - left + poolWidth);
        cells.length = 0;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) cells.push(((n * height + iy) * width + ix) * channels);
        }
        visit(((n * outHeight + oy) * outWidth + ox) * channels, cells);
      }
    }
  }
}

/**
 * The offset in `x` of the window's winner in channel `c`: its first maximum, or its first NaN;
 * −1 for a window without a real cell. `!(v <= best)` is true for a larger `v` and for NaN, and a
 * NaN ends the search, so the common case costs one comparison a cell.
 */
function winner(x: Float32Array, cells: readonly number[], c: number): number {
  if (cells.length === 0) return -1;
  let at = cells[0] + c;
  let best = x[at];
  if (best !== best) return at; // NaN
  for (let i = 1; i < cells.length; i++) {
    const v = x[cells[i] + c];
    if (!(v <= best)) {
      at = cells[i] + c;
      if (v !== v) break; // NaN
      best = v;
    }
  }
  return at;
}

/** Max pooling with NaN winning; a window without a real cell (never made by Keras) gives −Infinity, as the reference. */
export function maxPool2d(r: KernelRunner, x: KernelTensor<TensorInfo>, attrs: Pool2DAttrs, out: OutputSpec): TensorInfo {
  const channels = x.shape[3];
  const y = r.produce(out.shape, 'float32', (yv) => {
    const xv = r.peek(x.handle) as Float32Array;
    forEachWindow(x.shape, out.shape, attrs, (o, cells) => {
      for (let c = 0; c < channels; c++) {
        const at = winner(xv, cells, c);
        yv[o + c] = at < 0 ? -Infinity : xv[at];
      }
    });
  });
  return scoped(r, (s) => s.output(s.track(y), out.dtype));
}

/**
 * Average pooling over the real cells of each window, summed in float64 (as the reference): used by
 * tfjs-wasm where x holds NaN or an infinity, since its AvgPool (XNNPACK's, which clamps its output
 * to [−Infinity, +Infinity] with a max/min that drops NaN) gives −Infinity where the average is NaN.
 */
export function avgPool2d(r: KernelRunner, x: KernelTensor<TensorInfo>, attrs: Pool2DAttrs, out: OutputSpec): TensorInfo {
  const channels = x.shape[3];
  const y = r.produce(out.shape, 'float32', (yv) => {
    const xv = r.peek(x.handle) as Float32Array;
    forEachWindow(x.shape, out.shape, attrs, (o, cells) => {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let i = 0; i < cells.length; i++) sum += xv[cells[i] + c];
        yv[o + c] = sum / cells.length;
      }
    });
  });
  return scoped(r, (s) => s.output(s.track(y), out.dtype));
}

/** Both gradients write into a new handle in place and read their inputs without a copy (see KernelRunner.produce). */
export function maxPool2dBackprop(
  r: KernelRunner, dy: KernelTensor<TensorInfo>, x: KernelTensor<TensorInfo>, attrs: Pool2DAttrs, out: OutputSpec,
): TensorInfo {
  const channels = x.shape[3];
  const dx = r.produce(out.shape, 'float32', (dxv) => {
    const xv = r.peek(x.handle) as Float32Array;
    const dyv = r.peek(dy.handle);
    forEachWindow(x.shape, dy.shape, attrs, (o, cells) => {
      for (let c = 0; c < channels; c++) {
        const at = winner(xv, cells, c);
        if (at >= 0) dxv[at] += dyv[o + c];
      }
    });
  });
  return scoped(r, (s) => s.output(s.track(dx), out.dtype));
}

export function avgPool2dBackprop(r: KernelRunner, dy: KernelTensor<TensorInfo>, attrs: Pool2DAttrs, out: OutputSpec): TensorInfo {
  const channels = out.shape[3];
  const dx = r.produce(out.shape, 'float32', (dxv) => {
    const dyv = r.peek(dy.handle);
    forEachWindow(out.shape, dy.shape, attrs, (o, cells) => {
      if (cells.length === 0) return;
      const share = 1 / cells.length;
      for (const cell of cells) {
        for (let c = 0; c < channels; c++) dxv[cell + c] += dyv[o + c] * share;
      }
    });
  });
  return scoped(r, (s) => s.output(s.track(dx), out.dtype));
}
