import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';
import { startImport, waitForImport } from '../support/imports.js';
import { startSlapd, type SlapdHandle } from '../support/slapd.js';

describe('changes of imports no longer kept', () => {
  let slapd: SlapdHandle;
  let gateway: TestGateway;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: 0 });
    gateway = await startTestGateway(
      { acme: fixtureOrganization(slapd) },
      { imports: { changesKept: 1 } },
    );
  });
  after(async () => {
    await gateway?.stop();
    await slapd?.stop();
  });

  const importOf = async () => {
    const record = await waitForImport(gateway, 'acme', await startImport(gateway, 'acme'));
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
    return record;
  };
  const changesOf = (id: string) =>
    gateway.request('GET', `/v1/orgs/acme/imports/${id}/contacts?changes=true`);

  it('are refused with 410, never paged as if nothing had changed', async () => {
    const first = await importOf();
    assert.ok(first.added > 0);
    assert.equal((await changesOf(first.id)).body.changes.length, first.added);

    const second = await importOf();
    const refused = await changesOf(first.id);
    assert.equal(refused.status, 410, refused.text);
    assert.equal(refused.body.error.code, 'changes_not_kept');
    const kept = await changesOf(second.id);
    assert.equal(kept.status, 200);
    assert.deepEqual(kept.body.changes, [], 'the latest import changed nothing');
  });
});
