/**
 * keras.utils.Progbar: the progress bar fit, evaluate and predict print, in Keras 3's exact format
 * (keras/src/utils/progbar.py), e.g. `32/32 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - accuracy: 0.9000 - loss: 0.3000`.
 * On a terminal the line is redrawn in place. When the output is not a terminal (a log file, CI)
 * only the final line of each bar is printed, so logs hold one readable line per epoch.
 */
import { formatExponential, formatFixed, formatInt } from './python_format.js';

/** Where the bar writes: process.stdout by default; `isTTY` selects in-place redrawing. */
export interface ProgbarStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgbarOptions {
  /** Width of the bar in characters (20). */
  width?: number;
  /** 0 silent, 1 the bar, 2 one line when the bar finishes. */
  verbose?: 0 | 1 | 2;
  /** Minimum seconds between two redraws (0.05). */
  interval?: number;
  /** Metrics shown as given rather than averaged over steps; give this or statelessMetrics, not both. */
  statefulMetrics?: Iterable<string>;
  /** Metrics averaged over steps (all others shown as given). */
  statelessMetrics?: Iterable<string>;
  unitName?: string;
  stream?: ProgbarStream;
  /** The clock, in seconds. */
  now?: () => number;
}

/** Columns on screen: the colour codes (ESC [ ... m) take none. */
function visibleLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\x1b') i = text.indexOf('m', i);
    else n++;
  }
  return n;
}

/** Writes whole lines through console.log where there is no process.stdout (a browser). */
function consoleStream(): ProgbarStream {
  let pending = '';
  return {
    write(text: string) {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) console.log(line);
    },
  };
}

export function defaultStream(): ProgbarStream {
  const stdout = (globalThis as { process?: { stdout?: ProgbarStream } }).process?.stdout;
  return stdout && typeof stdout.write === 'function' ? stdout : consoleStream();
}

export class Progbar {
  target: number | undefined;
  readonly width: number;
  readonly verbose: 0 | 1 | 2;
  readonly interval: number;
  readonly unitName: string;
  private readonly stateful: Set<string> | undefined;
  private readonly stateless: Set<string> | undefined;
  private readonly stream: ProgbarStream;
  private readonly now: () => number;
  private readonly dynamic: boolean;
  /** Per metric: [weighted sum, weight], shown as sum / weight. */
  private readonly values = new Map<string, [number, number]>();
  private seenSoFar = 0;
  private readonly start: number;
  private lastUpdate = 0;
  private timeAfterFirstStep: number | undefined;
  private prevTotalWidth = 0;

  constructor(target: number | undefined, options: ProgbarOptions = {}) {
    if (options.statefulMetrics !== undefined && options.statelessMetrics !== undefined) {
      throw new Error('Progbar: give statefulMetrics or statelessMetrics, not both. statefulMetrics lists the metrics shown as given; statelessMetrics lists the ones averaged.');
    }
    this.target = target;
    this.width = options.width ?? 20;
    this.verbose = options.verbose ?? 1;
    this.interval = options.interval ?? 0.05;
    this.unitName = options.unitName ?? 'step';
    this.stateless = options.statelessMetrics !== undefined ? new Set(options.statelessMetrics) : undefined;
    this.stateful = this.stateless ? undefined : new Set(options.statefulMetrics ?? []);
    this.stream = options.stream ?? defaultStream();
    this.now = options.now ?? (() => Date.now() / 1000);
    this.dynamic = this.stream.isTTY === true;
    this.start = this.now();
  }

  /** Moves the bar to step `current`; `values` are this step's metrics, shown in first-seen order. */
  update(current: number, values: Iterable<readonly [string, number]> | Record<string, number> = [], finalize?: boolean): void {
    const done = finalize ?? (this.target !== undefined && current >= this.target);
    const entries = Symbol.iterator in values ? values : Object.entries(values);
    for (const [name, v] of entries) {
      const averaged = this.stateful ? !this.stateful.has(name) : (this.stateless as Set<string>).has(name);
      const slot = this.values.get(name);
      if (!averaged || done) {
        // The final update carries the epoch's own values, so they are shown exactly.
        this.values.set(name, [v, 1]);
      } else {
        // Weighted by the steps since the last update; at least 1 when a step repeats.
        const weight = Math.max(current - this.seenSoFar, 1);
        if (slot) {
          slot[0] += v * weight;
          slot[1] += weight;
        } else {
          this.values.set(name, [v * weight, weight]);
        }
      }
    }
    this.seenSoFar = current;
    const now = this.now();
    const timePerUnit = this.stepDuration(current, now);
    if (this.verbose === 1) {
      // Off a terminal a redraw would be a new line each time: only the final line is printed.
      if (!done && (!this.dynamic || now - this.lastUpdate < this.interval)) return;
      this.stream.write(this.verboseLine(current, now, timePerUnit, done));
    } else if (this.verbose === 2 && done && this.target !== undefined && this.target > 0) {
      this.stream.write(this.summaryLine(current, now, timePerUnit));
    }
    this.lastUpdate = now;
  }

  /** Advances the bar by `n` steps. */
  add(n: number, values?: Iterable<readonly [string, number]> | Record<string, number>): void {
    this.update(this.seenSoFar + n, values);
  }

  private counter(current: number): string {
    const target = this.target as number;
    return `${formatInt(current, String(Math.trunc(target)).length)}/${formatInt(target)}`;
  }

  private verboseLine(current: number, now: number, timePerUnit: number, done: boolean): string {
    let line: string;
    const known = this.target !== undefined && this.target > 0;
    if (known) {
      const progWidth = Math.trunc(this.width * (current / (this.target as number)));
      line = `\x1b[1m${this.counter(current)}\x1b[0m `;
      if (progWidth > 0) line += `\x1b[32m${'━'.repeat(progWidth)}\x1b[0m`;
      line += `\x1b[37m${'━'.repeat(Math.max(this.width - progWidth, 0))}\x1b[0m`;
    } else {
      line = `${formatInt(current, 7)}/Unknown`;
    }
    line += ` \x1b[1m${known && !done ? formatEta(timePerUnit * ((this.target as number) - current)) : `${formatFixed(now - this.start, 0)}s`}\x1b[0m`;
    line += formatStepTime(timePerUnit, this.unitName);
    for (const [name, [sum, count]] of this.values) {
      const avg = sum / Math.max(1, count);
      line += ` - ${name}: ${Math.abs(avg) > 1e-3 ? formatFixed(avg, 4) : formatExponential(avg, 4)}`;
    }
    const totalWidth = visibleLength(line);
    // On a terminal: back over the previous line, and blank what a longer previous line left.
    let message = this.dynamic ? '\b'.repeat(this.prevTotalWidth) + '\r' + line : line;
    if (this.dynamic && this.prevTotalWidth > totalWidth) message += ' '.repeat(this.prevTotalWidth - totalWidth);
    if (done) message += '\n';
    this.prevTotalWidth = this.dynamic ? totalWidth : 0;
    return message;
  }

  private summaryLine(current: number, now: number, timePerUnit: number): string {
    let line = `${this.counter(current)} - ${formatFixed(now - this.start, 0)}s -${formatStepTime(timePerUnit, this.unitName)}`;
    for (const [name, [sum, count]] of this.values) {
      const avg = sum / Math.max(1, count);
      // Keras tests `avg > 1e-3` here, without abs(): negative values print in exponent form.
      line += ` - ${name}: ${avg > 1e-3 ? formatFixed(avg, 4) : formatExponential(avg, 4)}`;
    }
    return `${line}\n`;
  }

  /** Seconds per step; the first step (compilation, warm-up) is left out once there are others. */
  private stepDuration(current: number, now: number): number {
    if (!current) return 0;
    const perUnit =
      this.timeAfterFirstStep !== undefined && current > 1 ? (now - this.timeAfterFirstStep) / (current - 1) : (now - this.start) / current;
    if (current === 1) this.timeAfterFirstStep = now;
    return perUnit;
  }
}

function formatEta(eta: number): string {
  if (eta > 3600) return `${formatInt(eta / 3600)}:${formatInt((eta % 3600) / 60).padStart(2, '0')}:${formatInt(eta % 60).padStart(2, '0')}`;
  if (eta > 60) return `${formatInt(eta / 60)}:${formatInt(eta % 60).padStart(2, '0')}`;
  return `${formatInt(eta)}s`;
}

function formatStepTime(seconds: number, unit: string): string {
  if (seconds >= 1 || seconds === 0) return ` ${formatFixed(seconds, 0)}s/${unit}`;
  if (seconds >= 1e-3) return ` ${formatFixed(seconds * 1000, 0)}ms/${unit}`;
  return ` ${formatFixed(seconds * 1e6, 0)}us/${unit}`;
}
