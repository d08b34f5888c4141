/**
 * An in-process LDAP server on 127.0.0.1 that answers like Active Directory, for tests: OpenLDAP
 * cannot refuse a bind with AD's sub-codes. Users live under CN=Users with sAMAccountName,
 * userPrincipalName, userAccountControl and binary objectGUID and objectSid; a bind is refused
 * with result 49 and AD's exact diagnostic message for the account's state (./ad-accounts.ts).
 * Searches are the demo directory's (core/demo). Binds must name a DN: ldapjs refuses a UPN or
 * DOMAIN\user bind name with result 34 before any handler runs.
 */
import { createHash } from 'node:crypto';

import { DirectoryTree, type DirectoryEntry } from '../../core/demo/directory-tree.js';
import { installSearchFilterFix } from '../../core/demo/ldapjs-filter-fix.js';
import { closeServer, listen, trackSockets } from '../../core/demo/server-lifecycle.js';
import {
  ldapjs,
  type Handler,
  type LdapBindRequest,
  type LdapResponse,
  type LdapServer,
} from '../../core/demo/ldapjs-shapes.js';
import type { LdifRecord, LdifValue } from '../../core/demo/ldif.js';
import { ResultCode } from '../../core/demo/result-code.js';
import { createSearchHandler } from '../../core/demo/search-handler.js';
import {
  AccountFlag,
  bindMessage,
  bindSubCode,
  toFileTime,
  type AdAccount,
  type BindContext,
} from './ad-accounts.js';

export type AttributeInput = LdifValue | LdifValue[];

export interface AdUserSpec {
  /** sAMAccountName; the UPN is NAME@ad.example.com. */
  name: string;
  /** The CN of the entry's DN. @default name */
  cn?: string;
  /** Absent for an entry that is no security principal (a contact): a bind as it answers 525. */
  password?: string;
  /** @default 0x200 (NORMAL_ACCOUNT) */
  userAccountControl?: number;
  /** Further attributes as AD holds them: mail, lockoutTime, pwdLastSet, logonHours... */
  attributes?: Record<string, AttributeInput>;
  /**
   * False for a directory that accepts the right password whatever the account's state, as one
   * holding a copy of AD's entries would. A lockout and a wrong password are refused anyway.
   * @default true
   */
  enforcesAccountState?: boolean;
}

export interface AdDirectoryOptions {
  /** The domain's maxPwdAge in days. @default 42 (AD's default) */
  maxPasswordAgeDays?: number;
}

/** One bind the server answered, with the DN as sent. */
export interface BindAttempt {
  dn: string;
  /** 0 for success, 49 for a refusal with a sub-code, 53 for an unauthenticated bind. */
  resultCode: number;
  /** AD's `data` sub-code of a 49. */
  subCode?: number;
}

export interface AdDirectory {
  /** ldap://127.0.0.1:PORT */
  url: string;
  /** DC=ad,DC=example,DC=com */
  baseDn: string;
  /** CN=Users,DC=ad,DC=example,DC=com */
  usersDn: string;
  serviceDn: string;
  servicePassword: string;
  /** The name AD checks userWorkstations against: the DC's own. */
  workstation: string;
  /** Every bind answered so far, oldest first. */
  binds: BindAttempt[];
  /** The DN of a user by sAMAccountName. */
  dnOf(name: string): string;
  close(): Promise<void>;
}

const BASE_DN = 'DC=ad,DC=example,DC=com';
const USERS_DN = `CN=Users,${BASE_DN}`;
const DOMAIN = 'ad.example.com';
const WORKSTATION = 'DC01';
const SERVICE_PASSWORD = 'svc-pw-1';
const SERVICE: AdUserSpec = {
  name: 'svc-gateway',
  cn: 'Gateway Service',
  password: SERVICE_PASSWORD,
};
const DAY_MS = 86_400_000;

/** Starts the server on a free 127.0.0.1 port with these users and a service account. */
export async function startAdDirectory(
  users: AdUserSpec[],
  options: AdDirectoryOptions = {},
): Promise<AdDirectory> {
  // 1. The tree, and the account behind each entry that has a password.
  const specs = [SERVICE, ...users];
  const tree = DirectoryTree.fromRecords([
    record(BASE_DN, { objectClass: ['top', 'domain', 'domainDNS'], dc: 'ad' }),
    record(USERS_DN, { objectClass: ['top', 'container'], cn: 'Users' }),
    ...specs.map(userRecord),
  ]);
  const accounts = accountsOf(tree, specs);

  // 2. AD's binds, the demo directory's searches.
  const binds: BindAttempt[] = [];
  const maxPasswordAgeMs = (options.maxPasswordAgeDays ?? 42) * DAY_MS;
  const context = (): BindContext => ({
    now: new Date(),
    workstation: WORKSTATION,
    maxPasswordAgeMs,
  });
  installSearchFilterFix();
  const server = ldapjs.createServer({ log: SILENT });
  server.bind('', createAdBindHandler(tree, accounts, binds, context));
  server.search('', createSearchHandler(tree));
  server.on('error', () => {});
  const sockets = trackSockets(server);
  await listen(server, 0, '127.0.0.1');

  return {
    url: server.url,
    baseDn: BASE_DN,
    usersDn: USERS_DN,
    serviceDn: dnOf(SERVICE),
    servicePassword: SERVICE_PASSWORD,
    workstation: WORKSTATION,
    binds,
    dnOf: (name) => dnOf(specNamed(users, name)),
    close: () => closeServer(server, sockets),
  };
}

function accountsOf(tree: DirectoryTree, specs: AdUserSpec[]): Map<DirectoryEntry, AdAccount> {
  const accounts = new Map<DirectoryEntry, AdAccount>();
  for (const { password, ...spec } of specs) {
    if (password === undefined) continue;
    const entry = tree.find(dnOf(spec))!;
    const enforcesAccountState = spec.enforcesAccountState ?? true;
    accounts.set(entry, { entry, password, enforcesAccountState });
  }
  return accounts;
}

function specNamed(users: AdUserSpec[], name: string): AdUserSpec {
  const spec = users.find((user) => user.name.toLowerCase() === name.toLowerCase());
  if (!spec) throw new Error(`ad-directory: no user ${name}`);
  return spec;
}

function createAdBindHandler(
  tree: DirectoryTree,
  accounts: Map<DirectoryEntry, AdAccount>,
  binds: BindAttempt[],
  context: () => BindContext,
): Handler<LdapBindRequest, LdapResponse> {
  return (request, response, next) => {
    const dn = String(request.dn);
    if (request.credentials === '') {
      // An unauthenticated bind (RFC 4513 5.1.2); AD can be set to refuse them, and this one is.
      binds.push({ dn, resultCode: ResultCode.unwillingToPerform });
      request.connection.ldap.bindDN = ldapjs.parseDN('cn=anonymous');
      response.diagnosticMessage = 'unauthenticated binds are refused';
      response.end(ResultCode.unwillingToPerform);
      return next();
    }
    const entry = tree.find(request.dn);
    const subCode = bindSubCode(entry && accounts.get(entry), request.credentials, context());
    if (subCode === undefined) {
      binds.push({ dn, resultCode: ResultCode.success });
      response.end(ResultCode.success);
      return next();
    }
    binds.push({ dn, resultCode: ResultCode.invalidCredentials, subCode });
    // A failed bind leaves the connection anonymous (RFC 4511 4.2.1); ldapjs does not.
    request.connection.ldap.bindDN = ldapjs.parseDN('cn=anonymous');
    response.diagnosticMessage = bindMessage(subCode);
    response.end(ResultCode.invalidCredentials);
    return next();
  };
}

function userRecord(spec: AdUserSpec): LdifRecord {
  return record(dnOf(spec), {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    cn: spec.cn ?? spec.name,
    sAMAccountName: spec.name,
    userPrincipalName: `${spec.name}@${DOMAIN}`,
    userAccountControl: String(spec.userAccountControl ?? AccountFlag.normalAccount),
    objectGUID: objectGuid(spec.name),
    objectSid: objectSid(spec.name),
    pwdLastSet: String(toFileTime(new Date())),
    accountExpires: '9223372036854775807',
    lockoutTime: '0',
    ...spec.attributes,
  });
}

function record(dn: string, attributes: Record<string, AttributeInput>): LdifRecord {
  const values = Object.entries(attributes).map(([name, value]): [string, LdifValue[]] => [
    name,
    Array.isArray(value) ? value : [value],
  ]);
  return { dn, line: 0, attributes: new Map(values) };
}

function dnOf(spec: AdUserSpec): string {
  return `CN=${spec.cn ?? spec.name},${USERS_DN}`;
}

/** 16 bytes fixed by the name; the first is 0xff so that reading it as UTF-8 would mangle it. */
function objectGuid(name: string): Buffer {
  const guid = createHash('sha256').update(`guid:${name}`).digest().subarray(0, 16);
  guid[0] = 0xff;
  return Buffer.from(guid);
}

/** S-1-5-21-X-Y-Z-RID in AD's binary form: the authority big-endian, the rest little-endian. */
function objectSid(name: string): Buffer {
  const rid = 1000 + (createHash('sha256').update(`rid:${name}`).digest().readUInt16BE(0) % 9000);
  const sid = Buffer.alloc(8 + 5 * 4);
  sid.writeUInt8(1, 0); // revision
  sid.writeUInt8(5, 1); // subauthority count
  sid.writeUIntBE(5, 2, 6); // NT authority
  [21, 1_004_336_348, 1_177_238_915, 682_003_330, rid].forEach((value, index) =>
    sid.writeUInt32LE(value, 8 + index * 4),
  );
  return sid;
}

const SILENT = { trace() {}, debug() {}, warn() {}, error() {} };
