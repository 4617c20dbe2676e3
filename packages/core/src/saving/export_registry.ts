/**
 * model.export(path, { format }): core knows no file format of other programs; a package that can
 * write one registers an exporter for it (importing '@keras-ts/backend-onnx' registers 'onnx').
 * The exporter turns the model into bytes and core writes them atomically, so a failed export
 * leaves any file already at the path as it was.
 */
import type { Model } from '../models/model.js';
import { moduleLoader } from '../backend/node_environment.js';
import { writeFileAtomic } from './atomic_write.js';

export interface ExportOptions {
  /** The file format; 'onnx' is the default, since keras-ts has no TensorFlow SavedModel writer. */
  format?: string;
}

/** Turns a model into the bytes of a file of its format. */
export type ModelExporter = (model: Model, options: ExportOptions) => Uint8Array | Promise<Uint8Array>;

const exporters = new Map<string, ModelExporter>();

/** The packages that provide each known format, for the error when none is registered. */
const PROVIDERS: Readonly<Record<string, string>> = { onnx: '@keras-ts/backend-onnx' };

/** Makes `model.export(path, { format })` use `exporter` (the last registration of a format wins). */
export function registerModelExporter(format: string, exporter: ModelExporter): void {
  exporters.set(format.toLowerCase(), exporter);
}

/** The formats that model.export can write now. */
export function registeredExportFormats(): string[] {
  return [...exporters.keys()];
}

export function getModelExporter(format: string): ModelExporter {
  const exporter = exporters.get(format.toLowerCase());
  if (exporter) return exporter;
  const provider = PROVIDERS[format.toLowerCase()];
  const known = registeredExportFormats();
  throw new Error(
    `model.export: no exporter is registered for format '${format}'` +
      (known.length > 0 ? ` (registered: ${known.map((f) => `'${f}'`).join(', ')}).` : '.') +
      (provider
        ? ` Fix: import '${provider}' (which registers it) before exporting, or use the 'keras-ts' package, which loads it.`
        : ` Fix: use format 'onnx' (import '@keras-ts/backend-onnx'), or register one with registerModelExporter('${format}', exporter).`),
  );
}

/** Imports the package that provides `format` when it is installed where the program runs (importing it registers the exporter). */
async function loadProvider(format: string): Promise<void> {
  const provider = PROVIDERS[format.toLowerCase()];
  if (provider === undefined || exporters.has(format.toLowerCase())) return;
  const loader = moduleLoader();
  const file = loader?.resolve(provider);
  if (loader && file) await loader.importAsync(file);
}

/** What Model.export does: the format's exporter makes the bytes, which are written atomically. */
export async function exportModel(model: Model, path: string, options: ExportOptions = {}): Promise<void> {
  const format = options.format ?? 'onnx';
  await loadProvider(format);
  const bytes = await getModelExporter(format)(model, options);
  writeFileAtomic(path, bytes, `the model '${model.name}' as ${format}`);
}
