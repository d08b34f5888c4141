import { createHmac } from 'node:crypto';

/**
 * The signature a receiver checks: HMAC-SHA256 with the shared secret over the timestamp, a
 * dot and the exact body, in hex. The timestamp lets receivers refuse old replays.
 */
export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}
