/**
 * 2-D convolution in NHWC layout with an HWIO filter, and its two gradients.
 *
 * Geometry shared by all three kernels. With strides (sh, sw), dilations (dh, dw) and explicit
 * zero padding [[top, bottom], [left, right]], output cell (oh, ow) and filter tap (kh, kw) read
 * input cell
 *
 *     row = oh·sh − top + kh·dh,   col = ow·sw − left + kw·dw,
 *
 * and a (row, col) outside [0, h) × [0, w) is a padded zero. The output size is
 * oh = floor((h + top + bottom − (kh − 1)·dh − 1) / sh) + 1 (likewise for the width); core
 * computes it (and turns Keras's 'same' into explicit pads), so the kernels read it from the
 * shapes they are given. bottom/right padding only matters through that size.
 *
 *     conv2d:               y[n, oh, ow, co]  = Σ_{kh, kw, ci} x[n, row, col, ci] · f[kh, kw, ci, co]
 *     conv2dBackpropInput:  dx[n, row, col, ci] = Σ over every (oh, ow, kh, kw, co) that reads it of dy[n, oh, ow, co] · f[kh, kw, ci, co]
 *     conv2dBackpropFilter: df[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, row, col, ci] · dy[n, oh, ow, co]
 *
 * The two gradients are those of L = Σ dy · conv2d(x, f), i.e. the adjoints of the forward pass
 * with respect to x and to f. conv2dBackpropInput is also Conv2DTranspose's forward pass.
 * Every sum is accumulated in float64 and rounded once.
 */
import type { Conv2DAttrs, OutputSpec, TypedArray } from '@keras-ts/core';
import { makeArray, sizeOf, storeAs, type TensorData } from '../tensor_data.js';

interface Geometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly outH: number;
  readonly outW: number;
  readonly outC: number;
  readonly kH: number;
  readonly kW: number;
}

/**
 * Calls `visit` once for every (input cell, filter tap, output cell) triple of the convolution
 * where the input cell is real (not padding), with the flat offsets of the pixel in x (its
 * channel 0), of the tap in the filter (channel pair 0, 0) and of the pixel in y (channel 0).
 */
function forEachTap(g: Geometry, attrs: Conv2DAttrs, visit: (xPixel: number, fTap: number, yPixel: number) => void): void {
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  const [[top], [left]] = attrs.pads;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        const yPixel = ((n * g.outH + oh) * g.outW + ow) * g.outC;
        for (let kh = 0; kh < g.kH; kh++) {
          const row = oh * sh - top + kh * dh;
          if (row < 0 || row >= g.inH) continue;
          for (let kw = 0; kw < g.kW; kw++) {
            const col = ow * sw - left + kw * dw;
            if (col < 0 || col >= g.inW) continue;
            visit(((n * g.inH + row) * g.inW + col) * g.inC, (kh * g.kW + kw) * g.inC * g.outC, yPixel);
          }
        }
      }
    }
  }
}

function geometry(xShape: readonly number[], filterShape: readonly number[], yShape: readonly number[]): Geometry {
  const [batch, inH, inW, inC] = xShape;
  const [kH, kW] = filterShape;
  const [, outH, outW, outC] = yShape;
  return { batch, inH, inW, inC, outH, outW, outC, kH, kW };
}

function rounded(sums: Float64Array, out: OutputSpec): TypedArray {
  const store = storeAs(out.dtype);
  const result = makeArray(out.dtype, sums.length);
  for (let i = 0; i < sums.length; i++) result[i] = store(sums[i]);
  return result;
}

/** x [n, h, w, cin], filter [kh, kw, cin, cout] → y [n, oh, ow, cout] = out.shape. */
export function conv2d(x: TensorData, filter: TensorData, attrs: Conv2DAttrs, out: OutputSpec): TypedArray {
  const g = geometry(x.shape, filter.shape, out.shape);
  const y = new Float64Array(sizeOf(out.shape));
  forEachTap(g, attrs, (xPixel, fTap, yPixel) => {
    for (let ci = 0; ci < g.inC; ci++) {
      const xv = x.values[xPixel + ci];
      for (let co = 0; co < g.outC; co++) y[yPixel + co] += xv * filter.values[fTap + ci * g.outC + co];
    }
  });
  return rounded(y, out);
}

/** dy [n, oh, ow, cout], filter [kh, kw, cin, cout] → dx [n, h, w, cin] = out.shape. */
export function conv2dBackpropInput(dy: TensorData, filter: TensorData, attrs: Conv2DAttrs, out: OutputSpec): TypedArray {
  const g = geometry(out.shape, filter.shape, dy.shape);
  const dx = new Float64Array(sizeOf(out.shape));
  forEachTap(g, attrs, (xPixel, fTap, yPixel) => {
    for (let ci = 0; ci < g.inC; ci++) {
      let sum = 0;
      for (let co = 0; co < g.outC; co++) sum += dy.values[yPixel + co] * filter.values[fTap + ci * g.outC + co];
      dx[xPixel + ci] += sum;
    }
  });
  return rounded(dx, out);
}

/** x [n, h, w, cin], dy [n, oh, ow, cout] → dfilter [kh, kw, cin, cout] = out.shape. */
export function conv2dBackpropFilter(x: TensorData, dy: TensorData, attrs: Conv2DAttrs, out: OutputSpec): TypedArray {
  const g = geometry(x.shape, out.shape, dy.shape);
  const df = new Float64Array(sizeOf(out.shape));
  forEachTap(g, attrs, (xPixel, fTap, yPixel) => {
    for (let ci = 0; ci < g.inC; ci++) {
      const xv = x.values[xPixel + ci];
      for (let co = 0; co < g.outC; co++) df[fTap + ci * g.outC + co] += xv * dy.values[yPixel + co];
    }
  });
  return rounded(df, out);
}
