import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  answerChallenge,
  parseChallenge,
  verifyRspauth,
} from '../../core/directory/sasl/digest-md5.js';
import { GatewayError } from '../../core/errors.js';

// The worked example of RFC 2831 section 4.
const RFC_CHALLENGE =
  'realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess,charset=utf-8';
const RFC_CREDENTIALS = {
  username: 'chris',
  password: 'secret',
  realm: '',
  digestUri: 'imap/elwood.innosoft.com',
};

describe('DIGEST-MD5 (RFC 2831)', () => {
  it('computes the response and rspauth of the RFC example', () => {
    const answer = answerChallenge(
      parseChallenge(RFC_CHALLENGE),
      RFC_CREDENTIALS,
      'OA6MHXh6VqTrRk',
    );
    assert.match(answer.response, /(^|,)response=d388dad90d4bbd760a152321f2143af7(,|$)/);
    assert.equal(answer.expectedRspauth, 'ea40f60335c427b5527b84dbabcdfffd');
    assert.match(answer.response, /digest-uri="imap\/elwood\.innosoft\.com"/);
    assert.match(answer.response, /realm="elwood\.innosoft\.com"/);
    assert.match(answer.response, /charset=utf-8/);
  });

  it('reads the OpenLDAP challenge with several qop options and a cipher list', () => {
    const challenge = parseChallenge(
      'nonce="a+b/c=",realm="EXAMPLE.COM",qop="auth,auth-int,auth-conf",cipher="rc4-40,rc4-56,rc4,des,3des",maxbuf=65536,charset=utf-8,algorithm=md5-sess',
    );
    assert.deepEqual(challenge.realms, ['EXAMPLE.COM']);
    assert.equal(challenge.nonce, 'a+b/c=');
    assert.deepEqual(challenge.qop, ['auth', 'auth-int', 'auth-conf']);
  });

  it('prefers a configured realm to the offered one', () => {
    const answer = answerChallenge(parseChallenge(RFC_CHALLENGE), {
      ...RFC_CREDENTIALS,
      realm: 'MINE',
    });
    assert.match(answer.response, /realm="MINE"/);
  });

  it('quotes user names that hold quotes and backslashes', () => {
    const answer = answerChallenge(parseChallenge(RFC_CHALLENGE), {
      ...RFC_CREDENTIALS,
      username: 'a"b\\c',
    });
    assert.match(answer.response, /username="a\\"b\\\\c"/);
  });

  it('uses a fresh client nonce each time', () => {
    const challenge = parseChallenge(RFC_CHALLENGE);
    const first = answerChallenge(challenge, RFC_CREDENTIALS).response;
    const second = answerChallenge(challenge, RFC_CREDENTIALS).response;
    assert.notEqual(first, second);
  });

  const malformed: Array<[string, string]> = [
    ['realm="x",qop="auth",algorithm=md5-sess', 'no nonce'],
    ['nonce="a",nonce="b",algorithm=md5-sess', 'two nonces'],
    ['nonce="a",qop="auth"', 'no algorithm'],
    ['nonce="a",algorithm=md5', 'plain md5'],
    ['nonce="a",qop="auth-conf",algorithm=md5-sess', 'no qop=auth'],
    ['nonce="a,algorithm=md5-sess', 'an unterminated quote'],
    ['garbage', 'no key=value pairs'],
    ['', 'an empty challenge'],
  ];
  for (const [text, why] of malformed) {
    it(`refuses a challenge with ${why}`, () => {
      assert.throws(
        () => parseChallenge(text),
        (error: unknown) =>
          error instanceof GatewayError && error.code === 'sasl_challenge_invalid',
      );
    });
  }

  it('accepts the right rspauth and refuses any other', () => {
    verifyRspauth('rspauth=ea40f60335c427b5527b84dbabcdfffd', 'ea40f60335c427b5527b84dbabcdfffd');
    for (const final of ['rspauth=00000000000000000000000000000000', '', 'rspauth=ea40']) {
      assert.throws(
        () => verifyRspauth(final, 'ea40f60335c427b5527b84dbabcdfffd'),
        (error: unknown) =>
          error instanceof GatewayError && error.code === 'sasl_server_unverified',
      );
    }
  });
});
