import { setTimeout as sleep } from 'node:timers/promises';

import pRetry from 'p-retry';

import type { RetrySettings } from '../../config/types.js';
import { GatewayError } from '../errors.js';
import { SinkError, type ContactSink, type SinkBatch } from '../plugin-api.js';
import type { ImportRecord, ImportsStore } from '../store/imports-store.js';
import { yieldToRequests } from './steps.js';

export interface DeliveryContext {
  organizationId: string;
  store: ImportsStore;
  sink: ContactSink & { deliver: NonNullable<ContactSink['deliver']> };
  retry: RetrySettings;
  /** Changes per batch when the sink names no size of its own. */
  batchSize: number;
  signal: AbortSignal;
  /** Records progress; called after every acknowledged batch. */
  update: (fields: Partial<ImportRecord>) => void;
  /** Told of every attempt's result, for the metrics. */
  counted: (result: 'delivered' | 'retried' | 'failed') => void;
}

/**
 * Sends an import's recorded changes to the sink, batch after batch in key order, from where an
 * earlier delivery of the same import stopped. Every acknowledged batch is recorded before the
 * next is sent, so a gateway that stops resends at most the batch that was in flight.
 */
export async function deliverChanges(record: ImportRecord, context: DeliveryContext) {
  const { store, sink, signal } = context;
  const size = deliveryBatchSize(record, context);
  let after = record.deliveredKey;
  let sequence = record.deliveredBatches;
  let delivered = record.delivered;
  for (;;) {
    signal.throwIfAborted();
    // One row more than a batch tells whether this batch is the last.
    const rows = store.pageChanges(record.id, after, size + 1);
    const changes = rows.slice(0, size);
    const batch: SinkBatch = {
      organizationId: context.organizationId,
      importId: record.id,
      sequence: sequence + 1,
      last: rows.length <= size,
      changes: changes.map((row) => ({
        key: row.key,
        change: row.change,
        contact: JSON.parse(row.data) as unknown,
      })),
    };
    await withRetries(() => untilAborted(sink.deliver(batch, signal), signal), context);
    sequence = batch.sequence;
    delivered += changes.length;
    after = changes.at(-1)?.key ?? after;
    context.update({ delivered, deliveredBatches: sequence, deliveredKey: after });
    if (batch.last) return;
    // A sink that answers at once would otherwise keep every other request waiting.
    await yieldToRequests();
  }
}

/**
 * The delivery, or an abort as soon as the import is cancelled or the gateway stops: a sink
 * that ignores its signal must not hold either up.
 */
function untilAborted(delivery: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    delivery.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** The import's batch size: fixed by its first batch, so a resumed delivery cuts the same. */
export function deliveryBatchSize(record: ImportRecord, context: DeliveryContext): number {
  if (record.deliveryBatchSize > 0) return record.deliveryBatchSize;
  const own = context.sink.batchSize;
  // The sink's own size is checked when it is created; the guard keeps the loop finite anyway.
  const size = own !== undefined && Number.isSafeInteger(own) && own > 0 ? own : context.batchSize;
  context.update({ deliveryBatchSize: size });
  return size;
}

/**
 * Tries a delivery until it succeeds, with exponential backoff and jitter between attempts.
 * A receiver's own wait (Retry-After) is honoured up to `maxDelayMs`.
 */
async function withRetries(deliver: () => Promise<void>, context: DeliveryContext) {
  const { retry, signal, counted } = context;
  try {
    await pRetry(deliver, {
      retries: retry.maxAttempts - 1,
      minTimeout: Math.min(retry.initialDelayMs, retry.maxDelayMs),
      maxTimeout: retry.maxDelayMs,
      randomize: true,
      signal,
      shouldRetry: ({ error }) => error instanceof SinkError && error.retryable,
      onFailedAttempt: async ({ error, retriesLeft }) => {
        if (!(error instanceof SinkError && error.retryable) || retriesLeft === 0) return;
        counted('retried');
        const wait = error.retryAfterMs;
        if (wait && !signal.aborted) {
          await sleep(Math.min(wait, retry.maxDelayMs), undefined, { signal });
        }
      },
    });
    counted('delivered');
  } catch (error) {
    if (signal.aborted) throw error;
    counted('failed');
    throw asGatewayError(error, retry.maxAttempts);
  }
}

function asGatewayError(error: unknown, attempts: number): GatewayError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SinkError && error.retryable) {
    return new GatewayError(
      'sink_unavailable',
      `the sink did not take the contacts after ${attempts} attempts: ${message}`,
    );
  }
  if (error instanceof SinkError) {
    return new GatewayError('sink_rejected', `the sink refused the contacts: ${message}`);
  }
  return new GatewayError('sink_failed', `the sink plugin failed: ${message}`);
}
