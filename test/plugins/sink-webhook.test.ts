import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { createLogger } from '../../core/logger.js';
import { SinkError, type ContactSink, type SinkBatch } from '../../core/plugin-api.js';
import { webhookSink } from '../../plugins/sink-webhook/index.js';
import { retryAfterMs } from '../../plugins/sink-webhook/retry-after.js';
import { signatureOf } from '../../plugins/sink-webhook/signature.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const SECRET = 'webhook-secret-0123456789';

const batch: SinkBatch = {
  organizationId: 'acme',
  importId: '00000000-0000-4000-8000-000000000000',
  sequence: 1,
  last: true,
  changes: [],
};

function sinkFor(url: string, extra: Record<string, unknown> = {}): ContactSink {
  const logger = createLogger('silent');
  const context = { organizationId: 'acme', settings: {} as never, logger };
  return webhookSink.create(
    { url, secret: SECRET, batchSize: 10, timeoutMs: 30000, ...extra },
    context,
  );
}

async function failureOf(sink: ContactSink): Promise<SinkError> {
  const error = await sink.deliver!(batch, new AbortController().signal).then(
    () => assert.fail('the delivery should fail'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof SinkError, String(error));
  return error;
}

describe('webhook signature', () => {
  it('is HMAC-SHA256 over timestamp, dot and body, in hex', () => {
    // Known answer from: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac SECRET
    assert.equal(
      signatureOf(SECRET, 1700000000, '{"a":1}'),
      'b46be92da8d98b9148d7d2f909e797a591600b083e62e63ead756723292b1a50',
    );
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and ignores the rest', () => {
    assert.equal(retryAfterMs('7'), 7000);
    assert.equal(
      retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.UTC(2015, 9, 21, 7, 28)),
      10000,
    );
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.UTC(2015, 9, 21, 8)), 0);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(retryAfterMs('-3'), undefined);
    assert.equal(retryAfterMs(null), undefined);
  });
});

describe('webhook deliveries', () => {
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await startWebhookReceiver();
  });
  after(() => receiver?.stop());

  it('does not follow a redirect, and does not retry it', async () => {
    receiver.answer = () => ({ status: 307, headers: { location: 'http://127.0.0.1:9/' } });
    const error = await failureOf(sinkFor(receiver.url));
    assert.equal(error.retryable, false);
    assert.match(error.message, /answered 307/);
  });

  it('retries a 429 after the receiver’s Retry-After', async () => {
    receiver.answer = () => ({ status: 429, headers: { 'retry-after': '7' } });
    const error = await failureOf(sinkFor(receiver.url));
    assert.deepEqual([error.retryable, error.retryAfterMs], [true, 7000]);
  });

  it('retries a receiver that does not answer in time', async () => {
    receiver.answer = () => 'hang';
    const error = await failureOf(sinkFor(receiver.url, { timeoutMs: 200 }));
    assert.equal(error.retryable, true);
    assert.match(error.message, /no answer in time/);
  });

  it(
    'times out even when garbage is collected while the receiver hangs',
    { timeout: 20_000 },
    async () => {
      // A timeout that only the request's signal refers to can be collected before it fires.
      setFlagsFromString('--expose-gc');
      const collectGarbage = runInNewContext('gc') as () => void;
      receiver.answer = () => 'hang';
      const arrived = receiver.received.length + 1;
      const failure = failureOf(sinkFor(receiver.url, { timeoutMs: 500 }));
      await receiver.waitFor(arrived);
      for (let round = 0; round < 5; round += 1) collectGarbage();
      const error = await failure;
      assert.match(error.message, /no answer in time/);
    },
  );

  it('retries a receiver that is not listening', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const error = await failureOf(sinkFor(`http://127.0.0.1:${port}/contacts`));
    assert.equal(error.retryable, true);
    assert.match(error.message, /ECONNREFUSED/);
  });

  it('stops at once when the import is cancelled', async () => {
    receiver.answer = () => 'hang';
    const controller = new AbortController();
    const delivery = sinkFor(receiver.url).deliver!(batch, controller.signal);
    await receiver.waitFor(receiver.received.length);
    controller.abort();
    await assert.rejects(delivery, (error: Error) => !(error instanceof SinkError));
  });
});
