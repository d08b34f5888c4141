import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Field names that may hold a secret anywhere in a log object; pino replaces their values
 * before a line is written, so a careless `log.info({ settings })` cannot leak one.
 */
const SECRET_PATHS = [
  'password',
  'bindPassword',
  'token',
  'authorization',
  '*.password',
  '*.bindPassword',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
];

/** The process logger: JSON lines, one key casing (camelCase), secrets redacted. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ldap-gateway' },
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
