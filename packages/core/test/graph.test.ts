/** The Keras graph: nodes, shared layers, multi-input/output and nested models, Sequential, subclassing, tracing. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Input, Model, Sequential, layers, memory, ops, tensor, tidy, utils, type Tensor, type KerasTensor, type SymbolicShape, type Variable } from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
  utils.setRandomSeed(1);
});

const data = (shape: number[], seed = 1): Tensor =>
  tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37 * seed + seed)), shape);

const values = (t: Tensor | Tensor[]): number[][] => (Array.isArray(t) ? t : [t]).map((x) => Array.from(x.dataSync()));

describe('nodes and shared layers', () => {
  it('adds one node per call, so a layer shared by two inputs has two', () => {
    const a = Input({ shape: [4] });
    const b = Input({ shape: [4] });
    const shared = new layers.Dense({ units: 3 });
    const ya = shared.apply(a);
    const yb = shared.apply(b);
    expect(shared.inboundNodes).toHaveLength(2);
    expect(a.kerasHistory?.layer.outboundNodes).toHaveLength(1);
    expect(ya.kerasHistory?.nodeIndex).toBe(0);
    expect(yb.kerasHistory?.nodeIndex).toBe(1);
    const node = shared.inboundNodes[1];
    expect(node.outboundLayer).toBe(shared);
    expect(node.inboundLayers).toEqual([b.kerasHistory?.layer]);
    expect(node.nodeIndices).toEqual([0]);
    expect(node.tensorIndices).toEqual([0]);
    expect(node.inputTensors).toEqual([b]);
    expect(node.outputTensors).toEqual([yb]);
    expect(node.inputShapes).toEqual([[null, 4]]);
    expect(node.outputShapes).toEqual([[null, 3]]);
    expect(node.parentNodes).toEqual([b.kerasHistory?.layer.inboundNodes[0]]);
    expect(shared.getInputAt(1)).toBe(b);
    expect(shared.getOutputAt(0)).toBe(ya);
    expect(shared.getInputShapeAt(0)).toEqual([null, 4]);
    expect(shared.getOutputShapeAt(1)).toEqual([null, 3]);
    // Same shapes on both calls: the shapes are defined; the tensors are not.
    expect(shared.inputShape).toEqual([null, 4]);
    expect(() => shared.input).toThrow(/The layer "dense(_\d+)?" has multiple inbound nodes, with different inputs\. Hence the notion of "input" is ill-defined for the layer\. Use `getInputAt\(nodeIndex\)` instead\./);
  });

  it('raises the multiple-inbound-nodes error when the shapes differ', () => {
    const shared = new layers.Dense({ units: 2 });
    shared.apply(Input({ shape: [3] }));
    shared.apply(Input({ batchShape: [5, 3] }));
    expect(() => shared.inputShape).toThrow(/has multiple inbound nodes, with different input shapes\. Hence the notion of "input shape" is ill-defined for the layer\. Use `getInputShapeAt\(nodeIndex\)` instead\./);
    expect(() => shared.getInputAt(2)).toThrow(/only 2 inbound nodes/);
  });

  it('says when a layer was never called', () => {
    const d = new layers.Dense({ units: 2 });
    expect(() => d.outputShape).toThrow('The layer has never been called and thus has no defined output shape.');
    expect(() => d.input).toThrow('The layer has never been called and thus has no defined input.');
    expect(() => d.countParams()).toThrow(/isn't built/);
  });
});

describe('functional models', () => {
  it('handle several inputs and outputs, a shared layer and a nested model, and match the layers called one by one', () => {
    const inner = (() => {
      const x = Input({ shape: [3], name: 'inner_in' });
      return new Model({ inputs: x, outputs: new layers.Dense({ units: 2, activation: 'tanh', name: 'inner_dense' }).apply(x), name: 'inner' });
    })();
    const a = Input({ shape: [4], name: 'a' });
    const b = Input({ shape: [4], name: 'b' });
    const shared = new layers.Dense({ units: 3, activation: 'relu', name: 'shared' });
    const sa = shared.apply(a);
    const sb = shared.apply(b);
    const head = new layers.Dense({ units: 1, name: 'head' });
    const out1 = head.apply(inner.apply(sa) as KerasTensor);
    const out2 = inner.apply(sb) as KerasTensor;
    const model = new Model({ inputs: [a, b], outputs: [out1, out2], name: 'two_heads' });
    expect(model.inputs).toEqual([a, b]);
    expect(model.outputs).toEqual([out1, out2]);
    expect(out1.shape).toEqual([null, 1]);
    expect(out2.shape).toEqual([null, 2]);
    expect(model.layers.map((l) => l.name)).toEqual(['a', 'b', 'shared', 'inner', 'head']);
    expect(model.getLayer('head')).toBe(head);
    expect(model.getLayer(2)).toBe(shared);
    expect(() => model.getLayer('nope')).toThrow(/no such layer: nope. Existing layers are: \['a', 'b', 'shared', 'inner', 'head'\]/);
    expect(model.weights).toHaveLength(6);
    expect(model.countParams()).toBe(4 * 3 + 3 + 3 * 2 + 2 + 2 + 1);

    const before = memory().numTensors;
    const [xa, xb] = [data([5, 4], 1), data([5, 4], 2)];
    const [graph, oneByOne] = tidy(() => {
      const g = model.apply([xa, xb]) as Tensor[];
      const manual = [head.apply(inner.apply(shared.apply(xa) as Tensor) as Tensor) as Tensor, inner.apply(shared.apply(xb) as Tensor) as Tensor];
      return [values(g), values(manual)];
    });
    expect(graph).toEqual(oneByOne);
    [xa, xb].forEach((t) => t.dispose());
    expect(memory().numTensors).toBe(before);
  });

  it('rejects an output that is not connected to the inputs, and an input given twice', () => {
    const a = Input({ shape: [2], name: 'x_in' });
    const other = Input({ shape: [2], name: 'other_in' });
    const y = new layers.Dense({ units: 1 }).apply(other);
    expect(() => new Model({ inputs: a, outputs: y })).toThrow(
      /Graph disconnected: output '.*' \(None, 1\) depends on the input 'other_in' \(None, 2\), which is not among the model's inputs \['x_in'\]\. Fix: add 'other_in' to the model's inputs/,
    );
    const z = new layers.Dense({ units: 1 }).apply(a);
    expect(() => new Model({ inputs: [a, a], outputs: z })).toThrow(/contains the same input multiple times \('x_in' \(None, 2\)\)\. All inputs should only appear once/);
    expect(() => new Model({ inputs: a })).toThrow(/needs both inputs and outputs/);
    expect(() => new Model({ inputs: a, outputs: [tensor([1]) as unknown as KerasTensor] })).toThrow(/output 0 is Tensor, not a KerasTensor/);
  });

  it('checks the shapes of real inputs, and explains a missing batch axis', () => {
    const x = Input({ shape: [10] });
    const model = new Model({ inputs: x, outputs: new layers.Dense({ units: 2 }).apply(x) });
    expect(() => tidy(() => model.apply(tensor(new Float32Array(10), [10])))).toThrow(
      /Input 0 of model ".*" is incompatible with the model: expected shape \(None, 10\), but got \(10,\)\. The first axis is the batch axis, even for one example: pass shape \(1, 10\)/,
    );
    expect(() => tidy(() => model.apply(tensor(new Float32Array(18), [2, 9])))).toThrow(/expected shape \(None, 10\), but got \(2, 9\)/);
  });
});

describe('Sequential', () => {
  it('builds at once with an input shape, adds and pops layers', () => {
    const model = new Sequential([new layers.Dense({ units: 4, inputShape: [3] }), new layers.Dense({ units: 2 })]);
    expect(model.built).toBe(true);
    expect(model.layers).toHaveLength(2);
    expect(model.outputs[0].shape).toEqual([null, 2]);
    model.add(new layers.Dense({ units: 5 }));
    expect(model.outputs[0].shape).toEqual([null, 5]);
    const popped = model.pop();
    expect(popped.name).toMatch(/^dense/);
    expect(model.outputs[0].shape).toEqual([null, 2]);
    expect(model.countParams()).toBe(3 * 4 + 4 + 4 * 2 + 2);
  });

  it('defers the build to the first call when no input shape is given', () => {
    const model = new Sequential();
    model.add(new layers.Dense({ units: 4 }));
    model.add(new layers.Dense({ units: 1 }));
    expect(model.built).toBe(false);
    expect(() => model.inputs).toThrow(/has no inputs yet/);
    const y = tidy(() => values(model.apply(data([3, 6])) as Tensor));
    expect(y[0]).toHaveLength(3);
    expect(model.built).toBe(true);
    expect(model.inputs[0].shape).toEqual([null, 6]);
    expect(model.countParams()).toBe(6 * 4 + 4 + 4 + 1);
  });

  it('rejects layers with several outputs and non-layers', () => {
    expect(() => new Sequential([1 as unknown as layers.Layer])).toThrow(/expected a Layer, got number/);
  });
});

describe('subclassed models and custom layers', () => {
  class TwoLayer extends Model {
    readonly hidden = new layers.Dense({ units: 4, activation: 'relu' });
    readonly out = new layers.Dense({ units: 1 });
    override call(inputs: Tensor | Tensor[]): Tensor {
      return this.out.apply(this.hidden.apply(inputs as Tensor) as Tensor) as Tensor;
    }
  }

  it('a subclassed Model works like a functional one: weights, eager calls and graph calls', () => {
    const model = new TwoLayer();
    const x = data([2, 3]);
    const y = tidy(() => values(model.apply(x) as Tensor));
    expect(y[0]).toHaveLength(2);
    expect(model.weights.map((w) => w.path)).toEqual([`${model.hidden.name}/kernel`, `${model.hidden.name}/bias`, `${model.out.name}/kernel`, `${model.out.name}/bias`]);
    const input = Input({ shape: [3] });
    const symbolic = model.apply(input) as KerasTensor;
    expect(symbolic.shape).toEqual([null, 1]);
    const wrapper = new Model({ inputs: input, outputs: symbolic });
    expect(tidy(() => values(wrapper.apply(x) as Tensor))).toEqual(y);
    x.dispose();
  });

  it('a custom layer without computeOutputShape gets its shape by tracing its ops', () => {
    class PairwiseProducts extends layers.Layer<KerasTensor, Tensor> {
      scale: Variable | undefined;
      override build(shape: SymbolicShape): void {
        this.scale = this.addWeight({ name: 'scale', shape: [shape[shape.length - 1] as number], initializer: 'ones' });
      }
      call(inputs: Tensor | Tensor[]): Tensor {
        const x = ops.multiply(inputs as Tensor, this.scale as never);
        return ops.reshape(ops.matmul(ops.expandDims(x, -1), ops.expandDims(x, -2)), [x.shape[0], -1]);
      }
    }
    const layer = new PairwiseProducts();
    const out = layer.apply(Input({ shape: [3] }));
    expect(out.shape).toEqual([null, 9]);
    const real = tidy(() => layer.apply(tensor([[1, 2, 3]])) as Tensor);
    expect(Array.from(real.dataSync())).toEqual([1, 2, 3, 2, 4, 6, 3, 6, 9]);
    real.dispose();
  });

  it('explains a Dense layer given a vector without a batch axis', () => {
    expect(() => new layers.Dense({ units: 2 }).apply(Input({ batchShape: [5] }))).toThrow(
      /Input 0 of layer "dense(_\d+)?" is incompatible with the layer: expected min_ndim=2, found ndim=1\. Full shape received: \(5,\)\. Dense expects \(batch, \.\.\., features\)/,
    );
  });
});
