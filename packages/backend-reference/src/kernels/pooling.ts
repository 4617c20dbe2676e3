/**
 * 2-D max and average pooling in NHWC layout, and their gradients.
 *
 * Window geometry: output cell (oh, ow) pools the input cells
 *
 *     row = oh·sh − top + ph,   col = ow·sw − left + pw,   0 <= ph < poolH, 0 <= pw < poolW,
 *
 * per channel, where only the real cells (0 <= row < h, 0 <= col < w) take part: padded cells
 * never win a max and are not counted in an average (the divisor is the number of real cells in
 * the window), as in TensorFlow/Keras. Core computes the output size and the explicit pads
 * (Keras 'same' puts the odd extra pad at the bottom/right).
 *
 * Ties: a max window's winner is its first maximum in row-major window order (ph, then pw);
 * maxPool2dBackprop sends dy to that cell only. NaN beats every number (the first NaN wins).
 * A window with no real cell (only possible with pads at least as large as the pool, which Keras
 * never produces) gives −Infinity for max and NaN (0/0) for average, and takes no gradient.
 */
import type { OutputSpec, Pool2DAttrs, TypedArray } from '@keras-ts/core';
import { makeArray, sizeOf, type TensorData } from '../tensor_data.js';
import { beatsMax } from './reduction.js';

/**
 * Calls `visit(cells, yAt)` for every output element: `cells` are the flat offsets in x of the
 * real cells of its window (same channel), in row-major window order; `yAt` is its offset in y.
 */
function forEachWindow(xShape: readonly number[], yShape: readonly number[], attrs: Pool2DAttrs, visit: (cells: number[], yAt: number) => void): void {
  const [batch, inH, inW, channels] = xShape;
  const [, outH, outW] = yShape;
  const [poolH, poolW] = attrs.poolSize;
  const [sh, sw] = attrs.strides;
  const [[top], [left]] = attrs.pads;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        for (let c = 0; c < channels; c++) {
          const cells: number[] = [];
          for (let ph = 0; ph < poolH; ph++) {
            const row = oh * sh - top + ph;
            if (row < 0 || row >= inH) continue;
            for (let pw = 0; pw < poolW; pw++) {
              const col = ow * sw - left + pw;
              if (col < 0 || col >= inW) continue;
              cells.push(((n * inH + row) * inW + col) * channels + c);
            }
          }
          visit(cells, ((n * outH + oh) * outW + ow) * channels + c);
        }
      }
    }
  }
}

/** The offset in x of the first maximum among `cells`, or −1 for an empty window. */
function argmaxCell(x: TensorData, cells: readonly number[]): number {
  let best = -1;
  for (const cell of cells) if (best === -1 || beatsMax(x.values[cell], x.values[best])) best = cell;
  return best;
}

/** y = the maximum of each window's real cells. */
export function maxPool2d(x: TensorData, attrs: Pool2DAttrs, out: OutputSpec): TypedArray {
  const y = makeArray(out.dtype, sizeOf(out.shape));
  forEachWindow(x.shape, out.shape, attrs, (cells, yAt) => {
    const best = argmaxCell(x, cells);
    y[yAt] = best === -1 ? -Infinity : x.values[best];
  });
  return y;
}

/** y = the mean of each window's real cells (sum in float64 / their count). */
export function avgPool2d(x: TensorData, attrs: Pool2DAttrs, out: OutputSpec): TypedArray {
  const y = makeArray(out.dtype, sizeOf(out.shape));
  forEachWindow(x.shape, out.shape, attrs, (cells, yAt) => {
    let sum = 0;
    for (const cell of cells) sum += x.values[cell];
    y[yAt] = sum / cells.length;
  });
  return y;
}

/** dx (shaped like x): each window's dy added to the window's first maximum. */
export function maxPool2dBackprop(dy: TensorData, x: TensorData, attrs: Pool2DAttrs, out: OutputSpec): TypedArray {
  const dx = new Float64Array(sizeOf(out.shape));
  forEachWindow(x.shape, dy.shape, attrs, (cells, yAt) => {
    const best = argmaxCell(x, cells);
    if (best !== -1) dx[best] += dy.values[yAt];
  });
  const result = makeArray(out.dtype, dx.length);
  result.set(dx);
  return result;
}

/** dx (of out.shape, x's shape): each window's dy divided evenly among its real cells. */
export function avgPool2dBackprop(dy: TensorData, attrs: Pool2DAttrs, out: OutputSpec): TypedArray {
  const dx = new Float64Array(sizeOf(out.shape));
  forEachWindow(out.shape, dy.shape, attrs, (cells, yAt) => {
    for (const cell of cells) dx[cell] += dy.values[yAt] / cells.length;
  });
  const result = makeArray(out.dtype, dx.length);
  result.set(dx);
  return result;
}
