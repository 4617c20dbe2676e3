/**
 * What a layer converter receives and returns. One converter writes the ONNX nodes of one call of
 * one Keras layer (one graph node), from the ONNX values of its inputs.
 */
import type { Dim, layers } from '@keras-ts/core';
import type { ExportContext, ValueRef } from './context.js';

type Layer = layers.Layer;

export interface LayerCall {
  readonly layer: Layer;
  /** The layer's Keras config (snake_case keys). */
  readonly config: Record<string, unknown>;
  /** The main input(s) of the call. */
  readonly inputs: readonly ValueRef[];
  /** Initial states passed to a recurrent layer's call, if any. */
  readonly states: readonly ValueRef[];
  /** The Keras shapes of the call's outputs. */
  readonly outputShapes: readonly (readonly Dim[])[];
  /** The call's options that are not tensors (e.g. useCausalMask), as the graph node kept them. */
  readonly callArguments: Readonly<Record<string, unknown>>;
  /** A prefix for the names of the values this call makes (the layer's name). */
  readonly base: string;
}

/** Writes the nodes of one call; returns the names of the values of its outputs, in order. */
export type LayerConverter = (ctx: ExportContext, call: LayerCall) => string[];

/** A config that the ONNX export cannot express: names the layer and the setting. */
export function unsupportedSetting(call: LayerCall, setting: string, fix: string): Error {
  return new Error(`export: layer '${call.layer.name}' (${call.layer.constructor.name}) uses ${setting}, which the ONNX export does not convert. Fix: ${fix}`);
}
