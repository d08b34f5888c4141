/**
 * Measures one figure: a warm-up run of each side, then baseline and subject alternately for
 * the given rounds; the figure is the median of each side and their ratio.
 */
import type { Figure } from './figures.js';
import type { ForeignCpu } from './foreign-cpu.js';
import { checkAll2xx, runLoad, type LoadResult } from './load.js';
import type { BenchOptions } from './options.js';
import { log } from './report.js';
import { median, spreadOf } from './stats.js';

export interface FigureResult {
  name: string;
  aim: number;
  connections: number;
  subject: number;
  baseline: number;
  ratio: number;
  requestsChecked: number;
  /** The larger of the two sides' spreads (see spreadOf): bursts of other load show here. */
  spread: number;
  /** Share of the machine's CPU that other processes used while measuring (see ForeignCpu). */
  foreignShare: number | undefined;
}

export async function measureFigure(
  figure: Figure,
  options: BenchOptions,
  foreignCpu: ForeignCpu,
): Promise<FigureResult> {
  await warmUp(figure, options.warmupSeconds);
  const subject: number[] = [];
  const baseline: number[] = [];
  let requestsChecked = 0;
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const [side, job, rates] of [
      ['baseline', figure.baseline, baseline],
      ['subject', figure.subject, subject],
    ] as const) {
      const result = await foreignCpu.during(() => runLoad(job));
      checkAll2xx(figure.name, `${side} round ${round}`, result);
      requestsChecked += result.requests;
      rates.push(result.requestsPerSecond);
      log(`${figure.name}: ${side} round ${round}: ${describeRun(result)}`);
    }
  }
  const subjectRate = median(subject);
  const baselineRate = median(baseline);
  return {
    name: figure.name,
    aim: figure.aim,
    connections: figure.subject.connections,
    subject: subjectRate,
    baseline: baselineRate,
    ratio: subjectRate / baselineRate,
    requestsChecked,
    spread: Math.max(spreadOf(subject), spreadOf(baseline)),
    foreignShare: foreignCpu.share,
  };
}

/** Gets the JIT going and fills both sides' pools; these runs are checked, not counted. */
async function warmUp(figure: Figure, seconds: number): Promise<void> {
  const warmup = { durationSeconds: seconds };
  log(`${figure.name}: warming up (${seconds} s each)`);
  checkAll2xx(figure.name, 'baseline warm-up', await runLoad({ ...figure.baseline, ...warmup }));
  checkAll2xx(figure.name, 'subject warm-up', await runLoad({ ...figure.subject, ...warmup }));
}

function describeRun(result: LoadResult): string {
  return (
    `${Math.round(result.requestsPerSecond)} req/s, ${result.requests} requests, ` +
    `p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms, ` +
    `${Math.round(result.bytesPerResponse)} B/response`
  );
}
