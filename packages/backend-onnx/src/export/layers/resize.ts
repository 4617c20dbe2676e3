/**
 * Resizing, and the per-axis resize it shares with UpSampling2D's interpolating modes, written as
 * core's resizeAxis computes it: 'nearest' a Gather of the same input indices, every other method
 * (bilinear, bicubic, lanczos3, lanczos5) a MatMul along the axis by the same (n, m) weight matrix
 * (core's resizeWeights). ONNX's Resize has no Lanczos and weighs the edges its own way, so the
 * weights are written out instead: the file then gives predict's numbers for every method.
 * Crop and pad to the aspect ratio come first, as in the layer (Slice, Pad with fillValue).
 */
import { resizeNearestIndices, resizeWeights, type ResizeInterpolation } from '@keras-ts/core';
import type { ExportContext } from '../context.js';
import { unsupportedSetting, type LayerCall, type LayerConverter } from '../converter.js';

/** The sizes of `axes` in the call's input shape; an unknown one cannot be exported (the weights depend on it). */
export function knownSizes(call: LayerCall, axes: readonly number[]): number[] {
  const shape = call.inputs[0].shape;
  const sizes = axes.map((a) => shape[a]);
  if (sizes.some((s) => s === null)) {
    const shown = `(${shape.map((d) => d ?? 'None').join(', ')})`;
    throw unsupportedSetting(call, `an input of shape ${shown}, whose image size is unknown (the resize weights depend on it)`, 'give the Input a fixed image size, e.g. Input({ shape: [64, 64, 3] }).');
  }
  return sizes as number[];
}

/** Resizes `axis` of `x` (rank `rank`) from n to m entries; returns the new value's name. */
export function resizeAxisNodes(ctx: ExportContext, base: string, x: string, rank: number, axis: number, n: number, m: number, interpolation: ResizeInterpolation): string {
  if (n === m) return x;
  if (interpolation === 'nearest') return ctx.op('Gather', [x, ctx.intConstant(`${base}/indices`, resizeNearestIndices(n, m))], `${base}/nearest`, { axis });
  // The axis moved last, multiplied by the (n, m) weights, moved back.
  const perm = [...Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis), axis];
  const moved = ctx.transpose(x, perm, `${base}/axis_last`);
  const weights = ctx.floatConstant(`${base}/weights`, Float32Array.from(resizeWeights(n, m, interpolation)), [n, m]);
  const resized = ctx.op('MatMul', [moved, weights], `${base}/resized`);
  return ctx.transpose(resized, perm.map((_, i) => perm.indexOf(i)), `${base}/axis_back`);
}

const resizing: LayerConverter = (ctx, call) => {
  const axes = call.config.data_format === 'channels_first' ? [2, 3] : [1, 2];
  const [r, c] = axes;
  const rank = call.inputs[0].shape.length;
  let [h, w] = knownSizes(call, axes);
  const [height, width] = [Number(call.config.height), Number(call.config.width)];
  const interpolation = String(call.config.interpolation ?? 'bilinear') as ResizeInterpolation;
  let x = ctx.op('Cast', [call.inputs[0].name], `${call.base}/float`, { to: 1 });
  if (call.config.crop_to_aspect_ratio === true) {
    const cropH = Math.max(Math.min(h, Math.trunc((w * height) / width)), 1);
    const cropW = Math.max(Math.min(w, Math.trunc((h * width) / height)), 1);
    const [top, left] = [Math.trunc((h - cropH) / 2), Math.trunc((w - cropW) / 2)];
    const slice = [x, ctx.intConstant(`${call.base}/starts`, [top, left]), ctx.intConstant(`${call.base}/ends`, [top + cropH, left + cropW]), ctx.intConstant(`${call.base}/axes`, axes)];
    x = ctx.op('Slice', slice, `${call.base}/crop`);
    [h, w] = [cropH, cropW];
  } else if (call.config.pad_to_aspect_ratio === true) {
    const padH = Math.max(h, Math.trunc((w * height) / width));
    const padW = Math.max(w, Math.trunc((h * width) / height));
    const [top, left] = [Math.trunc((padH - h) / 2), Math.trunc((padW - w) / 2)];
    const pads = new Array<number>(2 * rank).fill(0);
    pads[r] = pads[rank + r] = top;
    pads[c] = pads[rank + c] = left;
    const fill = ctx.floatConstant(`${call.base}/fill_value`, Float32Array.of(Number(call.config.fill_value ?? 0)), []);
    x = ctx.op('Pad', [x, ctx.intConstant(`${call.base}/pads`, pads), fill], `${call.base}/pad`);
    [h, w] = [h + 2 * top, w + 2 * left];
  }
  const rows = resizeAxisNodes(ctx, `${call.base}/rows`, x, rank, r, h, height, interpolation);
  return [resizeAxisNodes(ctx, `${call.base}/columns`, rows, rank, c, w, width, interpolation)];
};

export const resizeConverters: Record<string, LayerConverter> = { Resizing: resizing };
