/**
 * Node-only file access for the callbacks that write files (CSVLogger, TensorBoard). Kept in one
 * module, without static imports of fs/path/os, so the rest of core stays loadable in a browser:
 * there these functions throw a clear error instead.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import type * as NodeOs from 'node:os';

interface NodeProcess {
  pid: number;
  getBuiltinModule?(id: string): unknown;
}

function nodeProcess(): NodeProcess | undefined {
  return (globalThis as { process?: NodeProcess }).process;
}

function builtin<T>(id: string, who: string): T {
  const p = nodeProcess();
  const mod = p?.getBuiltinModule ? (p.getBuiltinModule(id) as T | undefined) : undefined;
  if (!mod) {
    throw new Error(`${who} writes files, which needs Node.js >= 20.16 (process.getBuiltinModule); this environment has no file system. Fix: run it under Node, or leave this callback out in the browser.`);
  }
  return mod;
}

const fs = (who: string) => builtin<typeof NodeFs>('node:fs', who);

export function joinPath(who: string, ...parts: string[]): string {
  return builtin<typeof NodePath>('node:path', who).join(...parts);
}

export function fileExists(who: string, file: string): boolean {
  return fs(who).existsSync(file);
}

/** The file's first line, or '' for an empty file. */
export function readFirstLine(who: string, file: string): string {
  return fs(who).readFileSync(file, 'utf8').split('\n')[0];
}

/** Creates or truncates `file`, creating its folder. */
export function writeFile(who: string, file: string, data: string | Uint8Array): void {
  const f = fs(who);
  f.mkdirSync(builtin<typeof NodePath>('node:path', who).dirname(file), { recursive: true });
  f.writeFileSync(file, data);
}

/** Appends and returns at once, so nothing stays open if training throws. */
export function appendFile(who: string, file: string, data: string | Uint8Array): void {
  fs(who).appendFileSync(file, data);
}

export function hostname(who: string): string {
  return builtin<typeof NodeOs>('node:os', who).hostname();
}

export function processId(): number {
  return nodeProcess()?.pid ?? 0;
}
