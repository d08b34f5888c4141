/**
 * The simple paged results control (RFC 2696) for the demo directory.
 *
 * ldapjs 3's server ignores the control and would send every entry at once, so clients that
 * page (ldapts with `paged`, the gateway's contact sync) are served here. The directory never
 * changes while it runs, so a search evaluated again yields the same list, and the cookie only
 * needs to carry the offset of the next page plus a fingerprint of that list.
 */
import { createHash } from 'node:crypto';

import { ldapjs, type LdapControl } from './ldapjs-shapes.js';

export const PAGED_RESULTS_OID = '1.2.840.113556.1.4.319';

export interface PageRequest {
  size: number;
  cookie: Buffer;
}

export type PageSelection =
  { ok: true; start: number; end: number; nextCookie: Buffer } | { ok: false; message: string };

/** The paged results request among the controls, if the client sent one. */
export function findPageRequest(controls: readonly LdapControl[]): PageRequest | undefined {
  const control = controls.find((candidate) => candidate.type === PAGED_RESULTS_OID);
  if (!control) return undefined;
  const value = control.value as Partial<PageRequest> | undefined;
  return { size: value?.size ?? 0, cookie: value?.cookie ?? Buffer.alloc(0) };
}

/**
 * Picks the page to send out of `total` results. `fingerprint` identifies the result list, so a
 * cookie is only honoured by a search that yields the same list.
 */
export function selectPage(
  total: number,
  request: PageRequest,
  fingerprint: string,
): PageSelection {
  const start = request.cookie.length === 0 ? 0 : readCookie(request.cookie, fingerprint);
  if (start === undefined || start > total) {
    return { ok: false, message: 'paged results cookie is invalid or belongs to another search' };
  }
  // A page size of 0 abandons the paged search (RFC 2696 §3).
  if (request.size <= 0) {
    return { ok: true, start, end: start, nextCookie: Buffer.alloc(0) };
  }
  const end = Math.min(total, start + request.size);
  const nextCookie = end < total ? writeCookie(end, fingerprint) : Buffer.alloc(0);
  return { ok: true, start, end, nextCookie };
}

/** The control to attach to SearchResultDone; its size is the total count (an estimate). */
export function pageResponseControl(total: number, cookie: Buffer): LdapControl {
  return new ldapjs.PagedResultsControl({ value: { size: total, cookie } });
}

/** A short, stable digest of a result list (or anything else JSON can hold). */
export function searchFingerprint(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

function writeCookie(offset: number, fingerprint: string): Buffer {
  return Buffer.from(`${offset}:${fingerprint}`, 'ascii');
}

function readCookie(cookie: Buffer, fingerprint: string): number | undefined {
  const match = /^(\d{1,9}):(.+)$/.exec(cookie.toString('ascii'));
  if (!match || match[2] !== fingerprint) return undefined;
  return Number(match[1]);
}
