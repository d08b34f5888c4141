import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

import type { GatewayError } from '../errors.js';

/** HTTP status of each gateway error code; a code not listed here is a 500. */
const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  invalid_request: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  organization_forbidden: 403,
  account_disabled: 403,
  account_locked: 403,
  password_expired: 403,
  password_must_change: 403,
  account_expired: 403,
  logon_hours_restricted: 403,
  workstation_restricted: 403,
  not_found: 404,
  unknown_organization: 404,
  link_not_found: 404,
  import_not_found: 404,
  contact_not_found: 404,
  photo_not_found: 404,
  method_not_allowed: 405,
  ambiguous_user: 409,
  import_running: 409,
  import_finished: 409,
  import_not_waiting: 409,
  import_not_current: 409,
  changes_not_kept: 410,
  contacts_not_imported: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  entry_not_found: 422,
  internal_error: 500,
  plugin_failed: 500,
  auth_method_unavailable: 501,
  gssapi_unavailable: 501,
  directory_error: 502,
  service_account_rejected: 502,
  sasl_mechanism_unsupported: 502,
  sasl_challenge_invalid: 502,
  sasl_server_unverified: 502,
  kdc_clock_skew: 502,
  kdc_unverified: 502,
  kdc_error: 502,
  gssapi_failed: 502,
  directory_unavailable: 503,
  kdc_unavailable: 503,
  request_timeout: 503,
  shutting_down: 503,
};

export function statusOf(code: string): ContentfulStatusCode {
  return STATUS_BY_CODE[code] ?? 500;
}

/** The JSON answer to a gateway error: `{"error": {"code", "message", ...}}` with its status. */
export function errorResponse(context: Context, error: GatewayError): Response {
  return context.json({ error: error.toJSON() }, statusOf(error.code));
}

/** An error answered often (a caller nobody has), its JSON written once. */
export function presetErrorResponse(error: GatewayError): (context: Context) => Response {
  const body = JSON.stringify({ error: error.toJSON() });
  const status = statusOf(error.code);
  return (context) => context.body(body, status, { 'content-type': 'application/json' });
}
