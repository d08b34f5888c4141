/**
 * One run: generate and load the directory, start the gateway, import, measure in process and
 * through HTTP, print the report, and stop everything it started, whatever happened.
 */
import { loadavg } from 'node:os';

import { recordAnswers } from './answers.js';
import { startLookupGateway, type LookupGateway } from './bench-gateway.js';
import { describeCodeVersion } from './code-version.js';
import { CpuProfiler } from './cpu-profile.js';
import { startDirectory, type LoadedDirectory } from './directory.js';
import { ForeignCpu } from '../foreign-cpu.js';
import { measureHttp } from './http-figure.js';
import { runImport } from './import-client.js';
import { measureIndexBuild, measureLatency } from './in-process.js';
import { LookupMaker } from './lookup-mix.js';
import { readOptions, type LookupBenchOptions } from './options.js';
import { log, printReport, type LookupBenchResult } from './report.js';

/** Seeds the lookups and their order; the directory has its own (directory.ts). */
const SEED = 4155550100;
/** In-process calls to get the JIT going, on numbers of their own. */
const WARM_UP_NUMBERS = 2000;
const WARM_UP_CALLS = 10_000;

/** Runs the bench with the command line's options; exit status 1 on any failure. */
export async function runLookupBenchFromCommandLine(): Promise<void> {
  try {
    await runLookupBench(readOptions());
  } catch (error) {
    process.stderr.write(`${describeError(error)}\n`);
    process.exitCode = 1;
  }
}

async function runLookupBench(options: LookupBenchOptions): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  // Read before the long run: the build that precedes it compiled this state of the tree.
  const codeVersion = describeCodeVersion();
  const directory = await startDirectory(options.people);
  try {
    const gateway = await startLookupGateway(directory.slapd);
    let profiler: CpuProfiler | undefined;
    try {
      if (options.cpuProfileDir) profiler = await CpuProfiler.open(options.cpuProfileDir);
      const result = await measure(options, directory, gateway, profiler, loadBefore);
      printReport({ ...result, codeVersion });
    } finally {
      profiler?.close();
      await gateway.stop();
    }
  } finally {
    await directory.stop();
  }
}

async function measure(
  options: LookupBenchOptions,
  directory: LoadedDirectory,
  gateway: LookupGateway,
  profiler: CpuProfiler | undefined,
  loadBefore: number,
): Promise<Omit<LookupBenchResult, 'codeVersion'>> {
  log('importing the directory through the API');
  const imported = await runImport(gateway.url);
  log(`import succeeded in ${imported.seconds.toFixed(1)} s: ${imported.added} contacts`);

  const maker = new LookupMaker(directory.directory, SEED);
  const lookups = maker.make(options.numbers);
  const callLookups = maker.make(options.callNumbers);
  const warmUpLookups = maker.make(WARM_UP_NUMBERS);

  const index = await measureIndexBuild(gateway.lookup, warmUpLookups[0]!);
  log(`index built in ${index.buildMs.toFixed(0)} ms`);
  await measureLatency(gateway.lookup, warmUpLookups, WARM_UP_CALLS, SEED);
  const callsCpu = new ForeignCpu([directory.slapd.pid]);
  const timeCalls = () =>
    callsCpu.during(() => measureLatency(gateway.lookup, callLookups, options.calls, SEED));
  const latency = await (profiler ? profiler.during('in-process', timeCalls) : timeCalls());
  log(`in process: p50 ${latency.p50Ms.toFixed(3)} ms, p99 ${latency.p99Ms.toFixed(3)} ms`);

  log(`recording and checking the answers to ${lookups.length} numbers`);
  for (const [number, answer] of await recordAnswers(gateway.url, lookups)) {
    gateway.answers.set(number, answer);
  }
  const httpCpu = new ForeignCpu([directory.slapd.pid]);
  const http = await measureHttp(gateway.url, lookups, gateway.answers, options, httpCpu, profiler);
  const foreignShare = { http: httpCpu.share, inProcess: callsCpu.share };
  return { options, directory, imported, index, latency, http, lookups, loadBefore, foreignShare };
}

/** The message, and its causes' (fetch says only "fetch failed", its cause says why). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause === undefined ? '' : ` (cause: ${describeError(error.cause)})`;
  return error.message + cause;
}
