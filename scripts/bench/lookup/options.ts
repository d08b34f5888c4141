import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface LookupBenchOptions {
  /** People in the generated directory. */
  people: number;
  /** Distinct numbers the HTTP load rotates through. */
  numbers: number;
  /** In-process lookups timed one by one, and the distinct numbers among them. */
  calls: number;
  callNumbers: number;
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
  connections: number;
  /** Where CPU profiles of the measured runs go; none when undefined. */
  cpuProfileDir: string | undefined;
}

export function readOptions(args: string[] = process.argv.slice(2)): LookupBenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      people: { type: 'string', default: '100000' },
      numbers: { type: 'string', default: '2000' },
      calls: { type: 'string', default: '100000' },
      // More than readPhoneNumber's cache of 10,000, so many calls read their number afresh.
      'call-numbers': { type: 'string', default: '20000' },
      duration: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '5' },
      connections: { type: 'string', default: '16' },
      'cpu-prof': { type: 'string' },
    },
  });
  const durationSeconds = whole('--duration', values.duration, 1, 120);
  return {
    // The number blocks of phone-plans.ts hold enough for 100,000 people, not many more.
    people: whole('--people', values.people, 1000, 100_000),
    numbers: whole('--numbers', values.numbers, 200, 20_000),
    calls: whole('--calls', values.calls, 1000, 1_000_000),
    callNumbers: whole('--call-numbers', values['call-numbers'], 100, 50_000),
    durationSeconds,
    // Long enough for the JIT, short enough to keep the bench quick.
    warmupSeconds: Math.min(2, durationSeconds),
    rounds: whole('--rounds', values.rounds, 1, 9),
    connections: whole('--connections', values.connections, 1, 1000),
    cpuProfileDir: values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']),
  };
}

function whole(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`bench: ${flag} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return value;
}
