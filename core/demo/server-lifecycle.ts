/** Starting and stopping an in-process ldapjs server, for the demo directory and test servers. */
import type { Socket } from 'node:net';

import type { LdapServer } from './ldapjs-shapes.js';

/** The server's open sockets, so that closing does not wait for clients that keep theirs. */
export function trackSockets(server: LdapServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.server.on('connection', (socket: Socket) => {
    // ldapjs writes each search entry separately; with Nagle's algorithm on, every search
    // would wait ~40 ms for the client's delayed ACK.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

export function listen(server: LdapServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
}

export function closeServer(server: LdapServer, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve, reject) => {
    // net.Server.close waits for open connections, and LDAP clients keep theirs open.
    for (const socket of sockets) socket.destroy();
    server.close((error) => (error ? reject(error) : resolve()));
  });
}
