/**
 * How much CPU other processes took while the bench measured. On two cores a build or test run
 * next to the bench changes the ratios more than most code changes do.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of the CPU times in /proc (USER_HZ), 100 on every usual Linux. */
const TICKS_PER_SECOND = 100;

interface CpuReading {
  /** CPU seconds the whole machine spent in processes (user, nice, system) or lost to steal. */
  machine: number;
  /** CPU seconds of this process, its finished children and the servers. */
  ours: number;
  atSeconds: number;
}

/**
 * The machine's busy time minus ours: this process (the gateway and its baselines), the
 * children it has reaped (load generators, and kinit and kvno for Kerberos sign-ins; the
 * kernel adds them to our cutime and cstime once they exit) and the servers (slapd, the KDC),
 * which are nobody's children here and are read by pid.
 */
export class ForeignCpu {
  readonly #serverPids: number[];
  #foreignSeconds = 0;
  #capacitySeconds = 0;
  #readable = true;

  constructor(serverPids: number[]) {
    this.#serverPids = serverPids;
  }

  /** `alsoOurs`: pids of processes that count as the bench's own during this run only. */
  async during<T>(run: () => Promise<T>, alsoOurs: number[] = []): Promise<T> {
    const before = this.#read(alsoOurs);
    const result = await run();
    const after = this.#read(alsoOurs);
    if (!before || !after) return result;
    const ours = after.ours - before.ours;
    this.#foreignSeconds += Math.max(0, after.machine - before.machine - ours);
    this.#capacitySeconds += (after.atSeconds - before.atSeconds) * cpus().length;
    return result;
  }

  /** Other processes' share of the CPU capacity, or undefined where /proc is missing. */
  get share(): number | undefined {
    if (!this.#readable || this.#capacitySeconds === 0) return undefined;
    return this.#foreignSeconds / this.#capacitySeconds;
  }

  #read(alsoOurs: number[]): CpuReading | undefined {
    if (!this.#readable) return undefined;
    try {
      const self = readProcessTicks('self', { withChildren: true });
      const pids = [...this.#serverPids, ...alsoOurs];
      const servers = pids.map((pid) => readProcessTicks(String(pid)));
      const ours = [self, ...servers].reduce((total, ticks) => total + ticks, 0);
      return {
        machine: readMachineBusyTicks() / TICKS_PER_SECOND,
        ours: ours / TICKS_PER_SECOND,
        atSeconds: performance.now() / 1000,
      };
    } catch {
      this.#readable = false;
      return undefined;
    }
  }
}

/** `cpu user nice system idle iowait irq softirq steal`: interrupts belong to no process. */
/** CPU seconds of this process's reaped children so far (finished load generators). */
export function readChildrenCpuSeconds(): number | undefined {
  try {
    const children = readProcessTicks('self', { withChildren: true }) - readProcessTicks('self');
    return children / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function readMachineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user = 0, nice = 0, system = 0, , , , , steal = 0] = line
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return user + nice + system + steal;
}

/**
 * utime + stime of a process, all threads, and with `withChildren` cutime + cstime of its
 * reaped children; fields counted after the ')' ending the process name.
 */
function readProcessTicks(pid: string, { withChildren = false } = {}): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const own = (fields[11] ?? NaN) + (fields[12] ?? NaN);
  const children = withChildren ? (fields[13] ?? NaN) + (fields[14] ?? NaN) : 0;
  if (!Number.isFinite(own + children)) throw new Error(`bench: cannot read /proc/${pid}/stat`);
  return own + children;
}
