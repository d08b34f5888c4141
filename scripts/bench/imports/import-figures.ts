/**
 * Measures the imports figure, every part in a fresh process: the bare baselines, timed imports
 * of the large directory, one of the small directory, and sign-in latency at idle and during
 * one more import. The baselines run before, between and after the timed imports, so that a
 * slow spell of the machine shows as spread, and medians shrug off one disturbed run.
 */
import { parseSettings } from '../../../config/load.js';
import type { ImportSettings } from '../../../config/types.js';
import type { SlapdHandle } from '../../../test/support/slapd.js';
import { ForeignCpu } from '../foreign-cpu.js';
import type { BenchOptions } from '../options.js';
import { log } from '../report.js';
import { runBareDump, runLdapsearch, type DumpResult } from './baselines.js';
import { startImportDirectories, type LoadedDirectory } from './directories.js';
import { GatewayProcess, IMPORT_ORGANIZATION, importGatewayDocument } from './gateway-process.js';
import { importToEnd, type ImportOutcome } from './import-client.js';
import { importSearchOf, type ImportSearch } from './import-search.js';
import { checkSameSearch } from './search-check.js';
import {
  measureDuringImport,
  measureIdle,
  warmUpSignIns,
  type LatencyWindow,
} from './sign-in-latency.js';

export interface ImportFigures {
  large: LoadedDirectory;
  small: LoadedDirectory;
  search: ImportSearch;
  importSettings: ImportSettings;
  /**
   * The large directory's imports, nothing else running, each with its gateway's peak RSS and
   * its RSS just before the import (idle, its import threads loaded).
   */
  largeImports: Array<{ outcome: ImportOutcome; peakRssBytes: number; idleRssBytes: number }>;
  smallImport: ImportOutcome;
  bareDumps: DumpResult[];
  ldapsearchSeconds: number[];
  /** Peak RSS in bytes: the highest of the timed large imports, the small one, the loaded one. */
  peakRss: { large: number; small: number; underLoad: number };
  idle: LatencyWindow;
  duringImport: LatencyWindow;
  loadedImport: ImportOutcome;
  /** Share of the CPU other processes took while measuring (see ForeignCpu). */
  foreignShare: number | undefined;
}

/**
 * A gateway in service has been up longer than this when an import comes, and has the import's
 * threads loaded (see core/imports/import-threads.ts); a gateway that answered /readyz a moment
 * ago may still be loading them.
 */
const SETTLE_MS = 1000;

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/** Timed imports of the large directory; one baseline round runs before each and after all. */
const TIMED_IMPORTS = 2;
/** The idle window lasts as long as the first timed import did, within these bounds. */
const IDLE_WINDOW_SECONDS = { min: 5, max: 60 };

export async function measureImportFigures(options: BenchOptions): Promise<ImportFigures> {
  const directories = await startImportDirectories(options.importEntries);
  const nodeArgs = options.cpuProfileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]
    : [];
  try {
    return await measureAll(directories.large, directories.small, nodeArgs);
  } finally {
    await directories.stop();
  }
}

/** `nodeArgs`: Node options for the gateway processes (a CPU profile, say). */
async function measureAll(
  large: LoadedDirectory,
  small: LoadedDirectory,
  nodeArgs: string[],
): Promise<ImportFigures> {
  const foreignCpu = new ForeignCpu([large.slapd.pid, small.slapd.pid]);
  const settings = settingsFor(large.slapd);
  const search = await importSearchOf(settings, IMPORT_ORGANIZATION);
  const smallSearch = await importSearchOf(settingsFor(small.slapd), IMPORT_ORGANIZATION);
  await checkSameSearch(small.slapd, smallSearch, nodeArgs);

  const { baselines, largeImports } = await measureWallTimes(
    large.slapd,
    search,
    nodeArgs,
    foreignCpu,
  );
  const smallImport = await importInFreshGateway(small.slapd, nodeArgs, foreignCpu);
  const idleSeconds = idleWindowAfter(largeImports[0]?.outcome);
  const signIns = await measureSignIns(large.slapd, idleSeconds, nodeArgs, foreignCpu);

  const bareDumps = baselines.map((baseline) => baseline.dump);
  checkSameEntries(bareDumps, [...largeImports.map((run) => run.outcome), signIns.loadedImport]);
  return {
    large,
    small,
    search,
    importSettings: settings.imports,
    largeImports,
    smallImport: smallImport.outcome,
    bareDumps,
    ldapsearchSeconds: baselines.map((baseline) => baseline.ldapsearchSeconds),
    peakRss: {
      large: Math.max(...largeImports.map((run) => run.peakRssBytes)),
      small: smallImport.peakRssBytes,
      underLoad: signIns.peakRssBytes,
    },
    idle: signIns.idle,
    duringImport: signIns.duringImport,
    loadedImport: signIns.loadedImport,
    foreignShare: foreignCpu.share,
  };
}

/** The timed imports of the large directory, with a baseline round before, between and after. */
async function measureWallTimes(
  slapd: SlapdHandle,
  search: ImportSearch,
  nodeArgs: string[],
  foreignCpu: ForeignCpu,
) {
  log('imports: one ldapsearch to warm slapd up (not counted)');
  await runLdapsearch(search);
  const baselines = [await measureBaselines(search, foreignCpu)];
  const largeImports = [];
  for (let round = 1; round <= TIMED_IMPORTS; round += 1) {
    largeImports.push(await importInFreshGateway(slapd, nodeArgs, foreignCpu));
    baselines.push(await measureBaselines(search, foreignCpu));
  }
  return { baselines, largeImports };
}

function idleWindowAfter(firstImport: ImportOutcome | undefined): number {
  const seconds = Math.round(firstImport?.wallSeconds ?? 0);
  return Math.min(IDLE_WINDOW_SECONDS.max, Math.max(IDLE_WINDOW_SECONDS.min, seconds));
}

/** The organization's settings as the gateway children load them (the store is not used). */
function settingsFor(slapd: SlapdHandle) {
  return parseSettings(JSON.stringify(importGatewayDocument(slapd, ':memory:')), { env: {} });
}

async function measureBaselines(search: ImportSearch, foreignCpu: ForeignCpu) {
  const dump = await foreignCpu.during(() => runBareDump(search));
  log(`imports: bare ldapts dump: ${dump.entries} entries in ${dump.seconds.toFixed(2)} s`);
  const ldapsearchSeconds = await foreignCpu.during(() => runLdapsearch(search));
  log(`imports: ldapsearch: ${ldapsearchSeconds.toFixed(2)} s`);
  return { dump, ldapsearchSeconds };
}

/** One import in a gateway of its own, stopped (outside any measured span) afterwards. */
async function importInFreshGateway(
  slapd: SlapdHandle,
  nodeArgs: string[],
  foreignCpu: ForeignCpu,
) {
  const gateway = await GatewayProcess.start(slapd, nodeArgs);
  try {
    await settle();
    const idleRssBytes = gateway.rssBytes();
    log(`imports: gateway pid ${gateway.pid} imports ${slapd.usersDn}`);
    const outcome = await foreignCpu.during(
      () => importToEnd(gateway.url, IMPORT_ORGANIZATION),
      [gateway.pid],
    );
    return { outcome, peakRssBytes: gateway.peakRssBytes(), idleRssBytes };
  } finally {
    await gateway.stop();
  }
}

async function measureSignIns(
  slapd: SlapdHandle,
  idleSeconds: number,
  nodeArgs: string[],
  foreignCpu: ForeignCpu,
) {
  const gateway = await GatewayProcess.start(slapd, nodeArgs);
  try {
    log(`imports: gateway pid ${gateway.pid}: sign-ins, ${idleSeconds} s idle, then an import`);
    await warmUpSignIns(gateway.url);
    const idle = await foreignCpu.during(
      () => measureIdle(gateway.url, idleSeconds),
      [gateway.pid],
    );
    const loaded = await foreignCpu.during(() => measureDuringImport(gateway.url), [gateway.pid]);
    return {
      idle,
      duringImport: loaded.window,
      loadedImport: loaded.outcome,
      peakRssBytes: gateway.peakRssBytes(),
    };
  } finally {
    await gateway.stop();
  }
}

/** The baselines must read what the imports read, or the ratio compares different work. */
function checkSameEntries(dumps: DumpResult[], imports: ImportOutcome[]): void {
  const counts = new Set([
    ...dumps.map((dump) => dump.entries),
    ...imports.map((outcome) => outcome.record.processed),
  ]);
  if (counts.size !== 1) {
    throw new Error(`bench: the bare dumps and the imports read different counts: ${[...counts]}`);
  }
}
