/**
 * The bare baseline of the imports figure, in a fresh Node process as the gateway is: one
 * ldapts Client, bound as the service account, runs the import's paged search and drops each
 * page as it comes. Receives an ImportSearch over IPC and sends back a DumpResult.
 */
import { Client } from 'ldapts';

import type { DumpResult } from './baselines.js';
import type { ImportSearch } from './import-search.js';

async function dump(search: ImportSearch): Promise<DumpResult> {
  const started = performance.now();
  const client = new Client({ url: search.url });
  await client.bind(search.bindDn, search.password);
  const pages = client.searchPaginated(search.base, {
    scope: 'sub',
    filter: search.filter,
    attributes: search.attributes,
    explicitBufferAttributes: search.binaryAttributes,
    paged: { pageSize: search.pageSize },
  });
  let entries = 0;
  for await (const page of pages) entries += page.searchEntries.length;
  await client.unbind();
  const seconds = (performance.now() - started) / 1000;
  return { seconds, entries, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

const search = await new Promise<ImportSearch>((resolve) => process.once('message', resolve));
process.send?.(await dump(search), () => process.disconnect());
