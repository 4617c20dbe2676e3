/** Every Keras layer class the ONNX export converts, by class name. */
import type { LayerConverter } from './converter.js';
import { activationConverters } from './layers/activations.js';
import { attentionConverters } from './layers/attention.js';
import { convolutionalConverters } from './layers/convolutional.js';
import { coreConverters } from './layers/core.js';
import { mergingConverters } from './layers/merging.js';
import { normalizationConverters } from './layers/normalization.js';
import { poolingConverters } from './layers/pooling.js';
import { preprocessingConverters } from './layers/preprocessing.js';
import { reshapingConverters } from './layers/reshaping.js';
import { resizeConverters } from './layers/resize.js';
import { rnnConverters } from './layers/rnn.js';
import { timeDistributed, wrapperConverters } from './layers/wrappers.js';

export const LAYER_CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  ...coreConverters,
  ...reshapingConverters,
  ...preprocessingConverters,
  ...resizeConverters,
  ...activationConverters,
  ...convolutionalConverters,
  ...poolingConverters,
  ...normalizationConverters,
  ...mergingConverters,
  ...rnnConverters,
  ...attentionConverters,
  ...wrapperConverters,
  TimeDistributed: timeDistributed((className) => LAYER_CONVERTERS[className]),
};
