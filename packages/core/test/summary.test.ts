/** model.summary() in Keras 3's layout, byte for byte where Keras's own output is known. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Input, Model, Sequential, layers } from '@keras-ts/core';
import { resetNames } from '../src/engine/naming.js';
import { useTestBackend } from './support/backend.js';

beforeAll(async () => {
  await useTestBackend();
});

const capture = (model: Model, options: Parameters<Model['summary']>[0] = {}): string => {
  let text = '';
  model.summary({ ...options, printFn: (t) => (text = t) });
  return text;
};

describe('summary', () => {
  it('prints the seed model exactly as Keras 3 does (76 columns when not a terminal)', () => {
    resetNames();
    const model = new Sequential([
      Input({ shape: [10] }),
      new layers.Dense({ units: 20, activation: 'relu' }),
      new layers.Dense({ units: 20, activation: 'relu' }),
      new layers.Dense({ units: 1, activation: 'sigmoid' }),
    ]);
    // Keras 3's output for this model (rich table, line_length 76), as recorded in FORMATS.md.
    expect(capture(model, { lineLength: 76 })).toBe(
      [
        'Model: "sequential"',
        '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
        '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
        '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
        '│ dense (Dense)                   │ (None, 20)             │           220 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ dense_1 (Dense)                 │ (None, 20)             │           420 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ dense_2 (Dense)                 │ (None, 1)              │            21 │',
        '└─────────────────────────────────┴────────────────────────┴───────────────┘',
        ' Total params: 661 (2.58 KB)',
        ' Trainable params: 661 (2.58 KB)',
        ' Non-trainable params: 0 (0.00 B)',
      ].join('\n'),
    );
  });

  it('adds "Connected to" for graphs that are not a chain, and lists InputLayers of functional models', () => {
    const a = Input({ shape: [4], name: 'left' });
    const b = Input({ shape: [4], name: 'right' });
    const merged = new layers.Concatenate({ name: 'join' }).apply([a, b]);
    const model = new Model({ inputs: [a, b], outputs: new layers.Dense({ units: 2, name: 'out' }).apply(merged), name: 'two_inputs' });
    const text = capture(model, { lineLength: 76 });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Model: "two_inputs"');
    expect(lines[2]).toMatch(/^┃ Layer \(type\) +┃ Output Shape +┃ +Param # ┃ Connected to +┃$/);
    expect(text).toMatch(/│ left \(InputLayer\) +│ \(None, 4\) +│ +0 │ - +│/);
    expect(text).toMatch(/│ join \(Concatenate\) +│ \(None, 8\) +│ +0 │ left\[0\]\[0\], +│/);
    expect(text).toMatch(/│ out \(Dense\) +│ \(None, 2\) +│ +18 │ join\[0\]\[0\] +│/);
    expect(lines.every((l, i) => i === 0 || l.startsWith(' ') || [...l].length === 76)).toBe(true);
  });

  it('expands nested models, shows trainability, and separates thousands', () => {
    const inner = new Sequential([Input({ shape: [100] }), new layers.Dense({ units: 30, name: 'big' })], { name: 'inner' });
    const x = Input({ shape: [100] });
    const frozen = new layers.Dense({ units: 2, name: 'frozen' });
    frozen.trainable = false;
    const model = new Model({ inputs: x, outputs: frozen.apply(inner.apply(x) as never), name: 'outer' });
    const text = capture(model, { lineLength: 100, expandNested: true, showTrainable: true });
    expect(text).toMatch(/│ inner \(Sequential\) +│ \(None, 30\) +│ +3,030 │ +Y +│/);
    expect(text).toMatch(/│ +└ big \(Dense\) +│ \(None, 30\) +│ +3,030 │ +Y +│/);
    expect(text).toMatch(/│ frozen \(Dense\) +│ \(None, 2\) +│ +62 │ +N +│/);
    expect(text).toContain(' Total params: 3,092 (12.08 KB)');
    expect(text).toContain(' Trainable params: 3,030 (11.84 KB)');
    expect(text).toContain(' Non-trainable params: 62 (248.00 B)');
  });

  it('shows unbuilt layers as Keras does', () => {
    const model = new Sequential([new layers.Dense({ units: 3 })], { name: 'lazy' });
    const text = capture(model, { lineLength: 76 });
    expect(text).toMatch(/│ dense(_\d+)? \(Dense\) +│ \? +│ +0 \(unbuilt\) │/);
  });
});

describe('summary after compile', () => {
  it('adds the optimizer state as Keras does (Adam: 2 slots per weight, the iteration and the learning rate)', () => {
    const model = new Sequential([Input({ shape: [10] }), new layers.Dense({ units: 20 }), new layers.Dense({ units: 1 })]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const text = capture(model, { lineLength: 76 });
    const params = 10 * 20 + 20 + 20 + 1;
    expect(text).toContain(` Optimizer params: ${(2 * params + 2).toLocaleString('en-US')} (`);
    expect(text).toContain(` Total params: ${(3 * params + 2).toLocaleString('en-US')} (`);
  });
});
