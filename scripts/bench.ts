/**
 * `npm run bench`: throughput of the gateway's two hot paths, each as a ratio to a baseline that
 * the same server answers in the same run under the same load, so the figures mean something
 * on any machine:
 *
 *   1. cached contact query   vs  a route sending a pre-serialized body of the same bytes
 *   2. sign-in                vs  a bare ldapts search-then-bind on a plain pool of the same
 *                                 size, against the same slapd
 *
 * Load comes from autocannon in a child process (this file run with --load-generator): its CPU
 * competes with the gateway and slapd the same way for baseline and subject. Runs alternate
 * baseline and subject; each figure is the median of its rounds. Any response other than 2xx
 * stops the bench with exit status 1. Other load on the machine skews the ratios, so the report
 * says how much CPU other processes took while measuring and marks such a run NOISY.
 *
 *   npm run bench -- [--duration SECONDS] [--connections N] [--rounds N] [--only FIGURE]
 *
 * --only contacts | sign-in measures one figure, e.g. while profiling the gateway.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { Client, EqualityFilter, InvalidCredentialsError, type Entry } from 'ldapts';

import { parseSettings } from '../config/load.js';
import { startGateway } from '../core/gateway.js';
import type { GatewayApp } from '../core/http/app.js';
import { createLogger } from '../core/logger.js';
import { createMetrics, type GatewayMetrics } from '../core/metrics.js';
import { fixtureOrganization } from '../test/support/gateway.js';
import { startSlapd, type SlapdHandle } from '../test/support/slapd.js';

const ORGANIZATION = 'bench';
const TOKEN = 'bench-token-0123456789abcdef';
const POOL_SIZE = 8;
const BULK_USERS = 600;
const BULK_PASSWORD = 'bulk-pw';
// Sign-ins log at info: below `warn` the bench would mostly measure pino writing to a pipe.
const LOG_LEVEL = 'warn';
const CONTACTS_PATH = `/v1/orgs/${ORGANIZATION}/contacts?q=Bulk%20User&limit=20`;
const SIGN_IN_PATH = `/v1/orgs/${ORGANIZATION}/auth`;
const BASELINE_CONTACTS_PATH = '/bench/baseline/contacts?q=Bulk%20User&limit=20';
const BASELINE_SIGN_IN_PATH = '/bench/baseline/auth';
const JSON_TYPE = 'application/json; charset=UTF-8';
/** A load-generator child that overruns its duration by this much is killed. */
const CHILD_GRACE_MS = 30_000;

interface BenchOptions {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  rounds: number;
  /** The id of the one figure to measure; all when undefined. */
  only: string | undefined;
}

const FIGURE_IDS = ['contacts', 'sign-in'];

// ---------------------------------------------------------------------------------------------
// Options

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '3' },
      connections: { type: 'string', default: '16' },
      rounds: { type: 'string', default: '5' },
      only: { type: 'string' },
    },
  });
  if (values.only !== undefined && !FIGURE_IDS.includes(values.only)) {
    throw new Error(`bench: --only must be one of ${FIGURE_IDS.join(', ')}, got '${values.only}'`);
  }
  const durationSeconds = readWholeNumber('--duration', values.duration, 1, 120);
  return {
    durationSeconds,
    // Long enough for the JIT and to fill both pools, short enough to keep the bench quick.
    warmupSeconds: Math.min(2, durationSeconds),
    connections: readWholeNumber('--connections', values.connections, 1, 1000),
    rounds: readWholeNumber('--rounds', values.rounds, 1, 9),
    only: values.only,
  };
}

function readWholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`bench: ${flag} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Baselines: routes on the gateway's own app, so they share its server, process and middleware

/** What the baseline routes serve; filled in once the gateway is up and warmed. */
interface BaselineState {
  contactsBody: string;
  signIn: BareSignIn | undefined;
}

function addBaselineRoutes(app: GatewayApp, state: BaselineState): void {
  app.get('/bench/baseline/contacts', (context) =>
    context.body(state.contactsBody, 200, { 'content-type': JSON_TYPE }),
  );
  app.post(BASELINE_SIGN_IN_PATH, async (context) => {
    const { username, password } = JSON.parse(await context.req.text()) as Credentials;
    if (!state.signIn) throw new Error('bench: the bare sign-in baseline is not open yet');
    const user = await state.signIn.signIn(String(username), String(password));
    if (!user) return context.json({ error: { code: 'invalid_credentials' } }, 401);
    return context.json({ user });
  });
}

interface Credentials {
  username: unknown;
  password: unknown;
}

/**
 * The least code that does a correct search-then-bind with ldapts: one array of clients bound
 * as the service account for searches, one for users' binds, no metrics, retries or mapping.
 */
class BareSignIn {
  readonly #service: BarePool;
  readonly #users: BarePool;
  readonly #base: string;
  readonly #attributes: string[];

  private constructor(service: BarePool, users: BarePool, base: string, attributes: string[]) {
    this.#service = service;
    this.#users = users;
    this.#base = base;
    this.#attributes = attributes;
  }

  static async open(
    slapd: SlapdHandle,
    base: string,
    attributes: readonly string[],
  ): Promise<BareSignIn> {
    const service = await Promise.all(
      Array.from({ length: POOL_SIZE }, async () => {
        const client = new Client({ url: slapd.url });
        await client.bind(slapd.serviceDn, slapd.servicePassword);
        return client;
      }),
    );
    const users = Array.from({ length: POOL_SIZE }, () => new Client({ url: slapd.url }));
    return new BareSignIn(new BarePool(service), new BarePool(users), base, [...attributes]);
  }

  /** The user's entry, or undefined for a wrong password or unknown user. */
  async signIn(username: string, password: string): Promise<Entry | undefined> {
    if (password.length === 0) return undefined;
    const entry = await this.#service.with(async (client) => {
      const { searchEntries } = await client.search(this.#base, {
        scope: 'sub',
        filter: new EqualityFilter({ attribute: 'uid', value: username }),
        attributes: this.#attributes,
        sizeLimit: 2,
      });
      return searchEntries.length === 1 ? searchEntries[0] : undefined;
    });
    if (!entry) return undefined;
    try {
      await this.#users.with((client) => client.bind(entry.dn, password));
      return entry;
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.#service.close(), this.#users.close()]);
  }
}

/** Idle clients in an array, waiting callers in a queue: nothing else. */
class BarePool {
  readonly #idle: Client[];
  readonly #all: Client[];
  readonly #waiting: Array<(client: Client) => void> = [];

  constructor(clients: Client[]) {
    this.#idle = [...clients];
    this.#all = [...clients];
  }

  async with<T>(use: (client: Client) => Promise<T>): Promise<T> {
    const client =
      this.#idle.pop() ?? (await new Promise<Client>((resolve) => this.#waiting.push(resolve)));
    try {
      return await use(client);
    } finally {
      const next = this.#waiting.shift();
      if (next) next(client);
      else this.#idle.push(client);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((client) => client.unbind().catch(() => undefined)));
  }
}

// ---------------------------------------------------------------------------------------------
// The gateway under test

interface BenchGateway {
  url: string;
  metrics: GatewayMetrics;
  state: BaselineState;
  stop(): Promise<void>;
}

async function startBenchGateway(slapd: SlapdHandle): Promise<BenchGateway> {
  const document = {
    server: { host: '127.0.0.1', port: 0 },
    logging: { level: LOG_LEVEL },
    store: { path: ':memory:' },
    api: { tokens: [{ name: 'bench', token: TOKEN, organizations: [ORGANIZATION] }] },
    organizations: {
      [ORGANIZATION]: fixtureOrganization(slapd, {
        pool: { size: POOL_SIZE },
        // Far beyond the bench's length: every measured contact query must be a cache hit.
        contacts: { cacheTtlSeconds: 3600 },
      }),
    },
  };
  const settings = parseSettings(JSON.stringify(document), { env: {} });
  const metrics = createMetrics();
  const state: BaselineState = { contactsBody: '', signIn: undefined };
  const gateway = await startGateway({
    settings,
    logger: createLogger(settings.logging.level, process.stderr),
    metrics,
    extraRoutes: (app) => addBaselineRoutes(app, state),
  });

  // The bare route asks the directory for exactly what the gateway asks for.
  const organization = gateway.organizations.get(ORGANIZATION);
  const { searchBase, mapper } = organization;
  state.signIn = await BareSignIn.open(slapd, searchBase, mapper.attributes);
  return {
    url: gateway.url,
    metrics,
    state,
    stop: async () => {
      await state.signIn?.close();
      await gateway.stop();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Load generation in a child process

interface LoadJob {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Request bodies, sent in turn on every connection; empty for GET. */
  bodies: string[];
  connections: number;
  durationSeconds: number;
}

interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Response bytes (headers included) per request: shows the two bodies weigh the same. */
  bytesPerResponse: number;
  /** CPU time the load generator used, start-up included. */
  cpuSeconds: number;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  requests: { total: number };
  latency: { p50: number; p99: number };
  throughput: { total: number };
}

type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

/** Runs one job in a fresh child so no run inherits another's sockets or JIT state. */
function runLoad(job: LoadJob): Promise<LoadResult> {
  const child = fork(fileURLToPath(import.meta.url), ['--load-generator'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let result: LoadResult | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bench: load generator ${child.pid} overran ${job.durationSeconds} s`));
    }, job.durationSeconds * 1000 + CHILD_GRACE_MS);
    child.once('message', (message) => (result = message as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (result) resolve(result);
      else reject(new Error(`bench: load generator ${child.pid} exited (${code}), no result`));
    });
    child.send(job);
  });
}

/** The child's side: one autocannon run, its summary sent back to the parent. */
async function runLoadGenerator(): Promise<void> {
  const job = await new Promise<LoadJob>((resolve) => process.once('message', resolve));
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const result = await autocannon({
    url: job.url,
    method: job.method,
    headers: job.headers,
    connections: job.connections,
    duration: job.durationSeconds,
    requests: job.bodies.length === 0 ? [{}] : job.bodies.map((body) => ({ body })),
  });
  const statusCodes: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
    statusCodes[status] = count;
  }
  const summary: LoadResult = {
    requestsPerSecond: result.requests.total / result.duration,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    bytesPerResponse: result.throughput.total / Math.max(1, result.requests.total),
    cpuSeconds: cpuSecondsOf(process.cpuUsage()),
  };
  process.send?.(summary, () => process.disconnect());
}

// ---------------------------------------------------------------------------------------------
// Figures

interface Figure {
  id: string;
  name: string;
  aim: number;
  subject: LoadJob;
  baseline: LoadJob;
}

interface FigureResult {
  name: string;
  aim: number;
  subject: number;
  baseline: number;
  ratio: number;
  requestsChecked: number;
  /** The larger of the two sides' spreads (see spreadOf): bursts of other load show here. */
  spread: number;
  /** Share of the machine's CPU that other processes used while measuring (see ForeignCpu). */
  foreignShare: number | undefined;
}

/** Above this run-to-run spread, or this share of the CPU taken by others, a run is noisy. */
const NOISY_SPREAD = 0.08;
const NOISY_FOREIGN_SHARE = 0.1;

function defineFigures(gateway: BenchGateway, options: BenchOptions): Figure[] {
  const load = { connections: options.connections, durationSeconds: options.durationSeconds };
  // The baselines get the token too, so both sides of a figure send the same request bytes.
  const auth = { authorization: `Bearer ${TOKEN}` };
  const post = { ...auth, 'content-type': 'application/json' };
  const bodies = Array.from({ length: BULK_USERS }, (_, index) => {
    const username = `user${String(index + 1).padStart(4, '0')}`;
    return JSON.stringify({ username, password: BULK_PASSWORD });
  });
  const get = (path: string): LoadJob =>
    ({ url: gateway.url + path, method: 'GET', headers: auth, bodies: [], ...load });
  const signIn = (path: string): LoadJob =>
    ({ url: gateway.url + path, method: 'POST', headers: post, bodies, ...load });
  return [
    {
      id: 'contacts',
      name: 'cached contact query',
      aim: 0.6,
      subject: get(CONTACTS_PATH),
      baseline: get(BASELINE_CONTACTS_PATH),
    },
    {
      id: 'sign-in',
      name: 'sign-in (search-then-bind)',
      aim: 0.8,
      subject: signIn(SIGN_IN_PATH),
      baseline: signIn(BASELINE_SIGN_IN_PATH),
    },
  ];
}

/** Fills the contact cache and gives the baseline route the very same body to send. */
async function prepareContacts(gateway: BenchGateway): Promise<void> {
  const response = await fetch(gateway.url + CONTACTS_PATH, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const body = await response.text();
  const count = response.ok ? (JSON.parse(body) as { contacts: unknown[] }).contacts.length : 0;
  if (count !== 20) {
    throw new Error(`bench: contact query answered ${response.status} with ${count} contacts`);
  }
  gateway.state.contactsBody = body;
}

async function measureFigure(
  figure: Figure,
  options: BenchOptions,
  foreignCpu: ForeignCpu,
): Promise<FigureResult> {
  const warmup = { durationSeconds: options.warmupSeconds };
  log(`${figure.name}: warming up (${options.warmupSeconds} s each)`);
  checkAll2xx(figure.name, 'baseline warm-up', await runLoad({ ...figure.baseline, ...warmup }));
  checkAll2xx(figure.name, 'subject warm-up', await runLoad({ ...figure.subject, ...warmup }));

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
    subject: subjectRate,
    baseline: baselineRate,
    ratio: subjectRate / baselineRate,
    requestsChecked,
    spread: Math.max(spreadOf(subject), spreadOf(baseline)),
    foreignShare: foreignCpu.share,
  };
}

/**
 * Median distance of a side's rounds from their median, as a fraction of it. Like the median
 * itself it shrugs off one disturbed round, and grows when many are.
 */
function spreadOf(rates: number[]): number {
  const middle = median(rates);
  return median(rates.map((rate) => Math.abs(rate - middle))) / middle;
}

function checkAll2xx(figure: string, run: string, result: LoadResult): void {
  if (result.non2xx === 0 && result.errors === 0 && result.timeouts === 0) return;
  const statuses = Object.entries(result.statusCodes)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  throw new Error(
    `bench: FAILED ${figure}, ${run}: ${result.non2xx} non-2xx responses, ${result.errors} ` +
      `errors, ${result.timeouts} timeouts out of ${result.requests} (statuses ${statuses})`,
  );
}

async function countCacheMisses(metrics: GatewayMetrics): Promise<number> {
  const { values } = await metrics.cacheLookups.get();
  return values
    .filter((value) => value.labels.result === 'miss')
    .reduce((total, value) => total + value.value, 0);
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? NaN;
  return ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

// ---------------------------------------------------------------------------------------------
// Other load on the machine

/** Clock ticks per second of the CPU times in /proc (USER_HZ), 100 on every usual Linux. */
const TICKS_PER_SECOND = 100;

interface CpuReading {
  /** CPU seconds the whole machine spent in processes (user, nice, system) or lost to steal. */
  machine: number;
  /** CPU seconds of this process (the gateway) and of slapd. */
  ours: number;
  atSeconds: number;
}

/**
 * Measures how much CPU other processes took while the bench ran: the machine's busy time
 * minus the gateway's, slapd's and the load generators'. On two cores a build or test run next
 * to the bench changes the ratios more than most code changes do.
 */
class ForeignCpu {
  readonly #slapdPid: number;
  #foreignSeconds = 0;
  #capacitySeconds = 0;
  #readable = true;

  constructor(slapdPid: number) {
    this.#slapdPid = slapdPid;
  }

  async during(run: () => Promise<LoadResult>): Promise<LoadResult> {
    const before = this.#read();
    const result = await run();
    const after = this.#read();
    if (!before || !after) return result;
    const ours = after.ours - before.ours + result.cpuSeconds;
    this.#foreignSeconds += Math.max(0, after.machine - before.machine - ours);
    this.#capacitySeconds += (after.atSeconds - before.atSeconds) * cpus().length;
    return result;
  }

  /** Other processes' share of the CPU capacity, or undefined where /proc is missing. */
  get share(): number | undefined {
    if (!this.#readable || this.#capacitySeconds === 0) return undefined;
    return this.#foreignSeconds / this.#capacitySeconds;
  }

  #read(): CpuReading | undefined {
    if (!this.#readable) return undefined;
    try {
      const slapd = readProcessTicks(this.#slapdPid) / TICKS_PER_SECOND;
      const machine = readMachineBusyTicks() / TICKS_PER_SECOND;
      const ours = slapd + cpuSecondsOf(process.cpuUsage());
      return { machine, ours, atSeconds: performance.now() / 1000 };
    } catch {
      this.#readable = false;
      return undefined;
    }
  }
}

/** `cpu user nice system idle iowait irq softirq steal`: interrupts belong to no process. */
function readMachineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user = 0, nice = 0, system = 0, , , , , steal = 0] = line
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return user + nice + system + steal;
}

/** utime + stime of a process, all threads; fields counted after the ')' ending its name. */
function readProcessTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function cpuSecondsOf(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

// ---------------------------------------------------------------------------------------------
// Output: progress on stderr, the tables on stdout

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function describeRun(result: LoadResult): string {
  return (
    `${Math.round(result.requestsPerSecond)} req/s, ${result.requests} requests, ` +
    `p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms, ` +
    `${Math.round(result.bytesPerResponse)} B/response`
  );
}

const TABLE_HEADINGS = ['figure', 'subject req/s', 'baseline req/s', 'ratio', 'aim', 'result'];

function tableRows(results: FigureResult[]): string[][] {
  return results.map((result) => [
    result.name,
    Math.round(result.subject).toString(),
    Math.round(result.baseline).toString(),
    // Truncated, not rounded: 0.597 must not print as 0.60 next to a miss of the 0.60 aim.
    (Math.floor(result.ratio * 100) / 100).toFixed(2),
    `>= ${result.aim.toFixed(2)}`,
    result.ratio >= result.aim ? 'pass' : 'miss',
  ]);
}

function plainTable(rows: string[][]): string {
  const all = [TABLE_HEADINGS, ...rows];
  const widths = TABLE_HEADINGS.map((_, column) =>
    Math.max(...all.map((row) => (row[column] ?? '').length)),
  );
  const format = (row: string[]) =>
    row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [format(TABLE_HEADINGS), ...rows.map(format)].join('\n');
}

function markdownTable(rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rule = line(TABLE_HEADINGS.map((_, column) => (column === 0 ? '---' : '---:')));
  return [line(TABLE_HEADINGS), rule, ...rows.map(line)].join('\n');
}

interface RunFacts {
  cacheMisses: number;
  /** One-minute load average when the bench started, before it put any load on. */
  loadBefore: number;
}

function describeSetup(options: BenchOptions, results: FigureResult[], facts: RunFacts): string[] {
  const checked = results.reduce((total, result) => total + result.requestsChecked, 0);
  const spreads = results.map((result) => `${result.name} ${percent(result.spread)}`);
  const others = results.map((result) => `${result.name} ${percent(result.foreignShare)}`);
  const noisy = results.some(
    (result) => result.spread > NOISY_SPREAD || (result.foreignShare ?? 0) > NOISY_FOREIGN_SHARE,
  );
  return [
    `machine: ${cpus().length} cores, node ${process.version}; load generator, gateway and ` +
      'slapd share them',
    `load: autocannon in a child process, ${options.connections} connections, ` +
      `${options.durationSeconds} s per run, ${options.rounds} rounds alternating baseline and ` +
      `subject (median shown), ${options.warmupSeconds} s warm-up each`,
    `gateway: logging level '${LOG_LEVEL}' (sign-in info lines not written), ` +
      `pool.size ${POOL_SIZE}; bare baseline pools: ${POOL_SIZE} + ${POOL_SIZE} ldapts clients`,
    `checks: all ${checked} measured responses were 2xx; contact cache misses while ` +
      `measuring: ${facts.cacheMisses}`,
    `noise: load average ${facts.loadBefore.toFixed(2)} before start; CPU used by other ` +
      `processes while measuring: ${others.join(', ')}; run-to-run spread ` +
      `${spreads.join(', ')}` +
      (noisy ? ' - NOISY, something else is using the CPU: run again on a quiet machine' : ''),
  ];
}

function percent(fraction: number | undefined): string {
  if (fraction === undefined) return 'unknown';
  return `${Math.round(fraction * 100)}%`;
}

// ---------------------------------------------------------------------------------------------
// Main

async function runBench(options: BenchOptions): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  log('starting slapd and the gateway');
  const slapd = await startSlapd({ bulkUsers: BULK_USERS });
  try {
    const gateway = await startBenchGateway(slapd);
    try {
      const { results, cacheMisses } = await measureAll(gateway, slapd.pid, options);
      printReport(options, results, { cacheMisses, loadBefore });
    } finally {
      await gateway.stop();
    }
  } finally {
    await slapd.stop();
  }
}

async function measureAll(
  gateway: BenchGateway,
  slapdPid: number,
  options: BenchOptions,
): Promise<{ results: FigureResult[]; cacheMisses: number }> {
  await prepareContacts(gateway);
  const missesBefore = await countCacheMisses(gateway.metrics);
  const figures = defineFigures(gateway, options).filter(
    (figure) => options.only === undefined || figure.id === options.only,
  );
  const results: FigureResult[] = [];
  for (const figure of figures) {
    results.push(await measureFigure(figure, options, new ForeignCpu(slapdPid)));
  }
  const cacheMisses = (await countCacheMisses(gateway.metrics)) - missesBefore;
  return { results, cacheMisses };
}

function printReport(options: BenchOptions, results: FigureResult[], facts: RunFacts): void {
  const rows = tableRows(results);
  const setup = describeSetup(options, results, facts);
  const bullets = setup.map((line) => `- ${line}`).join('\n');
  process.stdout.write(`\n${plainTable(rows)}\n\n${setup.join('\n')}\n\n`);
  process.stdout.write(`${markdownTable(rows)}\n\n${bullets}\n`);
}

if (process.argv.includes('--load-generator')) {
  await runLoadGenerator();
} else {
  try {
    await runBench(readOptions());
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
