import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { startTestGateway, type TestGateway } from '../support/gateway.js';

/** A TCP server that accepts connections and never says anything, like a hung directory. */
async function startSilentServer(): Promise<{ url: string; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `ldap://127.0.0.1:${port}`, server, sockets };
}

describe('a directory that accepts connections but never answers', () => {
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  let gateway: TestGateway;

  before(async () => {
    silent = await startSilentServer();
    const organization = {
      serverUrl: silent.url,
      directoryDomain: 'ldap.example.com',
      bindUsername: 'cn=gateway,dc=ldap,dc=example,dc=com',
      bindPassword: 'gatewaypw',
      userIdAttribute: 'uid',
      timeouts: { connectMs: 500, operationMs: 500 },
    };
    gateway = await startTestGateway(
      { hung: organization, hungtls: { ...organization, startTls: true } },
      { server: { requestTimeoutMs: 20000 } },
    );
  });
  after(async () => {
    await gateway?.stop();
    for (const socket of silent.sockets) socket.destroy();
    await new Promise((resolve) => silent.server.close(resolve));
  });

  const cases: Array<[string, string, string]> = [
    ['POST', '/v1/orgs/hung/auth', 'a sign-in'],
    ['GET', '/v1/orgs/hung/contacts?q=x', 'a contact query'],
    ['POST', '/v1/orgs/hungtls/auth', 'a sign-in that starts with StartTLS'],
  ];
  for (const [method, path, why] of cases) {
    it(`answers ${why} with 503 directory_unavailable after the operation timeout`, async () => {
      const body = method === 'POST' ? { username: 'alice', password: 'alice-pw' } : undefined;
      const response = await gateway.request(method, path, body);
      assert.equal(response.status, 503, response.text);
      assert.equal(response.body.error.code, 'directory_unavailable');
    });
  }
});
