/**
 * CPU profiles of this process (the gateway and its baseline) through the inspector, one file
 * per measured run, for chrome://inspect or any .cpuprofile reader.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export class CpuProfiler {
  readonly #dir: string;
  readonly #session = new Session();

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async open(dir: string): Promise<CpuProfiler> {
    await mkdir(dir, { recursive: true });
    const profiler = new CpuProfiler(dir);
    profiler.#session.connect();
    await profiler.#session.post('Profiler.enable');
    return profiler;
  }

  /** Runs `run` under the profiler and writes its profile to DIR/NAME.cpuprofile. */
  async during<T>(name: string, run: () => Promise<T>): Promise<T> {
    await this.#session.post('Profiler.start');
    try {
      return await run();
    } finally {
      const { profile } = await this.#session.post('Profiler.stop');
      await writeFile(join(this.#dir, `${name}.cpuprofile`), JSON.stringify(profile));
    }
  }

  close(): void {
    this.#session.disconnect();
  }
}
