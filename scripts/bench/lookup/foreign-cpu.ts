/**
 * CPU that other processes took while the bench measured, from /proc: the machine's busy time
 * less this process's, its reaped children's (the load generators) and slapd's. On two cores
 * anything else running moves the ratio more than most code changes do.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** USER_HZ, the unit of /proc's CPU times: 100 on every usual Linux. */
const TICKS_PER_SECOND = 100;

export class ForeignCpu {
  readonly #ourPids: number[];
  #foreignTicks = 0;
  #capacityTicks = 0;
  #readable = true;

  /** `ourPids`: servers started for the bench that are not our children. */
  constructor(ourPids: number[]) {
    this.#ourPids = ourPids;
  }

  async during<T>(run: () => Promise<T>): Promise<T> {
    const before = this.#read();
    const result = await run();
    const after = this.#read();
    if (before && after) {
      const busy = after.machine - before.machine;
      this.#foreignTicks += Math.max(0, busy - (after.ours - before.ours));
      this.#capacityTicks += ((after.at - before.at) / 1000) * TICKS_PER_SECOND * cpus().length;
    }
    return result;
  }

  /** Other processes' share of the machine's CPU while measuring; undefined without /proc. */
  get share(): number | undefined {
    return this.#capacityTicks > 0 ? this.#foreignTicks / this.#capacityTicks : undefined;
  }

  #read(): { machine: number; ours: number; at: number } | undefined {
    if (!this.#readable) return undefined;
    try {
      const servers = this.#ourPids.map((pid) => processTicks(String(pid), false));
      const ours = servers.reduce((total, ticks) => total + ticks, processTicks('self', true));
      return { machine: machineBusyTicks(), ours, at: performance.now() };
    } catch {
      this.#readable = false;
      return undefined;
    }
  }
}

/** CPU seconds of this process's reaped children so far: the finished load generators. */
export function readChildrenCpuSeconds(): number | undefined {
  try {
    const fields = statFields('self');
    return (fields[13]! + fields[14]!) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** user + nice + system + steal of the `cpu` line; interrupts belong to no process. */
function machineBusyTicks(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '').split(/\s+/);
  const [user, nice, system, steal] = [1, 2, 3, 8].map((index) => Number(fields[index]));
  const total = user! + nice! + system! + steal!;
  if (!Number.isFinite(total)) throw new Error('bench: cannot read /proc/stat');
  return total;
}

/** utime + stime (fields 14, 15), and with `children` cutime + cstime of reaped children. */
function processTicks(pid: string, children: boolean): number {
  const fields = statFields(pid);
  return fields[11]! + fields[12]! + (children ? fields[13]! + fields[14]! : 0);
}

/**
 * /proc/PID/stat from field 3 (the state) on: the command name before it may hold spaces.
 * Throws unless the CPU time fields are numbers.
 */
function statFields(pid: string): number[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text
    .slice(text.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  if (!fields.slice(11, 15).every(Number.isFinite)) {
    throw new Error(`bench: cannot read /proc/${pid}/stat`);
  }
  return fields;
}
