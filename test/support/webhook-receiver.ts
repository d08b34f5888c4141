/**
 * An HTTP server on 127.0.0.1 that plays a webhook receiver: it records every request and
 * answers as the test tells it, including not at all (to catch a delivery in flight).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  /** The body exactly as sent. */
  raw: string;
  body: any;
}

/** An answer: a status with optional headers, or 'hang' to keep the request open. */
export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

export interface WebhookReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Decides the answer to each request; 200 by default. */
  answer: (request: ReceivedRequest, index: number) => Answer;
  /** Resolves when `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const waiters: Array<() => void> = [];
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    answer: () => ({ status: 200 }),
    waitFor: (count, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${receiver.received.length} of ${count} requests came`)),
          timeoutMs,
        );
        const check = () => {
          if (receiver.received.length < count) return waiters.push(check);
          clearTimeout(timer);
          resolve();
          return 0;
        };
        check();
      }),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const received: ReceivedRequest = { headers: request.headers, raw, body: parseJson(raw) };
      receiver.received.push(received);
      const answer = receiver.answer(received, receiver.received.length - 1);
      for (const waiter of waiters.splice(0)) waiter();
      if (answer === 'hang') return;
      response.writeHead(answer.status, answer.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/contacts`;
  return receiver;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
