import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageChannel } from 'node:worker_threads';

import type { EntryRecord } from '../../core/directory/entry.js';
import { receivePages, sendPages } from '../../core/imports/page-channel.js';

async function* pagesOf(pages: EntryRecord[][], sent: { count: number }) {
  for (const page of pages) {
    sent.count += 1;
    yield page;
  }
}

describe('page channel between the import threads', () => {
  it('hands pages over in order, binary values as Buffers', async () => {
    const { port1, port2 } = new MessageChannel();
    const photo = Buffer.from([0xff, 0xd8, 0xff, 0x00]);
    const pages: EntryRecord[][] = [
      [{ dn: 'uid=a', cn: 'A', jpegPhoto: photo }],
      [
        { dn: 'uid=b', cn: ['B', 'Bee'], objectGUID: [photo, photo] },
        { dn: 'uid=c', sn: 'C' },
      ],
    ];
    const sending = sendPages(port1, pagesOf(pages, { count: 0 }));
    const received: EntryRecord[][] = [];
    for await (const page of receivePages(port2)) received.push(page);
    await sending;

    assert.deepEqual(received, pages);
    // The mapping reads binary values as Buffers, as ldapts gives them.
    assert.ok(Buffer.isBuffer(received[0]![0]!['jpegPhoto']));
    const guids = received[1]![0]!['objectGUID'] as Buffer[];
    assert.ok(guids.every((guid) => Buffer.isBuffer(guid)));
  });

  it('keeps at most `window` pages on the way until the receiver takes them', async () => {
    const { port1, port2 } = new MessageChannel();
    const pages = Array.from({ length: 10 }, (_, index) => [{ dn: `uid=${index}` }]);
    const sent = { count: 0 };
    const sending = sendPages(port1, pagesOf(pages, sent), 2);
    const receiver = receivePages(port2);
    const first = await receiver.next();
    assert.deepEqual(first.value, [{ dn: 'uid=0' }]);
    // The receiver holds the first page: the sender may read two more, then has to wait.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(sent.count <= 3, `the sender read ${sent.count} pages ahead of a stalled receiver`);
    let rest = 0;
    for await (const page of receiver) rest += page.length;
    await sending;
    assert.equal(rest, 9);
    assert.equal(sent.count, 10);
  });
});
