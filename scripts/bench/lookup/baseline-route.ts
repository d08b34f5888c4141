/**
 * The baseline: a route on the gateway's own app that sends the gateway's recorded answer for
 * the number, bytes, status and type alike, and does nothing else. Like the project's other
 * baselines (scripts/bench/baseline-routes.ts) it sits outside `/v1`, so the token and
 * organization checks are part of what the ratio charges to the lookup.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';

import type { GatewayApp } from '../../../core/http/app.js';

export const BASELINE_LOOKUP_PATH = '/bench/baseline/lookup';

export interface RecordedAnswer {
  status: number;
  contentType: string;
  body: string;
}

export function addLookupBaseline(app: GatewayApp, answers: Map<string, RecordedAnswer>): void {
  app.get(BASELINE_LOOKUP_PATH, (context) => {
    const answer = answers.get(context.req.query('number') ?? '');
    // An unrecorded number is a bench bug, and the load's status check reports it.
    if (!answer) return context.text('bench: no recorded answer', 500);
    const status = answer.status as ContentfulStatusCode;
    return context.body(answer.body, status, { 'content-type': answer.contentType });
  });
}
