import type { MessagePort } from 'node:worker_threads';

import { GatewayError } from '../errors.js';

/**
 * Messages from an import's worker threads to the main thread: progress (already written to
 * the import's record), counts for the metrics, and how they ended.
 */
export type WorkerMessage =
  | { type: 'progressed' }
  | { type: 'counted'; outcome: 'staged' | 'skipped'; count: number }
  | { type: 'done' }
  | { type: 'failed'; code: string; message: string };

/** A failure as the main thread reports it: a GatewayError's code, or internal_error. */
export function failureOf(error: unknown): WorkerMessage {
  const failure = error instanceof GatewayError ? error : undefined;
  return {
    type: 'failed',
    code: failure?.code ?? 'internal_error',
    message: failure?.message ?? 'the import failed',
  };
}

/** Aborted when the main thread tells a worker to stop (the import was cancelled). */
export function abortedByParent(port: MessagePort): AbortSignal {
  const controller = new AbortController();
  port.on('message', (message: { type: string }) => {
    if (message.type === 'abort') controller.abort();
  });
  return controller.signal;
}
