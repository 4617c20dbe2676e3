/**
 * Pooling ops as keras.ops: maxPool and averagePool, 1-D (rank-3 inputs), 2-D (rank-4) and 3-D
 * (rank-5, 2-D pools of depth slices combined over each depth window), channels_last or channels_first. With padding 'same', padded cells never win a max and are not
 * counted in an average, as in Keras.
 *
 * ```ts
 * ops.maxPool(x, [2, 2]);                                   // strides default to the pool size
 * poolOutputShape([null, 28, 28, 3], [2, 2]);               // [null, 14, 14, 3]
 * ```
 */
import type { Pool2DAttrs } from '../backend/backend.js';
import { config, type ImageDataFormat } from '../backend/config.js';
import { run1 } from '../runtime/engine.js';
import type { Primitive } from '../runtime/primitive.js';
import type { Dim, SymbolicShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { castTo, toTensor, type TensorLike } from './convert.js';
import {
  asPair, fromNHWC, layoutShape, paddingMode, samePads, spatialLayout, spatialTuple, toNHWC, windowedLength, type Padding, type SpatialLayout,
} from './primitives/convolution.js';
import { avgPool2dPrimitive, maxPool2dPrimitive } from './primitives/pooling.js';
import { checkConvRank, depthWindows } from './convolution.js';
import { add, divide, maximum } from './elementwise.js';
import { reshape, slice, stack, transpose } from './layout.js';

export interface PoolOptions {
  /** One stride for every spatial axis, or one per axis; default (null) the pool size. */
  strides?: number | readonly number[] | null;
  /** 'valid' or 'same', case-insensitive. Default 'valid'. */
  padding?: Padding | string;
  /** Where the channels are; default `config.imageDataFormat()`. */
  dataFormat?: ImageDataFormat | null;
}

interface PoolGeometry extends SpatialLayout {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: Padding;
  readonly outputShape: Dim[];
}

function resolvePool(where: string, inputShape: SymbolicShape, poolSize: number | readonly number[], options: PoolOptions): PoolGeometry {
  const layout = spatialLayout(where, inputShape, options.dataFormat);
  const n = layout.spatialRank;
  const pool = spatialTuple(where, 'poolSize', poolSize, n);
  const strides = options.strides === null || options.strides === undefined ? pool : spatialTuple(where, 'strides', options.strides, n);
  const padding = paddingMode(where, options.padding);
  const spatial = layout.spatial.map((d, i) => windowedLength(where, padding, d, pool[i], strides[i], 1, i + 1, inputShape));
  return { ...layout, poolSize: pool, strides, padding, outputShape: layoutShape(layout, inputShape[0], spatial, layout.channels) };
}

/** The output shape of `maxPool` and `averagePool` for a (possibly symbolic) input shape. */
export function poolOutputShape(inputShape: SymbolicShape, poolSize: number | readonly number[], options: PoolOptions = {}): Dim[] {
  checkConvRank('pool', inputShape);
  if (inputShape.length === 5) return resolvePool3d('pool', inputShape, poolSize, options).outputShape;
  return resolvePool('pool', inputShape, poolSize, options).outputShape;
}

function pool(where: string, primitive: Primitive<Pool2DAttrs>, inputs: TensorLike, poolSize: number | readonly number[], options: PoolOptions): Tensor {
  const x = castTo(toTensor(inputs, where), 'float32');
  checkConvRank(where, x.shape);
  if (x.rank === 5) return pool3d(where, primitive, x, poolSize, options);
  const geo = resolvePool(where, x.shape, poolSize, options);
  const xl = toNHWC(x, geo);
  const size = asPair(geo.poolSize, 1);
  const strides = asPair(geo.strides, 1);
  const padAxis = (i: 0 | 1): [number, number] => (geo.padding === 'same' ? samePads(xl.shape[i + 1], size[i], strides[i]) : [0, 0]);
  const attrs: Pool2DAttrs = { poolSize: size, strides, padding: geo.padding, pads: [padAxis(0), padAxis(1)] };
  return fromNHWC(run1(primitive, [xl], attrs), geo);
}

/**
 * Max pooling as `keras.ops.max_pool`: the largest value of each window.
 *
 * ```ts
 * ops.maxPool(x, [2, 2], { strides: [2, 2], padding: 'valid', dataFormat: 'channels_last' });
 * ```
 */
export function maxPool(inputs: TensorLike, poolSize: number | readonly number[], options: PoolOptions = {}): Tensor {
  return pool('maxPool', maxPool2dPrimitive, inputs, poolSize, options);
}

/**
 * Average pooling as `keras.ops.average_pool`: the mean of the real (unpadded) cells of each window.
 *
 * ```ts
 * ops.averagePool(x, 3, { strides: 1, padding: 'same' });
 * ```
 */
export function averagePool(inputs: TensorLike, poolSize: number | readonly number[], options: PoolOptions = {}): Tensor {
  return pool('averagePool', avgPool2dPrimitive, inputs, poolSize, options);
}

// --- 3-D: 2-D pools of depth slices, combined over each depth window ------------------------------

interface Pool3DGeometry {
  readonly format: ImageDataFormat;
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: Padding;
  readonly outputShape: Dim[];
}

function resolvePool3d(where: string, inputShape: SymbolicShape, poolSize: number | readonly number[], options: PoolOptions): Pool3DGeometry {
  const format = options.dataFormat ?? config.imageDataFormat();
  const pool = spatialTuple(where, 'poolSize', poolSize, 3);
  const strides = options.strides === null || options.strides === undefined ? pool : spatialTuple(where, 'strides', options.strides, 3);
  const padding = paddingMode(where, options.padding);
  const channelsFirst = format === 'channels_first';
  const depth = inputShape[channelsFirst ? 2 : 1];
  const plane = channelsFirst ? [inputShape[0], inputShape[1], inputShape[3], inputShape[4]] : [inputShape[0], inputShape[2], inputShape[3], inputShape[4]];
  const out2d = resolvePool(where, plane, pool.slice(1), { strides: strides.slice(1), padding, dataFormat: format }).outputShape;
  const outDepth = windowedLength(where, padding, depth, pool[0], strides[0], 1, 1, inputShape);
  const outputShape = channelsFirst ? [out2d[0], out2d[1], outDepth, out2d[2], out2d[3]] : [out2d[0], outDepth, ...out2d.slice(1)];
  return { format, poolSize: pool, strides, padding, outputShape };
}

/** Max: the max of the slices' 2-D maxima. Average: the mean of the slices' 2-D means (each slice has the same real cells, so padding stays uncounted). */
function pool3d(where: string, primitive: Primitive<Pool2DAttrs>, x: Tensor, poolSize: number | readonly number[], options: PoolOptions): Tensor {
  const geo = resolvePool3d(where, x.shape, poolSize, options);
  const channelsFirst = geo.format === 'channels_first';
  const xl = channelsFirst ? transpose(x, { axes: [0, 2, 3, 4, 1] }) : x;
  const [n, depth, h, w, c] = xl.shape;
  const outDepth = geo.outputShape[channelsFirst ? 2 : 1] as number;
  const pooled = new Map<number, Tensor>();
  const options2d: PoolOptions = { strides: geo.strides.slice(1), padding: geo.padding, dataFormat: 'channels_last' };
  const plane = (d: number): Tensor => {
    const hit = pooled.get(d);
    if (hit) return hit;
    const t = pool(where, primitive, reshape(slice(xl, [0, d, 0, 0, 0], [n, 1, h, w, c]), [n, h, w, c]), geo.poolSize.slice(1), options2d);
    pooled.set(d, t);
    return t;
  };
  const max = primitive === maxPool2dPrimitive;
  const outputs = depthWindows(depth, geo.poolSize[0], geo.strides[0], 1, geo.padding, outDepth).map((window) => {
    const slices = window.map(({ input }) => plane(input));
    const combined = slices.reduce((acc, t) => (max ? maximum(acc, t) : add(acc, t)));
    return max ? combined : divide(combined, slices.length);
  });
  const y = stack(outputs, { axis: 1 });
  return channelsFirst ? transpose(y, { axes: [0, 4, 1, 2, 3] }) : y;
}
