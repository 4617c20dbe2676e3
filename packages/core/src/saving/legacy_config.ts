/**
 * Keras 2 (and Keras 1) model configs, as `.h5` files and `model.to_json()` hold them, converted to
 * Keras 3's shape before loading: `Model` is `Functional`, a Keras 2.1 Sequential's config is a bare
 * list, `inbound_nodes` are nested lists `[[["input_1", 0, 0, {}]]]`, `batch_input_shape` is
 * `batch_shape`, and the Keras 1 names that Keras's legacy loader still converted (`output_dim`,
 * `Convolution2D`, `init`, `inner_activation`, ...). Keras 2's `hard_sigmoid` (clip(0.2x + 0.5, 0, 1))
 * differs from Keras 3's, so it becomes the `hard_sigmoid_keras2` activation.
 */

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The entries this module made: already in Keras 3's shape. */
const converted = new WeakSet<object>();

/** Whether a model config comes from Keras 2 or older: by the file's keras_version, else by its shape. */
export function isLegacyModelConfig(entry: Json, kerasVersion?: string): boolean {
  // A nested model's entry is converted with the model around it, once.
  if (converted.has(entry)) return false;
  if (kerasVersion !== undefined) {
    const major = Number.parseInt(kerasVersion, 10);
    if (Number.isFinite(major)) return major < 3;
  }
  // Keras 3 always writes `module` on every serialized object; Keras 2's model_config never does.
  return !('module' in entry) || Array.isArray(entry.config);
}

/** Keras 1 class names and the Keras 2 names they became. */
const CLASS_RENAMES: Record<string, string> = {
  Convolution1D: 'Conv1D',
  Convolution2D: 'Conv2D',
  Convolution3D: 'Conv3D',
  Deconvolution2D: 'Conv2DTranspose',
  Deconvolution3D: 'Conv3DTranspose',
  AtrousConvolution1D: 'Conv1D',
  AtrousConvolution2D: 'Conv2D',
  SeparableConvolution2D: 'SeparableConv2D',
};

/** Keras 1 argument names, per layer family, and their Keras 2 names. */
const COMMON_RENAMES: Record<string, string> = {
  init: 'kernel_initializer',
  W_regularizer: 'kernel_regularizer',
  b_regularizer: 'bias_regularizer',
  W_constraint: 'kernel_constraint',
  b_constraint: 'bias_constraint',
  bias: 'use_bias',
  border_mode: 'padding',
  subsample: 'strides',
  subsample_length: 'strides',
  dim_ordering: 'data_format',
  nb_filter: 'filters',
  filter_length: 'kernel_size',
  atrous_rate: 'dilation_rate',
  pool_length: 'pool_size',
  stride: 'strides',
};

const RECURRENT_RENAMES: Record<string, string> = {
  output_dim: 'units',
  inner_init: 'recurrent_initializer',
  inner_activation: 'recurrent_activation',
  U_regularizer: 'recurrent_regularizer',
  U_constraint: 'recurrent_constraint',
  dropout_W: 'dropout',
  dropout_U: 'recurrent_dropout',
};

const EMBEDDING_RENAMES: Record<string, string> = {
  init: 'embeddings_initializer',
  W_regularizer: 'embeddings_regularizer',
  W_constraint: 'embeddings_constraint',
};

const BATCH_NORMALIZATION_RENAMES: Record<string, string> = {
  beta_init: 'beta_initializer',
  gamma_init: 'gamma_initializer',
};

const RECURRENT_CLASSES = new Set(['SimpleRNN', 'LSTM', 'GRU', 'SimpleRNNCell', 'LSTMCell', 'GRUCell']);
/** Keys a Keras 2 layer config may hold that Keras 3 layers neither take nor need. */
const DROPPED_KEYS = ['time_major', 'implementation', 'consume_less', 'input_dtype', 'ragged', 'mode', 'input_length', 'weights', 'W_learning_rate_multiplier', 'b_learning_rate_multiplier'];
/** Layers whose legacy keys in DROPPED_KEYS must stay (the name means something else there). */
const KEEPS_KEY: Record<string, readonly string[]> = { Bidirectional: ['merge_mode'], Resizing: ['interpolation'] };

const DATA_FORMATS: Record<string, string> = { tf: 'channels_last', th: 'channels_first' };

function renameKeys(config: Json, renames: Record<string, string>): void {
  for (const [from, to] of Object.entries(renames)) {
    if (from in config && !(to in config)) config[to] = config[from];
    if (from in config && from !== to) delete config[from];
  }
}

function convertActivation(value: unknown): unknown {
  return value === 'hard_sigmoid' ? 'hard_sigmoid_keras2' : value;
}

/** One layer's Keras 2 config in Keras 3's terms (the entry is copied, never changed). */
function convertLayerConfig(className: string, source: Json): Json {
  const config: Json = { ...source };
  // Keras 1 recurrent and Conv1D layers took the input as input_dim (and input_length).
  if ('input_dim' in config && className !== 'Embedding') {
    const inputDim = config.input_dim;
    config.input_shape = RECURRENT_CLASSES.has(className) || className === 'Conv1D' ? [config.input_length ?? null, inputDim] : [inputDim];
    delete config.input_dim;
    delete config.input_length;
  }
  if (RECURRENT_CLASSES.has(className)) {
    // Keras 1's forget_bias_init 'one' is Keras 2's unit_forget_bias; any other value was dropped.
    if ('forget_bias_init' in config) {
      if (!('unit_forget_bias' in config)) config.unit_forget_bias = config.forget_bias_init === 'one';
      delete config.forget_bias_init;
    }
    renameKeys(config, RECURRENT_RENAMES);
  }
  if (className === 'Embedding') renameKeys(config, EMBEDDING_RENAMES);
  if (className === 'BatchNormalization') renameKeys(config, BATCH_NORMALIZATION_RENAMES);
  if (className === 'PReLU') renameKeys(config, { init: 'alpha_initializer' });
  if (className === 'SeparableConv1D' || className === 'SeparableConv2D') {
    if ('init' in config) {
      config.depthwise_initializer ??= config.init;
      config.pointwise_initializer ??= config.init;
      delete config.init;
    }
  }
  if (className === 'Conv2DTranspose' || className === 'Conv3DTranspose') delete config.output_shape;
  if (className === 'Dense' && 'output_dim' in config) renameKeys(config, { output_dim: 'units' });
  if ((className === 'Dropout' || className === 'GaussianDropout') && 'p' in config) renameKeys(config, { p: 'rate' });
  if (className === 'GaussianNoise') renameKeys(config, { sigma: 'stddev' });
  if (className === 'UpSampling1D') renameKeys(config, { length: 'size' });
  renameKeys(config, COMMON_RENAMES);
  if (config.data_format === 'default') config.data_format = 'channels_last';
  // Keras 2 wrote some axes as a one-entry list; Keras 3's legacy loader makes them integers.
  if (Array.isArray(config.axis) && config.axis.length === 1) config.axis = config.axis[0];
  if ('nb_row' in config && 'nb_col' in config) {
    config.kernel_size = [config.nb_row, config.nb_col];
    delete config.nb_row;
    delete config.nb_col;
  }
  if (typeof config.data_format === 'string' && config.data_format in DATA_FORMATS) config.data_format = DATA_FORMATS[config.data_format];
  for (const key of ['activation', 'recurrent_activation']) if (key in config) config[key] = convertActivation(config[key]);
  // Keras 2.1's GRU had no reset_after (it behaved as false); Keras 3 defaults to true.
  if ((className === 'GRU' || className === 'GRUCell') && !('reset_after' in config)) config.reset_after = false;
  const keep = KEEPS_KEY[className] ?? [];
  for (const key of DROPPED_KEYS) if (!keep.includes(key)) delete config[key];
  for (const key of ['layer', 'forward_layer', 'backward_layer', 'cell']) {
    if (isRecord(config[key])) config[key] = convertLayerEntry(config[key] as Json);
  }
  if (Array.isArray(config.cells)) config.cells = config.cells.map((c) => (isRecord(c) ? convertLayerEntry(c) : c));
  return config;
}

/** A Keras 2 inbound node `[["dense_1", 0, 0, {}], ...]` as Keras 3's `{ args, kwargs }`. */
export function convertInboundNode(node: unknown): unknown {
  if (!Array.isArray(node)) return node;
  const refs = node.map((input: unknown) => {
    if (!Array.isArray(input) || typeof input[0] !== 'string') {
      throw new Error(`Keras 2 config: an inbound node entry is ${JSON.stringify(input)}; expected ["layer_name", node_index, tensor_index, kwargs].`);
    }
    return { class_name: '__keras_tensor__', config: { shape: null, dtype: null, keras_history: [input[0], input[1] ?? 0, input[2] ?? 0] } };
  });
  const first = node[0] as unknown[] | undefined;
  const kwargs = first && isRecord(first[3]) ? { ...first[3] } : {};
  return { args: [refs.length === 1 ? refs[0] : refs], kwargs };
}

/** A Keras 2 layer entry `{ class_name, config[, name, inbound_nodes] }` in Keras 3's shape. */
export function convertLayerEntry(entry: Json): Json {
  const sourceName = typeof entry.class_name === 'string' ? entry.class_name : '';
  const className = CLASS_RENAMES[sourceName] ?? sourceName;
  if (className === 'Sequential' || className === 'Model' || className === 'Functional') {
    const model = convertLegacyModelConfig(entry);
    if (Array.isArray(entry.inbound_nodes)) model.inbound_nodes = entry.inbound_nodes.map(convertInboundNode);
    return model;
  }
  const config = isRecord(entry.config) ? convertLayerConfig(className, entry.config) : entry.config;
  const out: Json = { ...entry, class_name: className, config };
  if (className === 'InputLayer' && isRecord(config)) {
    if ('batch_input_shape' in config) {
      config.batch_shape = config.batch_input_shape;
      delete config.batch_input_shape;
    }
    delete config.sparse;
  }
  if (Array.isArray(entry.inbound_nodes)) out.inbound_nodes = entry.inbound_nodes.map(convertInboundNode);
  return out;
}

function withoutInputShape(config: Json): Json {
  const out = { ...config };
  delete out.batch_input_shape;
  delete out.input_shape;
  delete out.batch_size;
  return out;
}

/** The Keras 2 model config `{ class_name, config }` in Keras 3's shape. */
export function convertLegacyModelConfig(entry: Json): Json {
  const className = entry.class_name === 'Model' ? 'Functional' : entry.class_name;
  if (className === 'Sequential') {
    const source = Array.isArray(entry.config) ? { layers: entry.config } : isRecord(entry.config) ? entry.config : {};
    const layers = (Array.isArray(source.layers) ? source.layers : []).map((l: unknown) => (isRecord(l) ? convertLayerEntry(l) : l)) as Json[];
    const first = layers[0];
    // Keras 2 put the input shape on the first layer; Keras 3 starts the list with an InputLayer.
    if (first && first.class_name !== 'InputLayer' && isRecord(first.config)) {
      const config = first.config;
      const batchShape = config.batch_input_shape ?? (Array.isArray(config.input_shape) ? [null, ...config.input_shape] : undefined);
      if (batchShape !== undefined) {
        const inputName = typeof config.name === 'string' ? `${config.name}_input` : undefined;
        layers.unshift({ class_name: 'InputLayer', config: { batch_shape: batchShape, dtype: config.dtype ?? 'float32', ...(inputName ? { name: inputName } : {}) } });
        first.config = { ...config };
        delete (first.config as Json).batch_input_shape;
        delete (first.config as Json).input_shape;
        delete (first.config as Json).batch_size;
      }
    }
    // With the InputLayer first, the copies of its shape on later layers say nothing more.
    for (const layer of layers.slice(1)) if (isRecord(layer.config)) layer.config = withoutInputShape(layer.config);
    const config: Json = { ...source, layers };
    return markConverted({ ...entry, class_name: 'Sequential', config });
  }
  const source = isRecord(entry.config) ? entry.config : {};
  const sourceLayers = Array.isArray(source.layers) ? source.layers : [];
  const nested = nestedModelClasses(sourceLayers);
  const layers = sourceLayers.map((l: unknown) => {
    if (!isRecord(l)) return l;
    const converted = convertLayerEntry(l);
    if (converted.class_name !== 'InputLayer' && isRecord(converted.config)) converted.config = withoutInputShape(converted.config);
    if (Array.isArray(converted.inbound_nodes)) converted.inbound_nodes = converted.inbound_nodes.map((node) => withoutBuiltInNodes(node, nested));
    return converted;
  });
  const endpoints = (value: unknown): unknown => withoutBuiltInNodesOfSequential(value, nested);
  return markConverted({ ...entry, class_name: className, config: { ...source, layers, input_layers: endpoints(source.input_layers), output_layers: endpoints(source.output_layers) } });
}

function markConverted(entry: Json): Json {
  converted.add(entry);
  return entry;
}

/** The class of each model used as a layer, by layer name. */
function nestedModelClasses(layers: readonly unknown[]): Map<string, string> {
  const nested = new Map<string, string>();
  for (const layer of layers) {
    if (!isRecord(layer) || !['Sequential', 'Model', 'Functional'].includes(layer.class_name as string)) continue;
    const name = typeof layer.name === 'string' ? layer.name : isRecord(layer.config) ? (layer.config.name as string) : undefined;
    if (name) nested.set(name, layer.class_name as string);
  }
  return nested;
}

/**
 * tf.keras gave every model a node of its own first (inputs to outputs), so its calls inside another
 * model are counted from 1 in Keras 2 configs; keras-ts counts a model's calls in the model from 0.
 */
function withoutBuiltInNodes(node: unknown, nested: Map<string, string>): unknown {
  if (!isRecord(node) || !Array.isArray(node.args)) return node;
  const shift = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(shift);
    if (!isRecord(value) || value.class_name !== '__keras_tensor__' || !isRecord(value.config)) return value;
    const history = value.config.keras_history;
    if (!Array.isArray(history) || !nested.has(history[0] as string) || !((history[1] as number) > 0)) return value;
    return { ...value, config: { ...value.config, keras_history: [history[0], (history[1] as number) - 1, history[2]] } };
  };
  return { ...node, args: shift(node.args), kwargs: shift(node.kwargs) };
}

/** input_layers / output_layers: Functional models are shifted on load (as in Keras 3); a Sequential is shifted here. */
function withoutBuiltInNodesOfSequential(value: unknown, nested: Map<string, string>): unknown {
  if (!Array.isArray(value)) return value;
  if (value.length === 3 && typeof value[0] === 'string') {
    return nested.get(value[0]) === 'Sequential' && (value[1] as number) > 0 ? [value[0], (value[1] as number) - 1, value[2]] : value;
  }
  return value.map((v) => withoutBuiltInNodesOfSequential(v, nested));
}
