/**
 * What the 1-D and 2-D convolution and pooling layers share: reading their tuple arguments and
 * data format, and explaining, in the user's terms, an input of the wrong rank.
 */
import { config, type ImageDataFormat } from '../../backend/config.js';
import { formatShape, type SymbolicShape } from '../../tensor/shape.js';

/** Keras's standardize_tuple: one positive integer for every spatial axis, or a list of n. */
export function standardizeTuple(where: string, name: string, value: unknown, n: number): number[] {
  const list = typeof value === 'number' ? new Array<number>(n).fill(value) : Array.isArray(value) ? [...(value as unknown[])] : [];
  if (list.length !== n || list.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 1)) {
    throw new Error(
      `${where}: ${name} must be a positive integer or a list of ${n} positive integers; received ${name}=${JSON.stringify(value)}. ` +
        `Fix: pass e.g. ${name}: ${n === 1 ? '3' : '[3, 3]'}.`,
    );
  }
  return list as number[];
}

/** Keras's standardize_padding for these layers: 'valid' or 'same', in any case. */
export function standardizePadding(where: string, value: unknown): 'valid' | 'same' {
  const mode = typeof value === 'string' ? value.toLowerCase() : value;
  if (mode !== 'valid' && mode !== 'same') {
    throw new Error(`${where}: padding must be 'valid' or 'same'; received padding=${JSON.stringify(value)}. Fix: pass padding: 'valid' (no padding) or 'same'.`);
  }
  return mode;
}

/** Keras's standardize_data_format: the layer's own value, else `config.imageDataFormat()`. */
export function standardizeDataFormat(where: string, value: unknown): ImageDataFormat {
  if (value === null || value === undefined) return config.imageDataFormat();
  const format = typeof value === 'string' ? value.toLowerCase() : value;
  if (format !== 'channels_last' && format !== 'channels_first') {
    throw new Error(
      `${where}: dataFormat must be 'channels_last' or 'channels_first'; received dataFormat=${JSON.stringify(value)}. ` +
        `Fix: pass one of those, or leave it out to use keras.config.imageDataFormat().`,
    );
  }
  return format;
}

/** The layout of one input, batch axis first, in Keras's words. */
export function spatialLayoutName(spatialRank: number, format: ImageDataFormat): string {
  const spatial = spatialRank === 1 ? ['width'] : spatialRank === 2 ? ['height', 'width'] : ['depth', 'height', 'width'];
  const axes = format === 'channels_first' ? ['batch', 'channels', ...spatial] : ['batch', ...spatial, 'channels'];
  return `(${axes.join(', ')})`;
}

/** Where a layer's data format came from, for error messages. */
export function dataFormatSource(format: ImageDataFormat, fromLayer: boolean): string {
  return fromLayer
    ? `image_data_format '${format}', set by the layer's dataFormat argument`
    : `image_data_format '${format}', from keras.config.imageDataFormat(): "image_data_format" in keras.json ($KERAS_HOME, default ~/.keras) ` +
        `or keras.config.setImageDataFormat(), else the default 'channels_last'; pass dataFormat to the layer to choose`;
}

const dims = (shape: SymbolicShape): string => shape.map((d) => (d === null ? 'null' : String(d))).join(', ');

/**
 * Explains an input whose rank does not fit a layer of `spatialRank` spatial axes, and suggests the
 * likely fix: a missing channel axis (`Input({ shape: [28, 28, 1] })` for `[28, 28]` images), a
 * missing batch axis, or a flat vector that must be reshaped into an image.
 */
export function explainSpatialRank(layerClass: string, shape: SymbolicShape, spatialRank: number, format: ImageDataFormat, formatFromLayer: boolean): string {
  const want = spatialRank + 2;
  const layout = spatialLayoutName(spatialRank, format);
  const head = `${layerClass} expects a rank-${want} input ${layout} (${dataFormatSource(format, formatFromLayer)}); it received rank ${shape.length}, shape ${formatShape(shape)}.`;
  const example = shape.slice(1);
  const channelsFirst = format === 'channels_first';
  if (shape.length === want - 1 && shape.length >= 2) {
    const withChannel = channelsFirst ? [1, ...example] : [...example, 1];
    return (
      `${head} Each example ${formatShape(example)} has no channel axis. Fix: for single-channel data use Input({ shape: [${dims(withChannel)}] }) ` +
      `and give the data that shape (ops.expandDims(x, ${channelsFirst ? 1 : -1})). If instead this is one example without its batch axis, add the batch axis ` +
      `(ops.expandDims(x, 0)): the first axis is always the batch axis, even for one example.`
    );
  }
  if (shape.length === 2 && spatialRank === 2) {
    const n = example[0];
    const side = n === null ? null : Math.round(Math.sqrt(n));
    const square = side !== null && side * side === n ? (channelsFirst ? [1, side, side] : [side, side, 1]) : null;
    const target = square ? `[${square.join(', ')}]` : channelsFirst ? '[channels, height, width]' : '[height, width, channels]';
    return (
      `${head} Each example is a flat vector of ${n ?? 'unknown'} values, but ${layerClass} needs images. ` +
      `Fix: reshape each example into an image, e.g. put layers.Reshape({ targetShape: ${target} }) before this layer, or use Input({ shape: ${target} }).`
    );
  }
  if (shape.length < want) {
    return `${head} The first axis is the batch axis. Fix: give each example the shape ${layout.replace('(batch, ', '(')}, e.g. Input({ shape: ${channelsFirst ? '[channels, ...]' : '[..., channels]'} }).`;
  }
  return (
    `${head} That is ${shape.length - want} ${shape.length - want === 1 ? 'axis' : 'axes'} too many: ${layerClass} takes one ${layout.replace('(batch, ', '(')} example per batch entry. ` +
    `Fix: reshape the data to ${layout} (e.g. merge the extra axes into the batch axis), or use a layer made for inputs of this rank.`
  );
}
