/**
 * The lookup inside the process: the one-time index build with what it costs in memory, then
 * CallerLookup.find timed call by call, as the route calls it, with no HTTP around it.
 */
import type { CallerLookup } from '../../../core/lookup/caller-lookup.js';
import { Prng } from '../../demo-data/prng.js';
import type { Lookup } from './lookup-mix.js';
import { readSettledMemory } from './memory.js';
import { shuffledIndexes } from './phone-plans.js';
import { percentileOfSorted } from '../stats.js';

export interface IndexCost {
  buildMs: number;
  heapGrowthBytes: number;
  rssGrowthBytes: number;
  /** False when no full collection could be forced: the growths then include garbage. */
  collected: boolean;
}

export interface InProcessLatency {
  calls: number;
  distinct: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * The first lookup without an index builds it; its time less a second lookup's is the build.
 * The gateway starts building as soon as an import is applied, so that index is dropped first,
 * to be built, timed and weighed here. Memory is read with garbage collected, before and after.
 */
export async function measureIndexBuild(lookup: CallerLookup, probe: Lookup): Promise<IndexCost> {
  lookup.clear();
  const before = await readSettledMemory();
  let started = performance.now();
  await checkedFind(lookup, probe);
  const firstMs = performance.now() - started;
  started = performance.now();
  await checkedFind(lookup, probe);
  const buildMs = firstMs - (performance.now() - started);
  const after = await readSettledMemory();
  return {
    buildMs,
    heapGrowthBytes: after.heapUsed - before.heapUsed,
    rssGrowthBytes: after.rss - before.rss,
    collected: before.collected && after.collected,
  };
}

/**
 * Times `calls` lookups over `lookups` in a seeded random order, each number about equally
 * often; every answer is checked (found or not) outside the timed part.
 */
export async function measureLatency(
  lookup: CallerLookup,
  lookups: Lookup[],
  calls: number,
  seed: number,
): Promise<InProcessLatency> {
  const order = shuffledIndexes(new Prng(seed), calls);
  const nanoseconds = new Float64Array(calls);
  for (let call = 0; call < calls; call += 1) {
    const sample = lookups[order[call]! % lookups.length]!;
    const started = process.hrtime.bigint();
    const answer = await lookup.find(sample.number);
    nanoseconds[call] = Number(process.hrtime.bigint() - started);
    if ((answer !== undefined) !== (sample.expect.status === 200)) throw wrongAnswer(sample);
  }
  nanoseconds.sort();
  const ms = (fraction: number) => percentileOfSorted(nanoseconds, fraction) / 1e6;
  return { calls, distinct: lookups.length, p50Ms: ms(0.5), p99Ms: ms(0.99), maxMs: ms(1) };
}

async function checkedFind(lookup: CallerLookup, sample: Lookup): Promise<void> {
  const answer = await lookup.find(sample.number);
  if ((answer !== undefined) !== (sample.expect.status === 200)) throw wrongAnswer(sample);
}

function wrongAnswer(sample: Lookup): Error {
  const wanted = sample.expect.status === 200 ? 'a contact' : 'none';
  return new Error(
    `bench: in-process lookup of ${JSON.stringify(sample.number)}: wanted ${wanted}`,
  );
}
