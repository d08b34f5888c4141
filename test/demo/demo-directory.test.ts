import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  Client,
  EqualityFilter,
  SubstringFilter,
  type Entry,
  type Filter,
  type SearchOptions,
} from 'ldapts';
import pino from 'pino';

import { startDemoDirectory, type DemoDirectory } from '../../core/demo/demo-directory.js';
import { parseLdif } from '../../core/demo/ldif.js';

const ldifPath = fileURLToPath(new URL('../../../config/demo/people.ldif', import.meta.url));
const BASE = 'dc=demo,dc=example,dc=com';
const PEOPLE = `ou=people,${BASE}`;
const SERVICE = `cn=gateway,${BASE}`;
const SERVICE_PASSWORD = 'demo-service-pw';
const ALICE = `uid=alice,${PEOPLE}`;

let directory: DemoDirectory;

before(async () => {
  directory = await startDemoDirectory({ ldifPath });
});

after(async () => {
  await directory.close();
});

/** Runs `use` with a fresh client, which is always unbound afterwards. */
async function withClient<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: directory.url, timeout: 5000, connectTimeout: 5000 });
  try {
    return await use(client);
  } finally {
    await client.unbind();
  }
}

/** Binds as the service account and searches under ou=people. */
async function searchPeople(options: SearchOptions): Promise<Entry[]> {
  return withClient(async (client) => {
    await client.bind(SERVICE, SERVICE_PASSWORD);
    const { searchEntries } = await client.search(PEOPLE, options);
    return searchEntries;
  });
}

async function uidsMatching(filter: string | Filter): Promise<string[]> {
  const entries = await searchPeople({ filter, attributes: ['uid'] });
  return entries.map((entry) => String(entry['uid'])).sort();
}

/** Asserts that `action` fails with the LDAP result code `code`. */
async function rejectsWithCode(action: () => Promise<unknown>, code: number): Promise<void> {
  await assert.rejects(action, (error: unknown) => {
    assert.equal((error as { code?: unknown }).code, code, String(error));
    return true;
  });
}

describe('startDemoDirectory', () => {
  it('listens on 127.0.0.1 and reports the base DN and entry count', () => {
    assert.match(directory.url, /^ldap:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(directory.baseDn, BASE);
    assert.equal(directory.entryCount, 303);
  });

  it('starts within a second and frees its port on close', async () => {
    const started = performance.now();
    const second = await startDemoDirectory({ ldifPath });
    assert.ok(performance.now() - started < 1000, 'startup took more than a second');

    const port = Number(new URL(second.url).port);
    await second.close();
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });

  it('closes even while clients are still connected', async () => {
    const second = await startDemoDirectory({ ldifPath });
    const client = new Client({ url: second.url });
    await client.bind(SERVICE, SERVICE_PASSWORD);
    await second.close();
    await client.unbind().catch(() => undefined);
  });

  it('logs a request that is not LDAP as a warning and keeps serving', async () => {
    const lines: Array<{ level: number; msg: string; plugin?: string }> = [];
    const write = (line: string) => lines.push(JSON.parse(line));
    const logger = pino({ level: 'debug' }, { write });
    const second = await startDemoDirectory({ ldifPath, logger });
    try {
      const socket = connect(Number(new URL(second.url).port), '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      // A well-formed LDAPMessage envelope around an unknown protocol operation (0x99).
      socket.end(Buffer.from([0x30, 0x05, 0x02, 0x01, 0x01, 0x99, 0x00]));
      await new Promise<void>((resolve) => socket.once('close', () => resolve()));

      const warning = lines.find((line) => line.msg === 'demo directory: protocol error');
      assert.equal(warning?.level, 40);
      assert.equal(warning?.plugin, 'demo-directory');
      const client = new Client({ url: second.url });
      await client.bind(SERVICE, SERVICE_PASSWORD);
      await client.unbind();
    } finally {
      await second.close();
    }
  });

  it('never logs passwords', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
    const second = await startDemoDirectory({ ldifPath, logger });
    try {
      const client = new Client({ url: second.url });
      await client.bind(SERVICE, SERVICE_PASSWORD);
      await client.search(PEOPLE, { filter: '(uid=alice)' });
      await client.unbind();
    } finally {
      await second.close();
    }
    assert.ok(!lines.join('\n').includes(SERVICE_PASSWORD));
  });

  it('refuses an LDIF file whose entry comes before its parent, naming the line', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'demo-directory-'));
    try {
      const path = join(folder, 'orphan.ldif');
      await writeFile(path, 'dn: dc=x\ndc: x\n\ndn: uid=a,ou=missing,dc=x\nuid: a\n');
      await assert.rejects(startDemoDirectory({ ldifPath: path }), /line 4: the parent of/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('demo directory simple bind', () => {
  const accepted: Array<[dn: string, password: string, why: string]> = [
    [SERVICE, SERVICE_PASSWORD, 'the service account with its password'],
    [ALICE, 'alice-demo', 'a person with their password'],
    ['UID=Alice, OU=People,DC=Demo,DC=Example,DC=Com', 'alice-demo', 'a DN in another spelling'],
    [`cn=Smith\\2C John,${PEOPLE}`, 'jsmith-demo', 'a DN whose comma is hex-escaped'],
  ];
  for (const [dn, password, why] of accepted) {
    it(`accepts ${why}`, () => withClient((client) => client.bind(dn, password)));
  }

  const rejected: Array<[dn: string, password: string, code: number, why: string]> = [
    [ALICE, 'wrong', 49, 'a wrong password'],
    [ALICE, 'ALICE-DEMO', 49, 'a password in the wrong case'],
    [`uid=nobody,${PEOPLE}`, 'alice-demo', 49, 'an unknown DN like a wrong password'],
    ['cn=admin,dc=elsewhere', 'x', 49, 'a DN outside the directory like a wrong password'],
    [PEOPLE, 'x', 49, 'an entry that has no password'],
    [ALICE, '', 53, 'an empty password (unauthenticated bind, RFC 4513 §5.1.2)'],
  ];
  for (const [dn, password, code, why] of rejected) {
    it(`rejects ${why} with result code ${code}`, () =>
      withClient((client) => rejectsWithCode(() => client.bind(dn, password), code)));
  }

  it('leaves a connection anonymous after an empty-password bind', () =>
    withClient(async (client) => {
      await rejectsWithCode(() => client.bind(ALICE, ''), 53);
      await rejectsWithCode(() => client.search(PEOPLE, { filter: '(uid=alice)' }), 50);
    }));

  it('drops an earlier authentication when a later bind fails', () =>
    withClient(async (client) => {
      await client.bind(SERVICE, SERVICE_PASSWORD);
      await rejectsWithCode(() => client.bind(ALICE, 'wrong'), 49);
      await rejectsWithCode(() => client.search(PEOPLE, { filter: '(uid=alice)' }), 50);
    }));
});

describe('demo directory search access', () => {
  it('refuses to search on a connection that never bound', () =>
    withClient((client) => rejectsWithCode(() => client.search(PEOPLE, {}), 50)));

  it('refuses to search after an explicit anonymous bind', () =>
    withClient(async (client) => {
      await client.bind('', '');
      await rejectsWithCode(() => client.search(PEOPLE, {}), 50);
    }));

  it('lets a person search after binding as themselves', () =>
    withClient(async (client) => {
      await client.bind(ALICE, 'alice-demo');
      const { searchEntries } = await client.search(PEOPLE, { filter: '(uid=bob)' });
      assert.deepEqual(
        searchEntries.map((entry) => entry.dn),
        [`uid=bob,${PEOPLE}`],
      );
    }));

  it('answers noSuchObject (32) for a base that does not exist', () =>
    withClient(async (client) => {
      await client.bind(SERVICE, SERVICE_PASSWORD);
      await rejectsWithCode(() => client.search(`ou=nowhere,${BASE}`, {}), 32);
    }));

  it('is read-only: changes are refused with unwillingToPerform (53)', () =>
    withClient(async (client) => {
      await client.bind(SERVICE, SERVICE_PASSWORD);
      await rejectsWithCode(() => client.del(ALICE), 53);
    }));
});

describe('demo directory search results', () => {
  it('finds alice by uid with only the requested attributes', async () => {
    const entries = await searchPeople({
      filter: '(uid=alice)',
      attributes: ['cn', 'mail', 'telephoneNumber', 'mobile'],
    });
    assert.deepEqual(entries, [
      {
        dn: ALICE,
        cn: 'Alice Martin',
        mail: 'alice.martin@demo.example.com',
        telephoneNumber: ['2001', '+1 415 555 2001'],
        mobile: '+1 415 555 9001',
      },
    ]);
  });

  it('returns all user attributes when none are requested, but never userPassword', async () => {
    const [entry] = await searchPeople({ filter: '(uid=bob)' });
    assert.ok(entry);
    assert.equal(entry['cn'], 'Bob Nguyen');
    assert.equal(entry['title'], 'Software Engineer');
    assert.ok(!Object.keys(entry).some((name) => name.toLowerCase() === 'userpassword'));
  });

  it('does not return userPassword even when asked for it by name', async () => {
    const [entry] = await searchPeople({ filter: '(uid=bob)', attributes: ['userPassword'] });
    assert.deepEqual(entry, { dn: `uid=bob,${PEOPLE}`, userPassword: [] });
  });

  it('does not let filters test passwords', async () => {
    assert.deepEqual(await uidsMatching('(userPassword=alice-demo)'), []);
    assert.deepEqual(await uidsMatching('(userPassword=*)'), []);
  });

  const scopes: Array<[scope: SearchOptions['scope'], base: string, count: number]> = [
    ['base', BASE, 1],
    ['one', BASE, 2],
    ['sub', BASE, 303],
    ['one', PEOPLE, 300],
    ['base', ALICE, 1],
  ];
  for (const [scope, base, count] of scopes) {
    it(`finds ${count} entries with scope ${scope} at ${base.split(',')[0]}`, () =>
      withClient(async (client) => {
        await client.bind(SERVICE, SERVICE_PASSWORD);
        const { searchEntries } = await client.search(base, { scope, attributes: ['1.1'] });
        assert.equal(searchEntries.length, count);
      }));
  }

  it('returns every person through a paged search, 50 entries per page', () =>
    withClient(async (client) => {
      await client.bind(SERVICE, SERVICE_PASSWORD);
      const options: SearchOptions = {
        scope: 'one',
        filter: '(objectClass=inetOrgPerson)',
        attributes: ['uid'],
        paged: { pageSize: 50 },
      };
      const pageSizes: number[] = [];
      for await (const page of client.searchPaginated(PEOPLE, options)) {
        pageSizes.push(page.searchEntries.length);
      }
      assert.deepEqual(pageSizes, [50, 50, 50, 50, 50, 50]);

      const { searchEntries } = await client.search(PEOPLE, options);
      assert.equal(new Set(searchEntries.map((entry) => entry['uid'])).size, 300);
    }));

  it('returns attribute names without values when asked for types only', async () => {
    const [entry] = await searchPeople({
      filter: '(uid=bob)',
      attributes: ['cn', 'mail'],
      returnAttributeValues: false,
    });
    assert.deepEqual(entry, { dn: `uid=bob,${PEOPLE}`, cn: [], mail: [] });
  });

  it('refuses extensible match filters with unwillingToPerform (53)', () =>
    withClient(async (client) => {
      await client.bind(SERVICE, SERVICE_PASSWORD);
      const filter = '(cn:caseExactMatch:=Alice Martin)';
      await rejectsWithCode(() => client.search(PEOPLE, { filter }), 53);
    }));

  it('stops at the size limit the client asks for', async () => {
    const entries = await searchPeople({ scope: 'one', sizeLimit: 7, attributes: ['uid'] });
    assert.equal(entries.length, 7);
  });

  it('returns jpegPhoto bytes identical to the LDIF file', async () => {
    const records = parseLdif(readFileSync(ldifPath, 'utf8'));
    const stored = records.find((record) => record.dn === ALICE)?.attributes.get('jpegPhoto');
    const [entry] = await searchPeople({
      filter: '(uid=alice)',
      attributes: ['jpegPhoto'],
      explicitBufferAttributes: ['jpegPhoto'],
    });
    assert.ok(Buffer.isBuffer(entry?.['jpegPhoto']));
    assert.deepEqual(entry['jpegPhoto'], stored?.[0]);
  });
});

describe('demo directory filters', () => {
  const RECEPTION = ['reception-front', 'reception-lobby'];
  const cases: Array<[filter: string | Filter, uids: string[], why: string]> = [
    ['(UID=ALICE)', ['alice'], 'attribute names and values ignore case'],
    ['(mail=Alice.Martin@DEMO.example.com)', ['alice'], 'mail addresses ignore case'],
    ['(telephoneNumber=+14155552001)', ['alice'], 'phone numbers ignore spaces'],
    ['(telephoneNumber=+1-415-555-2001)', ['alice'], 'phone numbers ignore hyphens'],
    ['(telephoneNumber=2000)', RECEPTION, 'a shared extension finds both desks'],
    ['(&(uid=*)(|(uid=alice)(uid=bob))(!(uid=bob)))', ['alice'], 'and, or and not combine'],
    [
      '(&(ou=Facilities)(title=Receptionist)(!(mail=*)))',
      ['reception-lobby'],
      'presence tests find people without mail',
    ],
    ['(cn=Alice Mar*)', ['alice'], 'a prefix matches'],
    ['(cn=*Müller-Øster)', ['jose'], 'a non-ASCII suffix matches'],
    ['(cn=José Müller-Øster)', ['jose'], 'a non-ASCII value matches exactly'],
    ['(sn=*MÜLLER-ØSTER*)', ['jose'], 'non-ASCII letters ignore case'],
    ['(cn=Smith\\2c John)', ['jsmith'], 'a comma in a value matches'],
    [
      new EqualityFilter({ attribute: 'cn', value: 'Reception (Lobby)' }),
      ['reception-lobby'],
      'escaped parentheses match literally',
    ],
    [
      new EqualityFilter({ attribute: 'description', value: 'On call 24*7 for EMEA customers' }),
      ['jsmith'],
      'an escaped asterisk matches literally',
    ],
    [
      new SubstringFilter({ attribute: 'description', any: ['\\\\files\\home\\'] }),
      ['jsmith'],
      'escaped backslashes match literally',
    ],
    [new EqualityFilter({ attribute: 'cn', value: '*' }), [], 'an escaped asterisk is no wildcard'],
    ['(cn=*\\29)', RECEPTION, 'a hex-escaped parenthesis matches literally'],
  ];
  for (const [filter, uids, why] of cases) {
    it(`${why}: ${filter.toString()}`, async () => {
      assert.deepEqual(await uidsMatching(filter), uids);
    });
  }

  it('returns non-ASCII values unchanged', async () => {
    const [entry] = await searchPeople({ filter: '(uid=jose)', attributes: ['cn', 'sn'] });
    const expected = { dn: `uid=jose,${PEOPLE}`, cn: 'José Müller-Øster', sn: 'Müller-Øster' };
    assert.deepEqual(entry, expected);
  });

  it('finds the person whose DN has an escaped comma and lets them bind with that DN', async () => {
    const [entry] = await searchPeople({ filter: '(cn=Smith, John)', attributes: ['uid'] });
    assert.equal(entry?.dn, `cn=Smith\\, John,${PEOPLE}`);
    await withClient((client) => client.bind(entry.dn, 'jsmith-demo'));
  });
});
