/**
 * keras-ts: Keras for TypeScript, batteries included. Everything from @keras-ts/core, with the
 * built-in backends (tfjs-cpu, and tfjs-wasm and onnx as their adapters provide them) registered.
 */
import './register_backends.js';

export * from '@keras-ts/core';
