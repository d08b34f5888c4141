import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** The figures, in the order they are measured and printed. */
export const FIGURE_IDS = ['contacts', 'sign-in', 'digest-md5', 'kerberos', 'imports'] as const;

export type FigureId = (typeof FIGURE_IDS)[number];

export interface BenchOptions {
  durationSeconds: number;
  warmupSeconds: number;
  /** Connections for every figure; undefined lets each figure use its own default. */
  connections: number | undefined;
  rounds: number;
  /** The id of the one figure to measure; all when undefined. */
  only: FigureId | undefined;
  /** Bulk users in the imports figure's large directory; the small one has a tenth. */
  importEntries: number;
  /** Where the imports figure's gateway processes write CPU profiles; none when undefined. */
  cpuProfileDir: string | undefined;
}

/**
 * Reads the command line:
 * `[--duration S] [--connections N] [--rounds N] [--only FIGURE] [--import-entries N]
 * [--cpu-prof DIR]`.
 */
export function readOptions(args: string[] = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: 'string', default: '3' },
      connections: { type: 'string' },
      rounds: { type: 'string', default: '5' },
      only: { type: 'string' },
      'import-entries': { type: 'string', default: '100000' },
      'cpu-prof': { type: 'string' },
    },
  });
  const durationSeconds = readWholeNumber('--duration', values.duration, 1, 120);
  return {
    durationSeconds,
    // Long enough for the JIT and to fill both pools, short enough to keep the bench quick.
    warmupSeconds: Math.min(2, durationSeconds),
    connections:
      values.connections === undefined
        ? undefined
        : readWholeNumber('--connections', values.connections, 1, 1000),
    rounds: readWholeNumber('--rounds', values.rounds, 1, 9),
    only: readFigureId(values.only),
    importEntries: readWholeNumber('--import-entries', values['import-entries'], 1000, 200_000),
    cpuProfileDir: values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']),
  };
}

/** True when this run measures the figure `id`. */
export function measures(options: BenchOptions, id: FigureId): boolean {
  return options.only === undefined || options.only === id;
}

function readFigureId(text: string | undefined): FigureId | undefined {
  if (text === undefined) return undefined;
  const id = FIGURE_IDS.find((known) => known === text);
  if (!id) throw new Error(`bench: --only must be one of ${FIGURE_IDS.join(', ')}, got '${text}'`);
  return id;
}

function readWholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`bench: ${flag} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return value;
}
