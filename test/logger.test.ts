import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';

import { createLogger } from '../core/logger.js';

function logged(write: (logger: ReturnType<typeof createLogger>) => void): string {
  let text = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  write(createLogger('info', sink));
  return text;
}

describe('the logger', () => {
  it('replaces secrets at the top of a line and one level down', () => {
    const text = logged((log) => log.info({ password: 'P1', user: { bindPassword: 'P2' } }, 'x'));
    assert.doesNotMatch(text, /P1|P2/);
    assert.match(text, /"password":"\[redacted\]"/);
  });

  it('cleans settings, options and errors however deep their secrets sit', () => {
    const settings = {
      organizations: { acme: { sink: { options: { secret: 'S3', url: 'https://x' } } } },
      api: { tokens: [{ token: 'T4' }] },
    };
    const error = Object.assign(new Error('refused'), {
      config: { auth: { password: 'P5' } },
      headers: { Authorization: 'Bearer A6' },
    });
    const text = logged((log) => log.warn({ settings, err: error }, 'x'));
    for (const secret of ['S3', 'T4', 'P5', 'A6']) assert.doesNotMatch(text, new RegExp(secret));
    assert.match(text, /"url":"https:\/\/x"/, 'the rest stays');
    assert.match(text, /"message":"refused"/);
  });

  it('survives an object that refers to itself', () => {
    const options: Record<string, unknown> = { secret: 'S7' };
    options['self'] = options;
    const text = logged((log) => log.info({ options }, 'x'));
    assert.doesNotMatch(text, /S7/);
    assert.match(text, /\[cycle\]/);
  });
});
