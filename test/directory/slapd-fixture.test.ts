/**
 * The real-OpenLDAP test infrastructure itself: scripts/directory/start-slapd.sh, the fixture
 * test/fixtures/directory.ldif and test/support/slapd.ts. Other tests rely on what is checked here.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { Client, InsufficientAccessError, SizeLimitExceededError } from 'ldapts';

import { startSlapd, type SlapdHandle } from '../support/slapd.js';

/** alice, bob, jose, jdoe, frank, paula, frontdesk1, frontdesk2, star*user */
const FIXTURE_USERS = 10;
const BULK_USERS = 600;
const SIZE_LIMIT = 500;
/** paula's jpegPhoto in test/fixtures/directory.ldif: 96 bytes. */
const PAULA_PHOTO_BASE64 =
  '/9j/4AAQSkZJRgABAQAAAQABAAD//oDDKMCv7aCACzBVep/E6Q4zWH2ix+wRNluApc' +
  'rvFDleg6jN8hc8YYar0PUaP2SJrtP4HUJnjLHW+yBFao+02f4jSG2St9wBJv/Z';

describe('test slapd with the directory fixture', () => {
  let slapd: SlapdHandle;
  let ca: Buffer;
  const clients: Client[] = [];

  /** A client that is unbound after each test run, so no connection outlives the suite. */
  function connect(url: string, options: Partial<ConstructorParameters<typeof Client>[0]> = {}) {
    const client = new Client({ url, connectTimeout: 2000, timeout: 5000, ...options });
    clients.push(client);
    return client;
  }

  async function connectAsService(): Promise<Client> {
    const client = connect(slapd.url);
    await client.bind(slapd.serviceDn, slapd.servicePassword);
    return client;
  }

  before(async () => {
    slapd = await startSlapd({ sizeLimit: SIZE_LIMIT, bulkUsers: BULK_USERS });
    ca = await readFile(slapd.caFile);
  });

  after(async () => {
    await Promise.allSettled(clients.map((client) => client.unbind()));
    await slapd?.stop();
  });

  it('listens on 127.0.0.1 only', () => {
    assert.match(slapd.url, /^ldap:\/\/127\.0\.0\.1:\d+$/);
    assert.match(slapd.ldapsUrl, /^ldaps:\/\/127\.0\.0\.1:\d+$/);
  });

  it('stops a plain search of ou=users at the size limit with sizeLimitExceeded', async () => {
    const client = await connectAsService();
    await assert.rejects(
      client.search(slapd.usersDn, { filter: '(objectClass=inetOrgPerson)', attributes: ['1.1'] }),
      SizeLimitExceededError,
    );
  });

  it('returns every user of ou=users to a paged search', async () => {
    const client = await connectAsService();
    const { searchEntries } = await client.search(slapd.usersDn, {
      filter: '(objectClass=inetOrgPerson)',
      attributes: ['1.1'],
      paged: { pageSize: 200 },
    });
    assert.equal(searchEntries.length, FIXTURE_USERS + BULK_USERS);
  });

  it('returns every user to a paged search whose page size exceeds the size limit', async () => {
    const client = await connectAsService();
    const { searchEntries } = await client.search(slapd.usersDn, {
      filter: '(objectClass=inetOrgPerson)',
      attributes: ['1.1'],
      paged: { pageSize: 1000 },
    });
    assert.equal(searchEntries.length, FIXTURE_USERS + BULK_USERS);
  });

  it('accepts ldaps:// from a client that trusts the test CA', async () => {
    const client = connect(slapd.ldapsUrl, { tlsOptions: { ca } });
    await client.bind(slapd.serviceDn, slapd.servicePassword);
    assert.equal(client.isConnected, true);
  });

  it('fails ldaps:// with a certificate error for a client without the test CA', async () => {
    const client = connect(slapd.ldapsUrl);
    await assert.rejects(client.bind(slapd.serviceDn, slapd.servicePassword), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
  });

  it('upgrades ldap:// with StartTLS for a client that trusts the test CA', async () => {
    const client = connect(slapd.url);
    await client.startTLS({ ca });
    await client.bind(slapd.serviceDn, slapd.servicePassword);
    const { searchEntries } = await client.search(slapd.usersDn, { filter: '(uid=alice)' });
    assert.equal(searchEntries.length, 1);
  });

  it('lets the service account read every attribute but userPassword', async () => {
    const client = await connectAsService();
    const { searchEntries } = await client.search(slapd.usersDn, {
      filter: '(uid=alice)',
      attributes: ['*'],
    });
    assert.deepEqual(searchEntries[0]?.telephoneNumber, ['101', '+1 555 0101']);
    assert.equal(searchEntries[0]?.mobile, '+1 555 0201');
    assert.equal(searchEntries[0]?.userPassword, undefined);
  });

  it('refuses to search for an anonymous client', async () => {
    const client = connect(slapd.url);
    await assert.rejects(
      client.search(slapd.usersDn, { filter: '(uid=alice)' }),
      InsufficientAccessError,
    );
  });

  const binds = [
    { name: 'alice', dn: 'uid=alice,ou=users', password: 'alice-pw' },
    // RDN is cn and its value holds a comma.
    { name: 'jdoe', dn: 'cn=Doe\\, Jane,ou=users', password: 'jane-pw' },
    { name: 'star*user', dn: 'uid=star*user,ou=users', password: 'star-pw' },
    { name: 'carl, outside ou=users', dn: 'uid=carl,ou=contractors', password: 'carl-pw' },
    { name: 'the last bulk user', dn: 'uid=user0600,ou=users', password: 'bulk-pw' },
  ];
  for (const { name, dn, password } of binds) {
    it(`binds ${name} with the fixture password`, async () => {
      const client = connect(slapd.url);
      await client.bind(`${dn},${slapd.baseDn}`, password);
    });
  }

  it('stores the non-ASCII names of jose as UTF-8', async () => {
    const client = await connectAsService();
    const { searchEntries } = await client.search(slapd.usersDn, { filter: '(uid=jose)' });
    assert.equal(searchEntries[0]?.cn, 'José Müller-Øster');
    assert.equal(searchEntries[0]?.sn, 'Müller-Øster');
    assert.equal(searchEntries[0]?.homePhone, '+49 30 1234567');
  });

  it('returns the jpegPhoto of paula byte for byte, non-UTF-8 bytes included', async () => {
    const client = await connectAsService();
    const { searchEntries } = await client.search(slapd.usersDn, {
      filter: '(uid=paula)',
      attributes: ['jpegPhoto'],
      explicitBufferAttributes: ['jpegPhoto'],
    });
    const photo = searchEntries[0]?.jpegPhoto;
    assert.ok(Buffer.isBuffer(photo));
    assert.equal(photo.toString('base64'), PAULA_PHOTO_BASE64);
    assert.equal(photo.subarray(0, 4).toString('hex'), 'ffd8ffe0');
    assert.ok(photo.includes(Buffer.from([0xff, 0xfe, 0x80, 0xc3, 0x28])));
  });

  it('has two users behind frontdesk@example.com and behind extension 200', async () => {
    const client = await connectAsService();
    for (const filter of ['(mail=frontdesk@example.com)', '(telephoneNumber=200)']) {
      const { searchEntries } = await client.search(slapd.usersDn, { filter, attributes: ['uid'] });
      const uids = searchEntries.map((entry) => entry.uid).sort();
      assert.deepEqual(uids, ['frontdesk1', 'frontdesk2']);
    }
  });
});

describe('test slapd with an idle timeout', () => {
  let slapd: SlapdHandle;

  before(async () => {
    slapd = await startSlapd({ idleTimeoutSeconds: 1, bulkUsers: 0 });
  });

  after(async () => {
    await slapd?.stop();
  });

  it('drops a connection that stays idle past the timeout', async () => {
    const client = new Client({ url: slapd.url, connectTimeout: 2000 });
    await client.bind(slapd.serviceDn, slapd.servicePassword);
    assert.equal(client.isConnected, true);

    // slapd checks for idle connections a few times per timeout period.
    const deadline = Date.now() + 5000;
    while (client.isConnected && Date.now() < deadline) await sleep(100);
    assert.equal(client.isConnected, false);
  });
});

describe('startSlapd().stop()', () => {
  it('ends the slapd process and deletes its directory', async () => {
    const slapd = await startSlapd({ bulkUsers: 0 });
    assert.equal(isRunning(slapd.pid), true);

    await slapd.stop();
    assert.equal(isRunning(slapd.pid), false);
    assert.equal(existsSync(slapd.dir), false);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A zombie has exited already; it only waits to be reaped by its new parent. */
function isRunning(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2];
    return state !== 'Z';
  } catch {
    return false;
  }
}
