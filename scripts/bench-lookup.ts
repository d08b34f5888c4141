/**
 * `npm run bench:lookup`: caller-ID lookups (`GET /v1/orgs/{org}/contacts/lookup?number=`) over
 * 100,000 imported contacts. It generates a directory of people with varied national and
 * international numbers, loads it into a slapd of its own on a free 127.0.0.1 port, imports it
 * through the API into an organization with `defaultCountry: US` and `contacts.source:
 * imported`, then measures:
 *
 *   1. lookups per second through HTTP as a ratio to a trivial route of the same server under
 *      the same load (autocannon in a child process, rounds alternating; aim >= 0.6);
 *   2. the p99 latency of CallerLookup.find called in process (aim < 1 ms);
 *   3. for the record: the index's one-time build time and heap/RSS growth, slapd's load time
 *      and the import's.
 *
 * Any response without its expected status, or a lookup answered other than the generated
 * directory says, stops the bench with exit status 1. The modules are in ./bench/lookup/;
 * docs/benchmarks-lookup.md explains the figures.
 *
 *   npm run bench:lookup -- [--people N] [--numbers N] [--calls N] [--call-numbers N]
 *                           [--duration S] [--rounds N] [--connections N] [--cpu-prof DIR]
 *
 * --cpu-prof DIR writes a CPU profile of this process for the in-process calls and for each
 * measured HTTP run (figures taken while profiling are slower: do not quote them).
 */
import { runLookupBenchFromCommandLine } from './bench/lookup/main.js';

await runLookupBenchFromCommandLine();
