import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';

function niceIn(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/** Field 19 of /proc/thread-self/stat, the nice value, read in a new worker thread. */
async function niceOfWorker(lowered: boolean): Promise<number> {
  const module = new URL('../../core/imports/thread-priority.js', import.meta.url).href;
  const source = `
    const { parentPort } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    import(${JSON.stringify(module)}).then(({ yieldCoresToRequests }) => {
      if (${lowered}) yieldCoresToRequests();
      const stat = readFileSync('/proc/thread-self/stat', 'utf8');
      parentPort.postMessage(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    });`;
  const worker = new Worker(source, { eval: true });
  try {
    return await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

describe('yieldCoresToRequests', { skip: process.platform !== 'linux' }, () => {
  it('lowers the priority of the calling worker thread only', async () => {
    const processNice = niceIn('/proc/self/stat');
    assert.equal(await niceOfWorker(false), processNice);
    assert.equal(await niceOfWorker(true), Math.max(processNice, 10));
    // The main thread, which answers sign-ins, keeps its priority.
    assert.equal(niceIn('/proc/thread-self/stat'), processNice);
  });
});
