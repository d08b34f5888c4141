/**
 * One POST with node:http(s), answered by its status and headers. fetch is not used: undici
 * follows the caller's abort signal through a weak reference, and after a garbage collection a
 * timeout or a cancellation no longer reaches the request (nodejs/undici#4068), which then
 * waits for its own five-minute headers timeout.
 */
import { request as plainRequest, type IncomingHttpHeaders } from 'node:http';
import { request as tlsRequest } from 'node:https';

export interface PostAnswer {
  status: number;
  headers: IncomingHttpHeaders;
}

/** Thrown when no answer came within `timeoutMs`. */
export class PostTimeoutError extends Error {
  constructor() {
    super('no answer in time');
    this.name = 'TimeoutError';
  }
}

/**
 * POSTs `body` to `url` and resolves once the answer's head is in; its body is discarded.
 * Rejects when `signal` aborts, after `timeoutMs` without an answer, or on a network error.
 * TLS certificates are verified; redirects are not followed.
 */
export function httpPost(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: { signal: AbortSignal; timeoutMs: number },
): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? tlsRequest : plainRequest;
    const request = send(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      signal: options.signal,
    });
    // The timer holds the request: nothing a collection takes can stop it from firing.
    const timer = setTimeout(() => request.destroy(new PostTimeoutError()), options.timeoutMs);
    request.once('response', (response) => {
      clearTimeout(timer);
      // The body is not read; a connection cut while it drains changes nothing.
      response.on('error', () => undefined);
      response.resume();
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}
