/**
 * Imports of two organizations sharing the gateway's import slots (imports.maxConcurrent): with
 * one slot the second waits for the first, with two they run side by side, and users of both
 * sign in meanwhile. Order is read from the recorded createdAt, startedAt and finishedAt, never
 * from how long anything took.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';
import { startImport, waitForImport } from '../support/imports.js';
import { startSlapd, type SlapdHandle } from '../support/slapd.js';

const BULK_USERS = 4000;
const PEOPLE = BULK_USERS + 10; // and the fixture's ten named people in ou=users
// Small pages make every import hundreds of round trips: two started together surely overlap.
const IMPORT_SETTINGS = { pageSize: 10, batchSize: 50 };
const ORGANIZATIONS = ['north', 'south'] as const;

const at = (timestamp: string) => Date.parse(timestamp);

describe('imports of two organizations at once', () => {
  let slapd: SlapdHandle;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: BULK_USERS });
  });
  after(async () => {
    await slapd?.stop();
  });

  /** A gateway with both organizations on the one slapd, and `maxConcurrent` import slots. */
  function gatewayWithSlots(maxConcurrent: number): () => TestGateway {
    let gateway: TestGateway;
    before(async () => {
      const organizations = Object.fromEntries(
        ORGANIZATIONS.map((name) => [name, fixtureOrganization(slapd)]),
      );
      gateway = await startTestGateway(organizations, {
        imports: { ...IMPORT_SETTINGS, maxConcurrent },
      });
    });
    after(async () => {
      await gateway?.stop();
    });
    return () => gateway;
  }

  async function startBoth(gateway: TestGateway) {
    return {
      north: await startImport(gateway, 'north'),
      south: await startImport(gateway, 'south'),
    };
  }

  async function finishBoth(gateway: TestGateway, ids: { north: string; south: string }) {
    const [north, south] = await Promise.all([
      waitForImport(gateway, 'north', ids.north),
      waitForImport(gateway, 'south', ids.south),
    ]);
    for (const record of [north, south]) {
      assert.equal(record.status, 'succeeded', JSON.stringify(record));
      assert.equal(record.processed, PEOPLE);
    }
    return { north, south };
  }

  describe('with one import slot', () => {
    const gateway = gatewayWithSlots(1);

    it("queues the second organization's import until the first has finished", async () => {
      const ids = await startBoth(gateway());
      const waiting = await gateway().request('GET', `/v1/orgs/south/imports/${ids.south}`);
      const { north, south } = await finishBoth(gateway(), ids);

      assert.equal(waiting.body.import.status, 'queued', waiting.text);
      assert.equal(waiting.body.import.phase, 'waiting');
      assert.equal(waiting.body.import.startedAt, null);
      assert.ok(at(south.createdAt) < at(north.finishedAt), 'south was created while north ran');
      assert.ok(at(south.startedAt) >= at(north.finishedAt), 'south started before north ended');
    });
  });

  describe('with two import slots', () => {
    const gateway = gatewayWithSlots(2);

    it("runs both organizations' imports at the same time", async () => {
      const { north, south } = await finishBoth(gateway(), await startBoth(gateway()));
      assert.ok(at(south.startedAt) < at(north.finishedAt), 'south started after north ended');
      assert.ok(at(north.startedAt) < at(south.finishedAt), 'north started after south ended');
    });

    it('signs users of both organizations in while their imports run', async () => {
      const ids = await startBoth(gateway());
      for (const org of ORGANIZATIONS) await untilReading(gateway(), org, ids[org]);
      const users = [
        ['alice', 'alice-pw'],
        ['jdoe', 'jane-pw'],
        ['user0042', 'bulk-pw'],
      ];
      const signIns = ORGANIZATIONS.flatMap((org) =>
        users.map(async ([username, password]) => {
          const body = { username, password };
          const response = await gateway().request('POST', `/v1/orgs/${org}/auth`, body);
          assert.equal(response.status, 200, `${org} ${username}: ${response.text}`);
          assert.equal(response.body.user.id, username);
        }),
      );
      await Promise.all(signIns);
      const signedInAt = Date.now();

      const records = await finishBoth(gateway(), ids);
      for (const record of Object.values(records)) {
        assert.ok(signedInAt < at(record.finishedAt), 'the import ended before the sign-ins');
      }
    });
  });
});

describe('imports of two organizations at once, reading in worker threads', () => {
  let slapd: SlapdHandle;
  let folder: string;
  let gateway: TestGateway;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: BULK_USERS });
    folder = mkdtempSync(join(tmpdir(), 'ldap-gateway-concurrency-'));
    const organizations = Object.fromEntries(
      ORGANIZATIONS.map((name) => [name, fixtureOrganization(slapd)]),
    );
    gateway = await startTestGateway(organizations, {
      imports: { ...IMPORT_SETTINGS, maxConcurrent: 2 },
      store: join(folder, 'gateway.db'),
    });
  });
  after(async () => {
    await gateway?.stop();
    await slapd?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('lets one compare and apply while the other still stages', async () => {
    // Twice: the first imports add everyone, the second ones compare against full lists.
    for (let round = 0; round < 2; round += 1) {
      const ids = {
        north: await startImport(gateway, 'north'),
        south: await startImport(gateway, 'south'),
      };
      const records = await Promise.all(
        ORGANIZATIONS.map((org) => waitForImport(gateway, org, ids[org])),
      );
      for (const record of records) {
        assert.equal(record.status, 'succeeded', JSON.stringify(record));
        assert.equal(record.processed, PEOPLE);
      }
      const [north, south] = records;
      assert.ok(at(south.startedAt) < at(north.finishedAt), 'they overlapped');
    }
  });
});

/** Waits until the import has started reading the directory. */
async function untilReading(gateway: TestGateway, org: string, id: string): Promise<void> {
  for (let attempt = 0; attempt < 2000; attempt += 1) {
    const response = await gateway.request('GET', `/v1/orgs/${org}/imports/${id}`);
    const { status, phase } = response.body.import;
    if (status === 'running' && phase === 'reading') return;
    assert.ok(['queued', 'running'].includes(status), `import of ${org} already ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.fail(`import of ${org} never started reading`);
}
