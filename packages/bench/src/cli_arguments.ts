/** The bench's command line, shared by `node packages/bench/dist/cli.js` and `keras-ts bench`. */
import type { BenchOptions } from './run_bench.js';
import { SECTION_NAMES, type SectionName } from './sections.js';

export const BENCH_USAGE = `Usage: keras-ts bench [--quick] [--json FILE] [--no-json] [--only NAME[,NAME...]] [--in-process]

Runs keras-ts on onnx, tfjs-wasm and tfjs-cpu next to tfjs-layers 4.22 (tfjs-cpu, tfjs-wasm) and raw
onnxruntime-node, interleaved, and prints times, ratios, peak memory and the issue's targets.

  --quick        one round and few steps: checks the harness, numbers not to be quoted
  --json FILE    where to write the results as JSON (default bench-results.json)
  --no-json      write no JSON
  --only NAMES   comma-separated sections: ${SECTION_NAMES.join(', ')}
  --in-process   run every cell in this one process (by default each cell has a process of its own)`;

export type ParsedArguments = { help: true } | { help: false; options: BenchOptions };

export function parseBenchArguments(argv: readonly string[]): ParsedArguments {
  const options: BenchOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${argument} needs a value. ${argument === '--json' ? 'Example: --json results.json' : 'Example: --only mlp,cnn'}`);
      return next;
    };
    if (argument === '--help' || argument === '-h') return { help: true };
    else if (argument === '--quick') options.quick = true;
    else if (argument === '--json') options.jsonPath = value();
    else if (argument === '--no-json') options.jsonPath = null;
    else if (argument === '--in-process') options.inProcess = true;
    else if (argument === '--only') {
      const names = value().split(',').map((n) => n.trim()).filter((n) => n !== '');
      const unknown = names.filter((n) => !SECTION_NAMES.includes(n as SectionName));
      if (unknown.length > 0) throw new Error(`--only got ${unknown.map((n) => `'${n}'`).join(', ')}; expected names among ${SECTION_NAMES.join(', ')}.`);
      options.only = names as SectionName[];
    } else throw new Error(`unknown argument '${argument}'.\n\n${BENCH_USAGE}`);
  }
  return { help: false, options };
}

/** Runs the bench for a command line; resolves to the exit code. */
export async function benchMain(argv: readonly string[]): Promise<number> {
  const parsed = parseBenchArguments(argv);
  if (parsed.help) {
    console.log(BENCH_USAGE);
    return 0;
  }
  // Loaded only now: it loads tfjs and onnxruntime, which --help and the tests of the parser do not need.
  const { runBench } = await import('./run_bench.js');
  await runBench(parsed.options);
  return 0;
}
