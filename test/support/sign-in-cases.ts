/**
 * The table-driven sign-in checks every auth method's tests share: one `it` per row, and many
 * bulk users signing in at once with each answer checked.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';

import type { TestGateway, TestResponse } from './gateway.js';

/** [organization, username, password, status, expected DN (200) or error code, why] */
export type SignInCase = [string, string, string, number, string, string];

export function signIn(
  gateway: TestGateway,
  org: string,
  username: string,
  password: string,
): Promise<TestResponse> {
  return gateway.request('POST', `/v1/orgs/${org}/auth`, { username, password });
}

export function itAnswersEachCase(gateway: () => TestGateway, cases: SignInCase[]): void {
  for (const [org, username, password, status, expected, why] of cases) {
    it(`answers ${status} for ${why}`, async () => {
      const response = await signIn(gateway(), org, username, password);
      assert.equal(response.status, status, response.text);
      if (status === 200) assert.equal(response.body.user.dn, expected);
      else assert.equal(response.body.error.code, expected);
    });
  }
}

/**
 * Makes `count` sign-in attempts at once with bulk users user0001...user<distinct> (a user
 * appears several times when `distinct` is smaller), every `wrongEvery`-th with a wrong
 * password, and checks that each answer belongs to its own attempt.
 */
export async function signInBulkUsersAtOnce(
  gateway: TestGateway,
  org: string,
  count: number,
  wrongEvery: number,
  distinct = count,
): Promise<void> {
  const attempts = Array.from({ length: count }, (_, index) => ({
    username: `user${String((index % distinct) + 1).padStart(4, '0')}`,
    right: index % wrongEvery !== 0,
  }));
  const responses = await Promise.all(
    attempts.map((attempt) =>
      signIn(gateway, org, attempt.username, attempt.right ? 'bulk-pw' : 'wrong'),
    ),
  );
  responses.forEach((response, index) => {
    const attempt = attempts[index]!;
    assert.equal(
      response.status,
      attempt.right ? 200 : 401,
      `${attempt.username}: ${response.text}`,
    );
    if (attempt.right) assert.equal(response.body.user.id, attempt.username);
  });
}
