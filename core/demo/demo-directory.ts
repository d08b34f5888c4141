/**
 * The embedded demo directory: an LDAP server loaded from an LDIF file, so the gateway can be
 * tried without a company directory.
 *
 * Built on ldapjs, whose repository is archived upstream. That is acceptable for a demo that only
 * listens on the loopback interface; the gateway itself talks to real directories with ldapts.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';

import { createBindHandler } from './bind-handler.js';
import { DirectoryTree } from './directory-tree.js';
import { ldapjs, type LdapjsLog, type LdapResponse, type LdapServer } from './ldapjs-shapes.js';
import { installSearchFilterFix } from './ldapjs-filter-fix.js';
import { closeServer, listen, trackSockets } from './server-lifecycle.js';
import { parseLdif } from './ldif.js';
import { ResultCode } from './result-code.js';
import { createSearchHandler } from './search-handler.js';

export interface DemoDirectoryOptions {
  /** The LDIF file to serve; its first entry is the base DN (e.g. config/demo/people.ldif). */
  ldifPath: string;
  /**
   * Address to listen on. Keep it on loopback: the demo stores cleartext passwords.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * TCP port; 0 picks a free one, read it back from `url`.
   * @default 0
   */
  port?: number;
  /** Receives protocol errors from clients (warn) and handler failures (error). */
  logger?: Logger;
}

export interface DemoDirectory {
  /** e.g. `ldap://127.0.0.1:40123`. */
  url: string;
  /** DN of the first LDIF entry, e.g. `dc=demo,dc=example,dc=com`. */
  baseDn: string;
  /** Number of entries served, including the base entry. */
  entryCount: number;
  /** Stops listening and drops open connections; resolves once the port is free. */
  close(): Promise<void>;
}

/** Loads the LDIF file and starts serving it over LDAP (read-only, simple binds). */
export async function startDemoDirectory(options: DemoDirectoryOptions): Promise<DemoDirectory> {
  const tree = DirectoryTree.fromRecords(parseLdif(await readFile(options.ldifPath, 'utf8')));
  // ldapjs 3 garbles escaped and non-ASCII filter values unless this is in place.
  installSearchFilterFix();
  const log = options.logger?.child({ plugin: 'demo-directory' });
  const server = ldapjs.createServer({ log: ldapjsLog(log) });
  mountHandlers(server, tree);
  // Without an 'error' listener, one malformed client packet would crash the whole process.
  server.on('error', (error) => log?.warn({ err: error }, 'demo directory: protocol error'));

  const sockets = trackSockets(server);
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url: server.url,
    baseDn: tree.baseDn,
    entryCount: tree.size,
    close: () => closeServer(server, sockets),
  };
}

function mountHandlers(server: LdapServer, tree: DirectoryTree): void {
  // Mounted at the root DN so that binds and searches outside the tree reach the handlers too,
  // which answer them as a real server would (49 and 32).
  server.bind('', createBindHandler(tree));
  server.search('', createSearchHandler(tree));

  const readOnly = (_request: unknown, response: LdapResponse) => {
    response.diagnosticMessage = 'the demo directory is read-only';
    response.end(ResultCode.unwillingToPerform);
  };
  server.add('', readOnly);
  server.del('', readOnly);
  server.modify('', readOnly);
  server.modifyDN('', readOnly);
  server.compare('', readOnly);
}

/**
 * ldapjs logs every request at debug level, bind passwords included, so only its warnings and
 * errors are passed on. Its warnings are mostly clients hanging up, hence debug.
 */
function ldapjsLog(log: Logger | undefined): LdapjsLog {
  const ignore = () => {};
  return {
    trace: ignore,
    debug: ignore,
    warn: (...args) => log?.debug({ ldapjs: args.map(String) }, 'demo directory: ldapjs warning'),
    error: (...args) => log?.error({ ldapjs: args.map(String) }, 'demo directory: ldapjs error'),
  };
}
