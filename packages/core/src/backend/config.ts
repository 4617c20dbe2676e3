/**
 * `keras.config`: image data format, epsilon and floatx. Defaults come from keras.json when it
 * has them (read, never written), else Keras's defaults.
 */
import { readKerasJson } from './node_environment.js';
import { setVerbose as setVerboseLogging, isVerbose } from './logging.js';

export type ImageDataFormat = 'channels_last' | 'channels_first';

interface Settings {
  imageDataFormat: ImageDataFormat;
  epsilon: number;
  floatx: 'float32';
}

let settings: Settings | undefined;

function load(): Settings {
  if (settings) return settings;
  const file = readKerasJson() ?? {};
  const s: Settings = { imageDataFormat: 'channels_last', epsilon: 1e-7, floatx: 'float32' };
  if (file.image_data_format !== undefined) s.imageDataFormat = checkFormat(file.image_data_format, 'keras.json "image_data_format"');
  if (file.epsilon !== undefined) s.epsilon = checkEpsilon(file.epsilon, 'keras.json "epsilon"');
  if (file.floatx !== undefined) s.floatx = checkFloatx(file.floatx, 'keras.json "floatx"');
  settings = s;
  return s;
}

function checkFormat(value: unknown, where: string): ImageDataFormat {
  if (value === 'channels_last' || value === 'channels_first') return value;
  throw new Error(`${where}: got ${JSON.stringify(value)}. Expected 'channels_last' or 'channels_first'. Fix: use one of those two values.`);
}

function checkEpsilon(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new Error(`${where}: got ${JSON.stringify(value)}. Expected a small positive number such as 1e-07. Fix: use a positive number.`);
}

function checkFloatx(value: unknown, where: string): 'float32' {
  if (value === 'float32') return value;
  throw new Error(`${where}: got ${JSON.stringify(value)}. Expected 'float32', the only float type keras-ts computes in. Fix: set it to 'float32'.`);
}

export const config = {
  imageDataFormat(): ImageDataFormat {
    return load().imageDataFormat;
  },
  setImageDataFormat(value: ImageDataFormat): void {
    load().imageDataFormat = checkFormat(value, 'config.setImageDataFormat');
  },
  epsilon(): number {
    return load().epsilon;
  },
  setEpsilon(value: number): void {
    load().epsilon = checkEpsilon(value, 'config.setEpsilon');
  },
  floatx(): 'float32' {
    return load().floatx;
  },
  setFloatx(value: 'float32'): void {
    load().floatx = checkFloatx(value, 'config.setFloatx');
  },
  /** Verbose logging (e.g. that a Python Keras backend name in keras.json was ignored). */
  setVerbose(value: boolean): void {
    setVerboseLogging(value);
  },
  isVerbose(): boolean {
    return isVerbose();
  },
  /** @internal forget cached settings, so keras.json is read again (tests) */
  reset(): void {
    settings = undefined;
  },
};
