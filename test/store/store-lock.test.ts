/**
 * One store, one gateway: a second gateway on the same store file refuses to start, and a lock
 * left by a killed gateway goes with its process.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { GatewayError } from '../../core/errors.js';
import { projectRoot } from '../../core/project-root.js';
import { lockStore } from '../../core/store/store-lock.js';
import { startTestGateway, TEST_TOKEN, UNREACHED_ORGANIZATION } from '../support/gateway.js';

const folder = mkdtempSync(join(tmpdir(), 'ldap-gateway-lock-'));
const ACME = UNREACHED_ORGANIZATION;
const LOCK_MODULE = join(projectRoot, 'dist/core/store/store-lock.js');

function refusedAsInUse(error: unknown): boolean {
  return error instanceof GatewayError && error.code === 'store_in_use';
}

describe('store lock', () => {
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('lets one holder at a time use a store, and frees it on release', () => {
    const store = join(folder, 'one.db');
    const release = lockStore(store);
    assert.throws(() => lockStore(store), refusedAsInUse);
    release();
    lockStore(store)();
  });

  it('is dropped with a killed process', async () => {
    const store = join(folder, 'killed.db');
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { lockStore } = await import(${JSON.stringify(LOCK_MODULE)});
         lockStore(${JSON.stringify(store)});
         console.log('locked');
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    assert.throws(() => lockStore(store), refusedAsInUse);
    const gone = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await gone;
    lockStore(store)();
  });

  it('keeps a second gateway on the same store from starting', async () => {
    const store = join(folder, 'gateway.db');
    const first = await startTestGateway({ acme: ACME }, { store });
    try {
      const config = join(folder, 'second.yaml');
      const document = {
        server: { host: '127.0.0.1', port: 0 },
        store: { path: store },
        api: { tokens: [{ name: 'test', token: TEST_TOKEN, organizations: ['*'] }] },
        organizations: { acme: ACME },
      };
      writeFileSync(config, JSON.stringify(document));
      const second = spawnSync(
        process.execPath,
        [join(projectRoot, 'dist/core/main.js'), '--config', config],
        { encoding: 'utf8', timeout: 20_000 },
      );
      assert.equal(second.status, 1, second.stderr);
      assert.match(second.stderr, /another gateway uses the store/);
      // The first one goes on serving.
      assert.equal((await first.request('GET', '/readyz')).status, 200);
    } finally {
      await first.stop();
    }
  });
});
