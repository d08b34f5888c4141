import type { AppDependencies, GatewayApp } from './app.js';

export function registerHealthRoutes(app: GatewayApp, dependencies: AppDependencies): void {
  const { metrics, organizations, isReady } = dependencies;

  app.get('/healthz', (context) => context.json({ status: 'ok' }));

  // Ready means able to serve: the store is open and the gateway is not shutting down.
  // A customer's directory being down is not a reason to take the gateway out of rotation.
  app.get('/readyz', (context) =>
    isReady()
      ? context.json({ status: 'ready' })
      : context.json({ error: { code: 'shutting_down', message: 'the gateway is stopping' } }, 503),
  );

  app.get('/metrics', async (context) => {
    organizations.reportPools();
    const text = await metrics.registry.metrics();
    return context.body(text, 200, { 'content-type': metrics.registry.contentType });
  });
}
