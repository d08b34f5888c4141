/**
 * Proves that the bare dump asks slapd exactly what the gateway's import asks: both run once
 * through a recording TCP proxy, and their first search requests (the operation and its
 * controls, the message ID left out) must be the same bytes. Core may change the import's
 * search at any time; this turns a silent mismatch into a failed bench.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

import type { SlapdHandle } from '../../../test/support/slapd.js';
import { log } from '../report.js';
import { runBareDump } from './baselines.js';
import { GatewayProcess, IMPORT_ORGANIZATION } from './gateway-process.js';
import { importToEnd } from './import-client.js';
import type { ImportSearch } from './import-search.js';

/** LDAP's SearchRequest: [APPLICATION 3], constructed (RFC 4511 section 4.5.1). */
const SEARCH_REQUEST_TAG = 0x63;

/** Runs an import and a bare dump of `search` on `slapd` through a proxy; throws on a mismatch. */
export async function checkSameSearch(
  slapd: SlapdHandle,
  search: ImportSearch,
  nodeArgs: string[],
): Promise<void> {
  const proxy = await RecordingProxy.start(new URL(slapd.url));
  try {
    const viaProxy = { ...slapd, url: proxy.url };
    const gateway = await GatewayProcess.start(viaProxy, nodeArgs);
    try {
      await importToEnd(gateway.url, IMPORT_ORGANIZATION);
    } finally {
      await gateway.stop();
    }
    const gatewaySearch = proxy.takeFirstSearch();
    await runBareDump({ ...search, url: proxy.url });
    const bareSearch = proxy.takeFirstSearch();
    if (!gatewaySearch || !bareSearch || !gatewaySearch.equals(bareSearch)) {
      throw new Error(
        'bench: the bare dump does not send the search the import sends; bring ' +
          'scripts/bench/imports/import-search.ts in step with core/imports/read-directory.ts',
      );
    }
    log('imports: the import and the bare dump send byte-identical search requests');
  } finally {
    await proxy.close();
  }
}

/** Forwards connections to slapd and keeps what clients sent, connection by connection. */
class RecordingProxy {
  readonly url: string;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #sent: Buffer[][] = [];

  private constructor(server: Server) {
    this.#server = server;
    this.url = `ldap://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(target: URL): Promise<RecordingProxy> {
    const server = createServer();
    const proxy = new RecordingProxy(await listen(server));
    server.on('connection', (client) => proxy.#forward(client, target));
    return proxy;
  }

  /** The first search request sent since the last call, and forgets what was recorded. */
  takeFirstSearch(): Buffer | undefined {
    const sent = this.#sent;
    this.#sent = [];
    for (const chunks of sent) {
      const found = firstSearchRequest(Buffer.concat(chunks));
      if (found) return found;
    }
    return undefined;
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #forward(client: Socket, target: URL): void {
    const chunks: Buffer[] = [];
    this.#sent.push(chunks);
    const server = connect(Number(target.port), target.hostname);
    for (const socket of [client, server]) {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    }
    client.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
  }
}

function listen(server: Server): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * In a stream of LDAPMessages (SEQUENCE { messageID, protocolOp, controls }), the bytes from
 * the first SearchRequest's protocolOp to the end of its message; undefined if there is none.
 */
function firstSearchRequest(stream: Buffer): Buffer | undefined {
  let offset = 0;
  while (offset < stream.length) {
    const message = readLength(stream, offset + 1);
    const end = message.contentStart + message.length;
    const messageId = readLength(stream, message.contentStart + 1);
    const operation = messageId.contentStart + messageId.length;
    if (end > stream.length) return undefined;
    if (stream[operation] === SEARCH_REQUEST_TAG) return stream.subarray(operation, end);
    offset = end;
  }
  return undefined;
}

/** A BER length at `offset` (short or long form) and where the contents it measures begin. */
function readLength(bytes: Buffer, offset: number): { length: number; contentStart: number } {
  const first = bytes[offset] ?? 0;
  if (first < 0x80) return { length: first, contentStart: offset + 1 };
  let length = 0;
  const octets = first & 0x7f;
  for (let index = 1; index <= octets; index += 1)
    length = length * 256 + (bytes[offset + index] ?? 0);
  return { length, contentStart: offset + 1 + octets };
}
