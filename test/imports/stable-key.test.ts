import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DirectoryEntry } from '../../core/directory/entry.js';
import { stableKeyOf } from '../../core/imports/stable-key.js';

describe('stableKeyOf', () => {
  it('prefers entryUUID, in small letters', () => {
    const entry = new DirectoryEntry('uid=a,dc=x', [
      ['entryUUID', ['0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0']],
      ['objectGUID', [Buffer.alloc(16)]],
    ]);
    assert.equal(stableKeyOf(entry), 'uuid:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
  });

  it("writes objectGUID the way Active Directory's tools do", () => {
    const bytes = Buffer.from('3f2504e04f8911d39a0c0305e82c3301', 'hex');
    const entry = new DirectoryEntry('CN=A,DC=x', [['objectGUID', [bytes]]]);
    assert.equal(stableKeyOf(entry), 'guid:e004253f-894f-d311-9a0c-0305e82c3301');
  });

  it('falls back to the DN, whatever its case', () => {
    const entry = new DirectoryEntry('UID=A,DC=X');
    assert.equal(stableKeyOf(entry), 'dn:uid=a,dc=x');
  });
});
