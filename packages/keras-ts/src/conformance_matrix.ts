/**
 * The text of `keras-ts conformance`: a matrix of case groups (rows) by backend (columns) with
 * `passed ✓ failed ✗ skipped` in each cell, then every failure with its message, the skip
 * reasons grouped (each with the backends and case ids it covers), and each backend's capabilities.
 */
import { TIERS, type ConformanceReport, type Tier } from '@keras-ts/conformance';

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(width - [...text].length, 0));

function cell(report: ConformanceReport, group: string): string {
  const row = report.groups.find((g) => g.group === group);
  return row ? `${row.passed} ✓ ${row.failed} ✗ ${row.skipped} skipped` : 'not run';
}

function matrix(reports: readonly ConformanceReport[], seconds: readonly number[]): string[] {
  const groups: string[] = [];
  for (const r of reports) for (const g of r.groups) if (!groups.includes(g.group)) groups.push(g.group);
  const total = (r: ConformanceReport) => {
    const sum = (k: 'passed' | 'failed' | 'skipped') => r.groups.reduce((n, g) => n + g[k], 0);
    return `${sum('passed')} ✓ ${sum('failed')} ✗ ${sum('skipped')} skipped`;
  };
  const rows: string[][] = [
    ['', ...reports.map((r) => r.backend)],
    ...groups.map((g) => [g, ...reports.map((r) => cell(r, g))]),
    ['total', ...reports.map(total)],
    ['time', ...seconds.map((s) => `${s.toFixed(1)} s`)],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => [...row[c]].length)) + 3);
  return rows.map((row) => row.map((text, c) => pad(text, widths[c])).join('').trimEnd());
}

function failures(reports: readonly ConformanceReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) for (const g of r.groups) for (const f of g.failures) lines.push(`  ${r.backend}  ${f.id}`, `      ${f.message}`);
  return lines.length === 0 ? ['Failures: none.'] : [`Failures (${lines.length / 2}):`, ...lines];
}

/** Ids after the reason, wrapped; a long list shows its first few and a count. */
function idList(ids: readonly string[]): string {
  const shown = ids.length > 12 ? [...ids.slice(0, 12), `and ${ids.length - 12} more`] : ids;
  return shown.join(', ');
}

function skips(reports: readonly ConformanceReport[]): string[] {
  const byReason = new Map<string, { backends: Set<string>; ids: Set<string> }>();
  for (const r of reports) {
    for (const g of r.groups) {
      for (const s of g.skips) {
        const entry = byReason.get(s.reason) ?? { backends: new Set<string>(), ids: new Set<string>() };
        entry.backends.add(r.backend);
        entry.ids.add(s.id);
        byReason.set(s.reason, entry);
      }
    }
  }
  if (byReason.size === 0) return ['Skipped: none.'];
  const entries = [...byReason.entries()].sort((a, b) => b[1].ids.size - a[1].ids.size || a[0].localeCompare(b[0]));
  return [
    `Skipped, by reason (${entries.length} reasons):`,
    ...entries.flatMap(([reason, { backends, ids }]) => [`  ${reason}`, `      ${ids.size} case${ids.size === 1 ? '' : 's'} on ${[...backends].join(', ')}: ${idList([...ids])}`]),
  ];
}

function capabilities(reports: readonly ConformanceReport[]): string[] {
  const lines = ['Capabilities:'];
  for (const r of reports) {
    const c = r.capabilities;
    if (!c) {
      lines.push(`  ${r.backend}: not available (the backend did not start)`);
      continue;
    }
    lines.push(`  ${r.backend}`, `    native:   ${c.native.join(', ')}`, `    composed: ${c.composed.join(', ') || '(none)'}`);
    if (c.missing.length > 0) lines.push(`    MISSING:  ${c.missing.join(', ')}`);
    for (const note of c.notes) lines.push(`    note: ${note}`);
  }
  return lines;
}

export function formatReports(reports: readonly ConformanceReport[], seconds: readonly number[], tiers: readonly Tier[] = TIERS): string {
  const header = `keras-ts conformance: ${reports.map((r) => r.backend).join(', ')}; tiers ${tiers.join(', ')} (every case also checks that the backend's live tensor count ends where it started)`;
  return [header, '', ...matrix(reports, seconds), '', ...failures(reports), '', ...skips(reports), '', ...capabilities(reports)].join('\n');
}
