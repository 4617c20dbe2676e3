/**
 * Bidirectional: runs a recurrent layer forwards and a copy of it backwards over the sequence and
 * merges the two outputs, as Keras 3's Bidirectional. The wrapped layer is copied from its config
 * as `forward_<name>`; the backward layer is a copy with goBackwards flipped named `backward_<name>`
 * (or the `backwardLayer` given). With returnSequences the backward outputs are put back in time
 * order before merging. mergeMode: 'concat' (default), 'sum', 'mul', 'ave', or null for
 * `[forward, backward]`. With returnState the states follow: forward's, then backward's.
 *
 * ```ts
 * new layers.Bidirectional({ layer: new layers.GRU({ units: 4, returnSequences: true }) }).apply(Input({ shape: [5, 3] }));  // [null, 5, 8]
 * ```
 */
import { Layer, type CallOptions, type LayerArgs } from '../../engine/layer.js';
import * as ops from '../../ops/index.js';
import type { Dim, SymbolicShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { LSTM } from './lstm.js';
import { deserializeCell, registerCell, serializeCell } from './rnn.js';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;
const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer (LSTM, GRU, SimpleRNN, RNN): anything with returnSequences, returnState and goBackwards. */
  layer: Layer | Record<string, unknown>;
  mergeMode?: MergeMode;
  /** The layer for the backward direction; its goBackwards must be the opposite of `layer`'s. */
  backwardLayer?: Layer | Record<string, unknown> | null;
  /** Not supported: pass the weights with setWeights after building. */
  weights?: null;
}

interface Recurrent {
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
}

function asRecurrent(value: unknown, what: string): Layer & Recurrent {
  const layer = deserializeCell(value, 'Bidirectional');
  const r = layer as unknown as Partial<Recurrent>;
  if (!(layer instanceof Layer) || typeof r.returnSequences !== 'boolean' || typeof r.goBackwards !== 'boolean' || typeof r.returnState !== 'boolean') {
    throw new TypeError(
      `Bidirectional: ${what} must be a recurrent layer (LSTM, GRU, SimpleRNN or RNN, with returnSequences, returnState and goBackwards), got ${layer instanceof Layer ? `${layer.constructor.name} "${layer.name}"` : JSON.stringify(value)}. ` +
        'Fix: new layers.Bidirectional({ layer: new layers.LSTM({ units: 8 }) }).',
    );
  }
  return layer as Layer & Recurrent;
}

/** A copy of a layer from its config, with some keys changed. */
function copyOf(layer: Layer, changes: Record<string, unknown>): Layer & Recurrent {
  return asRecurrent(deserializeCell({ class_name: layer.constructor.name, config: { ...layer.getConfig(), ...changes } }, 'Bidirectional'), 'layer');
}

const stripPrefix = (name: string, prefix: string): string => (name.startsWith(prefix) ? name.slice(prefix.length) : name);

export class Bidirectional extends Layer {
  readonly forwardLayer: Layer & Recurrent;
  readonly backwardLayer: Layer & Recurrent;
  readonly mergeMode: MergeMode;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  private readonly customBackward: boolean;

  constructor(args: BidirectionalArgs) {
    super(args);
    if (!args || typeof args !== 'object') {
      throw new TypeError(`Bidirectional: expected an options object such as { layer: new layers.LSTM({ units: 8 }) }, got ${JSON.stringify(args)}.`);
    }
    const mode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!MERGE_MODES.includes(mode)) {
      throw new Error(`Bidirectional: invalid mergeMode ${JSON.stringify(mode)}. Allowed: 'concat', 'sum', 'mul', 'ave', or null (a list [forward, backward]).`);
    }
    if (args.weights !== undefined && args.weights !== null) {
      throw new Error('Bidirectional: weights is not supported in keras-ts. Fix: build the layer and call setWeights.');
    }
    this.mergeMode = mode;
    const layer = asRecurrent(args.layer, 'layer');
    const base = stripPrefix(stripPrefix(layer.name, 'forward_'), 'backward_');
    this.forwardLayer = copyOf(layer, { name: `forward_${base}` });
    this.customBackward = args.backwardLayer !== undefined && args.backwardLayer !== null;
    if (this.customBackward) {
      const backward = asRecurrent(args.backwardLayer, 'backwardLayer');
      if (backward.goBackwards === layer.goBackwards) {
        throw new Error(`Bidirectional: backwardLayer.goBackwards must be the opposite of layer.goBackwards (both are ${String(layer.goBackwards)}). Fix: new layers.${backward.constructor.name}({ ..., goBackwards: ${String(!layer.goBackwards)} }).`);
      }
      for (const key of ['returnSequences', 'returnState'] as const) {
        if (backward[key] !== layer[key]) {
          throw new Error(`Bidirectional: backwardLayer.${key} (${String(backward[key])}) must equal layer.${key} (${String(layer[key])}).`);
        }
      }
      this.backwardLayer = backward;
    } else {
      this.backwardLayer = copyOf(layer, { name: `backward_${base}`, go_backwards: !layer.goBackwards });
    }
    this.returnSequences = layer.returnSequences;
    this.returnState = layer.returnState;
  }

  override build(inputShape: SymbolicShape): void {
    for (const layer of [this.forwardLayer, this.backwardLayer]) {
      if (!layer.built) {
        layer.build(inputShape);
        layer.built = true;
      }
    }
    this.built = true;
  }

  call(inputs: Tensor, options: CallOptions = {}): Tensor | Tensor[] {
    const states = options.initialState as Tensor[] | undefined;
    const forwardOptions: CallOptions = { ...options, initialState: undefined };
    const backwardOptions: CallOptions = { ...options, initialState: undefined };
    if (states !== undefined) {
      if (states.length % 2 !== 0) {
        throw new Error(`Bidirectional "${this.name}": initialState must hold the forward layer's states then the backward layer's (an even number), got ${states.length}.`);
      }
      forwardOptions.initialState = states.slice(0, states.length / 2);
      backwardOptions.initialState = states.slice(states.length / 2);
    }
    const forward = this.forwardLayer.apply(inputs, forwardOptions) as Tensor | Tensor[];
    const backward = this.backwardLayer.apply(inputs, backwardOptions) as Tensor | Tensor[];
    const [yf, ...statesF] = Array.isArray(forward) ? forward : [forward];
    const [yb0, ...statesB] = Array.isArray(backward) ? backward : [backward];
    // The backward layer's sequence is in processing order: flip it back to time order.
    const yb = this.returnSequences ? ops.flip(yb0, { axis: 1 }) : yb0;
    const merged = this.merge(yf, yb);
    const outputs = Array.isArray(merged) ? merged : [merged];
    if (this.returnState) return [...outputs, ...statesF, ...statesB];
    return merged;
  }

  private merge(yf: Tensor, yb: Tensor): Tensor | Tensor[] {
    switch (this.mergeMode) {
      case 'concat':
        return ops.concatenate([yf, yb], { axis: -1 });
      case 'sum':
        return ops.add(yf, yb);
      case 'mul':
        return ops.multiply(yf, yb);
      case 'ave':
        return ops.multiply(ops.add(yf, yb), 0.5);
      default:
        return [yf, yb];
    }
  }

  override computeOutputShape(inputShape: SymbolicShape): Dim[] | Dim[][] {
    const f = this.forwardLayer.computeOutputShape(inputShape);
    const b = this.backwardLayer.computeOutputShape(inputShape);
    const [of, ...sf] = (this.returnState ? f : [f]) as Dim[][];
    const [ob, ...sb] = (this.returnState ? b : [b]) as Dim[][];
    let outputs: Dim[][];
    if (this.mergeMode === 'concat') {
      const last = of[of.length - 1];
      const other = ob[ob.length - 1];
      outputs = [[...of.slice(0, -1), last === null || other === null ? null : last + other]];
    } else if (this.mergeMode === null) {
      outputs = [of, ob];
    } else {
      outputs = [of];
    }
    if (this.returnState) return [...outputs, ...sf, ...sb];
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig(), layer: serializeCell(this.forwardLayer), merge_mode: this.mergeMode };
    if (this.customBackward) config.backward_layer = serializeCell(this.backwardLayer);
    return config;
  }
}

registerCell('LSTM', (config) => LSTM.fromConfig(config));
registerCell('Bidirectional', (config) => Bidirectional.fromConfig(config));
