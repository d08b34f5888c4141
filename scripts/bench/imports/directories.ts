/** The imports figure's two directories, each a slapd of its own with generated users. */
import { startSlapd, type SlapdHandle } from '../../../test/support/slapd.js';
import { log } from '../report.js';

export interface LoadedDirectory {
  slapd: SlapdHandle;
  bulkUsers: number;
  /** From starting the script until slapd answered: mostly slapadd loading the users. */
  loadSeconds: number;
}

export interface ImportDirectories {
  large: LoadedDirectory;
  /** A tenth of the users, for the ratio of peak RSS. */
  small: LoadedDirectory;
  stop(): Promise<void>;
}

/**
 * Starts the large directory, then the small one, one after the other so that each load is
 * timed alone; if the second fails, stops the first.
 */
export async function startImportDirectories(bulkUsers: number): Promise<ImportDirectories> {
  const large = await startDirectory(bulkUsers);
  try {
    const small = await startDirectory(Math.round(bulkUsers / 10));
    return { large, small, stop: () => stopAll([large, small]) };
  } catch (error) {
    await large.slapd.stop();
    throw error;
  }
}

async function startDirectory(bulkUsers: number): Promise<LoadedDirectory> {
  log(`imports: loading a slapd with ${bulkUsers} bulk users`);
  const started = performance.now();
  const slapd = await startSlapd({ bulkUsers });
  const loadSeconds = (performance.now() - started) / 1000;
  log(`imports: ${bulkUsers} bulk users loaded and slapd up in ${loadSeconds.toFixed(1)} s`);
  return { slapd, bulkUsers, loadSeconds };
}

async function stopAll(directories: LoadedDirectory[]): Promise<void> {
  await Promise.all(directories.map((directory) => directory.slapd.stop()));
}
