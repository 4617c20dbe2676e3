/** Every case runner, by source and op, and the cases that are not covered yet (with reasons). */
import type { ConformanceCase } from '../vectors.js';
import { ONNX_NODE_RUNNERS } from './onnx_node.js';
import { ONNX_NODE_LAYER_RUNNERS } from './onnx_node_layers.js';
import { TORCH_REF_RUNNERS } from './torch_ref.js';
import { TORCH_REF_LAYER_RUNNERS } from './torch_ref_layers.js';
import type { CaseRunner } from './types.js';
import { ONNX_SPATIAL_RUNNERS, spatialReason, TORCH_REF_SPATIAL_RUNNERS } from './spatial.js';

const RUNNERS: Record<string, Record<string, CaseRunner>> = {
  'onnx-node': { ...ONNX_NODE_RUNNERS, ...ONNX_NODE_LAYER_RUNNERS, ...ONNX_SPATIAL_RUNNERS },
  'torch-ref': { ...TORCH_REF_RUNNERS, ...TORCH_REF_LAYER_RUNNERS, ...TORCH_REF_SPATIAL_RUNNERS },
};

export function sourceOf(c: ConformanceCase): string {
  return c.id.split('/')[0];
}

export function runnerFor(c: ConformanceCase): CaseRunner | undefined {
  return RUNNERS[sourceOf(c)]?.[c.op];
}

/**
 * Why a case is not covered, decided from its attributes alone (so the kit can report it as
 * skipped before running anything), or undefined when it is covered.
 */
export function notCoveredReason(c: ConformanceCase): string | undefined {
  if (!runnerFor(c)) return `no runner maps ${sourceOf(c)} op '${c.op}' onto keras-ts yet`;
  switch (c.op) {
    case 'Dropout':
      return c.inputs.length > 2 && c.id.includes('training') && !c.id.includes('zero_ratio') ? 'training-mode dropout with ratio > 0 is random' : undefined;
    case 'LSTM':
      if (c.node_inputs && c.node_inputs.length > 7 && c.node_inputs[7]) return 'peepholes (P) have no Keras equivalent';
      return recurrentReason(c);
    case 'GRU':
    case 'RNN':
      return recurrentReason(c);
    case 'Conv':
    case 'ConvTranspose':
    case 'MaxPool':
    case 'AveragePool':
    case 'GlobalAveragePool':
    case 'GlobalMaxPool':
      return spatialReason(c);
    default:
      return undefined;
  }
}

function recurrentReason(c: ConformanceCase): string | undefined {
  const a = c.attributes;
  if (a.direction !== undefined && a.direction !== 'forward') return `direction '${String(a.direction)}' (only forward is mapped so far)`;
  if (c.node_inputs && c.node_inputs.length > 4 && c.node_inputs[4]) return 'sequence_lens (per-sample lengths) has no Keras equivalent besides masking';
  if ('activations' in a || 'clip' in a) return 'custom ONNX activations or clip';
  return undefined;
}

export { NotCovered, CaseInputs } from './types.js';
