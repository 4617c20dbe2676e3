/**
 * @keras-ts/core: the Keras API specification in TypeScript, over any backend that implements
 * the `Backend` interface.
 */
export * from './backend/backend.js';
export {
  registerBackend, setBackend, ready, backend, listBackends, backendInstance, chosenBackendName,
  BUILTIN_BACKENDS, PYTHON_KERAS_BACKENDS, type RegisterBackendOptions, type AdapterModule,
} from './backend/registry.js';
export { config, type ImageDataFormat } from './backend/config.js';
export { describeCapabilities, type CapabilityReport } from './backend/capabilities.js';
export { Tensor, isTensor } from './tensor/tensor.js';
export { tensor, zeros, ones, fill, scalar, type TensorValues } from './tensor/create.js';
export { type DType, type TypedArray, DTYPES } from './tensor/dtype.js';
export { type Shape, type SymbolicShape, type Dim, formatShape } from './tensor/shape.js';
export { tidy, keep, dispose, memory, type MemoryInfo } from './runtime/tidy.js';
export { Variable, type VariableOptions } from './runtime/variable.js';
export { compiledStepReport, releaseCompiledSteps, type CompiledSignatureReport } from './runtime/compile.js';
export { valueAndGrad, grad, vjp, type ValueAndGrad, type Differentiable } from './autodiff/gradients.js';
export * as ops from './ops/index.js';
/** Keras's transposed-convolution padding rule, shared with exporters (ONNX ConvTranspose crops). */
export { convTransposePads } from './ops/conv_transpose_padding.js';
/** The per-axis resize of Resizing and UpSampling2D, shared with exporters (the ONNX export writes the same weights). */
export { resizeWeights, resizeNearestIndices, type ResizeInterpolation } from './layers/preprocessing/resize_axis.js';
export type { TensorLike } from './ops/convert.js';
export * as random from './random/index.js';
export * as initializers from './initializers/index.js';
export * as utils from './utils/index.js';
export { KerasTensor, isKerasTensor, type KerasHistory } from './engine/keras_tensor.js';
export { SymbolicTensor } from './tensor/symbolic.js';
export { Node } from './engine/node.js';
export { Input, InputLayer } from './layers/core/input_layer.js';
export { Model, type ModelArgs } from './models/model.js';
export { Sequential, type SequentialArgs } from './models/sequential.js';
export * as models from './saving/models_api.js';
export {
  serializeKerasObject, deserializeKerasObject, modelToConfig, modelFromConfig, compileConfigOf, compileFromConfig, registerKerasSerializable,
  type SerializedObject, type DeserializeOptions, type RegisterOptions,
} from './saving/serialization_lib.js';
export { registerModelExporter, registeredExportFormats, type ExportOptions, type ModelExporter } from './saving/export_registry.js';
export type { SummaryOptions } from './models/summary.js';
export * as layers from './layers/index.js';
export * as activations from './activations/index.js';
export * as callbacks from './callbacks/index.js';
export * as optimizers from './optimizers/index.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export * as regularizers from './regularizers/index.js';
export * as constraints from './constraints/index.js';
