import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Field names that hold secrets in the gateway's settings, requests and plugins' options. */
const SECRET_FIELD = /^(password|bindPassword|adminPassword|secret|tokens?|authorization)$/i;

/**
 * Fields replaced at the top and one level down, on every line. Deeper ones cost too much to
 * look for on each line (a sign-in writes one); objects that nest secrets deeper are cleaned by
 * the serializers below, which run only when a line carries them.
 */
const SECRET_PATHS = [
  'password',
  'bindPassword',
  'secret',
  'token',
  'authorization',
  '*.password',
  '*.bindPassword',
  '*.secret',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
];

/** Keys whose values are whole settings or option objects, or errors that may quote them. */
const DEEP_KEYS = ['settings', 'options', 'context', 'ctx', 'config', 'organization'];

/** The process logger: JSON lines, one key casing (camelCase), secrets redacted. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const serializers: Record<string, (value: unknown) => unknown> = {
    err: (error: unknown) => withoutSecrets(stdSerializers.err(error as Error)),
  };
  for (const key of DEEP_KEYS) serializers[key] = withoutSecrets;
  return pino(
    {
      level,
      base: { service: 'ldap-gateway' },
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      serializers,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** A copy with every secret-named field replaced, however deep; cycles are cut. */
function withoutSecrets(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = SECRET_FIELD.test(key) ? '[redacted]' : withoutSecrets(field, seen);
  }
  return copy;
}
