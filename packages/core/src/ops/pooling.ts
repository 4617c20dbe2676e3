/**
 * Pooling ops as keras.ops: maxPool and averagePool, 1-D (rank-3 inputs) and 2-D (rank-4),
 * channels_last or channels_first. With padding 'same', padded cells never win a max and are not
 * counted in an average, as in Keras.
 *
 * ```ts
 * ops.maxPool(x, [2, 2]);                                   // strides default to the pool size
 * poolOutputShape([null, 28, 28, 3], [2, 2]);               // [null, 14, 14, 3]
 * ```
 */
import type { Pool2DAttrs } from '../backend/backend.js';
import type { ImageDataFormat } from '../backend/config.js';
import { run1 } from '../runtime/engine.js';
import type { Primitive } from '../runtime/primitive.js';
import type { Dim, SymbolicShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { castTo, toTensor, type TensorLike } from './convert.js';
import {
  asPair, fromNHWC, layoutShape, paddingMode, samePads, spatialLayout, spatialTuple, toNHWC, windowedLength, type Padding, type SpatialLayout,
} from './primitives/convolution.js';
import { avgPool2dPrimitive, maxPool2dPrimitive } from './primitives/pooling.js';

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
  return resolvePool('pool', inputShape, poolSize, options).outputShape;
}

function pool(where: string, primitive: Primitive<Pool2DAttrs>, inputs: TensorLike, poolSize: number | readonly number[], options: PoolOptions): Tensor {
  const x = castTo(toTensor(inputs, where), 'float32');
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
