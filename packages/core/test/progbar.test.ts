/**
 * keras.utils.Progbar and ProgbarLogger: the exact text Keras 3 prints. The expected strings were
 * produced by Keras 3's own keras/src/utils/progbar.py under the same fake clock and values.
 */
import { describe, expect, it } from '@jest/globals';
import { callbacks, utils } from '@keras-ts/core';
import { formatExponential, formatFixed, pythonFloat } from '../src/utils/python_format.js';

const { Progbar } = utils;

/** A stream that records what is written; `isTTY` picks in-place redrawing. */
function capture(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } };
}

/** A clock that returns the given seconds in turn: the first for the bar's start, then one per update. */
function clock(...times: number[]): () => number {
  return () => {
    const t = times.shift();
    if (t === undefined) throw new Error('the test clock ran out of times');
    return t;
  };
}

const B = (n: number) => '\b'.repeat(n);
const bold = (s: string) => `\x1b[1m${s}\x1b[0m`;
const green = (n: number) => (n > 0 ? `\x1b[32m${'━'.repeat(n)}\x1b[0m` : '');
const white = (n: number) => `\x1b[37m${'━'.repeat(n)}\x1b[0m`;

describe('Progbar (verbose 1, terminal)', () => {
  it('draws, skips redraws within the interval, and finishes with the elapsed time', () => {
    const { writes, stream } = capture(true);
    const bar = new Progbar(32, { stream, now: clock(100.0, 100.2, 100.23, 100.262) });
    bar.update(1, [['accuracy', 0.5], ['loss', 0.9]]);
    bar.update(16, [['accuracy', 0.8], ['loss', 0.5]]); // 30 ms later: under the 50 ms interval
    bar.update(32, [['accuracy', 0.9], ['loss', 0.3]], true);
    expect(writes).toEqual([
      `\r${bold(' 1/32')} ${white(20)} ${bold('6s')} 200ms/step - accuracy: 0.5000 - loss: 0.9000`,
      // 74 visible columns erased, then the final line (72 columns) padded over the old one.
      `${B(74)}\r${bold('32/32')} ${green(20)}${white(0)} ${bold('0s')} 2ms/step - accuracy: 0.9000 - loss: 0.3000  \n`,
    ]);
  });

  it('shows the ETA as h:mm:ss and m:ss, and ignores the first step when timing', () => {
    const { writes, stream } = capture(true);
    const bar = new Progbar(10000, { stream, now: clock(0, 1, 2, 2.01, 62) });
    bar.update(1);
    bar.update(2);
    bar.update(3);
    bar.update(9940);
    expect(writes).toEqual([
      `\r${bold('    1/10000')} ${white(20)} ${bold('2:46:39')} 1s/step`,
      `${B(48)}\r${bold('    2/10000')} ${white(20)} ${bold('2:46:38')} 1s/step`,
      `${B(48)}\r${bold(' 9940/10000')} ${green(19)}${white(1)} ${bold('0s')} 6ms/step    `,
    ]);
  });

  it('prints values with |v| <= 1e-3 as %.4e and averages values over steps', () => {
    const { writes, stream } = capture(true);
    const bar = new Progbar(10, { stream, now: clock(0, 0.5, 1.5) });
    bar.update(5, { loss: -0.25, learning_rate: 5e-4 });
    bar.update(10, { loss: -0.25, learning_rate: 5e-4 });
    expect(writes[0]).toBe(`\r${bold(' 5/10')} ${green(10)}${white(10)} ${bold('0s')} 100ms/step - loss: -0.2500 - learning_rate: 5.0000e-04`);
    expect(writes[1]).toBe(`${B(84)}\r${bold('10/10')} ${green(20)}${white(0)} ${bold('2s')} 150ms/step - loss: -0.2500 - learning_rate: 5.0000e-04\n`);

    const unknown = capture(true);
    const open = new Progbar(undefined, { stream: unknown.stream, now: clock(0, 1, 2.5, 2.6) });
    open.update(1, [['loss', 2]]);
    open.update(3, [['loss', 1]]); // (2*1 + 1*2) / 3 steps
    open.update(3, [['loss', 1.25]], true);
    expect(unknown.writes).toEqual([
      `\r      1/Unknown ${bold('1s')} 1s/step - loss: 2.0000`,
      `${B(41)}\r      3/Unknown ${bold('2s')} 750ms/step - loss: 1.3333`,
      `${B(44)}\r      3/Unknown ${bold('3s')} 800ms/step - loss: 1.2500\n`,
    ]);
  });
});

describe('Progbar off a terminal and at verbose 2', () => {
  it('prints only the final line when the stream is not a terminal', () => {
    const { writes, stream } = capture(false);
    const bar = new Progbar(32, { stream, now: clock(100.0, 100.2, 100.23, 100.262) });
    bar.update(1, [['accuracy', 0.5], ['loss', 0.9]]);
    bar.update(16, [['accuracy', 0.8], ['loss', 0.5]]);
    bar.update(32, [['accuracy', 0.9], ['loss', 0.3]], true);
    expect(writes).toEqual([`${bold('32/32')} ${green(20)}${white(0)} ${bold('0s')} 2ms/step - accuracy: 0.9000 - loss: 0.3000\n`]);
  });

  it('verbose 2 prints one plain line when the bar finishes', () => {
    const { writes, stream } = capture(true);
    const bar = new Progbar(469, { verbose: 2, stream, now: clock(0, 0.1, 7.035) });
    bar.update(1, [['accuracy', 0.5], ['loss', 0.9]]);
    bar.update(469, [['accuracy', 0.8908], ['loss', 0.3004], ['val_accuracy', 0.8849], ['val_loss', 0.3072]], true);
    expect(writes).toEqual(['469/469 - 7s - 15ms/step - accuracy: 0.8908 - loss: 0.3004 - val_accuracy: 0.8849 - val_loss: 0.3072\n']);

    // Keras tests `avg > 1e-3` here without abs(), so a negative value prints in exponent form.
    const negative = capture(false);
    new Progbar(10, { verbose: 2, stream: negative.stream, now: clock(0, 1.5) }).update(10, { loss: -0.25, learning_rate: 5e-4 });
    expect(negative.writes).toEqual(['10/10 - 2s - 150ms/step - loss: -2.5000e-01 - learning_rate: 5.0000e-04\n']);
  });
});

describe("Python's number formatting", () => {
  it('rounds exact ties to even and spells exponents and floats as Python does', () => {
    expect([formatFixed(2.5, 0), formatFixed(3.5, 0), formatFixed(0.03125, 4), formatFixed(-1e-9, 4)]).toEqual(['2', '4', '0.0312', '-0.0000']);
    expect([formatExponential(5e-4, 4), formatExponential(0, 4), formatExponential(9.99995e-7, 4), formatExponential(NaN, 4)]).toEqual([
      '5.0000e-04', '0.0000e+00', '1.0000e-06', 'nan',
    ]);
    expect([pythonFloat(1), pythonFloat(0.1), pythonFloat(1e-5), pythonFloat(0.0001), pythonFloat(1e16), pythonFloat(123.5), pythonFloat(-Infinity)]).toEqual([
      '1.0', '0.1', '1e-05', '0.0001', '1e+16', '123.5', '-inf',
    ]);
  });
});

describe('ProgbarLogger', () => {
  // The clock: each epoch's bar starts, then (at verbose 1 only) one time per batch, then the epoch end.
  async function twoEpochs(isTTY: boolean, verbose: 1 | 2, now: () => number) {
    const { writes, stream } = capture(isTTY);
    const logger = new callbacks.ProgbarLogger({ stream, now });
    const list = new callbacks.CallbackList([logger]);
    list.setParams({ epochs: 2, steps: 2, verbose });
    await list.call('onTrainBegin');
    for (const epoch of [0, 1]) {
      await list.call('onEpochBegin', epoch);
      await list.call('onTrainBatchEnd', 0, { loss: 0.5, accuracy: 0.75 });
      await list.call('onTrainBatchEnd', 1, { loss: 0.25, accuracy: 1 });
      await list.call('onEpochEnd', epoch, { accuracy: 0.875, loss: 0.375, val_accuracy: 0.5, val_loss: 0.625 });
    }
    await list.call('onTrainEnd');
    return writes;
  }

  it('prints Epoch lines and, off a terminal, one final line per epoch with val_ values after', async () => {
    const line = `${bold('2/2')} ${green(20)}${white(0)} ${bold('0s')} 100ms/step - accuracy: 0.8750 - loss: 0.3750 - val_accuracy: 0.5000 - val_loss: 0.6250\n`;
    expect(await twoEpochs(false, 1, clock(0, 0.1, 0.2, 0.2, 1, 1.1, 1.2, 1.2))).toEqual(['Epoch 1/2\n', line, 'Epoch 2/2\n', line]);
  });

  it('redraws in place on a terminal, batch logs sorted by name', async () => {
    const writes = await twoEpochs(true, 1, clock(0, 0.1, 0.2, 0.2, 1, 1.1, 1.2, 1.2));
    expect(writes[0]).toBe('Epoch 1/2\n');
    expect(writes[1]).toBe(`\r${bold('1/2')} ${green(10)}${white(10)} ${bold('0s')} 100ms/step - accuracy: 0.7500 - loss: 0.5000`);
    expect(writes[2]).toBe(`${B(72)}\r${bold('2/2')} ${green(20)}${white(0)} ${bold('0s')} 100ms/step - accuracy: 0.8750 - loss: 0.3750`);
    expect(writes[3]).toBe(`${B(72)}\r${bold('2/2')} ${green(20)}${white(0)} ${bold('0s')} 100ms/step - accuracy: 0.8750 - loss: 0.3750 - val_accuracy: 0.5000 - val_loss: 0.6250\n`);
  });

  it('verbose 2 prints one line per epoch', async () => {
    expect(await twoEpochs(true, 2, clock(0, 0.2, 1, 1.2))).toEqual([
      'Epoch 1/2\n', '2/2 - 0s - 100ms/step - accuracy: 0.8750 - loss: 0.3750 - val_accuracy: 0.5000 - val_loss: 0.6250\n',
      'Epoch 2/2\n', '2/2 - 0s - 100ms/step - accuracy: 0.8750 - loss: 0.3750 - val_accuracy: 0.5000 - val_loss: 0.6250\n',
    ]);
  });
});
