import { createHash, timingSafeEqual } from 'node:crypto';

import { valuesOf, type DirectoryTree } from './directory-tree.js';
import {
  ldapjs,
  type Handler,
  type LdapBindRequest,
  type LdapConnection,
  type LdapResponse,
} from './ldapjs-shapes.js';
import { ResultCode } from './result-code.js';

export interface BindOutcome {
  status: number;
  message: string;
}

/**
 * Handles simple binds with a DN. (ldapjs answers the anonymous bind, empty DN and empty
 * password, itself before any handler runs.)
 */
export function createBindHandler(tree: DirectoryTree): Handler<LdapBindRequest, LdapResponse> {
  return (request, response, next) => {
    const outcome = checkSimpleBind(tree, request.dn, request.credentials);
    if (outcome.status !== ResultCode.success) {
      // RFC 4511 §4.2.1: a failed bind leaves the connection anonymous. ldapjs only ever
      // updates the bind DN on success, so the demo resets it here.
      markAnonymous(request.connection);
      response.diagnosticMessage = outcome.message;
    }
    response.end(outcome.status);
    return next();
  };
}

/**
 * Checks a simple bind against the entry's cleartext userPassword.
 *
 * A DN with an empty password is an "unauthenticated bind" (RFC 4513 §5.1.2): it proves nothing,
 * and servers should refuse it by default, so the demo answers unwillingToPerform (53) rather
 * than letting it look like a login. Unknown DNs and wrong passwords get the same answer (49),
 * so a client cannot tell which accounts exist.
 */
export function checkSimpleBind(tree: DirectoryTree, dn: string, password: string): BindOutcome {
  if (password === '') {
    return {
      status: ResultCode.unwillingToPerform,
      message: 'unauthenticated bind (DN with an empty password) is not allowed',
    };
  }
  const entry = tree.find(dn);
  const stored = entry ? valuesOf(entry, 'userPassword') : [];
  if (!stored.some((value) => samePassword(value, password))) {
    return { status: ResultCode.invalidCredentials, message: 'invalid credentials' };
  }
  return { status: ResultCode.success, message: '' };
}

/** Whether the connection is bound as an entry of this directory. */
export function isAuthenticated(tree: DirectoryTree, connection: LdapConnection): boolean {
  return tree.find(connection.ldap.bindDN) !== undefined;
}

function markAnonymous(connection: LdapConnection): void {
  connection.ldap.bindDN = ldapjs.parseDN('cn=anonymous');
}

/** Compares digests so the time taken does not reveal how much of the password was right. */
function samePassword(stored: string | Buffer, given: string): boolean {
  const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(stored), digest(given));
}
