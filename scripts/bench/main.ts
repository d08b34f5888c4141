/**
 * One bench run: start the servers and the gateway, measure the figures asked for, print the
 * report, and stop everything it started, whatever happened. The imports figure brings its own
 * directories and gateways (./imports/).
 */
import { loadavg } from 'node:os';

import { startBenchGateway, type BenchGateway } from './bench-gateway.js';
import { countCacheMisses, defineFigures, methodsMeasured, prepareContacts } from './figures.js';
import { ForeignCpu } from './foreign-cpu.js';
import { measureImportFigures } from './imports/import-figures.js';
import { printImportReport } from './imports/import-report.js';
import { measureFigure, type FigureResult } from './measure.js';
import { FIGURE_IDS, measures, readOptions, type BenchOptions } from './options.js';
import { log, printReport } from './report.js';
import { startBenchServers } from './servers.js';

/** Runs the bench with the command line's options; exit status 1 on any failure. */
export async function runBenchFromCommandLine(): Promise<void> {
  try {
    await runBench(readOptions());
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

async function runBench(options: BenchOptions): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  const throughput = FIGURE_IDS.some((id) => id !== 'imports' && measures(options, id));
  if (throughput) await runThroughputFigures(options, loadBefore);
  if (measures(options, 'imports')) {
    printImportReport(await measureImportFigures(options), loadBefore);
  }
}

async function runThroughputFigures(options: BenchOptions, loadBefore: number): Promise<void> {
  const kdc = measures(options, 'kerberos');
  log(`starting slapd${kdc ? ', the KDC' : ''} and the gateway`);
  const servers = await startBenchServers({ kdc });
  try {
    const gateway = await startBenchGateway(servers, methodsMeasured(options));
    try {
      const { results, cacheMisses } = await measureAll(gateway, servers.pids, options);
      printReport(options, results, { cacheMisses, loadBefore });
    } finally {
      await gateway.stop();
    }
  } finally {
    await servers.stop();
  }
}

async function measureAll(
  gateway: BenchGateway,
  serverPids: number[],
  options: BenchOptions,
): Promise<{ results: FigureResult[]; cacheMisses: number }> {
  if (measures(options, 'contacts')) await prepareContacts(gateway);
  const missesBefore = await countCacheMisses(gateway.metrics);
  const results: FigureResult[] = [];
  for (const figure of defineFigures(gateway, options)) {
    results.push(await measureFigure(figure, options, new ForeignCpu(serverPids)));
  }
  const cacheMisses = (await countCacheMisses(gateway.metrics)) - missesBefore;
  return { results, cacheMisses };
}
