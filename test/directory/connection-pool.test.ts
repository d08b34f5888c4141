import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';

import { ConnectionPool, type PoolOptions } from '../../core/directory/connection-pool.js';
import type { DirectoryConnection } from '../../core/directory/connection.js';
import { GatewayError } from '../../core/errors.js';

// Connections are never opened here: prepare() stands in for the bind.
const settings = {
  url: 'ldap://127.0.0.1:1',
  startTls: false,
  tls: {},
  connectTimeoutMs: 100,
  operationTimeoutMs: 100,
};

function pool(options: Partial<PoolOptions> = {}): ConnectionPool {
  return new ConnectionPool(settings, {
    size: 2,
    idleTimeoutMs: 60000,
    acquireTimeoutMs: 1000,
    prepare: async () => {},
    isUsable: () => true,
    ...options,
  });
}

describe('ConnectionPool', () => {
  it('never lends more than its size at once, and serves every caller', async () => {
    const connections = pool();
    let inUse = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        connections.with(async () => {
          inUse += 1;
          most = Math.max(most, inUse);
          await sleep(5);
          inUse -= 1;
          return index;
        }),
      ),
    );
    assert.equal(most, 2);
    assert.deepEqual(
      results,
      Array.from({ length: 12 }, (_, index) => index),
    );
    assert.deepEqual(connections.counts(), { used: 0, free: 2, waiting: 0 });
    await connections.close();
  });

  it('lets a caller wait no longer than acquireTimeoutMs', async () => {
    const connections = pool({ size: 1, acquireTimeoutMs: 50 });
    const holding = connections.with(() => sleep(300));
    await assert.rejects(
      connections.with(async () => 'never'),
      (error: unknown) => error instanceof GatewayError && error.code === 'directory_unavailable',
    );
    await holding;
    await connections.close();
  });

  it('hands a failed connection attempt to its caller and frees the slot', async () => {
    let attempts = 0;
    const connections = pool({
      size: 1,
      prepare: async () => {
        attempts += 1;
        if (attempts === 1) throw new GatewayError('service_account_rejected', 'no');
      },
    });
    await assert.rejects(
      connections.with(async () => 'never'),
      (error: unknown) =>
        error instanceof GatewayError && error.code === 'service_account_rejected',
    );
    assert.equal(await connections.with(async () => 'served'), 'served');
    await connections.close();
  });

  it('replaces a connection that can no longer serve', async () => {
    const broken = new Set<DirectoryConnection>();
    let prepared = 0;
    const connections = pool({
      size: 1,
      prepare: async () => {
        prepared += 1;
      },
      isUsable: (connection) => !broken.has(connection),
    });
    const first = await connections.with(async (connection) => connection);
    broken.add(first);
    const second = await connections.with(async (connection) => connection);
    assert.notEqual(second, first);
    assert.equal(prepared, 2);
    await connections.close();
  });

  it('closes connections left idle longer than idleTimeoutMs', async () => {
    const connections = pool({ idleTimeoutMs: 50 });
    await connections.with(async () => {});
    assert.equal(connections.counts().free, 1);
    await sleep(200);
    assert.equal(connections.counts().free, 0);
    await connections.close();
  });

  it('refuses waiting and new callers once closed', async () => {
    const connections = pool({ size: 1 });
    const holding = connections.with(() => sleep(50));
    const waiting = connections.with(async () => 'never');
    await connections.close();
    await assert.rejects(
      waiting,
      (error: unknown) => (error as GatewayError).code === 'shutting_down',
    );
    await assert.rejects(connections.with(async () => 'never'));
    await holding;
  });
});
