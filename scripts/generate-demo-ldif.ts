/**
 * Writes the demo directory's data, config/demo/people.ldif, from a fixed seed.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/generate-demo-ldif.js [--check] [path]
 *
 * With --check it writes nothing and exits 1 when the file differs from what would be written.
 * Run it from the repository root; `path` defaults to config/demo/people.ldif.
 */
import { readFile, writeFile } from 'node:fs/promises';

import { buildDemoLdif } from './demo-data/build-demo-ldif.js';

const DEFAULT_PATH = 'config/demo/people.ldif';

async function main(args: string[]): Promise<number> {
  const check = args.includes('--check');
  const path = args.find((arg) => !arg.startsWith('--')) ?? DEFAULT_PATH;
  const text = buildDemoLdif();

  if (!check) {
    await writeFile(path, text, 'utf8');
    console.log(`generate-demo-ldif: wrote ${path} (${Buffer.byteLength(text)} bytes)`);
    return 0;
  }
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === text) {
    console.log(`generate-demo-ldif: ${path} is up to date`);
    return 0;
  }
  console.error(`generate-demo-ldif: ${path} is stale; run without --check to regenerate it`);
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
