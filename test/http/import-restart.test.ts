import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Client } from 'ldapts';

import { freePort, killHard, startGatewayProcess } from '../support/gateway-process.js';
import { startSlapd, type SlapdHandle } from '../support/slapd.js';

const TOKEN = 'restart-token-0123456789abcdef';
const BULK_USERS = 3000;
const PEOPLE = BULK_USERS + 10;

describe('an import interrupted by SIGKILL', () => {
  let slapd: SlapdHandle;
  let folder: string;
  let config: string;
  let base: string;
  let gateway: ChildProcess | undefined;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: BULK_USERS });
    folder = mkdtempSync(join(tmpdir(), 'ldap-gateway-restart-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    config = join(folder, 'gateway.yaml');
    writeFileSync(
      config,
      JSON.stringify({
        server: { host: '127.0.0.1', port },
        logging: { level: 'info' },
        store: { path: join(folder, 'gateway.db') },
        api: { tokens: [{ name: 'test', token: TOKEN }] },
        // Small pages and batches make the import long enough to be caught half-way.
        imports: { pageSize: 25, batchSize: 25 },
        organizations: {
          acme: {
            serverUrl: slapd.url,
            directoryDomain: 'ldap.example.com',
            organizationUnit: 'users',
            bindUsername: slapd.serviceDn,
            bindPassword: slapd.servicePassword,
            userIdAttribute: 'uid',
          },
        },
      }),
    );
  });
  after(async () => {
    if (gateway && gateway.exitCode === null) await killHard(gateway);
    await slapd?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const call = async (method: string, path: string) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    return (await response.json()) as any;
  };
  const waitFor = async (id: string, done: (record: any) => boolean) => {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const { import: record } = await call('GET', `/v1/orgs/acme/imports/${id}`);
      if (done(record)) return record;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail(`import ${id} never reached the expected state`);
  };
  const contactKeys = async (id: string) => {
    const keys: string[] = [];
    let cursor = '';
    for (let page = 0; page < 100; page += 1) {
      const body = await call(
        'GET',
        `/v1/orgs/acme/imports/${id}/contacts?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
      );
      keys.push(...body.contacts.map((contact: { key: string }) => contact.key));
      if (!body.nextCursor) return keys;
      cursor = body.nextCursor;
    }
    return keys;
  };

  it('finishes the import after a restart, with no contact lost, doubled or half-written', async () => {
    gateway = await startGatewayProcess(config);
    const first = await call('POST', '/v1/orgs/acme/imports');
    await waitFor(first.import.id, (record) => record.status === 'succeeded');

    // The directory changes, and the next import is killed while it reads.
    const admin = new Client({ url: slapd.url });
    await admin.bind(slapd.adminDn, slapd.adminPassword);
    for (let number = 1; number <= 20; number += 1) {
      await admin.del(
        `uid=user${String(number).padStart(4, '0')},ou=users,dc=ldap,dc=example,dc=com`,
      );
    }
    await admin.unbind();
    const second = await call('POST', '/v1/orgs/acme/imports');
    await waitFor(second.import.id, (record) => record.phase === 'reading' && record.processed > 0);
    await killHard(gateway);

    gateway = await startGatewayProcess(config);
    const record = await waitFor(second.import.id, (current) => current.status === 'succeeded');
    assert.equal(record.processed, PEOPLE - 20);
    assert.deepEqual([record.added, record.updated, record.removed], [0, 0, 20]);
    const keys = await contactKeys(second.import.id);
    assert.equal(keys.length, PEOPLE - 20);
    assert.equal(new Set(keys).size, keys.length, 'no contact appears twice');
  });
});
