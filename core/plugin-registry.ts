import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

import type { GatewaySettings, PluginChoice } from '../config/types.js';
import { digestMd5Auth } from '../plugins/auth-digest-md5/index.js';
import { kerberosAuth } from '../plugins/auth-kerberos/index.js';
import { simpleAuth } from '../plugins/auth-simple/index.js';
import { defaultMapping } from '../plugins/mapping-default/index.js';
import { storeSink } from '../plugins/sink-store/index.js';
import { webhookSink } from '../plugins/sink-webhook/index.js';
import { ConfigError } from './errors.js';
import {
  PLUGIN_API_VERSION,
  type AuthPluginDefinition,
  type MappingPluginDefinition,
  type PluginDefinition,
  type PluginKind,
  type SinkPluginDefinition,
} from './plugin-api.js';

interface Registered {
  definition: PluginDefinition<unknown>;
  checkOptions: ValidateFunction;
  /** Options given where the plugin was listed, under every organization's own. */
  defaults: Record<string, unknown>;
  /** Where it came from, for messages: `built-in` or `plugins[0] (./x.js)`. */
  source: string;
}

/** Plugin definitions by kind and type name, each with its compiled options check. */
export class PluginRegistry {
  readonly #plugins = new Map<string, Registered>();
  readonly #ajv = addFormats.default(
    new Ajv({ allErrors: true, useDefaults: true, strict: false }),
  );

  register(
    definition: PluginDefinition<unknown>,
    origin: { defaults?: Record<string, unknown>; source?: string } = {},
  ): this {
    const source = origin.source ?? 'built-in';
    const name = `${source}: ${definition.kind} plugin '${definition.type}'`;
    const key = keyOf(definition.kind, definition.type);
    if (definition.apiVersion !== PLUGIN_API_VERSION) {
      const versions = `needs plugin API ${definition.apiVersion}`;
      throw new ConfigError([`${name}: ${versions}, this gateway has ${PLUGIN_API_VERSION}`]);
    }
    const existing = this.#plugins.get(key);
    if (existing) {
      throw new ConfigError([`${name}: ${existing.source} has a plugin of that kind and name`]);
    }
    let checkOptions: ValidateFunction;
    try {
      checkOptions = this.#ajv.compile(definition.optionsSchema);
    } catch (error) {
      throw new ConfigError([`${name}: optionsSchema is not a valid JSON Schema: ${error}`]);
    }
    this.#plugins.set(key, { definition, checkOptions, defaults: origin.defaults ?? {}, source });
    return this;
  }

  auth(type: string): AuthPluginDefinition | undefined {
    return this.#plugins.get(keyOf('auth', type))?.definition as AuthPluginDefinition | undefined;
  }

  mapping(type: string): MappingPluginDefinition | undefined {
    const registered = this.#plugins.get(keyOf('mapping', type));
    return registered?.definition as MappingPluginDefinition | undefined;
  }

  sink(type: string): SinkPluginDefinition | undefined {
    return this.#plugins.get(keyOf('sink', type))?.definition as SinkPluginDefinition | undefined;
  }

  /**
   * Every problem with the plugins the organizations choose, each naming its config path. The
   * chosen options are completed on the way: the plugin's listed options under the
   * organization's, then the defaults of the plugin's schema.
   */
  check(settings: GatewaySettings): { problems: string[] } {
    const problems: string[] = [];
    for (const [id, organization] of Object.entries(settings.organizations)) {
      const path = `organizations.${id}`;
      const auth = { type: organization.authMethod, options: organization.authOptions };
      problems.push(...this.#complete('auth', auth, `${path}.authMethod`, `${path}.authOptions`));
      organization.authOptions = auth.options;
      organization.mapping.forEach((choice, index) => {
        const at = `${path}.mapping[${index}]`;
        problems.push(...this.#complete('mapping', choice, `${at}.type`, `${at}.options`));
      });
      const { sink } = organization;
      problems.push(...this.#complete('sink', sink, `${path}.sink.type`, `${path}.sink.options`));
    }
    return { problems };
  }

  /** Problems with one choice: the plugin must exist and the options must fit its schema. */
  #complete(kind: PluginKind, choice: PluginChoice, typePath: string, optionsPath: string) {
    const registered = this.#plugins.get(keyOf(kind, choice.type));
    if (!registered) return [`${typePath}: no ${kind} plugin named '${choice.type}'`];
    choice.options = { ...structuredClone(registered.defaults), ...choice.options };
    if (registered.checkOptions(choice.options)) return [];
    return (registered.checkOptions.errors ?? []).map(
      (error) => `${optionsPath}${error.instancePath.replace(/\//g, '.')}: ${error.message}`,
    );
  }
}

/** The registry with the plugins that ship with the gateway. */
export function createBuiltInRegistry(): PluginRegistry {
  return new PluginRegistry()
    .register(simpleAuth)
    .register(digestMd5Auth)
    .register(kerberosAuth)
    .register(defaultMapping)
    .register(storeSink)
    .register(webhookSink);
}

function keyOf(kind: PluginKind, type: string): string {
  return `${kind}:${type}`;
}
