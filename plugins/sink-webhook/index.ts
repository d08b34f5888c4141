import {
  PLUGIN_API_VERSION,
  SinkError,
  type ContactSink,
  type PluginContext,
  type SinkBatch,
  type SinkPluginDefinition,
} from '../../core/plugin-api.js';
import { httpPost, PostTimeoutError, type PostAnswer } from './http-post.js';
import { retryAfterMs } from './retry-after.js';
import { signatureOf } from './signature.js';

interface WebhookOptions {
  url: string;
  secret: string;
  batchSize: number;
  timeoutMs: number;
}

/** Answers worth another attempt: the receiver is busy, overloaded or briefly broken. */
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * `webhook`: POSTs each import's changes to a URL in JSON batches signed with HMAC-SHA256
 * (see docs/imports.md for the format and how to check a signature). TLS certificates are
 * verified; redirects are not followed, so signed contacts go only where configured.
 */
export const webhookSink: SinkPluginDefinition = {
  type: 'webhook',
  kind: 'sink',
  apiVersion: PLUGIN_API_VERSION,
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'secret'],
    properties: {
      url: { type: 'string', pattern: '^https?://[^\\s]+$' },
      secret: { type: 'string', minLength: 16 },
      batchSize: { type: 'integer', minimum: 1, maximum: 10000, default: 500 },
      timeoutMs: { type: 'integer', minimum: 100, maximum: 600000, default: 30000 },
    },
  },
  create: (options, context) => createWebhookSink(options as unknown as WebhookOptions, context),
};

function createWebhookSink(options: WebhookOptions, context: PluginContext): ContactSink {
  const url = urlOf(options.url);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    context.logger.warn(
      { host: url.host },
      'webhook sink over plain http: contacts travel unencrypted, use https',
    );
  }
  return {
    batchSize: options.batchSize,
    deliver: (batch, signal) => post(url, options, batch, signal),
  };
}

async function post(
  url: URL,
  options: WebhookOptions,
  batch: SinkBatch,
  signal: AbortSignal,
): Promise<void> {
  const body = JSON.stringify({
    organization: batch.organizationId,
    importId: batch.importId,
    sequence: batch.sequence,
    last: batch.last,
    changes: batch.changes,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  let answer: PostAnswer;
  try {
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'ldap-gateway',
      'idempotency-key': `${batch.importId}:${batch.sequence}`,
      'x-gateway-timestamp': String(timestamp),
      'x-gateway-signature': `sha256=${signatureOf(options.secret, timestamp, body)}`,
    };
    answer = await httpPost(url, body, headers, { signal, timeoutMs: options.timeoutMs });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new SinkError(`POST ${url.host} failed: ${reasonOf(error)}`, { retryable: true });
  }
  if (answer.status >= 200 && answer.status < 300) return;
  const message = `POST ${url.host} answered ${answer.status}`;
  if (!RETRYABLE_STATUS.has(answer.status)) throw new SinkError(message, { retryable: false });
  const wait = retryAfterMs(headerOf(answer, 'retry-after'));
  throw new SinkError(message, { retryable: true, retryAfterMs: wait });
}

function headerOf(answer: PostAnswer, name: string): string | null {
  const value = answer.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** The URL, or why it cannot be one to post signed contacts to. */
function urlOf(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('options.url: is not a valid URL');
  }
  // fetch refuses them anyway, and the secret would end up in messages and logs.
  if (url.username || url.password)
    throw new Error('options.url: must not hold a user or password');
  return url;
}

/**
 * What went wrong, by the network error's code only: error messages can quote the whole URL,
 * query string included, and errors end up in the import's record and in logs.
 */
function reasonOf(error: unknown): string {
  if (error instanceof PostTimeoutError) return 'no answer in time';
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'the request failed';
}
