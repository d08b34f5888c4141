import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Every metric the gateway exports, on a registry of its own (so tests can make several). */
export interface GatewayMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  signIns: Counter<'org' | 'method' | 'outcome'>;
  directoryDuration: Histogram<'org' | 'operation'>;
  directoryErrors: Counter<'org' | 'operation' | 'code'>;
  poolConnections: Gauge<'org' | 'pool' | 'state'>;
  cacheLookups: Counter<'org' | 'result'>;
  importsFinished: Counter<'org' | 'status'>;
  importEntries: Counter<'org' | 'outcome'>;
  sinkDeliveries: Counter<'org' | 'sink' | 'result'>;
  pluginErrors: Counter<'org' | 'kind' | 'plugin'>;
  uncaughtErrors: Counter;
}

export function createMetrics(options: { processMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });

  return {
    registry,
    httpDuration: new Histogram({
      name: 'gateway_http_request_duration_seconds',
      help: 'HTTP requests by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    signIns: new Counter({
      name: 'gateway_sign_ins_total',
      help: 'Sign-ins by organization, auth method and outcome (authenticated, rejected, failed)',
      labelNames: ['org', 'method', 'outcome'],
      registers: [registry],
    }),
    directoryDuration: new Histogram({
      name: 'gateway_directory_operation_duration_seconds',
      help: 'LDAP operations by organization and operation',
      labelNames: ['org', 'operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
    directoryErrors: new Counter({
      name: 'gateway_directory_errors_total',
      help: 'LDAP operations that failed, by organization, operation and gateway error code',
      labelNames: ['org', 'operation', 'code'],
      registers: [registry],
    }),
    poolConnections: new Gauge({
      name: 'gateway_directory_pool_connections',
      help: 'Pooled directory connections by organization, pool (service, user) and state',
      labelNames: ['org', 'pool', 'state'],
      registers: [registry],
    }),
    cacheLookups: new Counter({
      name: 'gateway_contact_cache_lookups_total',
      help: 'Contact query cache lookups by organization and result (hit, miss)',
      labelNames: ['org', 'result'],
      registers: [registry],
    }),
    importsFinished: new Counter({
      name: 'gateway_imports_finished_total',
      help: 'Imports that came to a stop, by organization and status',
      labelNames: ['org', 'status'],
      registers: [registry],
    }),
    importEntries: new Counter({
      name: 'gateway_import_entries_total',
      help: 'Directory entries read by imports, by organization and outcome (staged, skipped)',
      labelNames: ['org', 'outcome'],
      registers: [registry],
    }),
    sinkDeliveries: new Counter({
      name: 'gateway_sink_deliveries_total',
      help: 'Batches sent to sinks by organization, sink and result (delivered, retried, failed)',
      labelNames: ['org', 'sink', 'result'],
      registers: [registry],
    }),
    pluginErrors: new Counter({
      name: 'gateway_plugin_errors_total',
      help: 'Unexpected errors thrown by plugins, by organization, plugin kind and type name',
      labelNames: ['org', 'kind', 'plugin'],
      registers: [registry],
    }),
    uncaughtErrors: new Counter({
      name: 'gateway_uncaught_errors_total',
      help: 'Errors thrown outside any request (e.g. by a plugin timer), logged and survived',
      registers: [registry],
    }),
  };
}
