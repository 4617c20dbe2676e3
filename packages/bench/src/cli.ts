#!/usr/bin/env node
/** `node packages/bench/dist/cli.js [--quick] [--json FILE] [--only NAMES]`: the bench (`pnpm bench`). */
import { benchMain } from './cli_arguments.js';

benchMain(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`keras-ts bench: ${error.message}`);
    process.exit(1);
  },
);
