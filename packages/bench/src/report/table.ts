/** The text report: one table a workload, then dispatch, matmul and the targets. */
import type { CellResult } from '../measure/interleave.js';
import { MATMUL_FLOPS } from '../measure/matmul.js';
import { median } from '../measure/statistics.js';
import { isPeer } from './ratios.js';
import type { BenchResults, TargetResult, WorkloadResult } from './results.js';

/** Left-aligned first column, right-aligned others, two spaces apart. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '-';
  return ratio >= 0.1 ? `${ratio.toFixed(2)}x` : `${ratio.toFixed(4)}x`;
}

/** The median epoch time of a cell over its rounds; undefined when no round ran. */
export function medianEpochMs(cell: CellResult): number | undefined {
  const times = cell.epochMs.filter((t): t is number => t !== undefined);
  return times.length === 0 ? undefined : median(times);
}

function timeCell(cell: CellResult): string {
  const ms = medianEpochMs(cell);
  if (ms === undefined) return 'failed';
  return cell.plan?.scaled ? `${formatMs(ms)}*` : formatMs(ms);
}

export function workloadTable(result: WorkloadResult): string[] {
  const peers = result.cells.filter(isPeer).map((c) => c.id);
  const unit = result.task === 'train' ? 'ms/epoch' : 'ms/pass';
  const header = ['cell', unit, ...peers.map((p) => `vs ${p}`), 'peak RSS MB', 'peak heap MB', 'last loss'];
  const rows = result.cells.filter((cell) => cell.framework !== 'numpy').map((cell) => [
    cell.id,
    timeCell(cell),
    ...peers.map((p) => (cell.framework === 'keras-ts' ? formatRatio(result.ratios[cell.id]?.[p]) : '')),
    cell.memory.rssMB.toFixed(0),
    cell.memory.heapMB.toFixed(0),
    cell.lastLoss === undefined ? '' : cell.lastLoss.toPrecision(4),
  ]);
  const lines = [`${result.title}: median of ${result.rounds} interleaved round(s)`, ...formatTable(header, rows).map((l) => `  ${l}`)];
  const repeated = result.cells.filter((c) => (c.plan?.repeats ?? 1) > 1);
  if (repeated.length > 0) lines.push(`  runs a round (median counts): ${repeated.map((c) => `${c.id} ${c.plan?.repeats}`).join(', ')}`);
  for (const cell of result.cells.filter((c) => c.framework === 'numpy')) {
    const ms = medianEpochMs(cell);
    if (ms !== undefined) lines.push(`  ${cell.id}, measured in every round next to the cells: ${formatMs(ms)} ms = ${(MATMUL_FLOPS / (ms / 1000) / 1e9).toFixed(1)} GFLOP/s (median)`);
  }
  for (const cell of result.cells) {
    if (cell.plan?.scaled) lines.push(`  * ${cell.id}: ${cell.plan.steps} of ${result.stepsPerEpoch} steps timed after warm-up, scaled to an epoch (probe step ${formatMs(cell.probeStepMs)} ms)`);
    if (cell.note !== undefined) lines.push(`  note ${cell.id}: ${cell.note}`);
    if (cell.error !== undefined) lines.push(`  FAILED ${cell.id}: ${cell.error}`);
  }
  return lines;
}

export function targetLines(targets: readonly TargetResult[]): string[] {
  return targets.map((t) => `${t.status.padEnd(4)}  ${t.target}: ${t.measured}`);
}

export function formatReport(results: BenchResults): string {
  const lines: string[] = [
    `keras-ts bench (${results.mode}) on ${results.machine.cpus} cores, Node ${results.machine.node}, ${results.startedAt}`,
    'Ratios are keras-ts time / peer time, the median of per-round ratios (pairs run interleaved); below 1 is faster.',
    results.cellsInProcess
      ? 'Every cell ran in this one process (--in-process); peak RSS is the whole process\'s.'
      : 'Each cell ran in a process of its own (one at a time); peak RSS and heap are that process\'s.',
    '',
  ];
  for (const workload of results.workloads) lines.push(...workloadTable(workload), '');

  if (results.dispatch.length > 0) {
    lines.push('Per-op dispatch cost ([1] + [1] add and free, microseconds an op)');
    const rows = results.dispatch.map((d) => [d.who, d.microsPerOp === undefined ? `failed: ${d.error}` : d.microsPerOp.toFixed(2)]);
    if (results.numpy?.dispatchMicros !== undefined) rows.push([`numpy ${results.numpy.version} (np.add)`, results.numpy.dispatchMicros.toFixed(2)]);
    lines.push(...formatTable(['who', 'us/op'], rows).map((l) => `  ${l}`), '');
  }
  if (results.matmul.length > 0) {
    lines.push('Matmul 1024x1024 x 1024x1024 float32 (2 * 1024^3 FLOPs, best run)');
    const rows = results.matmul.map((m) => [m.who, m.gflops === undefined ? `failed: ${m.error}` : m.gflops.toFixed(1)]);
    if (results.numpy?.matmulGflops !== undefined) rows.push([`numpy ${results.numpy.version}`, results.numpy.matmulGflops.toFixed(1)]);
    lines.push(...formatTable(['who', 'GFLOP/s'], rows).map((l) => `  ${l}`), '');
  }
  if (results.numpy?.note !== undefined) lines.push(results.numpy.note, '');
  lines.push(`MLP training FLOPs an epoch: ${results.mlpFlops.formula} = ${(results.mlpFlops.perEpoch / 1e9).toFixed(2)} GFLOP`, '');
  lines.push('Targets', ...targetLines(results.targets), '', `Total ${results.seconds.toFixed(0)} s.`);
  return lines.join('\n');
}
