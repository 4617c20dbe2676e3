/** keras.layers: every layer class, the Layer base and InputLayer included. */
export { Layer, type LayerArgs, type CallOptions, type AddWeightOptions } from '../engine/layer.js';
export { InputSpec } from '../engine/input_spec.js';
export { InputLayer, Input, type InputLayerArgs } from './core/input_layer.js';
export { Dense, type DenseArgs } from './core/dense.js';
export { Conv2D, type Conv2DArgs } from './convolutional/conv2d.js';
export { MaxPooling2D, type MaxPooling2DArgs } from './pooling/max_pooling2d.js';
export { AveragePooling2D, type AveragePooling2DArgs } from './pooling/average_pooling2d.js';
export { BatchNormalization, type BatchNormalizationArgs } from './normalization/batch_normalization.js';
export { Flatten, type FlattenArgs } from './reshaping/flatten.js';
export { Reshape, type ReshapeArgs } from './reshaping/reshape.js';
export { LSTM, type LSTMArgs } from './rnn/lstm.js';
export { LSTMCell, type LSTMCellArgs } from './rnn/lstm_cell.js';
export { Dropout, type DropoutArgs } from './regularization/dropout.js';
export { Activation, type ActivationArgs } from './activations/activation.js';
export { Lambda, type LambdaArgs, type LambdaFunction, type LambdaOutputShape } from './core/lambda_layer.js';
export { Add, add } from './merging/add.js';
export { Concatenate, concatenate, type ConcatenateArgs } from './merging/concatenate.js';
