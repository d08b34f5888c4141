/** The imports figure's table: each row a measured value against an upper aim. */
import { cpus } from 'node:os';

import { LOG_LEVEL } from '../bench-gateway.js';
import { signInBodies } from '../figures.js';
import { NOISY_FOREIGN_SHARE, NOISY_SPREAD, percent, printTables } from '../report.js';
import { median, spreadOf } from '../stats.js';
import { describePhases } from './import-client.js';
import type { ImportFigures } from './import-figures.js';
import { SIGN_IN_LOAD } from './sign-in-latency.js';

/** Aims: each figure must stay at or below its value (peak RSS strictly below). */
export const AIMS = {
  wallTimeRatio: 1.5,
  peakRssBytes: 250e6,
  peakRssRatio: 1.5,
  signInP99Ratio: 2,
};

const HEADINGS = ['figure', 'subject', 'baseline', 'ratio', 'aim', 'result'];

export function printImportReport(figures: ImportFigures, loadBefore: number): void {
  printTables(HEADINGS, importRows(figures), describeImportSetup(figures, loadBefore));
}

/** Wall times in seconds: of the timed imports, the bare dumps and the ldapsearch runs. */
function wallTimes(figures: ImportFigures) {
  return {
    imports: figures.largeImports.map((run) => run.outcome.wallSeconds),
    dumps: figures.bareDumps.map((dump) => dump.seconds),
    ldapsearches: figures.ldapsearchSeconds,
  };
}

function importRows(figures: ImportFigures): string[][] {
  const { peakRss, idle, duringImport } = figures;
  const times = wallTimes(figures);
  const entries = count(processedOf(figures));
  const wall = median(times.imports);
  const bare = median(times.dumps);
  const ldapsearch = median(times.ldapsearches);
  const smallEntries = count(figures.smallImport.record.processed);
  return [
    ratioRow(`import of ${entries} entries: wall time vs bare ldapts dump`, {
      subject: wall,
      baseline: bare,
      unit: seconds,
      aim: AIMS.wallTimeRatio,
    }),
    ratioRow('import wall time vs ldapsearch (for the record)', {
      subject: wall,
      baseline: ldapsearch,
      unit: seconds,
    }),
    [
      `gateway peak RSS, import of ${entries}`,
      megabytes(peakRss.large),
      '-',
      '-',
      `< ${megabytes(AIMS.peakRssBytes)}`,
      peakRss.large < AIMS.peakRssBytes ? 'pass' : 'miss',
    ],
    ratioRow(`peak RSS, ${entries} vs ${smallEntries} entries`, {
      subject: peakRss.large,
      baseline: peakRss.small,
      unit: megabytes,
      aim: AIMS.peakRssRatio,
    }),
    ratioRow('sign-in p99 during the import vs idle', {
      subject: duringImport.p99Ms,
      baseline: idle.p99Ms,
      unit: milliseconds,
      aim: AIMS.signInP99Ratio,
    }),
  ];
}

/** A row whose ratio must stay at or below `aim`; without an aim it is only shown. */
function ratioRow(
  name: string,
  values: { subject: number; baseline: number; unit: (value: number) => string; aim?: number },
): string[] {
  const { subject, baseline, unit, aim } = values;
  const ratio = subject / baseline;
  return [
    name,
    unit(subject),
    unit(baseline),
    // Rounded up: 1.503 must not print as 1.50 next to a miss of the 1.50 aim.
    (Math.ceil(ratio * 100) / 100).toFixed(2),
    aim === undefined ? 'none' : `<= ${aim.toFixed(2)}`,
    aim === undefined ? '-' : ratio <= aim ? 'pass' : 'miss',
  ];
}

function describeImportSetup(figures: ImportFigures, loadBefore: number): string[] {
  const { large, small, search, importSettings, bareDumps, peakRss } = figures;
  const { idle, duringImport, loadedImport } = figures;
  const processed = processedOf(figures);
  const times = wallTimes(figures);
  const first = figures.largeImports[0]?.outcome;
  return [
    `machine: ${cpus().length} cores, node ${process.version}; the gateway, slapd, the ` +
      'baselines and the load generator share them',
    `directories: slapd with ${count(processed)} people (${count(large.bulkUsers)} generated ` +
      `users and the fixture's), loaded and started in ${large.loadSeconds.toFixed(1)} s; a ` +
      `second with ${count(figures.smallImport.record.processed)} in ` +
      `${small.loadSeconds.toFixed(1)} s`,
    `search: base ${search.base}, filter ${search.filter}, pages of ${search.pageSize}, ` +
      `attributes ${search.attributes.join(' ')}`,
    `gateway: a fresh \`node dist/core/main.js\` for each import, SQLite store in a file, ` +
      `imports.batchSize ${importSettings.batchSize}, logging '${LOG_LEVEL}'; timed imports ` +
      `${times.imports.map(seconds).join(', ')}` +
      (first ? ` (the first: ${describePhases(first)})` : ''),
    `baselines, each in a fresh process, before, between and after the timed imports: bare ` +
      `ldapts dump ${times.dumps.map(seconds).join(', ')} (peak RSS ` +
      `${megabytes(Math.max(...bareDumps.map((dump) => dump.peakRssBytes)))}), ldapsearch ` +
      `${times.ldapsearches.map(seconds).join(', ')}; the table shows medians`,
    `peak RSS (VmHWM): ${megabytes(peakRss.large)} importing ${count(processed)} (the ` +
      `higher of the timed imports'), ` +
      `${megabytes(peakRss.small)} importing ${count(figures.smallImport.record.processed)}, ` +
      `${megabytes(peakRss.underLoad)} importing ${count(processed)} under sign-in load; RSS ` +
      `before each timed import (1 s after /readyz, idle, import threads loaded): ` +
      `${figures.largeImports.map((run) => megabytes(run.idleRssBytes)).join(', ')}`,
    `sign-in load: autocannon in a child process, ${SIGN_IN_LOAD.connections} connections, ` +
      `${SIGN_IN_LOAD.overallRate} req/s, ${signInBodies().length} bulk users in turn, 2 s ` +
      `warm-up; idle ${describeWindow(idle)}; during the import ${describeWindow(duringImport)} ` +
      `(that import took ${seconds(loadedImport.wallSeconds)})`,
    `checks: every import succeeded; the imports and the bare dumps read ${count(processed)} ` +
      'entries each; every sign-in was 2xx',
    describeImportNoise(figures.foreignShare, times, loadBefore),
  ];
}

function processedOf(figures: ImportFigures): number {
  return figures.largeImports[0]?.outcome.record.processed ?? 0;
}

function describeWindow(window: { seconds: number; responses: number; p50Ms: number }): string {
  return (
    `${window.seconds.toFixed(1)} s, ${window.responses} sign-ins, ` +
    `p50 ${milliseconds(window.p50Ms)}`
  );
}

function describeImportNoise(
  foreignShare: number | undefined,
  times: ReturnType<typeof wallTimes>,
  loadBefore: number,
): string {
  const spreads = { imports: spreadOf(times.imports), dumps: spreadOf(times.dumps) };
  const noisy =
    (foreignShare ?? 0) > NOISY_FOREIGN_SHARE ||
    Math.max(spreads.imports, spreads.dumps) > NOISY_SPREAD;
  return (
    `noise: load average ${loadBefore.toFixed(2)} before start; CPU used by other processes ` +
    `while measuring: ${percent(foreignShare)}; run-to-run spread: timed imports ` +
    `${percent(spreads.imports)}, bare dumps ${percent(spreads.dumps)}` +
    (noisy ? ' - NOISY, something else is using the CPU: run again on a quiet machine' : '')
  );
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function seconds(value: number): string {
  return `${value.toFixed(2)} s`;
}

function milliseconds(value: number): string {
  return `${value.toFixed(1)} ms`;
}

/** Megabytes of 10^6 bytes, the unit the aim is written in. */
function megabytes(value: number): string {
  return `${Math.round(value / 1e6)} MB`;
}
