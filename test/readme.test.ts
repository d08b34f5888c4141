import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

import { loadSettingsFile } from '../config/load.js';
import { startGateway, type RunningGateway } from '../core/gateway.js';
import { createLogger } from '../core/logger.js';
import { createMetrics } from '../core/metrics.js';
import { projectRoot } from '../core/project-root.js';

const run = promisify(execFile);
const README_URL = 'http://127.0.0.1:8080';

/** The curl lines of the README's "Start it" section, in order. */
function readmeCurls(): string[] {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const section = readme.split('## Start it')[1]?.split('\n## ')[0] ?? '';
  return section.split('\n').filter((line) => line.startsWith('curl '));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the README on the shipped gateway.yaml and demo directory', () => {
  let gateway: RunningGateway;
  let folder: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'ldap-gateway-readme-'));
    const settings = loadSettingsFile(join(projectRoot, 'gateway.yaml'), { env: {} });
    // Same file, moved to free ports and a throw-away store so it runs beside anything else.
    const demoPort = await freePort();
    settings.server.port = 0;
    settings.demo.port = demoPort;
    settings.organizations['demo']!.serverUrl = `ldap://127.0.0.1:${demoPort}`;
    settings.store.path = join(folder, 'gateway.db');
    const logger = createLogger('silent');
    gateway = await startGateway({
      settings,
      logger,
      metrics: createMetrics({ processMetrics: false }),
    });
  });
  after(async () => {
    await gateway?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('has curl commands that work verbatim, but for the port', async () => {
    const curls = readmeCurls();
    assert.ok(curls.length >= 8, `found ${curls.length} curl lines`);
    const outputs: string[] = [];
    for (const line of curls) {
      const command = line.replaceAll(README_URL, gateway.url);
      const { stdout } = await run('bash', ['-c', command], { timeout: 10000 });
      outputs.push(stdout);
    }
    const [signIn, wrong, contacts, callerId, vcard] = outputs;
    const [autoLink, manual, list, unlink, startImport, imports, health, metrics] =
      outputs.slice(5);
    assert.match(signIn!, /"dn":"uid=alice,ou=people,dc=demo,dc=example,dc=com"/);
    assert.match(wrong!, /"code":"invalid_credentials"/);
    assert.match(contacts!, /"displayName":"[^"]*Müller[^"]*"/);
    assert.match(contacts!, /"nextCursor":"/);
    assert.match(callerId!, /"match":"exact","ambiguous":false,"contact":\{[^]*"id":"alice"/);
    assert.match(vcard!, /^BEGIN:VCARD\r\nVERSION:4\.0\r\n[^]*FN:Alice Martin\r\n/);
    const links = JSON.parse(autoLink!);
    assert.deepEqual(
      links.linked.map((link: { userId: string }) => link.userId),
      ['u-1'],
    );
    assert.deepEqual(
      links.ambiguous.map((link: { userId: string }) => link.userId),
      ['u-2'],
    );
    assert.deepEqual(
      links.unmatched.map((link: { userId: string }) => link.userId),
      ['u-3'],
    );
    assert.match(manual!, /"method":"manual"/);
    assert.match(list!, /"userId":"u-4"/);
    assert.equal(unlink!.trim(), '204');
    assert.match(startImport!, /"import":\{"id":"[0-9a-f-]{36}","status":"queued"/);
    assert.match(imports!, /"imports":\[\{"id":"[0-9a-f-]{36}"/);
    assert.match(health!, /"status":"ok"/);
    assert.match(
      metrics!,
      /gateway_sign_ins_total\{org="demo",method="simple",outcome="authenticated"\} 1/,
    );
  });
});
