/** The bench's slapd: a generated LDIF of people, loaded by slapadd before slapd starts. */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startSlapd, type SlapdHandle } from '../../../test/support/slapd.js';
import { buildDirectory, ldifEntries, type BenchDirectory } from './people.js';
import { log } from './report.js';

/** The fixture's people container (test/fixtures/directory.ldif), where the gateway searches. */
const USERS_DN = 'ou=users,dc=ldap,dc=example,dc=com';
/** Every run generates the same people. */
const SEED = 20261204;

export interface LoadedDirectory {
  slapd: SlapdHandle;
  directory: BenchDirectory;
  generateSeconds: number;
  ldifBytes: number;
  /** From starting the script until slapd answered: mostly slapadd loading the people. */
  loadSeconds: number;
  stop(): Promise<void>;
}

export async function startDirectory(people: number): Promise<LoadedDirectory> {
  const dir = await mkdtemp(join(tmpdir(), 'ldap-gateway-bench-lookup-'));
  try {
    let started = performance.now();
    const directory = buildDirectory(people, SEED);
    const ldif = join(dir, 'people.ldif');
    await writeFile(ldif, ldifEntries(directory, USERS_DN));
    const generateSeconds = (performance.now() - started) / 1000;
    const ldifBytes = (await stat(ldif)).size;
    log(
      `generated ${people} people, ${directory.phoneCount} phones in ${seconds(generateSeconds)}`,
    );

    started = performance.now();
    // No bulk users: the fixture's few people and ours are the whole directory.
    const slapd = await startSlapd({ bulkUsers: 0, extraLdif: ldif });
    const loadSeconds = (performance.now() - started) / 1000;
    log(`slapd loaded and up in ${seconds(loadSeconds)}`);
    const stop = async () => {
      await slapd.stop();
      await rm(dir, { recursive: true, force: true });
    };
    return { slapd, directory, generateSeconds, ldifBytes, loadSeconds, stop };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function seconds(value: number): string {
  return `${value.toFixed(1)} s`;
}
