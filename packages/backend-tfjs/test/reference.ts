/** Naive reference loops for convolution and pooling (NHWC, HWIO), written for clarity, not speed. */
import type { Conv2DAttrs, Pool2DAttrs, Shape } from '@keras-ts/core';

export interface ConvCase {
  x: Shape;
  filter: Shape;
  attrs: Conv2DAttrs;
}

export function convOutShape({ x, filter, attrs }: ConvCase): number[] {
  const outSize = (n: number, k: number, axis: 0 | 1) => {
    const effective = (k - 1) * attrs.dilations[axis] + 1;
    return Math.floor((n + attrs.pads[axis][0] + attrs.pads[axis][1] - effective) / attrs.strides[axis]) + 1;
  };
  return [x[0], outSize(x[1], filter[0], 0), outSize(x[2], filter[1], 1), filter[3]];
}

/** Calls f(xIndex, wIndex, yIndex) for every product term of the convolution. */
function forEachTerm(c: ConvCase, f: (xi: number, wi: number, yi: number) => void): void {
  const [n, h, w, cin] = c.x;
  const [kh, kw, , cout] = c.filter;
  const [, oh, ow] = convOutShape(c);
  const { strides: [sh, sw], dilations: [dh, dw], pads: [[top], [left]] } = c.attrs;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ky = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++) {
            const iy = oy * sh - top + ky * dh;
            const ix = ox * sw - left + kx * dw;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
            for (let ci = 0; ci < cin; ci++)
              for (let co = 0; co < cout; co++) {
                f(((b * h + iy) * w + ix) * cin + ci, ((ky * kw + kx) * cin + ci) * cout + co, ((b * oh + oy) * ow + ox) * cout + co);
              }
          }
}

const sizeOf = (s: Shape) => s.reduce((p, d) => p * d, 1);

export function conv2dRef(c: ConvCase, x: number[], w: number[]): number[] {
  const y = new Array<number>(sizeOf(convOutShape(c))).fill(0);
  forEachTerm(c, (xi, wi, yi) => (y[yi] += x[xi] * w[wi]));
  return y;
}

export function conv2dBackpropInputRef(c: ConvCase, dy: number[], w: number[]): number[] {
  const dx = new Array<number>(sizeOf(c.x)).fill(0);
  forEachTerm(c, (xi, wi, yi) => (dx[xi] += dy[yi] * w[wi]));
  return dx;
}

export function conv2dBackpropFilterRef(c: ConvCase, x: number[], dy: number[]): number[] {
  const dw = new Array<number>(sizeOf(c.filter)).fill(0);
  forEachTerm(c, (xi, wi, yi) => (dw[wi] += x[xi] * dy[yi]));
  return dw;
}

export function poolOutShape(x: Shape, attrs: Pool2DAttrs): number[] {
  const outSize = (n: number, axis: 0 | 1) =>
    Math.floor((n + attrs.pads[axis][0] + attrs.pads[axis][1] - attrs.poolSize[axis]) / attrs.strides[axis]) + 1;
  return [x[0], outSize(x[1], 0), outSize(x[2], 1), x[3]];
}

/** Calls f(yIndex, realCellIndices) for every output cell; the cells are in row-major window order. */
function forEachWindow(x: Shape, attrs: Pool2DAttrs, f: (yi: number, cells: number[]) => void): void {
  const [n, h, w, c] = x;
  const [, oh, ow] = poolOutShape(x, attrs);
  const { poolSize: [ph, pw], strides: [sh, sw], pads: [[top], [left]] } = attrs;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ch = 0; ch < c; ch++) {
          const cells: number[] = [];
          for (let ky = 0; ky < ph; ky++)
            for (let kx = 0; kx < pw; kx++) {
              const iy = oy * sh - top + ky;
              const ix = ox * sw - left + kx;
              if (iy >= 0 && iy < h && ix >= 0 && ix < w) cells.push(((b * h + iy) * w + ix) * c + ch);
            }
          f(((b * oh + oy) * ow + ox) * c + ch, cells);
        }
}

const firstMax = (x: number[], cells: number[]) => cells.reduce((best, i) => (x[i] > x[best] ? i : best), cells[0]);

export function maxPoolRef(x: number[], shape: Shape, attrs: Pool2DAttrs): number[] {
  const y: number[] = [];
  forEachWindow(shape, attrs, (yi, cells) => (y[yi] = x[firstMax(x, cells)]));
  return y;
}

export function avgPoolRef(x: number[], shape: Shape, attrs: Pool2DAttrs): number[] {
  const y: number[] = [];
  forEachWindow(shape, attrs, (yi, cells) => (y[yi] = cells.reduce((p, i) => p + x[i], 0) / cells.length));
  return y;
}

export function maxPoolBackpropRef(dy: number[], x: number[], shape: Shape, attrs: Pool2DAttrs): number[] {
  const dx = new Array<number>(sizeOf(shape)).fill(0);
  forEachWindow(shape, attrs, (yi, cells) => (dx[firstMax(x, cells)] += dy[yi]));
  return dx;
}

export function avgPoolBackpropRef(dy: number[], shape: Shape, attrs: Pool2DAttrs): number[] {
  const dx = new Array<number>(sizeOf(shape)).fill(0);
  forEachWindow(shape, attrs, (yi, cells) => {
    for (const i of cells) dx[i] += dy[yi] / cells.length;
  });
  return dx;
}
