import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Attribute, Change, Client } from 'ldapts';

import { startSlapd, type SlapdHandle } from '../support/slapd.js';
import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';
import { allPages, startImport, waitForImport } from '../support/imports.js';
import {
  startWebhookReceiver,
  type ReceivedRequest,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';

const SECRET = 'webhook-secret-0123456789';
const BULK_USERS = 250;
const PEOPLE = BULK_USERS + 10; // and the fixture's ten named people
const BATCH = 100;

/** Organization settings whose imports go to the receiver, retrying fast. */
function webhookOrganization(slapd: SlapdHandle, receiver: WebhookReceiver, extra = {}) {
  return fixtureOrganization(slapd, {
    sink: {
      type: 'webhook',
      options: { url: receiver.url, secret: SECRET, batchSize: BATCH },
      retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 50 },
    },
    ...extra,
  });
}

function assertSigned(request: ReceivedRequest): void {
  const timestamp = String(request.headers['x-gateway-timestamp']);
  assert.match(timestamp, /^\d{10}$/);
  assert.ok(Math.abs(Number(timestamp) - Date.now() / 1000) < 300, 'a current timestamp');
  const expected = createHmac('sha256', SECRET).update(`${timestamp}.${request.raw}`);
  assert.equal(request.headers['x-gateway-signature'], `sha256=${expected.digest('hex')}`);
  assert.equal(request.headers['content-type'], 'application/json');
}

const user = (number: number) =>
  `uid=user${String(number).padStart(4, '0')},ou=users,dc=ldap,dc=example,dc=com`;

describe('the webhook sink', () => {
  let slapd: SlapdHandle;
  let receiver: WebhookReceiver;
  let gateway: TestGateway;
  let admin: Client;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: BULK_USERS });
    receiver = await startWebhookReceiver();
    gateway = await startTestGateway(
      {
        acme: webhookOrganization(slapd, receiver),
        nobody: webhookOrganization(slapd, receiver, {
          contacts: { filter: '(objectClass=device)' },
        }),
      },
      { imports: { pageSize: 50, batchSize: 40 } },
    );
    admin = new Client({ url: slapd.url });
    await admin.bind(slapd.adminDn, slapd.adminPassword);
  });
  after(async () => {
    await admin?.unbind();
    await gateway?.stop();
    await receiver?.stop();
    await slapd?.stop();
  });

  const importOf = async (org: string) =>
    waitForImport(gateway, org, await startImport(gateway, org));

  /** An import of acme while the receiver answers with `answer`; 200 again afterwards. */
  async function importAnswered(answer: typeof receiver.answer) {
    receiver.answer = answer;
    try {
      return await importOf('acme');
    } finally {
      receiver.answer = () => ({ status: 200 });
    }
  }

  it('posts every contact of a first import in signed batches, in key order', async () => {
    const record = await importOf('acme');
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
    assert.deepEqual([record.delivered, record.deliveredBatches], [PEOPLE, 3]);
    assert.equal(record.deliveredKey, undefined, 'the resume key stays inside');

    const batches = receiver.received.map((request) => request.body);
    assert.deepEqual(
      batches.map((batch) => [batch.sequence, batch.last, batch.changes.length]),
      [
        [1, false, BATCH],
        [2, false, BATCH],
        [3, true, PEOPLE - 2 * BATCH],
      ],
    );
    for (const request of receiver.received) assertSigned(request);
    assert.deepEqual(
      receiver.received.map((request) => request.headers['idempotency-key']),
      [1, 2, 3].map((sequence) => `${record.id}:${sequence}`),
    );
    const changes = batches.flatMap((batch) => batch.changes);
    assert.ok(changes.every((change) => change.change === 'added'));
    const keys = changes.map((change) => change.key);
    assert.deepEqual(keys, [...keys].sort(), 'in key order');
    assert.equal(new Set(keys).size, PEOPLE);
    assert.ok(batches.every((batch) => batch.organization === 'acme'));
    assert.ok(batches.every((batch) => batch.importId === record.id));
    const alice = changes.find((change) => change.contact.id === 'alice');
    assert.equal(alice.contact.displayName, 'Alice Anderson');
    assert.equal(alice.contact.key, alice.key);

    const kept = await allPages(gateway, `/v1/orgs/acme/imports/${record.id}/contacts`, 'contacts');
    assert.equal(kept.length, PEOPLE, 'the gateway keeps the list too');
  });

  it('posts only what changed since the last import', async () => {
    receiver.received.length = 0;
    await admin.modify(
      user(10),
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'telephoneNumber', values: ['+1 415 555 0110'] }),
      }),
    );
    await admin.del(user(11));
    const record = await importOf('acme');
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
    assert.equal(receiver.received.length, 1);
    const [batch] = receiver.received.map((request) => request.body);
    assert.equal(batch.last, true);
    const kinds = batch.changes.map((change: any) => [change.change, change.contact.dn]);
    assert.deepEqual(kinds.sort(), [
      ['removed', user(11)],
      ['updated', user(10)],
    ]);
  });

  it('retries a busy receiver, with the same idempotency key, until it takes the batch', async () => {
    receiver.received.length = 0;
    const record = await importAnswered((_request, index) =>
      index < 2 ? { status: 503, headers: { 'retry-after': '0' } } : { status: 200 },
    );
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
    assert.equal(receiver.received.length, 3);
    const keys = new Set(receiver.received.map((request) => request.headers['idempotency-key']));
    assert.equal(keys.size, 1, 'one batch, tried three times');
    const metrics = await gateway.metrics.registry.metrics();
    assert.match(
      metrics,
      /gateway_sink_deliveries_total\{org="acme",sink="webhook",result="retried"\} 2\n/,
    );
    assert.match(metrics, /gateway_imports_finished_total\{org="acme",status="succeeded"\} \d/);
    assert.match(metrics, /gateway_import_entries_total\{org="acme",outcome="staged"\} \d/);
    assert.equal(receiver.received[0]!.body.last, true, 'an import with no change still says so');
  });

  it('fails the import without applying it when the receiver refuses the batch', async () => {
    receiver.received.length = 0;
    await admin.del(user(12));
    const refused = await importAnswered(() => ({ status: 400 }));
    assert.equal(refused.status, 'failed');
    assert.equal(refused.errorCode, 'sink_rejected');
    assert.match(refused.errorMessage, /answered 400/);
    assert.equal(receiver.received.length, 1, 'a refusal is not retried');

    // The gateway's list still matches what the receiver holds: the removal comes again.
    receiver.received.length = 0;
    const next = await importOf('acme');
    assert.equal(next.status, 'succeeded');
    assert.equal(next.removed, 1);
    assert.deepEqual(
      receiver.received[0]!.body.changes.map((change: any) => change.contact.dn),
      [user(12)],
    );
  });

  it('gives up with sink_unavailable after the configured attempts', async () => {
    receiver.received.length = 0;
    const record = await importAnswered(() => ({ status: 502 }));
    assert.equal(record.status, 'failed');
    assert.equal(record.errorCode, 'sink_unavailable');
    assert.equal(receiver.received.length, 3, 'retry.maxAttempts');
  });

  it('delivers a confirmed import before applying it', async () => {
    receiver.received.length = 0;
    const waiting = await importOf('nobody');
    assert.equal(waiting.status, 'needs_confirmation');
    assert.equal(receiver.received.length, 0, 'nothing is sent before confirmation');

    const confirmed = await gateway.request(
      'POST',
      `/v1/orgs/nobody/imports/${waiting.id}/confirm`,
    );
    assert.equal(confirmed.status, 200, confirmed.text);
    const record = await waitForImport(gateway, 'nobody', waiting.id);
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
    assert.equal(receiver.received.length, 1);
    assert.deepEqual(receiver.received[0]!.body.changes, []);
    assert.equal(receiver.received[0]!.body.last, true);
  });
});

describe('a webhook delivery cut by a stopping gateway', () => {
  let slapd: SlapdHandle;
  let receiver: WebhookReceiver;
  let folder: string;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: BULK_USERS });
    receiver = await startWebhookReceiver();
    folder = mkdtempSync(join(tmpdir(), 'ldap-gateway-webhook-'));
  });
  after(async () => {
    await receiver?.stop();
    await slapd?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('resumes after a restart from the last batch the receiver acknowledged', async () => {
    const start = () =>
      startTestGateway(
        { acme: webhookOrganization(slapd, receiver) },
        { store: join(folder, 'gateway.db') },
      );
    // The second batch is never answered: the gateway stops while it is in flight.
    receiver.answer = (_request, index) => (index === 1 ? 'hang' : { status: 200 });
    const first = await start();
    const id = await startImport(first, 'acme');
    await receiver.waitFor(2);
    const halfway = await first.request('GET', `/v1/orgs/acme/imports/${id}`);
    assert.deepEqual(
      [halfway.body.import.phase, halfway.body.import.deliveredBatches],
      ['delivering', 1],
    );
    await first.stop();

    const second = await start();
    try {
      const record = await waitForImport(second, 'acme', id);
      assert.equal(record.status, 'succeeded', JSON.stringify(record));
      assert.deepEqual([record.delivered, record.deliveredBatches], [PEOPLE, 3]);
      assert.deepEqual(
        receiver.received.map((request) => request.body.sequence),
        [1, 2, 2, 3],
        'only the unacknowledged batch is sent twice',
      );
      const [, cut, resent] = receiver.received.map((request) => request.body.changes);
      assert.deepEqual(resent, cut, 'the resent batch holds the same changes');
      const acknowledged = [0, 2, 3].flatMap((index) => receiver.received[index]!.body.changes);
      assert.equal(new Set(acknowledged.map((change: any) => change.key)).size, PEOPLE);
      const kept = await allPages(second, `/v1/orgs/acme/imports/${id}/contacts`, 'contacts');
      assert.equal(kept.length, PEOPLE);
    } finally {
      await second.stop();
    }
  });
});

describe('a webhook delivery that stops part-way', () => {
  let slapd: SlapdHandle;
  let receiver: WebhookReceiver;
  let gateway: TestGateway;
  let admin: Client;
  /** What the receiver holds: every change it acknowledged, applied as an upsert or delete. */
  const held = new Map<string, unknown>();
  let refuse: number | undefined;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: BULK_USERS });
    receiver = await startWebhookReceiver();
    receiver.answer = (request) => {
      if (request.body.sequence === refuse) return { status: 400 };
      for (const { key, change, contact } of request.body.changes) {
        if (change === 'removed') held.delete(key);
        else held.set(key, contact);
      }
      return { status: 200 };
    };
    gateway = await startTestGateway({ sync: webhookOrganization(slapd, receiver) });
    admin = new Client({ url: slapd.url });
    await admin.bind(slapd.adminDn, slapd.adminPassword);
  });
  after(async () => {
    await admin?.unbind();
    await gateway?.stop();
    await receiver?.stop();
    await slapd?.stop();
  });

  const importRefusing = async (sequence: number | undefined) => {
    refuse = sequence;
    return waitForImport(gateway, 'sync', await startImport(gateway, 'sync'));
  };
  const setMail = (number: number, mail: string) =>
    admin.modify(
      user(number),
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'mail', values: [mail] }),
      }),
    );
  /** The gateway's list, which the next import's changes are counted from. */
  const gatewayList = async () => {
    const { imports } = (await gateway.request('GET', '/v1/orgs/sync/imports?limit=500')).body;
    // Newest first: the first whose contacts can be read is the one applied last.
    for (const { id } of imports) {
      const response = await gateway.request('GET', `/v1/orgs/sync/imports/${id}/contacts`);
      if (response.status === 200) {
        const contacts = await allPages(
          gateway,
          `/v1/orgs/sync/imports/${id}/contacts`,
          'contacts',
        );
        return new Map(contacts.map((contact) => [contact.key, contact]));
      }
    }
    return new Map();
  };

  it('keeps what the receiver took, so the next import corrects it', async () => {
    // A first delivery refused at its third batch: the receiver holds two batches.
    const first = await importRefusing(3);
    assert.deepEqual(
      [first.status, first.errorCode, first.delivered],
      ['failed', 'sink_rejected', 2 * BATCH],
    );
    assert.equal(held.size, 2 * BATCH);

    // Someone the receiver holds leaves; then a delivery of updates is refused half-way
    // and the updates are taken back in the directory.
    const [leaverKey, leaver] = [...held.entries()][0]!;
    await admin.del((leaver as { dn: string }).dn);
    const second = await importRefusing(undefined);
    assert.equal(second.status, 'succeeded', JSON.stringify(second));
    assert.equal(held.has(leaverKey), false, 'the leaver was removed at the receiver');
    assert.deepEqual(held, await gatewayList());

    for (let number = 1; number <= 150; number += 1) await setMail(number, `temp${number}@x`);
    const third = await importRefusing(2);
    assert.deepEqual([third.status, third.delivered], ['failed', BATCH]);
    for (let number = 1; number <= 150; number += 1) {
      await setMail(number, `user${String(number).padStart(4, '0')}@example.com`);
    }
    const fourth = await importRefusing(undefined);
    assert.equal(fourth.status, 'succeeded', JSON.stringify(fourth));
    const list = await gatewayList();
    assert.deepEqual(held, list, 'the receiver holds exactly the gateway list');
    const temporary = [...held.values()].filter((contact: any) =>
      contact.emails.some((mail: string) => mail.startsWith('temp')),
    );
    assert.deepEqual(temporary, [], 'no update taken back stays at the receiver');
    assert.equal(list.size, PEOPLE - 1);
  });
});
