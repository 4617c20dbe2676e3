/**
 * keras.utils.plot_model: draws the model's graph to a file, with no system packages. The DOT text
 * (modelToDot) is laid out by Graphviz compiled to WebAssembly (@viz-js/viz) into SVG, and the SVG
 * is rasterized by resvg compiled to WebAssembly (@resvg/resvg-wasm) for PNG. Both load on first
 * use only, so importing keras-ts stays light.
 */
import type * as ResvgModule from '@resvg/resvg-wasm';
import type { Model } from '../models/model.js';
import { modelToDot, type ModelToDotOptions } from './model_to_dot.js';

export interface PlotModelOptions extends ModelToDotOptions {
  /** Where to write: '.svg', '.png' or '.dot' by extension ('model.png'). */
  toFile?: string;
  /**
   * Font files (TTF/OTF) for the PNG's text. WebAssembly cannot list the system's fonts, so by
   * default the Liberation Sans bundled with keras-ts is used.
   */
  fontFiles?: string[];
}

export type PlotFormat = 'svg' | 'png' | 'dot';

/**
 * Liberation Sans, shipped with the package (assets/fonts): it has Helvetica's metrics, which
 * Graphviz lays the labels out with, so the text fits its boxes on every machine.
 */
const BUNDLED_FONTS = ['LiberationSans-Regular.ttf', 'LiberationSans-Bold.ttf'].map((file) => new URL(`../../assets/fonts/${file}`, import.meta.url));

function formatOf(file: string): PlotFormat {
  const match = /\.([^./\\]+)$/.exec(file);
  // Keras writes PNG when the name has no extension.
  const extension = match ? match[1].toLowerCase() : 'png';
  if (extension === 'svg' || extension === 'png' || extension === 'dot') return extension;
  throw new Error(
    `plotModel: cannot write '${file}': the extension '.${extension}' is not a supported image format. Expected .png, .svg or .dot. ` +
      `Fix: name the file e.g. 'model.png'.`,
  );
}

/** Graphviz's SVG for DOT text. */
export async function dotToSvg(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    const messages = result.errors.map((e) => e.message).join('; ');
    throw new Error(`plotModel: Graphviz could not lay out the graph: ${messages}`);
  }
  return result.output;
}

let resvgReady: Promise<typeof ResvgModule> | undefined;

/** resvg's WebAssembly can be initialized once per process, so every call shares it. */
function loadResvg(): Promise<typeof ResvgModule> {
  resvgReady ??= (async () => {
    const resvg = await import('@resvg/resvg-wasm');
    const { createRequire } = await import('node:module');
    const { readFileSync } = await import('node:fs');
    const wasmPath = createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm');
    await resvg.initWasm(readFileSync(wasmPath));
    return resvg;
  })();
  return resvgReady;
}

async function fontBuffers(files: readonly string[] | undefined): Promise<Uint8Array[]> {
  const { existsSync, readFileSync } = await import('node:fs');
  if (files !== undefined) {
    return files.map((file) => {
      if (!existsSync(file)) throw new Error(`plotModel: the font file '${file}' does not exist. Fix: pass the path of a .ttf or .otf file in fontFiles.`);
      return new Uint8Array(readFileSync(file));
    });
  }
  return BUNDLED_FONTS.map((url) => new Uint8Array(readFileSync(url)));
}

/**
 * A PNG of Graphviz's SVG, one pixel per point: Graphviz has already scaled the drawing by the
 * graph's dpi, so this gives the pixel size Graphviz's own PNG output would have.
 */
export async function svgToPng(svg: string, options: { fontFiles?: string[] } = {}): Promise<Uint8Array> {
  const { Resvg } = await loadResvg();
  const fonts = await fontBuffers(options.fontFiles);
  const width = /<svg[^>]*\swidth="([\d.]+)pt"/.exec(svg);
  const renderer = new Resvg(svg, {
    fitTo: width ? { mode: 'width', value: Math.max(1, Math.round(Number(width[1]))) } : { mode: 'original' },
    background: 'white',
    // Graphviz names Times/Helvetica; with only the given fonts loaded, every family maps to the first one.
    font: { fontBuffers: fonts, loadSystemFonts: false, defaultFontFamily: 'Liberation Sans', sansSerifFamily: 'Liberation Sans', serifFamily: 'Liberation Sans' },
  });
  try {
    return renderer.render().asPng();
  } finally {
    renderer.free();
  }
}

/**
 * Draws the model to `toFile` as keras.utils.plot_model does, and returns the bytes written.
 *
 * ```ts
 * await utils.plotModel(model, { toFile: 'model.svg', showShapes: true });
 * ```
 */
export async function plotModel(model: Model, options: PlotModelOptions = {}): Promise<Uint8Array> {
  const toFile = options.toFile ?? 'model.png';
  const format = formatOf(toFile);
  // plot_model's own default hides layer names, unlike model_to_dot's.
  const dot = modelToDot(model, { ...options, showLayerNames: options.showLayerNames ?? false });
  let bytes: Uint8Array;
  if (format === 'dot') bytes = new TextEncoder().encode(dot);
  else {
    const svg = await dotToSvg(dot);
    bytes = format === 'svg' ? new TextEncoder().encode(svg) : await svgToPng(svg, { fontFiles: options.fontFiles });
  }
  const { writeFileSync } = await import('node:fs');
  try {
    writeFileSync(toFile, bytes);
  } catch (error) {
    throw new Error(`plotModel: cannot write '${toFile}': ${(error as Error).message}. Fix: check that the folder exists and is writable.`, { cause: error });
  }
  return bytes;
}
