import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { PLUGIN_API_VERSION } from '../../core/plugin-api.js';
import { createBuiltInRegistry } from '../../core/plugin-registry.js';
import { ConfigError } from '../../core/errors.js';
import { settingsOfAcme } from '../support/settings.js';

function problemsOf(organization: Record<string, unknown>): string[] {
  return createBuiltInRegistry().check(settingsOfAcme(organization)).problems;
}

describe('plugin choices checked at start-up', () => {
  it('accepts the built-in store sink by default and a complete webhook sink', () => {
    assert.deepEqual(problemsOf({}), []);
    const webhook = {
      type: 'webhook',
      options: { url: 'https://hooks.example/c', secret: 'x'.repeat(16) },
    };
    assert.deepEqual(problemsOf({ sink: webhook }), []);
  });

  it('names the plugin and the option path of every problem', () => {
    assert.deepEqual(problemsOf({ sink: { type: 'kafka' } }), [
      "organizations.acme.sink.type: no sink plugin named 'kafka'",
    ]);
    assert.deepEqual(problemsOf({ mapping: { type: 'fancy' } }), [
      "organizations.acme.mapping[0].type: no mapping plugin named 'fancy'",
    ]);
    assert.deepEqual(
      problemsOf({ sink: { type: 'webhook', options: { url: 'ftp://x', secret: 'short' } } }),
      [
        'organizations.acme.sink.options.url: must match pattern "^https?://[^\\s]+$"',
        'organizations.acme.sink.options.secret: must NOT have fewer than 16 characters',
      ],
    );
    assert.deepEqual(problemsOf({ sink: { type: 'webhook', options: {} } }), [
      "organizations.acme.sink.options: must have required property 'url'",
      "organizations.acme.sink.options: must have required property 'secret'",
    ]);
  });

  it('checks the formats a plugin names in its options schema', () => {
    const registry = createBuiltInRegistry().register({
      type: 'formatted',
      kind: 'sink',
      apiVersion: PLUGIN_API_VERSION,
      optionsSchema: { type: 'object', properties: { url: { type: 'string', format: 'uri' } } },
      create: () => ({}),
    });
    const settings = settingsOfAcme({ sink: { type: 'formatted', options: { url: 'not a uri' } } });
    assert.deepEqual(registry.check(settings).problems, [
      'organizations.acme.sink.options.url: must match format "uri"',
    ]);
  });

  it('refuses a plugin written for another plugin API, or a second one of a name', () => {
    const plugin = {
      type: 'store',
      kind: 'sink' as const,
      apiVersion: PLUGIN_API_VERSION,
      optionsSchema: {},
      create: () => ({}),
    };
    assert.throws(() => createBuiltInRegistry().register(plugin), ConfigError);
    assert.throws(
      () => createBuiltInRegistry().register({ ...plugin, type: 'new', apiVersion: 99 }),
      /needs plugin API 99/,
    );
  });
});
