/** Output: progress on stderr; the tables and the setup on stdout, plain and in Markdown. */
import { cpus } from 'node:os';

import { LOG_LEVEL, POOL_SIZE } from './bench-gateway.js';
import type { FigureResult } from './measure.js';
import type { BenchOptions } from './options.js';

/** Above this run-to-run spread, or this share of the CPU taken by others, a run is noisy. */
export const NOISY_SPREAD = 0.08;
export const NOISY_FOREIGN_SHARE = 0.1;

const TABLE_HEADINGS = [
  'figure',
  'connections',
  'subject req/s',
  'baseline req/s',
  'ratio',
  'aim',
  'result',
];

export interface RunFacts {
  cacheMisses: number;
  /** One-minute load average when the bench started, before it put any load on. */
  loadBefore: number;
}

export function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

export function printReport(options: BenchOptions, results: FigureResult[], facts: RunFacts) {
  const rows = tableRows(results);
  const setup = describeSetup(options, results, facts);
  printTables(TABLE_HEADINGS, rows, setup);
}

/** The plain table and its setup lines, then the same in Markdown, on stdout. */
export function printTables(headings: string[], rows: string[][], setup: string[]): void {
  const bullets = setup.map((line) => `- ${line}`).join('\n');
  process.stdout.write(`\n${plainTable(headings, rows)}\n\n${setup.join('\n')}\n\n`);
  process.stdout.write(`${markdownTable(headings, rows)}\n\n${bullets}\n`);
}

function tableRows(results: FigureResult[]): string[][] {
  return results.map((result) => [
    result.name,
    result.connections.toString(),
    Math.round(result.subject).toString(),
    Math.round(result.baseline).toString(),
    // Truncated, not rounded: 0.597 must not print as 0.60 next to a miss of the 0.60 aim.
    (Math.floor(result.ratio * 100) / 100).toFixed(2),
    `>= ${result.aim.toFixed(2)}`,
    result.ratio >= result.aim ? 'pass' : 'miss',
  ]);
}

/** Columns padded to their widest cell, two spaces apart, for the terminal. */
export function plainTable(headings: string[], rows: string[][]): string {
  const all = [headings, ...rows];
  const widths = headings.map((_, column) =>
    Math.max(...all.map((row) => (row[column] ?? '').length)),
  );
  const format = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [format(headings), ...rows.map(format)].join('\n');
}

function markdownTable(headings: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rule = line(headings.map((_, column) => (column === 0 ? '---' : '---:')));
  return [line(headings), rule, ...rows.map(line)].join('\n');
}

function describeSetup(options: BenchOptions, results: FigureResult[], facts: RunFacts): string[] {
  const checked = results.reduce((total, result) => total + result.requestsChecked, 0);
  return [
    `machine: ${cpus().length} cores, node ${process.version}; load generator, gateway, ` +
      'slapd and the KDC share them',
    `load: autocannon in a child process, connections per figure as in the table, ` +
      `${options.durationSeconds} s per run, ${options.rounds} rounds alternating baseline and ` +
      `subject (median shown), ${options.warmupSeconds} s warm-up each`,
    `gateway: logging level '${LOG_LEVEL}' (sign-in info lines not written), ` +
      `pool.size ${POOL_SIZE}; bare baseline pools: ${POOL_SIZE} + ${POOL_SIZE} ldapts clients ` +
      `(Kerberos: ${POOL_SIZE} for the lookup)`,
    `checks: all ${checked} measured responses were 2xx; contact cache misses while ` +
      `measuring: ${facts.cacheMisses}`,
    describeNoise(results, facts),
  ];
}

function describeNoise(results: FigureResult[], facts: RunFacts): string {
  const spreads = results.map((result) => `${result.name} ${percent(result.spread)}`);
  const others = results.map((result) => `${result.name} ${percent(result.foreignShare)}`);
  const noisy = results.some(
    (result) => result.spread > NOISY_SPREAD || (result.foreignShare ?? 0) > NOISY_FOREIGN_SHARE,
  );
  return (
    `noise: load average ${facts.loadBefore.toFixed(2)} before start; CPU used by other ` +
    `processes while measuring: ${others.join(', ')}; run-to-run spread ` +
    `${spreads.join(', ')}` +
    (noisy ? ' - NOISY, something else is using the CPU: run again on a quiet machine' : '')
  );
}

export function percent(fraction: number | undefined): string {
  if (fraction === undefined) return 'unknown';
  return `${Math.round(fraction * 100)}%`;
}
