import { isAuthenticated } from './bind-handler.js';
import type { DirectoryEntry, DirectoryTree } from './directory-tree.js';
import type {
  Handler,
  LdapControl,
  LdapSearchRequest,
  LdapSearchResponse,
} from './ldapjs-shapes.js';
import { normalizeFilter, UnsupportedFilterError } from './matching-rules.js';
import {
  findPageRequest,
  pageResponseControl,
  searchFingerprint,
  selectPage,
} from './paged-results.js';
import { ResultCode } from './result-code.js';
import { toSearchEntry } from './search-entry.js';

/** What a search answers: entries to send, then the SearchResultDone fields. */
export interface SearchOutcome {
  status: number;
  message: string;
  matchedDn: string;
  entries: DirectoryEntry[];
  control?: LdapControl;
}

export function createSearchHandler(
  tree: DirectoryTree,
): Handler<LdapSearchRequest, LdapSearchResponse> {
  return (request, response, next) => {
    const outcome = runSearch(tree, request);
    for (const entry of outcome.entries) {
      response.send(toSearchEntry(response, entry, request.attributes, request.typesOnly));
    }
    if (outcome.control) response.addControl(outcome.control);
    response.matchedDN = outcome.matchedDn;
    response.diagnosticMessage = outcome.message;
    response.end(outcome.status);
    return next();
  };
}

/** Evaluates a search request against the tree without sending anything. */
export function runSearch(tree: DirectoryTree, request: LdapSearchRequest): SearchOutcome {
  // 1. Like most company directories, nothing is readable before a bind.
  if (!isAuthenticated(tree, request.connection)) {
    const message = 'search requires an authenticated bind; bind as the service account first';
    return failure(ResultCode.insufficientAccessRights, message);
  }

  // 2. The base must exist; matchedDN names the deepest part that does (RFC 4511 §4.1.9).
  const base = tree.find(request.dn);
  if (!base) {
    const matched = tree.closestAncestor(request.dn)?.dn ?? '';
    return { ...failure(ResultCode.noSuchObject, 'no such object'), matchedDn: matched };
  }

  // 3. Evaluate the filter over the scope, then apply the client's size limit.
  const matches = filterEntries(tree, base, request);
  if (!Array.isArray(matches)) return matches;
  const limit = request.sizeLimit > 0 ? request.sizeLimit : Infinity;
  const exceeded = matches.length > limit;
  const results = exceeded ? matches.slice(0, limit) : matches;

  // 4. Send everything at once, or one page of it.
  return page(request, results, exceeded);
}

function filterEntries(
  tree: DirectoryTree,
  base: DirectoryEntry,
  request: LdapSearchRequest,
): DirectoryEntry[] | SearchOutcome {
  try {
    const filter = normalizeFilter(request.filter);
    const inScope = tree.inScope(base, request.scope);
    return inScope.filter((entry) => filter.matches(entry.matchView, false));
  } catch (error) {
    if (!(error instanceof UnsupportedFilterError)) throw error;
    return failure(ResultCode.unwillingToPerform, error.message);
  }
}

function page(
  request: LdapSearchRequest,
  results: DirectoryEntry[],
  exceeded: boolean,
): SearchOutcome {
  const sizeStatus = exceeded ? ResultCode.sizeLimitExceeded : ResultCode.success;
  const sizeMessage = exceeded ? 'size limit exceeded' : '';
  const pageRequest = findPageRequest(request.controls);
  if (!pageRequest) {
    return { status: sizeStatus, message: sizeMessage, matchedDn: '', entries: results };
  }

  const fingerprint = searchFingerprint(results.map((entry) => entry.keys));
  const selection = selectPage(results.length, pageRequest, fingerprint);
  if (!selection.ok) return failure(ResultCode.unwillingToPerform, selection.message);

  // The size limit only counts as exceeded once the last page is out.
  const isLast = selection.nextCookie.length === 0;
  return {
    status: isLast ? sizeStatus : ResultCode.success,
    message: isLast ? sizeMessage : '',
    matchedDn: '',
    entries: results.slice(selection.start, selection.end),
    control: pageResponseControl(results.length, selection.nextCookie),
  };
}

function failure(status: number, message: string): SearchOutcome {
  return { status, message, matchedDn: '', entries: [] };
}
