import { ResultCodeError } from 'ldapts';

import { GatewayError } from '../errors.js';
import { adBindRejection } from './ad-bind-errors.js';

/** LDAP result codes (RFC 4511 appendix A) the gateway treats specially. */
export const ResultCode = {
  timeLimitExceeded: 3,
  authMethodNotSupported: 7,
  sizeLimitExceeded: 4,
  noSuchObject: 32,
  invalidDnSyntax: 34,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  busy: 51,
  unavailable: 52,
  unwillingToPerform: 53,
  other: 80,
} as const;

const UNAVAILABLE_RESULTS = new Set<number>([
  ResultCode.timeLimitExceeded,
  ResultCode.busy,
  ResultCode.unavailable,
]);

/** Node's TLS verification failures carry codes like these; they mean "not trusted". */
const TLS_FAILURE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|ERR_TLS|ERR_SSL/;

/** The LDAP result code of an error from the directory, or undefined for transport errors. */
export function resultCodeOf(error: unknown): number | undefined {
  return error instanceof ResultCodeError ? error.code : undefined;
}

/**
 * Translates what ldapts or the socket threw into a GatewayError. The raw directory message is
 * kept as `cause` for logs and never shown to callers: it can name entries or server internals.
 */
export function translateDirectoryError(error: unknown, operation: string): GatewayError {
  if (error instanceof GatewayError) return error;
  const resultCode = resultCodeOf(error);
  if (resultCode !== undefined) return translateResultCode(resultCode, operation, error);

  const code = String((error as { code?: unknown })?.code ?? '');
  const text = error instanceof Error ? error.message : String(error);
  if (TLS_FAILURE.test(code)) {
    return unavailable(`${operation}: the directory's TLS certificate is not trusted`, error);
  }
  if (/timed? ?out/i.test(text)) {
    return unavailable(`${operation}: the directory did not answer in time`, error);
  }
  return unavailable(`${operation}: the directory cannot be reached`, error);
}

/**
 * Gives a refused user bind the reason Active Directory stated (account disabled, locked, ...)
 * when it stated one the gateway passes on; any other error comes back as it was. Only result
 * 49 is read, and the raw message stays in `cause`.
 */
export function refineBindRejection(error: unknown): unknown {
  if (!(error instanceof GatewayError) || error.code !== 'invalid_credentials') return error;
  const cause = error.cause;
  if (resultCodeOf(cause) !== ResultCode.invalidCredentials) return error;
  const rejection = adBindRejection((cause as Error).message);
  if (!rejection) return error;
  return new GatewayError(rejection.code, rejection.message, { cause });
}

function translateResultCode(resultCode: number, operation: string, cause: unknown): GatewayError {
  if (UNAVAILABLE_RESULTS.has(resultCode)) {
    return unavailable(`${operation}: the directory is busy or unavailable`, cause);
  }
  if (resultCode === ResultCode.authMethodNotSupported) {
    return new GatewayError(
      'sasl_mechanism_unsupported',
      `${operation}: the directory does not offer this authentication mechanism`,
      { cause },
    );
  }
  if (resultCode === ResultCode.noSuchObject) {
    return new GatewayError('directory_error', `${operation}: the search base does not exist`, {
      cause,
    });
  }
  if (resultCode === ResultCode.insufficientAccessRights) {
    return new GatewayError(
      'directory_error',
      `${operation}: the service account may not read this part of the directory`,
      { cause },
    );
  }
  return new GatewayError(
    'directory_error',
    `${operation}: the directory refused the operation (LDAP result ${resultCode})`,
    { cause },
  );
}

function unavailable(message: string, cause: unknown): GatewayError {
  return new GatewayError('directory_unavailable', message, { cause });
}
