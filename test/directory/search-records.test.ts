/**
 * Entries as a search hands them on, against a real slapd: only the attributes an entry has,
 * whatever else was asked for (ldapts, patched, would otherwise add an empty list for each).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DirectoryConnection } from '../../core/directory/connection.js';
import { startSlapd, type SlapdHandle } from '../support/slapd.js';

describe('search records', () => {
  let slapd: SlapdHandle;
  let connection: DirectoryConnection;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: 3 });
    connection = new DirectoryConnection({
      url: slapd.url,
      startTls: false,
      tls: {},
      connectTimeoutMs: 5000,
      operationTimeoutMs: 5000,
    });
    await connection.bind(slapd.serviceDn, slapd.servicePassword);
  });
  after(async () => {
    await connection?.close();
    await slapd?.stop();
  });

  for (const pageSize of [0, 2]) {
    it(`leaves out requested attributes an entry lacks (page size ${pageSize})`, async () => {
      const records = [];
      for await (const page of connection.searchRecords({
        base: slapd.usersDn,
        filter: '(uid=user000*)',
        scope: 'sub',
        attributes: ['uid', 'cn', 'mobile', 'jpegPhoto', 'entryUUID'],
        binaryAttributes: ['jpegPhoto'],
        pageSize,
      })) {
        records.push(...page);
      }
      assert.equal(records.length, 3);
      for (const record of records) {
        assert.deepEqual(Object.keys(record).sort(), ['cn', 'dn', 'entryUUID', 'uid']);
        assert.match(String(record['uid']), /^user000\d$/);
      }
    });
  }
});
