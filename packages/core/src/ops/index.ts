/** keras.ops: every op, backend-agnostic, checked in core before any kernel runs. */
export * from './elementwise.js';
export * from './reduction.js';
export * from './layout.js';
export * from './linalg.js';
export * from './activations.js';
export * from './nn.js';
export { toTensor as convertToTensor, type TensorLike } from './convert.js';
export * from './convolution.js';
export * from './pooling.js';
export { einsum } from './einsum.js';
