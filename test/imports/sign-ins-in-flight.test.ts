import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';

import { makingWayForSignIns, SignInsInFlight } from '../../core/imports/sign-ins-in-flight.js';

describe('sign-ins in flight', () => {
  it('counts a sign-in while it is answered, failed ones too', async () => {
    const signIns = new SignInsInFlight();
    let seen = -1;
    await signIns.during(async () => {
      seen = signIns.count;
    });
    assert.equal(seen, 1);
    await assert.rejects(signIns.during(() => Promise.reject(new Error('refused'))));
    assert.equal(signIns.count, 0);
  });

  it('lets a page through at once when no sign-in is in flight', async () => {
    const signIns = new SignInsInFlight();
    const started = Date.now();
    const pages = [];
    for await (const page of makingWayForSignIns(toAsync([1, 2, 3]), signIns)) pages.push(page);
    assert.deepEqual(pages, [1, 2, 3]);
    assert.ok(Date.now() - started < 500);
  });

  it('holds a thread back while a sign-in is in flight, and lets it go when it ends', async () => {
    const signIns = new SignInsInFlight();
    let finish!: () => void;
    const answering = signIns.during(() => new Promise<void>((resolve) => (finish = resolve)));
    // Another thread, as an import's, pausing for as long as the sign-in lasts.
    const module = new URL('../../core/imports/sign-ins-in-flight.js', import.meta.url).href;
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       import(${JSON.stringify(module)}).then(({ SignInsInFlight }) => {
         parentPort.postMessage('pausing');
         new SignInsInFlight(workerData).pauseWhileBusy(60000);
         parentPort.postMessage('going on');
       });`,
      { eval: true, workerData: signIns.buffer },
    );
    const said: string[] = [];
    const goingOn = new Promise<void>((resolve) =>
      worker.on('message', (message: string) => {
        said.push(message);
        if (message === 'going on') resolve();
      }),
    );
    while (!said.includes('pausing')) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(said, ['pausing'], 'still paused while the sign-in is answered');
    finish();
    await answering;
    await goingOn;
    await worker.terminate();
  });

  it('pauses a page for a bounded time only, however long sign-ins go on', async () => {
    const signIns = new SignInsInFlight();
    let finish!: () => void;
    const answering = signIns.during(() => new Promise<void>((resolve) => (finish = resolve)));
    const started = Date.now();
    signIns.pauseWhileBusy(30);
    const pausedMs = Date.now() - started;
    assert.ok(pausedMs >= 25 && pausedMs < 1000, `paused ${pausedMs} ms`);
    finish();
    await answering;
  });
});

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}
