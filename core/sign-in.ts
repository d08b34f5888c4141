import { assertAccountEnabled } from './account-control.js';
import { GatewayError } from './errors.js';
import type { Organization } from './organizations.js';
import type { GatewayMetrics } from './metrics.js';

export interface SignedInUser {
  dn: string;
  id: string;
  attributes: Record<string, string[]>;
}

/** Outcomes of a sign-in as counted and logged (a login has three, never two). */
type Outcome = 'authenticated' | 'rejected' | 'failed';

/** The user or the account is refused; the directory and the gateway are fine. */
const REJECTIONS = new Set([
  'invalid_credentials',
  'account_disabled',
  'account_locked',
  'account_expired',
  'password_expired',
  'password_must_change',
  'logon_hours_restricted',
  'workstation_restricted',
]);

/**
 * Signs a user in with directory credentials. The caller has checked the shape of the
 * request; an empty password is refused here, before the directory is asked anything.
 */
export async function signIn(
  organization: Organization,
  metrics: GatewayMetrics,
  username: string,
  password: string,
): Promise<SignedInUser> {
  const method = organization.settings.authMethod;
  const count = (outcome: Outcome) =>
    metrics.signIns.inc({ org: organization.id, method, outcome });
  try {
    if (password.length === 0) {
      throw new GatewayError('invalid_credentials', 'wrong user name or password');
    }
    const auth = organization.auth();
    const entry = await auth.authenticate({ username, password }, organization.users);
    // Only now: the password is proven, so the account's state may be told.
    assertAccountEnabled(entry);
    count('authenticated');
    organization.logger.info({ dn: entry.dn }, 'sign-in authenticated');
    return {
      dn: entry.dn,
      id: entry.first(organization.settings.userIdAttribute) ?? username,
      attributes: organization.mapper.toAttributes(entry),
    };
  } catch (error) {
    const rejected = error instanceof GatewayError && REJECTIONS.has(error.code);
    count(rejected ? 'rejected' : 'failed');
    const code = error instanceof GatewayError ? error.code : 'internal_error';
    if (rejected) organization.logger.info({ code }, 'sign-in rejected');
    else organization.logger.warn({ code, err: error }, 'sign-in failed');
    throw error;
  }
}
