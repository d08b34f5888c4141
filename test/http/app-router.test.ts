/**
 * The API's routes must stay within what hono's RegExpRouter holds: when one route does not,
 * hono quietly falls back to a router that takes over a microsecond more on every request.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createApp, type AppDependencies } from '../../core/http/app.js';
import { createMetrics } from '../../core/metrics.js';

describe('API routing', () => {
  it("is served by hono's RegExpRouter", async () => {
    const app = createApp({
      metrics: createMetrics({ processMetrics: false }),
      tokens: [],
      bodyLimitBytes: 1024,
      requestTimeoutMs: 1000,
      isReady: () => true,
      imports: {},
    } as unknown as AppDependencies);
    // Hono picks its router on the first request.
    const response = await app.request('/healthz');
    assert.equal(response.status, 200);
    assert.match(app.router.name, /RegExpRouter/);
  });
});
