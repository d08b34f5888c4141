/**
 * Lookups through HTTP against the trivial route of the same server, under the same load: a
 * warm-up run of each side, then baseline and subject in turn for some rounds; each side's
 * figure is the median of its rounds.
 */
import { lookupPath } from './answers.js';
import { BASELINE_LOOKUP_PATH, type RecordedAnswer } from './baseline-route.js';
import { authorization } from './bench-gateway.js';
import type { CpuProfiler } from './cpu-profile.js';
import { readChildrenCpuSeconds, type ForeignCpu } from '../foreign-cpu.js';
import { checkStatuses, runLoad, type LoadJob, type LoadResult } from './load.js';
import type { Lookup } from './lookup-mix.js';
import type { LookupBenchOptions } from './options.js';
import { log } from './report.js';
import { median, spreadOf } from '../stats.js';

export interface HttpFigure {
  subject: number;
  baseline: number;
  ratio: number;
  /** Responses whose status was checked in the measured runs (warm-ups not counted). */
  checked: number;
  /** The larger of the two sides' run-to-run spreads. */
  spread: number;
  subjectBytes: number;
  baselineBytes: number;
  /**
   * CPU time per request in the measured runs: this process (the gateway, all its threads) and
   * the load generator. It moves less than the rates when others use the machine.
   */
  cpuPerRequest: Record<Side, { gatewaySeconds: number; generatorSeconds: number | undefined }>;
}

/** A measured run with the CPU time each process spent on it. */
interface MeasuredRun {
  result: LoadResult;
  gatewaySeconds: number;
  generatorSeconds: number | undefined;
}

export type Side = 'baseline' | 'subject';

export async function measureHttp(
  url: string,
  lookups: Lookup[],
  answers: Map<string, RecordedAnswer>,
  options: LookupBenchOptions,
  foreignCpu: ForeignCpu,
  profiler: CpuProfiler | undefined,
): Promise<HttpFigure> {
  const jobs = jobsOf(url, lookups, answers, options);
  for (const side of ['baseline', 'subject'] as const) {
    const warmUp = { ...jobs[side], durationSeconds: options.warmupSeconds };
    log(`http: warming up the ${side} (${options.warmupSeconds} s)`);
    checkStatuses(`${side} warm-up`, await runLoad(warmUp));
  }
  const runs: Record<Side, MeasuredRun[]> = { baseline: [], subject: [] };
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const side of ['baseline', 'subject'] as const) {
      const run = () => measureRun(jobs[side], foreignCpu);
      const measured = await (profiler ? profiler.during(`${side}-${round}`, run) : run());
      checkStatuses(`${side} round ${round}`, measured.result);
      runs[side].push(measured);
      log(`http: ${side} round ${round}: ${describe(measured)}`);
    }
  }
  const rates = (side: Side) => runs[side].map(({ result }) => result.requestsPerSecond);
  const bytes = (side: Side) => median(runs[side].map(({ result }) => result.bytesPerResponse));
  const all = [...runs.baseline, ...runs.subject];
  return {
    subject: median(rates('subject')),
    baseline: median(rates('baseline')),
    ratio: median(rates('subject')) / median(rates('baseline')),
    checked: all.reduce((total, { result }) => total + result.checked, 0),
    spread: Math.max(spreadOf(rates('subject')), spreadOf(rates('baseline'))),
    subjectBytes: bytes('subject'),
    baselineBytes: bytes('baseline'),
    cpuPerRequest: { subject: cpuPerRequest(runs.subject), baseline: cpuPerRequest(runs.baseline) },
  };
}

async function measureRun(job: LoadJob, foreignCpu: ForeignCpu): Promise<MeasuredRun> {
  const gatewayBefore = process.cpuUsage();
  const generatorBefore = readChildrenCpuSeconds();
  const result = await foreignCpu.during(() => runLoad(job));
  const { user, system } = process.cpuUsage(gatewayBefore);
  const generatorAfter = readChildrenCpuSeconds();
  const generatorSeconds =
    generatorBefore === undefined || generatorAfter === undefined
      ? undefined
      : generatorAfter - generatorBefore;
  return { result, gatewaySeconds: (user + system) / 1e6, generatorSeconds };
}

function cpuPerRequest(runs: MeasuredRun[]) {
  const requests = runs.reduce((total, { result }) => total + result.requests, 0);
  const sum = (seconds: (run: MeasuredRun) => number | undefined) =>
    runs.reduce<number | undefined>((total, run) => {
      const value = seconds(run);
      return total === undefined || value === undefined ? undefined : total + value;
    }, 0);
  const generator = sum((run) => run.generatorSeconds);
  return {
    gatewaySeconds: sum((run) => run.gatewaySeconds)! / requests,
    generatorSeconds: generator === undefined ? undefined : generator / requests,
  };
}

/** Both sides send the same numbers in the same order with the same headers, token included. */
function jobsOf(
  url: string,
  lookups: Lookup[],
  answers: Map<string, RecordedAnswer>,
  options: LookupBenchOptions,
): Record<Side, LoadJob> {
  const statuses = lookups.map((lookup) => answers.get(lookup.number)?.status ?? 0);
  const job = (paths: string[]): LoadJob => ({
    origin: url,
    paths,
    statuses,
    headers: authorization(),
    connections: options.connections,
    durationSeconds: options.durationSeconds,
  });
  const query = (lookup: Lookup) => `?number=${encodeURIComponent(lookup.number)}`;
  return {
    subject: job(lookups.map((lookup) => lookupPath(lookup.number))),
    baseline: job(lookups.map((lookup) => BASELINE_LOOKUP_PATH + query(lookup))),
  };
}

function describe({ result, gatewaySeconds }: MeasuredRun): string {
  const cpu = Math.round((gatewaySeconds / result.requests) * 1e6);
  return (
    `${Math.round(result.requestsPerSecond)} req/s, ${result.requests} requests, ` +
    `p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms, ` +
    `${Math.round(result.bytesPerResponse)} B/response, gateway CPU ${cpu} µs/request`
  );
}
