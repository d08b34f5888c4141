/** Steps the import tests share: wait for an import to settle, read every page of a listing. */
import assert from 'node:assert/strict';

import type { TestGateway } from './gateway.js';

/** Polls until the import leaves queued and running, and returns its record. */
export async function waitForImport(
  gateway: TestGateway,
  org: string,
  id: string,
  timeoutMs = 60_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await gateway.request('GET', `/v1/orgs/${org}/imports/${id}`);
    assert.equal(response.status, 200, response.text);
    const record = response.body.import;
    if (!['queued', 'running'].includes(record.status)) return record;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`import ${id} did not finish within ${timeoutMs} ms`);
}

/** Starts an import and returns its id, failing the test unless it was accepted. */
export async function startImport(gateway: TestGateway, org: string, body?: unknown) {
  const response = await gateway.request('POST', `/v1/orgs/${org}/imports`, body);
  assert.equal(response.status, 202, response.text);
  return response.body.import.id as string;
}

/** Every item of a paged listing (`contacts` or `changes`), following nextCursor. */
export async function allPages(gateway: TestGateway, path: string, field: string) {
  const items: any[] = [];
  let cursor = '';
  for (let page = 0; page < 1000; page += 1) {
    const separator = path.includes('?') ? '&' : '?';
    const response = await gateway.request(
      'GET',
      `${path}${separator}limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    assert.equal(response.status, 200, response.text);
    items.push(...response.body[field]);
    if (!response.body.nextCursor) return items;
    cursor = response.body.nextCursor;
  }
  assert.fail('too many pages');
}
