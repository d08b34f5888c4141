import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { GatewayError } from '../core/errors.js';

describe('GatewayError', () => {
  it('captures no stack, while its cause keeps its own', () => {
    const cause = new Error('socket closed');
    const error = new GatewayError('directory_unavailable', 'the directory did not answer', {
      cause,
    });
    assert.equal(error.stack, 'GatewayError: the directory did not answer');
    assert.match(cause.stack!, /\n\s+at /);
    assert.equal(error.cause, cause);
  });

  it('leaves the stack of errors made afterwards as it was', () => {
    new GatewayError('not_found', 'no such route');
    assert.match(new Error('later').stack!, /\n\s+at /);
  });
});
