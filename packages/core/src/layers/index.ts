/** keras.layers: every layer class, the Layer base and InputLayer included. */
export { Layer, type LayerArgs, type CallOptions, type AddWeightOptions } from '../engine/layer.js';
export { InputSpec } from '../engine/input_spec.js';
export { InputLayer, Input, type InputLayerArgs } from './core/input_layer.js';
export { Dense, type DenseArgs } from './core/dense.js';
