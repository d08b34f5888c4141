/** Output: progress on stderr; the table and the setup on stdout, plain and in Markdown. */
import { cpus } from 'node:os';

import type { HttpFigure } from './http-figure.js';
import type { ImportRun } from './import-client.js';
import type { IndexCost, InProcessLatency } from './in-process.js';
import type { LoadedDirectory } from './directory.js';
import { plainTable } from '../report.js';
import { MIX, type Category, type Lookup } from './lookup-mix.js';
import type { LookupBenchOptions } from './options.js';

export const RATIO_AIM = 0.6;
export const P99_AIM_MS = 1;
/** Above this run-to-run spread, or this share of the CPU taken by others, a run is noisy. */
const NOISY_SPREAD = 0.08;
const NOISY_FOREIGN_SHARE = 0.1;

const HEADINGS = ['figure', 'measured', 'aim', 'result'];

export interface LookupBenchResult {
  options: LookupBenchOptions;
  directory: LoadedDirectory;
  imported: ImportRun;
  index: IndexCost;
  latency: InProcessLatency;
  http: HttpFigure;
  /** The numbers of the HTTP load. */
  lookups: Lookup[];
  /** One-minute load average before the bench put any load on. */
  loadBefore: number;
  /** Other processes' share of the CPU while measuring each figure; undefined without /proc. */
  foreignShare: { http: number | undefined; inProcess: number | undefined };
  /** See describeCodeVersion. */
  codeVersion: string;
}

export function log(message: string): void {
  process.stderr.write(`bench:lookup: ${message}\n`);
}

export function printReport(result: LookupBenchResult): void {
  const rows = tableRows(result);
  const setup = describeSetup(result);
  const bullets = setup.map((line) => `- ${line}`).join('\n');
  process.stdout.write(`\n${plainTable(HEADINGS, rows)}\n\n${setup.join('\n')}\n\n`);
  process.stdout.write(`${markdownTable(rows)}\n\n${bullets}\n`);
}

function tableRows({ http, latency, index, directory, imported }: LookupBenchResult): string[][] {
  const record = (figure: string, measured: string) => [figure, measured, '-', 'record'];
  return [
    [
      'lookups through HTTP, ratio to the trivial route',
      // Truncated, not rounded: 0.597 must not print as 0.60 next to a miss of 0.60.
      `${(Math.floor(http.ratio * 100) / 100).toFixed(2)} ` +
        `(${Math.round(http.subject)} vs ${Math.round(http.baseline)} req/s)`,
      `>= ${RATIO_AIM.toFixed(2)}`,
      http.ratio >= RATIO_AIM ? 'pass' : 'miss',
    ],
    [
      'lookup p99 in process',
      `${ms(latency.p99Ms)} (p50 ${ms(latency.p50Ms)}, max ${ms(latency.maxMs)})`,
      `< ${P99_AIM_MS} ms`,
      latency.p99Ms < P99_AIM_MS ? 'pass' : 'miss',
    ],
    record('gateway CPU per request, lookup vs trivial route', describeCpu(http)),
    record('index build, once per applied import', ms(index.buildMs)),
    record('heap growth for the index', megabytes(index.heapGrowthBytes)),
    record('RSS growth for the index', megabytes(index.rssGrowthBytes)),
    record('slapd start with the people (slapadd)', `${directory.loadSeconds.toFixed(1)} s`),
    record('import through the API', `${imported.seconds.toFixed(1)} s`),
  ];
}

/** This process's CPU time per request on each side, and the load generator's in brackets. */
function describeCpu({ cpuPerRequest: { subject, baseline } }: HttpFigure): string {
  const us = (seconds: number | undefined) =>
    seconds === undefined ? '?' : `${Math.round(seconds * 1e6)} µs`;
  return (
    `${us(subject.gatewaySeconds)} vs ${us(baseline.gatewaySeconds)} ` +
    `(load generator ${us(subject.generatorSeconds)} vs ${us(baseline.generatorSeconds)})`
  );
}

function describeSetup(result: LookupBenchResult): string[] {
  const { options, directory, imported, http, latency, index, lookups } = result;
  const phones = directory.directory.phoneCount;
  const missing = lookups.filter((lookup) => lookup.expect.status === 404).length;
  return [
    `machine: ${cpus().length} cores, node ${process.version}; the gateway (in this process), ` +
      'slapd and the load generator share them',
    `code: ${result.codeVersion}`,
    `directory: ${options.people} generated people with ${phones} numbers (US, UK, German and ` +
      `French, in many styles; extensions, internal numbers, mobiles, shared lines), LDIF ` +
      `written in ${directory.generateSeconds.toFixed(1)} s (${megabytes(directory.ldifBytes)}); ` +
      `imported ${imported.added} contacts (${imported.skipped} skipped), defaultCountry US`,
    `HTTP load: autocannon in a child process, ${options.connections} connections, ` +
      `${options.durationSeconds} s per run, ${options.rounds} rounds alternating baseline and ` +
      `subject (median shown), ${options.warmupSeconds} s warm-up each; ` +
      `${lookups.length} distinct numbers in turn (${describeMix(lookups)}), ` +
      `${percent(missing / lookups.length)} of them unknown (404)`,
    "baseline: a route on the same server, outside /v1 like the project's other baselines, " +
      "sending the gateway's recorded answer for the number (same status, type and body); " +
      `both sides get the same numbers and token. Bytes per response: subject ` +
      `${Math.round(http.subjectBytes)}, baseline ${Math.round(http.baselineBytes)}`,
    `in process: CallerLookup.find awaited one call at a time, ${latency.calls} calls over ` +
      `${latency.distinct} distinct numbers of the same mix in random order, after a warm-up; ` +
      `index built from ${imported.added} contacts` +
      (index.collected ? '' : ' (no forced GC: memory growths include garbage)'),
    `checks: all ${http.checked} measured responses had their expected status; every ` +
      "number's answer (match kind and contacts) was checked against the generated directory",
    describeNoise(result),
  ];
}

function describeMix(lookups: Lookup[]): string {
  const counts = new Map<Category, number>();
  for (const lookup of lookups) counts.set(lookup.category, (counts.get(lookup.category) ?? 0) + 1);
  return MIX.map(([category]) => `${category} ${counts.get(category) ?? 0}`).join(', ');
}

function describeNoise({ http, loadBefore, foreignShare }: LookupBenchResult): string {
  const shares = [foreignShare.http, foreignShare.inProcess];
  const noisy =
    http.spread > NOISY_SPREAD || shares.some((share) => (share ?? 0) > NOISY_FOREIGN_SHARE);
  const [httpShare, callsShare] = shares.map((share) =>
    share === undefined ? 'unknown' : percent(share),
  );
  return (
    `noise: load average ${loadBefore.toFixed(2)} before start; CPU used by other processes ` +
    `while measuring HTTP ${httpShare}, in process ${callsShare}; HTTP run-to-run spread ` +
    `${percent(http.spread)}` +
    (noisy ? ' - NOISY: something else used the CPU, run again on a quiet machine' : '')
  );
}

function markdownTable(rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(HEADINGS), line(['---', '---:', '---:', '---']), ...rows.map(line)].join('\n');
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(3) : value.toFixed(0)} ms`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
