/**
 * `npm run bench`: throughput of the gateway's hot paths, each as a ratio to a baseline that the
 * same server answers in the same run under the same load, so the figures mean something on
 * any machine:
 *
 *   1. cached contact query  vs  a route sending a pre-serialized body of the same bytes
 *   2. sign-in, simple       vs  a bare ldapts search-then-bind on plain pools, same slapd
 *   3. sign-in, DIGEST-MD5   vs  a bare ldapts search, then a two-step DIGEST-MD5 bind
 *   4. sign-in, Kerberos     vs  bare kinit + kvno -k child processes, then an ldapts lookup
 *   5. imports of 100,000 entries: wall time vs a bare ldapts paged dump (and ldapsearch), the
 *      gateway's peak RSS (and its ratio to a 10,000-entry import), sign-in p99 during vs idle
 *
 * For figures 1-4, load comes from autocannon in a child process; runs alternate baseline and
 * subject, and each figure is the median of its rounds. Any response other than 2xx stops the
 * bench with exit status 1. The report says how much CPU other processes took while measuring
 * and marks such a run NOISY. The modules are in ./bench/; docs/benchmarks.md explains the
 * figures.
 *
 *   npm run bench -- [--duration SECONDS] [--connections N] [--rounds N] [--only FIGURE]
 *                    [--import-entries N] [--cpu-prof DIR]
 *
 * --only contacts | sign-in | digest-md5 | kerberos | imports measures one figure, e.g. while
 * profiling. --connections applies to every throughput figure; without it each has its own
 * (Kerberos 4, others 16). The imports figure runs its gateways in child processes of their own;
 * --import-entries sizes its large directory and --cpu-prof DIR profiles those gateways.
 */
import { runBenchFromCommandLine } from './bench/main.js';

await runBenchFromCommandLine();
