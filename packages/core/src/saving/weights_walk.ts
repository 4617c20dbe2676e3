/**
 * Keras 3's weight layout (saving_lib.py `_save_state`): an object's variables are addressed by
 * the attribute walk, not by layer names. A model yields `layers`; inside a list each object is
 * named `to_snake_case(ClassName)` plus a per-class counter (`dense`, `dense_1`); an object's own
 * variables sit at `<path>/vars/<i>` (trainable first, then non-trainable); sub-layers held in
 * attributes follow under the attribute's name (`layers/lstm/cell/vars/0`). The optimizer sits at
 * `optimizer/vars/<i>` in its `variables` order (iterations, learning rate, then slots).
 */
import { Layer } from '../engine/layer.js';
import { Model } from '../models/model.js';
import type { Variable } from '../runtime/variable.js';
import type { TrainingOptimizer } from '../optimizers/optimizer_interface.js';

/** What saving reads and loading assigns: a variable, or a value a layer saves in place of its variables (Dense's kernel with LoRA merged in). */
export type SaveableVariable = Pick<Variable, 'path' | 'shape' | 'dtype' | 'dataSync' | 'assign'>;

/** A layer that saves other values than its variables, as Keras's `save_own_variables` overrides do. */
export interface CustomSaveable {
  /** The values saved at `vars/0`, `vars/1`, ..., and assigned back on load; undefined for the default (its variables). */
  saveableVariables(): SaveableVariable[] | undefined;
}

/** One saveable object: its path in the file and its own variables in Keras's order. */
export interface SaveableEntry {
  path: string;
  variables: SaveableVariable[];
  /** The layer's name, for messages (the path does not contain it). */
  label: string;
}

/** Keras's naming.to_snake_case: `Conv2D` → `conv2d`, `LSTMCell` → `lstm_cell`, `forwardLayer` → `forward_layer`. */
export function toSnakeCase(name: string): string {
  const spaced = name.replace(/\W+/g, '').replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  return spaced.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

function joinPath(parent: string, child: string): string {
  return parent ? `${parent}/${child}` : child;
}

/** A layer's own variables (not its sub-layers'), trainable first, as Keras's `_trainable_variables + _non_trainable_variables`. */
function ownVariables(layer: Layer): SaveableVariable[] {
  const custom = (layer as Partial<CustomSaveable>).saveableVariables?.();
  if (custom !== undefined) return custom;
  const own = layer as unknown as { ownTrainableWeights: Variable[]; ownNonTrainableWeights: Variable[] };
  return [...own.ownTrainableWeights, ...own.ownNonTrainableWeights];
}

/**
 * Where keras-ts keeps in one layer what Keras splits into sub-layers: MultiHeadAttention's four
 * projections (Keras's `_query_dense` ... EinsumDense layers) and ConvLSTM2D's cell. The variables
 * are grouped by the sub-layer part of their path (`mha/query/kernel`).
 */
const VIRTUAL_CHILDREN: Record<string, { attribute: string; pathPart: string | null }[]> = {
  MultiHeadAttention: [
    { attribute: '_key_dense', pathPart: 'key' },
    { attribute: '_output_dense', pathPart: 'attention_output' },
    { attribute: '_query_dense', pathPart: 'query' },
    { attribute: '_value_dense', pathPart: 'value' },
  ],
  ConvLSTM2D: [{ attribute: 'cell', pathPart: null }],
};

/** Properties of every layer that hold no saveable state of the layer itself. */
const SKIPPED_PROPERTIES = new Set(['inboundNodes', 'outboundNodes', 'compileState', 'graph']);

/** A layer's sub-layers held in properties, as [Keras attribute name, layer or list], sorted by name as Keras's walk sorts. */
function attributeChildren(layer: Layer): [string, Layer | Layer[]][] {
  const children: [string, Layer | Layer[]][] = [];
  for (const [key, value] of Object.entries(layer)) {
    if (SKIPPED_PROPERTIES.has(key)) continue;
    if (value instanceof Layer && value !== layer) children.push([toSnakeCase(key), value]);
    else if (Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof Layer)) children.push([toSnakeCase(key), value as Layer[]]);
  }
  return children.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function walkSaveable(layer: Layer, path: string, entries: SaveableEntry[], visited: Set<Layer>): void {
  if (visited.has(layer)) return;
  visited.add(layer);
  const virtual = VIRTUAL_CHILDREN[layer.constructor.name];
  if (virtual) {
    entries.push({ path, variables: [], label: layer.name });
    const variables = ownVariables(layer);
    for (const { attribute, pathPart } of virtual) {
      const mine = pathPart === null ? variables : variables.filter((v) => v.path.split('/').slice(-2, -1)[0] === pathPart);
      entries.push({ path: joinPath(path, attribute), variables: mine, label: `${layer.name}/${attribute}` });
    }
    return;
  }
  entries.push({ path, variables: ownVariables(layer), label: layer.name });
  // A functional model or a Sequential yields its layers first, under `layers` (Keras's _walk_saveable).
  const children: [string, Layer | Layer[]][] = layer instanceof Model && (layer.isFunctional || 'stackLayers' in layer) ? [['layers', layer.layers]] : attributeChildren(layer);
  for (const [attribute, child] of children) {
    if (Array.isArray(child)) walkContainer(child, joinPath(path, attribute), entries, visited);
    else walkSaveable(child, joinPath(path, attribute), entries, visited);
  }
}

function walkContainer(list: readonly Layer[], path: string, entries: SaveableEntry[], visited: Set<Layer>): void {
  const used = new Map<string, number>();
  for (const layer of list) {
    let name = toSnakeCase(layer.constructor.name);
    const count = used.get(name);
    if (count === undefined) used.set(name, 0);
    else {
      used.set(name, count + 1);
      name = `${name}_${count + 1}`;
    }
    walkSaveable(layer, joinPath(path, name), entries, visited);
  }
}

/** Every saveable of a model (the model itself at path ''), in Keras's walk order. */
export function modelSaveables(model: Layer): SaveableEntry[] {
  const entries: SaveableEntry[] = [];
  walkSaveable(model, '', entries, new Set());
  return entries;
}

/** The optimizer's entry, when the model is compiled and its optimizer holds state. */
export function optimizerSaveable(optimizer: TrainingOptimizer | undefined): SaveableEntry | undefined {
  if (!optimizer) return undefined;
  return { path: 'optimizer', variables: optimizer.variables, label: 'optimizer' };
}
