import type { MessagePort } from 'node:worker_threads';

import { GatewayError } from '../errors.js';
import type { Comparison } from './compare.js';

/**
 * Messages from an import's worker threads to the main thread: progress (already written to
 * the import's record), counts for the metrics, and how they ended.
 */
export type WorkerMessage =
  | { type: 'progressed' }
  | { type: 'counted'; outcome: 'staged' | 'skipped'; count: number }
  | { type: 'pluginFailed'; labels: PluginErrorLabels; count: number }
  | { type: 'comparing' }
  | { type: 'done'; comparison?: Comparison }
  | { type: 'failed'; code: string; message: string };

/** The labels of gateway_plugin_errors_total. */
export interface PluginErrorLabels {
  org: string;
  kind: string;
  plugin: string;
}

/** A failure as the main thread reports it: a GatewayError's code, or internal_error. */
export function failureOf(error: unknown): WorkerMessage {
  const failure = error instanceof GatewayError ? error : undefined;
  return {
    type: 'failed',
    code: failure?.code ?? 'internal_error',
    message: failure?.message ?? 'the import failed',
  };
}

/** Messages from the main thread: an import's work for a thread waiting for one, or its end. */
export type ParentMessage<Job> = { type: 'job'; job: Job } | { type: 'abort' };

/** The import a worker thread is given, once the main thread gives one. */
export function jobFromParent<Job>(port: MessagePort): Promise<Job> {
  return new Promise((resolve) => {
    const take = (message: ParentMessage<Job>) => {
      if (message.type !== 'job') return;
      port.off('message', take);
      resolve(message.job);
    };
    port.on('message', take);
  });
}

/** Aborted when the main thread tells a worker to stop (the import was cancelled). */
export function abortedByParent(port: MessagePort): AbortSignal {
  const controller = new AbortController();
  port.on('message', (message: ParentMessage<unknown>) => {
    if (message.type === 'abort') controller.abort();
  });
  return controller.signal;
}
