/**
 * Channels-last ↔ channels-first for ONNX's NCHW-only Conv and pooling ops, and Keras's padding
 * modes as explicit ONNX pads. Values between layers keep Keras's layout, so each conv or pool is
 * wrapped in its own pair of Transposes (onnxruntime fuses adjacent inverse Transposes away).
 */
import type { Dim } from '@keras-ts/core';
import type { AttrValue } from '../../onnx/proto.js';
import type { ExportContext } from '../context.js';
import type { LayerCall } from '../converter.js';

export interface SpatialLayout {
  /** The number of spatial axes (1 for Conv1D, 2 for Conv2D, ...). */
  readonly rank: number;
  readonly channelsLast: boolean;
  /** The input's spatial sizes, null where unknown. */
  readonly sizes: readonly Dim[];
}

export function spatialLayout(call: LayerCall): SpatialLayout {
  const shape = call.inputs[0].shape;
  const rank = shape.length - 2;
  const channelsLast = call.config.data_format !== 'channels_first';
  return { rank, channelsLast, sizes: channelsLast ? shape.slice(1, -1) : shape.slice(2) };
}

/** NHWC → NCHW (no-op for a channels_first layer). */
export function toChannelsFirst(ctx: ExportContext, x: string, layout: SpatialLayout, base: string): string {
  if (!layout.channelsLast) return x;
  const source = ctx.channelsFirstSource.get(x);
  if (source !== undefined) return source;
  return ctx.transpose(x, [0, layout.rank + 1, ...Array.from({ length: layout.rank }, (_, i) => i + 1)], `${base}/to_channels_first`);
}

/** NCHW → NHWC (no-op for a channels_first layer). */
export function toChannelsLast(ctx: ExportContext, x: string, layout: SpatialLayout, base: string): string {
  if (!layout.channelsLast) return x;
  const y = ctx.transpose(x, [0, ...Array.from({ length: layout.rank }, (_, i) => i + 2), 1], `${base}/to_channels_last`);
  ctx.channelsFirstSource.set(y, x);
  return y;
}

/**
 * The pads (or auto_pad) attribute of a window op. 'same' pads so the output has ceil(size / stride)
 * steps, the odd pixel at the end as TensorFlow does; 'causal' pads the whole window at the start.
 */
export function paddingAttrs(padding: unknown, layout: SpatialLayout, window: readonly number[], strides: readonly number[], dilations: readonly number[]): Record<string, AttrValue> {
  const rank = layout.rank;
  if (padding === 'causal') return { pads: [(window[0] - 1) * dilations[0], 0] };
  if (padding !== 'same') return { pads: new Array<number>(2 * rank).fill(0) };
  // An unknown spatial size (e.g. variable-length sequences) leaves the pads to onnxruntime: SAME_UPPER is the same rule.
  if (layout.sizes.some((d) => d === null)) return { auto_pad: 'SAME_UPPER' };
  const begin: number[] = [];
  const end: number[] = [];
  layout.sizes.forEach((d, i) => {
    const size = d as number;
    const out = Math.ceil(size / strides[i]);
    const total = Math.max((out - 1) * strides[i] + (window[i] - 1) * dilations[i] + 1 - size, 0);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
  });
  return { pads: [...begin, ...end] };
}

/** A tuple argument of a window layer, with one entry per spatial axis. */
export function perAxis(value: unknown, rank: number, fallback: number): number[] {
  if (value === null || value === undefined) return new Array<number>(rank).fill(fallback);
  const list = Array.isArray(value) ? value.map(Number) : [Number(value)];
  return list.length === rank ? list : new Array<number>(rank).fill(list[0]);
}
