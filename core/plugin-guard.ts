/**
 * Plugins run inside the gateway, so what they throw is caught at the boundary: the request
 * (or the imported entry) fails with `plugin_failed` naming the plugin, the failure is logged
 * and counted, and the process goes on.
 */
import { GatewayError } from './errors.js';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';
import {
  DirectoryEntry,
  SinkError,
  type AttributeMapper,
  type AuthMethod,
  type Contact,
  type ContactSink,
  type PluginKind,
} from './plugin-api.js';

/** A mapping chain answers for signed-in users' attributes too, if only with none. */
export type MappingChain = AttributeMapper & Required<Pick<AttributeMapper, 'toAttributes'>>;

export interface GuardContext {
  organizationId: string;
  metrics: GatewayMetrics;
  logger: Logger;
}

/** What a plugin threw, as the error the caller sees; GatewayErrors are the plugin's answer. */
export function pluginFailure(
  kind: PluginKind,
  type: string,
  error: unknown,
  guard: GuardContext,
): GatewayError {
  if (error instanceof GatewayError) return error;
  guard.metrics.pluginErrors.inc({ org: guard.organizationId, kind, plugin: type });
  guard.logger.error({ plugin: type, kind, err: error }, 'plugin failed');
  return new GatewayError('plugin_failed', `the ${kind} plugin '${type}' failed`, {
    cause: error,
  });
}

/** The mappers of a chain as one: each gets the contact the ones before it made. */
export function mappingChain(
  mappers: Array<{ type: string; mapper: AttributeMapper }>,
  guard: GuardContext,
): MappingChain {
  const attributes = new Map<string, string>();
  for (const { mapper } of mappers) {
    for (const name of mapper.attributes) attributes.set(name.toLowerCase(), name);
  }
  const withAttributes = mappers.find(({ mapper }) => mapper.toAttributes);
  return {
    attributes: [...attributes.values()],
    toContact(entry: DirectoryEntry): Contact {
      let contact: Contact | undefined;
      for (const { type, mapper } of mappers) {
        try {
          contact = mapper.toContact(entry, contact);
        } catch (error) {
          throw pluginFailure('mapping', type, error, guard);
        }
        const problem = problemWithContact(contact);
        if (problem) throw pluginFailure('mapping', type, new TypeError(problem), guard);
      }
      return contact!;
    },
    toAttributes(entry: DirectoryEntry): Record<string, string[]> {
      if (!withAttributes) return {};
      try {
        return withAttributes.mapper.toAttributes!(entry);
      } catch (error) {
        throw pluginFailure('mapping', withAttributes.type, error, guard);
      }
    },
  };
}

/** The auth method, with whatever else than a GatewayError it throws made `plugin_failed`. */
export function guardedAuth(type: string, method: AuthMethod, guard: GuardContext): AuthMethod {
  return {
    authenticate: async (attempt, directory) => {
      let entry: unknown;
      try {
        entry = await method.authenticate(attempt, directory);
      } catch (error) {
        throw pluginFailure('auth', type, withoutSecret(error, attempt.password), guard);
      }
      if (!(entry instanceof DirectoryEntry)) {
        const problem = new TypeError('authenticate() resolved to no DirectoryEntry');
        throw pluginFailure('auth', type, problem, guard);
      }
      return entry;
    },
    close: () => method.close?.(),
  };
}

/**
 * The error with the password the user typed taken out of its message and stack: an auth
 * plugin may put what it was given into what it throws, and errors are logged, a GatewayError's
 * message even answered.
 */
function withoutSecret(error: unknown, secret: string): unknown {
  if (!(error instanceof Error) || secret.length === 0) return error;
  const redact = (text: string) => text.replaceAll(secret, '[redacted]');
  if (!error.message.includes(secret) && !error.stack?.includes(secret)) return error;
  if (error instanceof GatewayError) {
    return new GatewayError(error.code, redact(error.message), { details: error.details });
  }
  const copy = new Error(redact(error.message));
  copy.name = error.name;
  copy.stack = error.stack === undefined ? undefined : redact(error.stack);
  return copy;
}

/** The sink, with its unexpected failures counted as plugin errors (delivery reports them). */
export function guardedSink(type: string, sink: ContactSink, guard: GuardContext): ContactSink {
  const { deliver } = sink;
  if (!deliver) return sink;
  return {
    ...(sink.batchSize === undefined ? {} : { batchSize: sink.batchSize }),
    deliver: async (batch, signal) => {
      try {
        await deliver.call(sink, batch, signal);
      } catch (error) {
        const expected = signal.aborted || error instanceof SinkError;
        if (!expected) pluginFailure('sink', type, error, guard);
        throw error;
      }
    },
  };
}

/**
 * What the rest of the gateway relies on in a contact: checked where a plugin hands one over,
 * so that a malformed one fails as the plugin's fault, not later in a lookup or a vCard.
 */
function problemWithContact(contact: unknown): string | undefined {
  if (contact === null || typeof contact !== 'object') return 'no contact returned';
  const { displayName, phones, emails } = contact as Partial<Contact>;
  if (typeof displayName !== 'string') return 'displayName must be text';
  if (!Array.isArray(emails) || !emails.every((mail) => typeof mail === 'string')) {
    return 'emails must be a list of text';
  }
  const phoneList = Array.isArray(phones) ? (phones as unknown[]) : undefined;
  const valid = phoneList?.every(
    (phone) =>
      phone !== null &&
      typeof phone === 'object' &&
      typeof (phone as { number?: unknown }).number === 'string' &&
      typeof (phone as { type?: unknown }).type === 'string',
  );
  return valid ? undefined : 'phones must be a list of { type, number } with text in both';
}
