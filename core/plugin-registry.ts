import { Ajv, type ValidateFunction } from 'ajv';

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

/** Auth methods the configuration accepts that this build does not provide yet. */
const PLANNED_AUTH_METHODS = new Set<string>();

/** Plugin definitions by kind and type name, each with its compiled options check. */
export class PluginRegistry {
  readonly #definitions = new Map<string, PluginDefinition<unknown>>();
  readonly #optionChecks = new Map<string, ValidateFunction>();
  readonly #ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });

  register(definition: PluginDefinition<unknown>): this {
    const key = keyOf(definition.kind, definition.type);
    if (definition.apiVersion !== PLUGIN_API_VERSION) {
      throw new ConfigError([
        `plugin ${definition.type}: needs plugin API ${definition.apiVersion}, ` +
          `this gateway has ${PLUGIN_API_VERSION}`,
      ]);
    }
    if (this.#definitions.has(key)) {
      throw new ConfigError([
        `plugin ${definition.type}: a ${definition.kind} plugin of that name exists`,
      ]);
    }
    this.#definitions.set(key, definition);
    this.#optionChecks.set(key, this.#ajv.compile(definition.optionsSchema));
    return this;
  }

  auth(type: string): AuthPluginDefinition | undefined {
    return this.#definitions.get(keyOf('auth', type)) as AuthPluginDefinition | undefined;
  }

  mapping(type: string): MappingPluginDefinition | undefined {
    return this.#definitions.get(keyOf('mapping', type)) as MappingPluginDefinition | undefined;
  }

  sink(type: string): SinkPluginDefinition | undefined {
    return this.#definitions.get(keyOf('sink', type)) as SinkPluginDefinition | undefined;
  }

  /**
   * Every problem with the plugins the organizations choose, each naming its config path, and
   * the auth methods that are accepted but not available in this build.
   */
  check(settings: GatewaySettings): { problems: string[]; unavailableAuth: string[] } {
    const problems: string[] = [];
    const unavailableAuth: string[] = [];
    for (const [id, organization] of Object.entries(settings.organizations)) {
      const path = `organizations.${id}`;
      if (!this.auth(organization.authMethod)) {
        if (PLANNED_AUTH_METHODS.has(organization.authMethod)) unavailableAuth.push(id);
        else problems.push(`${path}.authMethod: no auth plugin named '${organization.authMethod}'`);
      }
      problems.push(...this.#checkChoice('mapping', organization.mapping, `${path}.mapping`));
      problems.push(...this.#checkChoice('sink', organization.sink, `${path}.sink`));
    }
    return { problems, unavailableAuth };
  }

  /** Problems with one chosen plugin: its type must exist and its options must fit. */
  #checkChoice(kind: PluginKind, choice: PluginChoice, path: string): string[] {
    const key = keyOf(kind, choice.type);
    if (!this.#definitions.has(key)) {
      return [`${path}.type: no ${kind} plugin named '${choice.type}'`];
    }
    const check = this.#optionChecks.get(key);
    if (!check || check(choice.options)) return [];
    return (check.errors ?? []).map(
      (error) => `${path}.options${error.instancePath.replace(/\//g, '.')}: ${error.message}`,
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
