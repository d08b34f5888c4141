/**
 * Plugins run inside the gateway, so what they throw is caught at the boundary: the request
 * (or the imported entry) fails with `plugin_failed` naming the plugin, the failure is logged
 * and counted, and the process goes on.
 */
import { GatewayError } from './errors.js';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';
import {
  SinkError,
  type AttributeMapper,
  type AuthMethod,
  type Contact,
  type ContactSink,
  type DirectoryEntry,
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
        if (contact === null || typeof contact !== 'object') {
          throw pluginFailure('mapping', type, new TypeError('no contact returned'), guard);
        }
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
      try {
        return await method.authenticate(attempt, directory);
      } catch (error) {
        throw pluginFailure('auth', type, error, guard);
      }
    },
    close: () => method.close?.(),
  };
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
