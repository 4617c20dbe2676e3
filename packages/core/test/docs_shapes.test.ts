/**
 * Runs every example of docs/shapes.md: each ```ts block is one test; a line `expr; // value`
 * asserts that expr equals value, and `expr; // throws: text` that it throws an error containing text.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import * as keras from '@keras-ts/core';
import { useTestBackend } from './support/backend.js';

const markdown = readFileSync(resolve(process.cwd(), 'docs/shapes.md'), 'utf8');
const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

/** Turns the checked comments into assertions. */
function instrument(code: string): string {
  return code
    .split('\n')
    .map((line) => {
      const throws = /^(\s*)(.*?);\s*\/\/\s*throws:\s*(.+)$/.exec(line);
      if (throws) return `${throws[1]}__expectThrow(() => { ${throws[2]}; }, ${JSON.stringify(throws[3].trim())});`;
      const value = /^(\s*)(.*?);\s*\/\/\s*(.+)$/.exec(line);
      if (value) return `${value[1]}__expectEqual(${value[2]}, ${value[3]});`;
      return line;
    })
    .join('\n');
}

beforeAll(async () => {
  await useTestBackend();
  keras.config.setImageDataFormat('channels_last');
});

describe('docs/shapes.md', () => {
  it('has examples', () => expect(blocks.length).toBeGreaterThan(3));
  blocks.forEach((block, i) => {
    it(`example ${i + 1}: ${block.split('\n')[0].slice(0, 60)}`, () => {
      const js = ts.transpileModule(instrument(block), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
      const scope = { ...keras, keras, __expectEqual: (a: unknown, b: unknown) => expect(a).toEqual(b), __expectThrow: (f: () => void, text: string) => expect(f).toThrow(text) };
      const run = new Function(...Object.keys(scope), js);
      keras.tidy(() => {
        run(...Object.values(scope));
      });
    });
  });
});
