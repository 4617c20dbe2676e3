/** What EarlyStopping and ReduceLROnPlateau share: reading the monitored value from the logs. */
import type { Logs } from './callback.js';

export type MonitorMode = 'auto' | 'min' | 'max';

export function checkMode(mode: string, who: string): MonitorMode {
  if (mode === 'auto' || mode === 'min' || mode === 'max') return mode;
  console.warn(`${who} mode ${mode} is unknown, fallback to auto mode.`);
  return 'auto';
}

/** The monitored value, or undefined with Keras's warning naming the keys there are. */
export function monitorValue(logs: Logs | undefined, monitor: string, what: string): number | undefined {
  const value = logs?.[monitor];
  if (value === undefined) {
    console.warn(`${what} conditioned on metric \`${monitor}\` which is not available. Available metrics are: ${Object.keys(logs ?? {}).join(',')}`);
  }
  return value;
}
