import { signIn } from '../sign-in.js';
import type { AppDependencies, GatewayApp } from './app.js';
import { compileBodySchema, PRINTABLE, readJsonBody } from './request-body.js';

interface SignInBody {
  username: string;
  password: string;
}

const signInBody = compileBodySchema<SignInBody>({
  type: 'object',
  required: ['username', 'password'],
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 256, pattern: PRINTABLE },
    // Empty passwords pass this check on purpose: they are rejected as invalid_credentials.
    password: { type: 'string', maxLength: 1024 },
  },
});

export function registerSignInRoutes(app: GatewayApp, dependencies: AppDependencies): void {
  app.post('/v1/orgs/:org/auth', async (context) => {
    const body = await readJsonBody(context, signInBody);
    const organization = context.get('organization');
    // Counted while it waits on the directory: import threads pause meanwhile.
    const user = await dependencies.signIns.during(() =>
      signIn(organization, dependencies.metrics, body.username, body.password),
    );
    return context.json({ user });
  });
}
