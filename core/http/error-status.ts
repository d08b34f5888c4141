import type { ContentfulStatusCode } from 'hono/utils/http-status';

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
  not_found: 404,
  unknown_organization: 404,
  link_not_found: 404,
  import_not_found: 404,
  method_not_allowed: 405,
  ambiguous_user: 409,
  import_running: 409,
  import_finished: 409,
  import_not_waiting: 409,
  import_not_current: 409,
  contacts_not_imported: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  entry_not_found: 422,
  internal_error: 500,
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
