import { PLUGIN_API_VERSION, type SinkPluginDefinition } from '../../core/plugin-api.js';

/**
 * `store`: the contacts stay in the gateway's own store, served by the import routes; nothing
 * is delivered anywhere else.
 */
export const storeSink: SinkPluginDefinition = {
  type: 'store',
  kind: 'sink',
  apiVersion: PLUGIN_API_VERSION,
  optionsSchema: { type: 'object', additionalProperties: false },
  create: () => ({}),
};
