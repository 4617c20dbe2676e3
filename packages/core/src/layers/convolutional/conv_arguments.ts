/**
 * Argument reading and input checks shared by the convolution layers that are not plain BaseConv
 * (transposed, depthwise, separable): the window tuples, padding, data format, the strides/dilation
 * rule and the check that a 'valid' window fits its input, all in the user's terms.
 */
import type { ImageDataFormat } from '../../backend/config.js';
import { formatShape, type Dim, type SymbolicShape } from '../../tensor/shape.js';
import { explainSpatialRank, standardizeDataFormat, standardizePadding, standardizeTuple } from './spatial_input.js';

export interface WindowArguments {
  kernelSize: number[];
  strides: number[];
  dilationRate: number[];
  padding: 'valid' | 'same';
  dataFormat: ImageDataFormat;
  dataFormatGiven: boolean;
}

/** Reads kernelSize, strides, dilationRate, padding and dataFormat for a layer of `rank` spatial axes. */
export function readWindowArguments(
  where: string,
  rank: number,
  args: { kernelSize?: number | readonly number[]; strides?: number | readonly number[]; dilationRate?: number | readonly number[]; padding?: string; dataFormat?: ImageDataFormat | null },
  example: string,
): WindowArguments {
  if (args.kernelSize === undefined) {
    throw new Error(`${where}: kernelSize is required (the window size); received none. Fix: e.g. ${example}.`);
  }
  const kernelSize = standardizeTuple(where, 'kernelSize', args.kernelSize, rank);
  const strides = standardizeTuple(where, 'strides', args.strides ?? 1, rank);
  const dilationRate = standardizeTuple(where, 'dilationRate', args.dilationRate ?? 1, rank);
  const padding = standardizePadding(where, args.padding ?? 'valid');
  const dataFormatGiven = args.dataFormat !== null && args.dataFormat !== undefined;
  const dataFormat = standardizeDataFormat(where, args.dataFormat);
  if (Math.max(...strides) > 1 && Math.max(...dilationRate) > 1) {
    throw new Error(
      `${where}: strides > 1 not supported in conjunction with dilationRate > 1; received strides=${JSON.stringify(strides)} and dilationRate=${JSON.stringify(dilationRate)}. ` +
        `Fix: use strides 1 with a dilation, or dilation 1 with strides.`,
    );
  }
  return { kernelSize, strides, dilationRate, padding, dataFormat, dataFormatGiven };
}

/** A positive integer argument (filters, depthMultiplier), or an error naming what came. */
export function positiveInteger(where: string, name: string, value: unknown, fallback: number | undefined, meaning: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new Error(`${where}: ${name} must be a positive integer (${meaning}); received ${name}=${JSON.stringify(value)}. Fix: e.g. ${name}: ${fallback ?? 8}.`);
  }
  return v;
}

/** The spatial axes of an input for the data format. */
export function spatialAxes(shape: SymbolicShape, format: ImageDataFormat): Dim[] {
  return format === 'channels_first' ? shape.slice(2) : shape.slice(1, -1);
}

/** The channel count of an input after checking its rank (with the user-terms explanation). */
export function channelsOf(className: string, layerName: string, shape: SymbolicShape, rank: number, w: WindowArguments): Dim {
  if (shape.length !== rank + 2) throw new Error(`Layer "${layerName}": ${explainSpatialRank(className, shape, rank, w.dataFormat, w.dataFormatGiven)}`);
  return w.dataFormat === 'channels_first' ? shape[1] : shape[shape.length - 1];
}

/** With padding 'valid' the dilated window must fit the input, or the output would be empty. */
export function checkWindowFits(className: string, layerName: string, shape: SymbolicShape, w: WindowArguments): void {
  if (w.padding !== 'valid') return;
  const spatial = spatialAxes(shape, w.dataFormat);
  const spans = w.kernelSize.map((k, i) => (k - 1) * w.dilationRate[i] + 1);
  const out = spatial.map((d, i) => (d === null ? null : Math.floor((d - spans[i]) / w.strides[i]) + 1));
  if (out.some((d) => d !== null && d < 1)) {
    const x = (list: readonly Dim[]): string => list.map((d) => (d === null ? 'None' : String(d))).join('x');
    throw new Error(
      `${className} "${layerName}": the ${x(w.kernelSize)} kernel (spanning ${x(spans)} cells) is larger than the ${x(spatial)} input ` +
        `(the spatial axes of ${formatShape(shape)}) with padding 'valid', so the output would be empty (spatial sizes ${x(out)}). ` +
        `Fix: use padding: 'same', a smaller kernelSize or dilationRate, or a larger input.`,
    );
  }
}

/** The error for a build on an input whose channel axis has no size. */
export function unknownChannels(className: string, layerName: string, shape: SymbolicShape, w: WindowArguments): Error {
  return new Error(
    `${className} "${layerName}": the channel axis (${w.dataFormat === 'channels_first' ? 'axis 1' : 'the last axis'}, data format '${w.dataFormat}') of the input ${formatShape(shape)} ` +
      `must be known to make the kernel. Fix: give the Input a fixed number of channels.`,
  );
}

/** Why an input fails the spec of a built layer, in the user's terms: wrong rank, or other channels than it was built for. */
export function explainMismatch(className: string, shape: SymbolicShape, rank: number, w: WindowArguments, builtChannels: number | undefined): string | undefined {
  if (shape.length !== rank + 2) return explainSpatialRank(className, shape, rank, w.dataFormat, w.dataFormatGiven);
  if (builtChannels === undefined) return undefined;
  const got = w.dataFormat === 'channels_first' ? shape[1] : shape[shape.length - 1];
  return (
    `This ${className} was built for inputs with ${builtChannels} channels (${w.dataFormat === 'channels_first' ? 'axis 1' : 'the last axis'}, data format '${w.dataFormat}'); it cannot take ${got}. ` +
    `Fix: use a new ${className} layer for this input, feed it inputs with ${builtChannels} channels, or pass the dataFormat that matches the data.`
  );
}
