/**
 * The threads of the next import, started ahead. What they do with an import is tested through
 * the API (test/http/import-worker.test.ts); here: when a pair waits, what takes it, and that a
 * waiting pair neither outlives close() nor holds the process open.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { parseSettings } from '../../config/load.js';
import type { GatewaySettings } from '../../config/types.js';
import { ImportThreads } from '../../core/imports/import-threads.js';
import { UNREACHED_ORGANIZATION } from '../support/gateway.js';

const folder = mkdtempSync(join(tmpdir(), 'ldap-gateway-threads-'));

/** Settings of one organization whose directory no thread talks to here. */
function settingsWith(storePath: string, imports: Record<string, unknown> = {}): GatewaySettings {
  const document = {
    store: { path: storePath },
    imports,
    api: {
      tokens: [{ name: 't', token: 'a-token-of-at-least-32-characters-xx', organizations: ['*'] }],
    },
    organizations: { acme: UNREACHED_ORGANIZATION },
  };
  return parseSettings(JSON.stringify(document), { env: {} });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Threads of this process (Linux). */
function threadCount(): number {
  return Number(/^Threads:\s+(\d+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
}

describe('import threads started ahead', () => {
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps one pair waiting, hands it to the next import, then starts afresh', async () => {
    const threads = new ImportThreads(settingsWith(join(folder, 'a.db')));
    threads.prepare();
    threads.prepare();
    await until(() => threads.ready, 'a waiting pair');
    const pair = threads.take();
    assert.equal(threads.ready, false, 'the pair was handed over');
    assert.notEqual(pair.searcher.threadId, pair.reader.threadId);
    // Without a pair waiting, take() starts one on the spot.
    const another = threads.take();
    assert.notEqual(another.reader.threadId, pair.reader.threadId);
    await Promise.all(
      [...Object.values(pair), ...Object.values(another)].map((w) => w.terminate()),
    );
    await threads.close();
  });

  it('terminates the waiting pair on close, and starts none after', async () => {
    const threads = new ImportThreads(settingsWith(join(folder, 'b.db')));
    const before = threadCount();
    threads.prepare();
    await until(() => threads.ready && threadCount() >= before + 2, 'a waiting pair');
    await threads.close();
    assert.equal(threads.ready, false);
    await until(() => threadCount() <= before, 'the pair gone');
    threads.prepare();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(threads.ready, false, 'closed threads start no pair');
  });

  it('starts nothing ahead when told not to, or when nobody reads in workers', async () => {
    const unwanted = [
      settingsWith(join(folder, 'd.db'), { threadsAhead: false }),
      settingsWith(':memory:'),
    ];
    for (const settings of unwanted) {
      const threads = new ImportThreads(settings);
      threads.prepare();
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(threads.ready, false);
      await threads.close();
    }
  });

  it('does not keep a process alive while its pair waits', () => {
    const module = fileURLToPath(new URL('../../core/imports/import-threads.js', import.meta.url));
    const settings = JSON.stringify(settingsWith(join(folder, 'c.db')));
    const script = `
      const { ImportThreads } = await import(${JSON.stringify(module)});
      const threads = new ImportThreads(${settings});
      threads.prepare();
      const started = Date.now();
      while (!threads.ready && Date.now() - started < 10000) {
        await new Promise((r) => setTimeout(r, 10));
      }
      if (!threads.ready) process.exit(3);
      console.log('waiting');`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(child.signal, null, 'the process had to be killed: the pair held it open');
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), 'waiting');
  });
});
