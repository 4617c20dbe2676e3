/**
 * `keras-ts plot` and `keras-ts summary`: a saved model (.keras, legacy .h5, or a TensorFlow.js
 * model.json) drawn with utils.plotModel or printed with model.summary(). Each command returns its
 * exit code: 0 done, 1 the model could not be loaded or drawn, 2 bad arguments.
 */
import * as keras from './index.js';

export const PLOT_USAGE = `Usage: keras-ts plot MODEL [--to-file FILE] [--show-shapes] [--show-dtype] [--show-layer-names]
                     [--show-layer-activations] [--show-trainable] [--expand-nested] [--rankdir TB|LR|BT|RL] [--dpi N]

Draws the layer graph of MODEL (a .keras or .h5 file, or a tfjs model.json or its folder) as keras.utils.plot_model
does. The format follows FILE's extension: .png (the default, model.png), .svg, or .dot (Graphviz text).`;

export const SUMMARY_USAGE = `Usage: keras-ts summary MODEL [--expand-nested] [--show-trainable] [--line-length N]

Prints model.summary() of MODEL (a .keras or .h5 file, or a tfjs model.json or its folder).`;

/** Where a command writes; tests pass their own. */
export interface CommandOutput {
  log(text: string): void;
  error(text: string): void;
}

const consoleOutput: CommandOutput = { log: (text) => console.log(text), error: (text) => console.error(text) };

interface Parsed {
  model: string | undefined;
  flags: Set<string>;
  values: Map<string, string>;
}

class UsageError extends Error {}

/** `--name value`, `--name=value` and bare `--flag`s, checked against what the command takes. */
function parse(argv: readonly string[], flags: readonly string[], valued: readonly string[]): Parsed {
  const parsed: Parsed = { model: undefined, flags: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      if (parsed.model !== undefined) throw new UsageError(`expected one model path, got '${parsed.model}' and '${arg}'`);
      parsed.model = arg;
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    if (flags.includes(name)) {
      if (equals > 0) throw new UsageError(`${name} takes no value`);
      parsed.flags.add(name);
    } else if (valued.includes(name)) {
      const value = equals > 0 ? arg.slice(equals + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      parsed.values.set(name, value);
    } else {
      throw new UsageError(`unknown argument '${arg}'`);
    }
  }
  if (parsed.model === undefined) throw new UsageError('expected the path of a saved model');
  return parsed;
}

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0)) throw new UsageError(`${flag} must be a positive number, got '${value}'`);
  return n;
}

async function run(usage: string, output: CommandOutput, body: () => Promise<void>): Promise<number> {
  try {
    await body();
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      output.error(`keras-ts: ${error.message}.\n\n${usage}`);
      return 2;
    }
    output.error(`keras-ts: ${(error as Error).message}`);
    return 1;
  }
}

export function plotCommand(argv: readonly string[], output: CommandOutput = consoleOutput): Promise<number> {
  return run(PLOT_USAGE, output, async () => {
    const args = parse(
      argv,
      ['--show-shapes', '--show-dtype', '--show-layer-names', '--show-layer-activations', '--show-trainable', '--expand-nested'],
      ['--to-file', '--rankdir', '--dpi'],
    );
    const rankdir = args.values.get('--rankdir') ?? 'TB';
    if (!['TB', 'LR', 'BT', 'RL'].includes(rankdir)) throw new UsageError(`--rankdir must be TB, LR, BT or RL, got '${rankdir}'`);
    const dpi = positiveNumber(args.values.get('--dpi'), '--dpi');
    const model = await keras.models.loadModel(args.model as string, { compile: false });
    const toFile = args.values.get('--to-file') ?? 'model.png';
    await keras.utils.plotModel(model, {
      toFile,
      showShapes: args.flags.has('--show-shapes'),
      showDtype: args.flags.has('--show-dtype'),
      showLayerNames: args.flags.has('--show-layer-names'),
      showLayerActivations: args.flags.has('--show-layer-activations'),
      showTrainable: args.flags.has('--show-trainable'),
      expandNested: args.flags.has('--expand-nested'),
      rankdir: rankdir as keras.utils.Rankdir,
      dpi,
    });
    output.log(`Wrote ${toFile}`);
  });
}

export function summaryCommand(argv: readonly string[], output: CommandOutput = consoleOutput): Promise<number> {
  return run(SUMMARY_USAGE, output, async () => {
    const args = parse(argv, ['--expand-nested', '--show-trainable'], ['--line-length']);
    const lineLength = positiveNumber(args.values.get('--line-length'), '--line-length');
    // Loaded compiled, as Keras's load_model does, so a saved optimizer's state shows as 'Optimizer params'.
    const model = await keras.models.loadModel(args.model as string);
    model.summary({ expandNested: args.flags.has('--expand-nested'), showTrainable: args.flags.has('--show-trainable'), lineLength, printFn: (text) => output.log(text) });
  });
}
