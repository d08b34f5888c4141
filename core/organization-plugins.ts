/**
 * Every organization's plugins, created when the gateway starts: a plugin that cannot start
 * with its options (a webhook URL that is no URL) stops start-up with its organization and
 * kind named, instead of failing that organization's requests later.
 */
import type { GatewaySettings, OrganizationSettings, PluginChoice } from '../config/types.js';
import { ConfigError } from './errors.js';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';
import type {
  AuthMethod,
  ContactSink,
  PluginContext,
  PluginDefinition,
  PluginKind,
} from './plugin-api.js';
import { guardedAuth, guardedSink, mappingChain, type MappingChain } from './plugin-guard.js';
import type { PluginRegistry } from './plugin-registry.js';

export interface OrganizationPlugins {
  mapper: MappingChain;
  sink: ContactSink;
  auth: AuthMethod;
}

export interface PluginSet {
  of(organizationId: string): OrganizationPlugins;
  /** Releases what the auth methods hold (files, processes). */
  close(): Promise<void>;
}

export async function createOrganizationPlugins(
  settings: GatewaySettings,
  registry: PluginRegistry,
  logger: Logger,
  metrics: GatewayMetrics,
): Promise<PluginSet> {
  const created = new Map<string, OrganizationPlugins>();
  const close = async () => {
    await Promise.allSettled([...created.values()].map((plugins) => plugins.auth.close?.()));
  };
  const problems: string[] = [];
  for (const [id, organization] of Object.entries(settings.organizations)) {
    try {
      created.set(id, pluginsOf(id, organization, registry, logger.child({ org: id }), metrics));
    } catch (error) {
      const lines = (error as Error).message.split('\n');
      problems.push(...lines.map((line) => `organizations.${id}.${line}`));
    }
  }
  if (problems.length > 0) {
    await close();
    throw new ConfigError(problems);
  }
  return {
    of: (id) => {
      const plugins = created.get(id);
      if (!plugins) throw new Error(`no plugins for organization ${id}`);
      return plugins;
    },
    close,
  };
}

function pluginsOf(
  id: string,
  settings: OrganizationSettings,
  registry: PluginRegistry,
  logger: Logger,
  metrics: GatewayMetrics,
): OrganizationPlugins {
  const context: PluginContext = { organizationId: id, settings, logger };
  const guard = { organizationId: id, metrics, logger };
  const mapper = mappingChain(
    settings.mapping.map((choice, index) => ({
      type: choice.type,
      mapper: createPlugin('mapping', registry.mapping(choice.type), choice, context, index),
    })),
    guard,
  );
  const sink = createPlugin('sink', registry.sink(settings.sink.type), settings.sink, context);
  const authChoice = { type: settings.authMethod, options: settings.authOptions };
  const auth = createPlugin('auth', registry.auth(authChoice.type), authChoice, context);
  return {
    mapper,
    sink: guardedSink(settings.sink.type, sink, guard),
    auth: guardedAuth(authChoice.type, auth, guard),
  };
}

/**
 * An instance of a chosen plugin, bound to the organization, with a logger naming it. What
 * `create` throws becomes a message starting with the choice's path within the organization.
 */
function createPlugin<Instance>(
  kind: PluginKind,
  definition: PluginDefinition<Instance> | undefined,
  choice: PluginChoice,
  context: PluginContext,
  index?: number,
): Instance {
  const path = kind === 'auth' ? 'authMethod' : index === undefined ? kind : `${kind}[${index}]`;
  // The registry checked every choice before: a missing one is a fault of the gateway.
  if (!definition) throw new Error(`${path}: no ${kind} plugin named '${choice.type}'`);
  // One line per reason; a plugin's ConfigError may list several.
  const fail = (reasons: string[]) =>
    new Error(
      reasons
        .map((reason) => `${path}: the ${kind} plugin '${choice.type}' cannot start: ${reason}`)
        .join('\n'),
    );
  let instance: Instance;
  try {
    instance = definition.create(choice.options, {
      ...context,
      logger: context.logger.child({ plugin: definition.type }),
    });
  } catch (error) {
    if (error instanceof ConfigError) throw fail(error.problems);
    throw fail([error instanceof Error ? error.message : String(error)]);
  }
  const problem = problemWith(kind, instance);
  if (problem) throw fail([problem]);
  return instance;
}

/** What is wrong with what `create` returned, checked once rather than on every call. */
function problemWith(kind: PluginKind, instance: unknown): string | undefined {
  if (instance === null || typeof instance !== 'object') return 'create() returned no object';
  if (typeof (instance as { then?: unknown }).then === 'function') {
    return 'create() returned a promise; it must return the plugin itself';
  }
  const plugin = instance as Record<string, unknown>;
  const functions: Record<PluginKind, string[]> = {
    auth: ['authenticate'],
    mapping: ['toContact'],
    sink: [],
  };
  for (const name of functions[kind]) {
    if (typeof plugin[name] !== 'function') return `${name} must be a function`;
  }
  if (kind === 'mapping') {
    const { attributes } = plugin;
    const names = Array.isArray(attributes) && attributes.every((name) => typeof name === 'string');
    if (!names) return 'attributes must be a list of attribute names';
  }
  if (kind === 'sink') {
    if (plugin['deliver'] !== undefined && typeof plugin['deliver'] !== 'function') {
      return 'deliver must be a function';
    }
    const size = plugin['batchSize'];
    if (size !== undefined && !(Number.isSafeInteger(size) && (size as number) >= 1)) {
      return 'batchSize must be a whole number of at least 1';
    }
  }
  return undefined;
}
