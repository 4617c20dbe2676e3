/**
 * The chained tensor methods (`t.reshape(...)`, `t.flatten()`, ...) on tfjs-core's Tensor class.
 *
 * tfjs-core's CommonJS bundle for Node, the one tfjs-layers loads, defines none of them (the
 * umbrella @tensorflow/tfjs package adds them, and it is not a dependency here), yet tfjs-layers
 * calls some (its Orthogonal initializer calls `flatten()`). Each method forwards to the op of the
 * same name with the tensor as its first argument.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Methods that are the op of the same name, the tensor first. */
const FORWARDED = [
  'abs', 'acos', 'acosh', 'add', 'all', 'any', 'argMax', 'argMin', 'asin', 'asinh', 'atan', 'atan2', 'atanh',
  'avgPool', 'batchToSpaceND', 'batchNorm', 'broadcastTo', 'cast', 'ceil', 'clipByValue', 'concat', 'conv1d',
  'conv2d', 'conv2dTranspose', 'cos', 'cosh', 'cumprod', 'cumsum', 'depthToSpace', 'depthwiseConv2d',
  'dilation2d', 'div', 'divNoNan', 'dot', 'elu', 'equal', 'erf', 'euclideanNorm', 'exp', 'expandDims', 'expm1',
  'fft', 'floor', 'floorDiv', 'gather', 'greater', 'greaterEqual', 'ifft', 'irfft', 'isFinite', 'isInf', 'isNaN',
  'leakyRelu', 'less', 'lessEqual', 'localResponseNormalization', 'log', 'log1p', 'logSigmoid', 'logSoftmax',
  'logSumExp', 'logicalAnd', 'logicalNot', 'logicalOr', 'logicalXor', 'matMul', 'max', 'maxPool', 'maximum',
  'mean', 'min', 'minimum', 'mirrorPad', 'mod', 'mul', 'neg', 'norm', 'notEqual', 'oneHot', 'onesLike', 'pad',
  'pool', 'pow', 'prelu', 'prod', 'reciprocal', 'relu', 'relu6', 'reshape', 'resizeBilinear',
  'resizeNearestNeighbor', 'reverse', 'rfft', 'round', 'rsqrt', 'selu', 'separableConv2d', 'sigmoid', 'sign',
  'sin', 'sinh', 'slice', 'softmax', 'softplus', 'spaceToBatchND', 'split', 'sqrt', 'square',
  'squaredDifference', 'squeeze', 'stack', 'step', 'stridedSlice', 'sub', 'sum', 'tan', 'tanh', 'tile', 'topk',
  'transpose', 'unique', 'unsortedSegmentSum', 'unstack', 'zerosLike',
] as const;

type TensorMethod = (this: tf.Tensor, ...args: unknown[]) => unknown;

let registered = false;

export function registerChainedOps(): void {
  if (registered) return;
  const prototype = tf.Tensor.prototype as unknown as Record<string, TensorMethod | undefined>;
  const ops = tf as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>;
  for (const name of FORWARDED) {
    const op = ops[name];
    if (op !== undefined && prototype[name] === undefined) prototype[name] = function (...args) { return op(this, ...args); };
  }
  const reshapeTo = (shape: (t: tf.Tensor) => number[]): TensorMethod => function () { return tf.reshape(this, shape(this)); };
  const methods: Record<string, TensorMethod> = {
    flatten: reshapeTo((t) => [t.size]),
    asScalar: reshapeTo(() => []),
    as1D: reshapeTo((t) => [t.size]),
    reshapeAs: function (...args) { return tf.reshape(this, (args[0] as tf.Tensor).shape); },
    asType: function (...args) { return tf.cast(this, args[0] as tf.DataType); },
    toFloat: function () { return tf.cast(this, 'float32'); },
    toInt: function () { return tf.cast(this, 'int32'); },
    toBool: function () { return tf.cast(this, 'bool'); },
  };
  for (const [name, method] of Object.entries(methods)) prototype[name] ??= method;
  registered = true;
}
