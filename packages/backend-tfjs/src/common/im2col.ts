/**
 * The patch matrix of a 2-D convolution (im2col) and its adjoint (col2im), as plain loops over the
 * backend's memory (tfjs-cpu's arrays, tfjs-wasm's heap). Neither tfjs-cpu nor tfjs-wasm has a
 * patch-extraction kernel, and tfjs-cpu's layout kernels (Transpose, non-contiguous Slice,
 * StridedSlice) visit one element at a time through index arithmetic that allocates arrays (about
 * 44 ns an element here), so building the matrix from them would cost more than the matrix product
 * it feeds; these loops copy whole channel runs.
 */
import type { Conv2DAttrs, Shape, TypedArray } from '@keras-ts/core';

/** Every size of one NHWC convolution with an HWIO filter. */
export interface ConvGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly outChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly padTop: number;
  readonly padLeft: number;
}

export function convGeometry(xShape: Shape, filterShape: Shape, yShape: Shape, attrs: Conv2DAttrs): ConvGeometry {
  return {
    batch: xShape[0],
    inHeight: xShape[1],
    inWidth: xShape[2],
    inChannels: xShape[3],
    filterHeight: filterShape[0],
    filterWidth: filterShape[1],
    outChannels: filterShape[3],
    outHeight: yShape[1],
    outWidth: yShape[2],
    strides: attrs.strides,
    dilations: attrs.dilations,
    padTop: attrs.pads[0][0],
    padLeft: attrs.pads[1][0],
  };
}

/** Columns of the patch matrix: one per (kh, kw, cin), the row order of an HWIO filter reshaped to [kh·kw·cin, cout]. */
export function patchSize(g: ConvGeometry): number {
  return g.filterHeight * g.filterWidth * g.inChannels;
}

/**
 * Calls `visit(colsOffset, pixelOffset)` for every channel run of the patches of images [n0, n1)
 * that lies inside the image (runs in the zero padding are skipped): `colsOffset` is where the run
 * starts in the patch matrix (row ((n − n0)·oh + oy)·ow + ox, column (ky·kw + kx)·cin),
 * `pixelOffset` where it starts in the NHWC input.
 */
function forEachRun(g: ConvGeometry, n0: number, n1: number, visit: (rowOffset: number, pixelOffset: number) => void): void {
  const k = patchSize(g);
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilations;
  const cin = g.inChannels;
  let row = 0;
  for (let n = n0; n < n1; n++) {
    const imageBase = n * g.inHeight;
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++, row++) {
        const rowBase = row * k;
        for (let ky = 0; ky < g.filterHeight; ky++) {
          const iy = oy * sh - g.padTop + ky * dh;
          if (iy < 0 || iy >= g.inHeight) continue;
          const lineBase = (imageBase + iy) * g.inWidth;
          for (let kx = 0; kx < g.filterWidth; kx++) {
            const ix = ox * sw - g.padLeft + kx * dw;
            if (ix < 0 || ix >= g.inWidth) continue;
            visit(rowBase + (ky * g.filterWidth + kx) * cin, (lineBase + ix) * cin);
          }
        }
      }
    }
  }
}

/**
 * Writes the patch matrix of images [n0, n1), `[(n1 − n0)·oh·ow, kh·kw·cin]`, into `cols`, which
 * holds zeros (left where a patch reads padding).
 */
export function im2colInto(cols: TypedArray, x: TypedArray, g: ConvGeometry, n0: number, n1: number): void {
  const cin = g.inChannels;
  if (cin >= 16) {
    // Long channel runs: one typed-array copy each.
    forEachRun(g, n0, n1, (dst, from) => cols.set(x.subarray(from, from + cin), dst));
  } else {
    forEachRun(g, n0, n1, (dst, from) => {
      for (let c = 0; c < cin; c++) cols[dst + c] = x[from + c];
    });
  }
}

/** Adds the patch matrix `cols` of images [n0, n1) back into the NHWC gradient `dx` (the adjoint of im2col). */
export function col2imAdd(cols: ArrayLike<number>, g: ConvGeometry, n0: number, n1: number, dx: Float32Array): void {
  const cin = g.inChannels;
  forEachRun(g, n0, n1, (from, dst) => {
    for (let c = 0; c < cin; c++) dx[dst + c] += cols[from + c];
  });
}

/**
 * How many images go into one patch matrix, so that a matrix holds at most `maxElements` floats
 * (64 MiB by default): the product over a large batch is accumulated chunk by chunk.
 */
export function imagesPerChunk(g: ConvGeometry, maxElements = 1 << 24): number {
  const perImage = g.outHeight * g.outWidth * patchSize(g);
  return Math.max(1, Math.min(g.batch, Math.floor(maxElements / Math.max(perImage, 1))));
}
