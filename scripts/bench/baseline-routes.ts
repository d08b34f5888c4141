/**
 * The baselines as routes on the gateway's own app, so they share its server, process and
 * app-wide middleware, but not the `/v1` token and organization checks.
 */
import type { GatewayApp } from '../../core/http/app.js';
import type { BareSignIn } from './bare-sign-in.js';

export type SignInMethod = 'simple' | 'digest-md5' | 'kerberos';

export const BASELINE_CONTACTS_PATH = '/bench/baseline/contacts';

/** One static route per method, as the subject's route is one per organization. */
export const BASELINE_SIGN_IN_PATHS: Record<SignInMethod, string> = {
  simple: '/bench/baseline/auth',
  'digest-md5': '/bench/baseline/auth/digest-md5',
  kerberos: '/bench/baseline/auth/kerberos',
};

const JSON_TYPE = 'application/json; charset=UTF-8';

/** What the baseline routes serve; filled in once the gateway is up. */
export interface BaselineState {
  contactsBody: string;
  signIns: Partial<Record<SignInMethod, BareSignIn>>;
}

interface Credentials {
  username: unknown;
  password: unknown;
}

export function addBaselineRoutes(app: GatewayApp, state: BaselineState): void {
  app.get(BASELINE_CONTACTS_PATH, (context) =>
    context.body(state.contactsBody, 200, { 'content-type': JSON_TYPE }),
  );
  for (const [method, path] of Object.entries(BASELINE_SIGN_IN_PATHS)) {
    app.post(path, async (context) => {
      const { username, password } = JSON.parse(await context.req.text()) as Credentials;
      const bare = state.signIns[method as SignInMethod];
      if (!bare) throw new Error(`bench: the bare ${method} sign-in is not open`);
      const user = await bare.signIn(String(username), String(password));
      if (!user) return context.json({ error: { code: 'invalid_credentials' } }, 401);
      return context.json({ user });
    });
  }
}
