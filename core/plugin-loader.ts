/**
 * Loads the operators' plugin modules listed in gateway.yaml and registers what they export,
 * refusing to start with a message naming the module and the problem when anything is off.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

import { Ajv } from 'ajv';

import type { PluginModuleSettings } from '../config/types.js';
import { ConfigError } from './errors.js';
import type { PluginDefinition } from './plugin-api.js';
import type { PluginRegistry } from './plugin-registry.js';

/** The shape every plugin definition must have, checked before anything of it is used. */
const checkDefinition = new Ajv({ allErrors: true }).compile({
  type: 'object',
  required: ['type', 'kind', 'apiVersion', 'optionsSchema', 'create'],
  properties: {
    type: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' },
    kind: { enum: ['auth', 'mapping', 'sink'] },
    apiVersion: { type: 'integer', minimum: 1 },
    optionsSchema: { type: 'object' },
  },
});

export async function loadOperatorPlugins(
  modules: PluginModuleSettings[],
  registry: PluginRegistry,
): Promise<void> {
  for (const [index, listed] of modules.entries()) {
    const source = `plugins[${index}] (${listed.module})`;
    const definitions = definitionsIn(await importModule(listed.module, source), source);
    for (const definition of definitions) {
      registry.register(definition, { defaults: listed.options, source });
    }
  }
}

async function importModule(module: string, source: string): Promise<Record<string, unknown>> {
  const specifier = isAbsolute(module) ? pathToFileURL(module).href : module;
  // A module whose top-level await never settles would otherwise end the process in silence
  // (exit code 13) as soon as nothing else is pending.
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(STUCK_MESSAGE)), MODULE_LOAD_TIMEOUT_MS);
  });
  try {
    return (await Promise.race([import(specifier), stuck])) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError([`${source}: cannot load the module: ${reason}`]);
  } finally {
    clearTimeout(timer);
  }
}

/** Longest a plugin module may take to load, top-level awaits included. */
const MODULE_LOAD_TIMEOUT_MS = 10_000;
const STUCK_MESSAGE =
  `it did not finish loading within ${MODULE_LOAD_TIMEOUT_MS / 1000} s` +
  ' (a top-level await that never settles?)';

/**
 * The definitions a module exports: `default` or `plugins`, one definition or a list. Each is
 * checked for the fields the gateway needs.
 */
function definitionsIn(
  exported: Record<string, unknown>,
  source: string,
): Array<PluginDefinition<unknown>> {
  const found = exported['default'] ?? exported['plugins'];
  if (found === undefined) {
    throw new ConfigError([
      `${source}: exports no plugin (export default a plugin definition, or a list of them)`,
    ]);
  }
  const candidates = Array.isArray(found) ? found : [found];
  const problems: string[] = [];
  candidates.forEach((candidate: unknown, index) => {
    const name = `${source}: plugin ${candidates.length > 1 ? `#${index} ` : ''}`;
    if (!checkDefinition(candidate)) {
      for (const error of checkDefinition.errors ?? []) {
        const field = error.instancePath.slice(1) || 'definition';
        problems.push(`${name}${field}: ${error.message}`);
      }
    } else if (typeof (candidate as { create?: unknown }).create !== 'function') {
      problems.push(`${name}create: must be a function`);
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return candidates as Array<PluginDefinition<unknown>>;
}
