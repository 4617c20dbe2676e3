/**
 * Pooling gradients as single passes over the windows, in plain JavaScript over the backend's own
 * memory. They follow Keras's semantics directly: the gradient goes to the first maximum of each
 * window, or is spread over the real (unpadded) cells of each window.
 *
 * - tfjs-cpu uses both: its MaxPoolGrad and AvgPoolGrad loop over every input cell and every window
 *   position that might cover it, reading through TensorBuffer.get (272 ms and 132 ms for a 2x2
 *   pool over [32,24,24,64] here, against 14 ms for the forward pass); these visit each window
 *   once.
 * - tfjs-wasm uses both: its MaxPoolGrad starts each window's maximum at 0, so a window of
 *   negative values sends its gradient to its first cell whatever the values, and sends ties to the
 *   last maximum; its AvgPoolGrad (with the border correction of pool.ts) is right but twice as slow
 *   as this loop over its heap.
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

/** Both gradients write into a new handle in place and read their inputs without a copy (see KernelRunner.produce). */
export function maxPool2dBackprop(
  r: KernelRunner, dy: KernelTensor<TensorInfo>, x: KernelTensor<TensorInfo>, attrs: Pool2DAttrs, out: OutputSpec,
): TensorInfo {
  const channels = x.shape[3];
  const dx = r.produce(out.shape, 'float32', (dxv) => {
    const xv = r.peek(x.handle);
    const dyv = r.peek(dy.handle);
    forEachWindow(x.shape, dy.shape, attrs, (o, cells) => {
      for (let c = 0; c < channels; c++) {
        let best = -Infinity;
        let at = -1;
        for (let i = 0; i < cells.length; i++) {
          const v = xv[cells[i] + c];
          // Strictly greater: the first maximum wins ties, and NaN never wins.
          if (v > best) {
            best = v;
            at = cells[i] + c;
          }
        }
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
