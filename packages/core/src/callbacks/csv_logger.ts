/**
 * keras.callbacks.CSVLogger: one CSV row per epoch, `epoch` then the logs keys sorted by name, in
 * the text Python's csv module writes (\r\n line ends, minimal quoting, floats as str(float)).
 * Node only: it writes through the file system.
 */
import { Callback, type Logs } from './callback.js';
import { appendFile, fileExists, readFirstLine, writeFile } from './node_files.js';
import { trainingModel } from './training_model.js';
import { pythonFloat } from '../utils/python_format.js';

export interface CSVLoggerOptions {
  /** The field separator (','). */
  separator?: string;
  /** Add to an existing file, writing the header only if it is empty (false: overwrite). */
  append?: boolean;
}

const WHO = 'CSVLogger';

export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | undefined;
  private appendHeader = true;
  private open = false;

  constructor(filename: string, options: CSVLoggerOptions = {}) {
    super();
    this.filename = filename;
    this.separator = options.separator ?? ',';
    this.append = options.append ?? false;
  }

  override onTrainBegin(): void {
    if (this.append) {
      if (fileExists(WHO, this.filename)) this.appendHeader = readFirstLine(WHO, this.filename).length === 0;
      else writeFile(WHO, this.filename, '');
    } else {
      writeFile(WHO, this.filename, '');
    }
    this.open = true;
    this.keys = undefined;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (!this.open) this.onTrainBegin();
    let header = '';
    if (this.keys === undefined) {
      this.keys = Object.keys(logs).sort();
      // Validation columns the model will log later get their place now.
      for (const name of trainingModel(this, WHO).metricsNames ?? []) {
        if (name.startsWith('val_') && !this.keys.includes(name)) this.keys.push(name);
      }
      if (this.appendHeader) header = this.row(['epoch', ...this.keys]);
    }
    const values = this.keys.map((k) => (logs[k] === undefined ? 'NA' : pythonFloat(logs[k])));
    appendFile(WHO, this.filename, header + this.row([String(epoch), ...values]));
  }

  override onTrainEnd(): void {
    this.open = false;
  }

  /** csv.excel: quote a field holding the separator, a quote or a line break; double its quotes. */
  private row(fields: string[]): string {
    const quoted = fields.map((f) =>
      f.includes(this.separator) || /["\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f,
    );
    return `${quoted.join(this.separator)}\r\n`;
  }
}
