import { Ajv, type ValidateFunction } from 'ajv';

import type { GatewaySettings } from '../config/types.js';
import { digestMd5Auth } from '../plugins/auth-digest-md5/index.js';
import { kerberosAuth } from '../plugins/auth-kerberos/index.js';
import { simpleAuth } from '../plugins/auth-simple/index.js';
import { defaultMapping } from '../plugins/mapping-default/index.js';
import { ConfigError } from './errors.js';
import {
  PLUGIN_API_VERSION,
  type AuthPluginDefinition,
  type MappingPluginDefinition,
  type PluginDefinition,
  type PluginKind,
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
      const mapping = organization.mapping;
      if (!this.mapping(mapping.type)) {
        problems.push(`${path}.mapping.type: no mapping plugin named '${mapping.type}'`);
        continue;
      }
      const check = this.#optionChecks.get(keyOf('mapping', mapping.type));
      if (check && !check(mapping.options)) {
        for (const error of check.errors ?? []) {
          problems.push(
            `${path}.mapping.options${error.instancePath.replace(/\//g, '.')}: ${error.message}`,
          );
        }
      }
    }
    return { problems, unavailableAuth };
  }
}

/** The registry with the plugins that ship with the gateway. */
export function createBuiltInRegistry(): PluginRegistry {
  return new PluginRegistry()
    .register(simpleAuth)
    .register(digestMd5Auth)
    .register(kerberosAuth)
    .register(defaultMapping);
}

function keyOf(kind: PluginKind, type: string): string {
  return `${kind}:${type}`;
}
