#!/usr/bin/env node
/**
 * The `keras-ts` command. `keras-ts info` lists the installed backends and what each runs natively;
 * `keras-ts conformance` runs the conformance kit on them and prints the matrix.
 */
import * as keras from './index.js';

const USAGE = `Usage: keras-ts <command>

Commands:
  info [--backend NAME]   list installed backends and the kernels each runs natively or composes
  conformance [--backend NAME]... [--module SPECIFIER]... [--tier TIER]... [--only TEXT]...
                          run the conformance kit and print its matrix (keras-ts conformance --help)
  plot MODEL [--to-file FILE] [--show-shapes] [--rankdir LR] ...
                          draw a saved model's layer graph as PNG, SVG or DOT (keras-ts plot --help)
  summary MODEL           print model.summary() of a saved model (.keras, .h5, tfjs model.json)
  bench [--quick] [--json FILE] [--only NAMES]
                          benchmark keras-ts against tfjs-layers and onnxruntime (keras-ts bench --help;
                          needs the repository's private @keras-ts/bench package)
  help                    show this text`;

async function info(only: string | undefined): Promise<void> {
  const names = only ? [only] : keras.listBackends();
  console.log(`keras-ts backends (fastest first): ${keras.listBackends().join(', ') || 'none'}`);
  console.log(`chosen at startup: ${keras.chosenBackendName() ?? 'none'}`);
  for (const name of names) {
    await keras.setBackend(name);
    const report = keras.describeCapabilities(keras.backendInstance());
    console.log(`\n${name}`);
    console.log(`  native:   ${report.native.join(', ')}`);
    console.log(`  composed: ${report.composed.join(', ') || '(none)'}`);
    if (report.missing.length > 0) console.log(`  MISSING:  ${report.missing.join(', ')}`);
    for (const note of report.notes) console.log(`  note: ${note}`);
  }
}

interface BenchModule {
  benchMain(argv: readonly string[]): Promise<number>;
}

/** @keras-ts/bench is private to the keras-ts repository (never published): a dev dependency there. */
async function loadBench(): Promise<BenchModule | undefined> {
  // A variable specifier: the bench package is a dev dependency of the repository, absent for npm users.
  const specifier = '@keras-ts/bench';
  try {
    return (await import(specifier)) as BenchModule;
  } catch (error) {
    // Only "this package is absent" means not installed; a bench that is there but broken reports its own error.
    const { code, message } = error as { code?: string; message?: string };
    if (code !== 'ERR_MODULE_NOT_FOUND' || !message?.includes(specifier)) throw error;
    return undefined;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'info') {
    const i = rest.indexOf('--backend');
    await info(i >= 0 ? rest[i + 1] : undefined);
    return 0;
  }
  if (command === 'conformance') {
    // Loaded only for this command: the kit and its vectors stay out of `info`'s startup.
    const { conformance, CONFORMANCE_USAGE } = await import('./conformance_command.js');
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(CONFORMANCE_USAGE);
      return 0;
    }
    return conformance(rest);
  }
  if (command === 'plot' || command === 'summary') {
    // Loaded only for these commands, as the conformance kit is for its own.
    const { plotCommand, summaryCommand, PLOT_USAGE, SUMMARY_USAGE } = await import('./model_commands.js');
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(command === 'plot' ? PLOT_USAGE : SUMMARY_USAGE);
      return 0;
    }
    return command === 'plot' ? plotCommand(rest) : summaryCommand(rest);
  }
  if (command === 'bench') {
    const bench = await loadBench();
    if (bench === undefined) {
      console.error("keras-ts bench: the benchmark package @keras-ts/bench is not installed; it is private to the keras-ts repository. Fix: clone the repository and run `pnpm bench` there.");
      return 1;
    }
    return bench.benchMain(rest);
  }
  if (command === undefined || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command === undefined ? 1 : 0;
  }
  console.error(`keras-ts: unknown command '${command}'.\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`keras-ts: ${error.message}`);
    process.exit(1);
  },
);
