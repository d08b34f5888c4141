/**
 * `npm run bench`: throughput of the gateway's hot paths, each as a ratio to a baseline that the
 * same server answers in the same run under the same load, so the figures mean something on
 * any machine:
 *
 *   1. cached contact query  vs  a route sending a pre-serialized body of the same bytes
 *   2. sign-in, simple       vs  a bare ldapts search-then-bind on plain pools, same slapd
 *   3. sign-in, DIGEST-MD5   vs  a bare ldapts search, then a two-step DIGEST-MD5 bind
 *   4. sign-in, Kerberos     vs  bare kinit + kvno -k child processes, then an ldapts lookup
 *
 * Load comes from autocannon in a child process; runs alternate baseline and subject, and each
 * figure is the median of its rounds. Any response other than 2xx stops the bench with exit
 * status 1. The report says how much CPU other processes took while measuring and marks such
 * a run NOISY. The modules are in ./bench/; docs/benchmarks.md explains the figures.
 *
 *   npm run bench -- [--duration SECONDS] [--connections N] [--rounds N] [--only FIGURE]
 *
 * --only contacts | sign-in | digest-md5 | kerberos measures one figure, e.g. while profiling.
 * --connections applies to every figure; without it each has its own (Kerberos 4, others 16).
 */
import { runBenchFromCommandLine } from './bench/main.js';

await runBenchFromCommandLine();
