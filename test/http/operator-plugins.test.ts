import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

import { Attribute, Change, Client } from 'ldapts';

import { loadSettingsFile, parseSettings } from '../../config/load.js';
import { ConfigError } from '../../core/errors.js';
import { startGateway } from '../../core/gateway.js';
import { createLogger } from '../../core/logger.js';
import { projectRoot } from '../../core/project-root.js';
import {
  fixtureOrganization,
  startGatewayWith,
  startTestGateway,
  TEST_TOKEN,
  type TestGateway,
} from '../support/gateway.js';
import { freePort, killHard, startGatewayProcess } from '../support/gateway-process.js';
import { allPages, startImport, waitForImport } from '../support/imports.js';
import { startSlapd, type SlapdHandle } from '../support/slapd.js';

const EXAMPLE = join(projectRoot, 'dist/plugins/example-department-labels/index.js');
const FAULTY = join(projectRoot, 'dist/test/fixtures/plugins/faulty.js');
const NOT_A_PLUGIN = join(projectRoot, 'dist/test/fixtures/plugins/not-a-plugin.js');
const NEVER_LOADS = join(projectRoot, 'dist/test/fixtures/plugins/never-loads.js');

const alice = 'uid=alice,ou=users,dc=ldap,dc=example,dc=com';
const bob = 'uid=bob,ou=users,dc=ldap,dc=example,dc=com';

describe('operator plugins from gateway.yaml', () => {
  let slapd: SlapdHandle;
  let folder: string;
  let gateway: TestGateway;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: 20 });
    const admin = new Client({ url: slapd.url });
    await admin.bind(slapd.adminDn, slapd.adminPassword);
    for (const [dn, number] of [
      [alice, '100'],
      [bob, '999'],
    ] as const) {
      await admin.modify(
        dn,
        new Change({
          operation: 'add',
          modification: new Attribute({ type: 'departmentNumber', values: [number] }),
        }),
      );
    }
    await admin.unbind();

    // An operator's folder: gateway.yaml and a plugin module next to it, named by a relative path.
    folder = mkdtempSync(join(tmpdir(), 'ldap-gateway-plugins-'));
    writeFileSync(
      join(folder, 'labels.js'),
      `export { default } from '${pathToFileURL(EXAMPLE).href}';\n`,
    );
    const organization = (mapping: unknown) => ({ ...fixtureOrganization(slapd), mapping });
    writeFileSync(
      join(folder, 'gateway.yaml'),
      JSON.stringify({
        server: { host: '127.0.0.1', port: 0 },
        logging: { level: 'silent' },
        store: { path: ':memory:' },
        api: { tokens: [{ name: 'test', token: TEST_TOKEN }] },
        plugins: [
          { module: './labels.js', options: { labels: { '100': 'Sales' } } },
          { module: FAULTY },
        ],
        organizations: {
          acme: organization([
            { type: 'default' },
            { type: 'department-labels', options: { field: 'team' } },
          ]),
          fragile: organization([
            { type: 'default' },
            { type: 'faulty-mapping', options: { failFor: 'bob' } },
          ]),
          'broken-auth': { ...fixtureOrganization(slapd), authMethod: 'faulty-auth' },
          'broken-sink': { ...fixtureOrganization(slapd), sink: { type: 'faulty-sink' } },
          'bad-phones': organization([{ type: 'default' }, { type: 'broken-phones' }]),
          'empty-auth': { ...fixtureOrganization(slapd), authMethod: 'empty-auth' },
          hanging: { ...fixtureOrganization(slapd), sink: { type: 'hanging-sink' } },
        },
      }),
    );
    gateway = await startGatewayWith(loadSettingsFile(join(folder, 'gateway.yaml'), { env: {} }));
  });
  after(async () => {
    await gateway?.stop();
    await slapd?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const contact = async (org: string, query: string) => {
    const response = await gateway.request('GET', `/v1/orgs/${org}/contacts?q=${query}`);
    assert.equal(response.status, 200, response.text);
    return response.body.contacts[0];
  };

  it('chains the example plugin after the default mapping, with listed and chosen options', async () => {
    const found = await contact('acme', 'alice');
    assert.equal(found.displayName, 'Alice Anderson', 'the default mapping ran first');
    assert.deepEqual(found.fields, { team: 'Sales' });
    assert.deepEqual((await contact('acme', 'bob')).fields, { team: '999' }, 'unlisted: as is');
    assert.equal((await contact('acme', 'jose')).fields, undefined);
  });

  it('maps imported contacts through the same chain', async () => {
    const record = await waitForImport(gateway, 'acme', await startImport(gateway, 'acme'));
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
    const contacts = await allPages(
      gateway,
      `/v1/orgs/acme/imports/${record.id}/contacts`,
      'contacts',
    );
    const imported = contacts.find((item) => item.dn === alice);
    assert.deepEqual(imported.fields, { team: 'Sales' });
  });

  it('fails only the request a mapping plugin throws in, and counts it', async () => {
    const response = await gateway.request('GET', '/v1/orgs/fragile/contacts?q=bob');
    assert.equal(response.status, 500, response.text);
    assert.equal(response.body.error.code, 'plugin_failed');
    assert.match(response.body.error.message, /faulty-mapping/);
    assert.doesNotMatch(response.text, /boom|at .*\.js/, 'no plugin message or stack shown');
    assert.equal((await contact('fragile', 'alice')).displayName, 'Alice Anderson');

    const record = await waitForImport(gateway, 'fragile', await startImport(gateway, 'fragile'));
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
    assert.deepEqual(record.skippedReasons, { mapping_failed: 1 });

    const metrics = await gateway.metrics.registry.metrics();
    const line =
      /gateway_plugin_errors_total\{org="fragile",kind="mapping",plugin="faulty-mapping"\} (\d+)/;
    assert.ok(Number(line.exec(metrics)?.[1]) >= 2, metrics);
  });

  it('blames a mapping for a malformed contact, and an auth method for no entry', async () => {
    const contacts = await gateway.request('GET', '/v1/orgs/bad-phones/contacts?q=alice');
    assert.equal(contacts.status, 500, contacts.text);
    assert.equal(contacts.body.error.code, 'plugin_failed');
    assert.match(contacts.body.error.message, /broken-phones/);
    const record = await waitForImport(
      gateway,
      'bad-phones',
      await startImport(gateway, 'bad-phones'),
    );
    assert.equal(record.status, 'needs_confirmation', 'every entry was skipped');
    assert.ok(record.skippedReasons.mapping_failed > 0);
    const signIn = await gateway.request('POST', '/v1/orgs/empty-auth/auth', {
      username: 'alice',
      password: 'alice-pw',
    });
    assert.equal(signIn.status, 500, signIn.text);
    assert.equal(signIn.body.error.code, 'plugin_failed');
  });

  it('cancels an import whose sink never answers', async () => {
    const id = await startImport(gateway, 'hanging');
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const { body } = await gateway.request('GET', `/v1/orgs/hanging/imports/${id}`);
      if (body.import.phase === 'delivering') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const cancel = await gateway.request('DELETE', `/v1/orgs/hanging/imports/${id}`);
    assert.equal(cancel.status, 200, cancel.text);
    const record = await waitForImport(gateway, 'hanging', id, 5000);
    assert.equal(record.status, 'cancelled');
  });

  it('answers plugin_failed when an auth plugin throws', async () => {
    const response = await gateway.request('POST', '/v1/orgs/broken-auth/auth', {
      username: 'alice',
      password: 'alice-pw',
    });
    assert.equal(response.status, 500, response.text);
    assert.equal(response.body.error.code, 'plugin_failed');
    assert.match(response.body.error.message, /faulty-auth/);
    // The plugin put the password into its error; the log has it taken out.
    const logged = JSON.stringify(gateway.logs);
    assert.doesNotMatch(logged, /alice-pw/);
    assert.match(logged, /boom in auth for alice with \[redacted\]/);
  });

  it('fails an import whose sink plugin throws, without applying it', async () => {
    const record = await waitForImport(
      gateway,
      'broken-sink',
      await startImport(gateway, 'broken-sink'),
    );
    assert.equal(record.status, 'failed');
    assert.equal(record.errorCode, 'sink_failed');
    const metrics = await gateway.metrics.registry.metrics();
    assert.match(metrics, /gateway_plugin_errors_total\{org="broken-sink",kind="sink"/);
  });
});

describe('start-up checks of operator plugins', () => {
  const refusal = async (document: Record<string, unknown>): Promise<string> => {
    const { acme, ...rest } = document;
    const settings = parseSettings(
      JSON.stringify({
        logging: { level: 'silent' },
        store: { path: ':memory:' },
        ...rest,
        organizations: {
          acme: {
            serverUrl: 'ldap://127.0.0.1:9',
            directoryDomain: 'example.com',
            organizationUnit: 'users',
            bindUsername: 'cn=gateway,dc=example,dc=com',
            bindPassword: 'pw',
            ...(acme as object),
          },
        },
      }),
      { env: {} },
    );
    const logger = createLogger('silent');
    const started = startGateway({ settings, logger });
    const error = await started.then(
      async (gateway) => {
        await gateway.stop();
        return assert.fail('the gateway started');
      },
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  };

  it('names the organization, the plugin and the option path of a bad option', async () => {
    const message = await refusal({
      plugins: [{ module: EXAMPLE }],
      acme: {
        mapping: [{ type: 'default' }, { type: 'department-labels', options: { field: '' } }],
      },
    });
    assert.match(
      message,
      /organizations\.acme\.mapping\[1\]\.options\.field: must NOT have fewer than 1 characters/,
    );
  });

  it('refuses options a plugin itself finds wrong, such as a broken pattern', async () => {
    const fields = { title: { attribute: 'title', prefer: '([' } };
    const message = await refusal({ acme: { mapping: { type: 'default', options: { fields } } } });
    assert.match(
      message,
      /organizations\.acme\.mapping\[0\]: the mapping plugin 'default' cannot start/,
    );
    assert.match(message, /fields\.title\.prefer/);
  });

  it('refuses a pattern that could backtrack for seconds on a directory value', async () => {
    const fields = { name: { attribute: 'cn', prefer: '^([\\p{L}]+\\s?)+$' } };
    const message = await refusal({ acme: { mapping: { type: 'default', options: { fields } } } });
    assert.match(message, /fields\.name\.prefer: a repeated group that repeats inside/);
  });

  it('refuses a sink with batches of nothing, and a plugin created asynchronously', async () => {
    const zero = await refusal({
      plugins: [{ module: FAULTY }],
      acme: { sink: { type: 'zero-batch-sink' } },
    });
    assert.match(
      zero,
      /organizations\.acme\.sink: the sink plugin 'zero-batch-sink' cannot start: batchSize must be/,
    );
    const later = await refusal({
      plugins: [{ module: FAULTY }],
      acme: { sink: { type: 'async-sink' } },
    });
    assert.match(later, /create\(\) returned a promise/);
  });

  it('checks options listed with the module too', async () => {
    const message = await refusal({
      plugins: [{ module: EXAMPLE, options: { labels: { '1': 2 } } }],
      acme: { mapping: [{ type: 'default' }, { type: 'department-labels' }] },
    });
    assert.match(message, /organizations\.acme\.mapping\[1\]\.options\.labels\.1: must be string/);
  });

  it('refuses a module it cannot load, or one that exports no valid plugin', async () => {
    const missing = await refusal({ plugins: [{ module: join(projectRoot, 'no-such.js') }] });
    assert.match(missing, /plugins\[0\] \(.*no-such\.js\): cannot load the module/);
    const invalid = await refusal({ plugins: [{ module: NOT_A_PLUGIN }] });
    assert.match(invalid, /plugins\[0\] \(.*not-a-plugin\.js\): plugin type: must match pattern/);
    assert.match(invalid, /kind: must be equal to one of the allowed values/);
    assert.match(invalid, /must have required property 'create'/);
  });

  it('refuses a module that never finishes loading, after ten seconds', async () => {
    const stuck = await refusal({ plugins: [{ module: NEVER_LOADS }] });
    assert.match(stuck, /never-loads\.js\): cannot load the module: it did not finish loading/);
  });

  it('refuses a plugin type nobody provides, and a second plugin of a name', async () => {
    const unknown = await refusal({ acme: { authMethod: 'radius' } });
    assert.match(unknown, /organizations\.acme\.authMethod: no auth plugin named 'radius'/);
    const twice = await refusal({ plugins: [{ module: EXAMPLE }, { module: EXAMPLE }] });
    assert.match(twice, /plugins\[1\] .*department-labels'.*plugins\[0\]/);
  });
});

describe('a plugin throwing outside any request', () => {
  let slapd: SlapdHandle;
  let folder: string;
  let child: ChildProcess | undefined;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: 0 });
    folder = mkdtempSync(join(tmpdir(), 'ldap-gateway-stray-'));
  });
  after(async () => {
    if (child && child.exitCode === null) await killHard(child);
    await slapd?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('does not take the gateway down', async () => {
    const port = await freePort();
    const config = join(folder, 'gateway.yaml');
    writeFileSync(
      config,
      JSON.stringify({
        server: { host: '127.0.0.1', port },
        store: { path: join(folder, 'gateway.db') },
        api: { tokens: [{ name: 'test', token: TEST_TOKEN }] },
        plugins: [{ module: FAULTY }],
        organizations: {
          acme: { ...fixtureOrganization(slapd), authMethod: 'faulty-auth' },
        },
      }),
    );
    child = await startGatewayProcess(config);
    const base = `http://127.0.0.1:${port}`;
    const response = await fetch(`${base}/v1/orgs/acme/auth`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'timer-bomb', password: 'x' }),
    });
    assert.equal(response.status, 500);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the timer goes off

    assert.equal(child.exitCode, null, 'still running');
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /gateway_uncaught_errors_total 2/);
  });
});
