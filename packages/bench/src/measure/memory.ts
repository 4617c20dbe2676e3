/**
 * Peak memory of a cell: process RSS and V8 heap, sampled every 50 ms by a timer while the cell
 * runs and once after each of its runs. Training loops give the event loop a turn between batches
 * (keras-ts's fit every ~25 ms, tfjs-layers's fit every batch), so the timer sees the loop's
 * working set; RSS is the whole process's, the models of the other cells included.
 */
export interface PeakMemory {
  /** Peak resident set size of the process, MB. */
  rssMB: number;
  /** Peak V8 heap in use, MB. */
  heapMB: number;
}

const MB = 1024 * 1024;

export class PeakMemorySampler {
  private peak: PeakMemory = { rssMB: 0, heapMB: 0 };
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly read: () => { rss: number; heapUsed: number } = () => process.memoryUsage()) {}

  start(intervalMs = 50): void {
    this.sample();
    this.timer ??= setInterval(() => this.sample(), intervalMs);
    // A sampler must never keep the process alive on its own.
    this.timer.unref?.();
  }

  sample(): void {
    const { rss, heapUsed } = this.read();
    this.peak = { rssMB: Math.max(this.peak.rssMB, rss / MB), heapMB: Math.max(this.peak.heapMB, heapUsed / MB) };
  }

  stop(): PeakMemory {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return { ...this.peak };
  }

  get current(): PeakMemory {
    return { ...this.peak };
  }
}
