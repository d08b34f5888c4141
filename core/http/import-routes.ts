import { streamSSE, type SSEStreamingApi } from 'hono/streaming';

import { GatewayError } from '../errors.js';
import type { ImportRunner } from '../imports/import-runner.js';
import type { ImportRecord, ImportsStore } from '../store/imports-store.js';
import type { GatewayApp, GatewayContext } from './app.js';
import { checkShape, compileBodySchema, readJsonBody, readLimit } from './request-body.js';

const startBody = compileBodySchema<{ dryRun?: boolean }>({
  type: 'object',
  properties: { dryRun: { type: 'boolean' } },
  // A misspelt `dryRun` must not start an import that applies its changes.
  additionalProperties: false,
});

const pageQuery = compileBodySchema<{ cursor?: string; limit?: string; changes?: string }>({
  type: 'object',
  properties: {
    cursor: { type: 'string', maxLength: 1024, pattern: '^[A-Za-z0-9_-]+$' },
    limit: { type: 'string' },
    changes: { enum: ['true', 'false'] },
  },
});

const IMPORT_ID = /^[0-9a-f-]{36}$/;
const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'needs_confirmation']);

export function registerImportRoutes(
  app: GatewayApp,
  dependencies: { runner: ImportRunner; store: ImportsStore },
): void {
  const { runner, store } = dependencies;

  app.post('/v1/orgs/:org/imports', async (context) => {
    const body = hasBody(context) ? await readJsonBody(context, startBody) : {};
    const record = runner.start(context.get('organization').id, { dryRun: body.dryRun === true });
    return context.json({ import: present(record) }, 202);
  });

  app.get('/v1/orgs/:org/imports', (context) => {
    const limit = readLimit(context.req.query('limit'), 50, 500);
    const records = store.listImports(context.get('organization').id, limit);
    return context.json({ imports: records.map(present) });
  });

  app.get('/v1/orgs/:org/imports/:id', (context) => {
    return context.json({
      import: present(runner.get(context.get('organization').id, idOf(context))),
    });
  });

  app.delete('/v1/orgs/:org/imports/:id', (context) => {
    const record = runner.cancel(context.get('organization').id, idOf(context));
    return context.json({ import: present(record) });
  });

  app.post('/v1/orgs/:org/imports/:id/confirm', (context) => {
    const record = runner.confirm(context.get('organization').id, idOf(context));
    return context.json({ import: present(record) });
  });

  app.get('/v1/orgs/:org/imports/:id/contacts', (context) => {
    const organizationId = context.get('organization').id;
    const record = runner.get(organizationId, idOf(context));
    const query = checkShape(context.req.query(), pageQuery, 'query');
    const limit = readLimit(query.limit, 100, 1000);
    const listing = query.changes === 'true' ? 'changes' : 'contacts';
    const after = query.cursor ? readCursor(query.cursor, record.id, listing) : '';
    const cursorAfter = (rows: Array<{ key: string }>) =>
      rows.length === limit ? makeCursor(record.id, listing, rows.at(-1)!.key) : null;
    if (listing === 'changes') {
      // An empty page would read as "nothing changed" to a consumer applying deltas.
      if (!runner.hasChanges(record)) {
        throw new GatewayError(
          'changes_not_kept',
          'the changes of this import are no longer kept; page through the current contacts',
        );
      }
      const rows = store.pageChanges(record.id, after, limit);
      const changes = rows.map((row) => `{"change":"${row.change}","contact":${row.data}}`);
      return page(context, 'changes', changes, cursorAfter(rows));
    }
    if (store.latestApplied(organizationId)?.id !== record.id) {
      throw new GatewayError(
        'import_not_current',
        'only the contacts of the latest applied import are kept; page through its changes instead',
      );
    }
    const rows = store.pageContacts(organizationId, after, limit);
    const contacts = rows.map((row) => row.data);
    return page(context, 'contacts', contacts, cursorAfter(rows));
  });

  app.get('/v1/orgs/:org/imports/:id/events', (context) => {
    const organizationId = context.get('organization').id;
    const id = idOf(context);
    runner.get(organizationId, id); // 404 before the stream starts
    return streamSSE(context, (stream) => followImport(runner, organizationId, id, stream));
  });
}

/**
 * Writes the import's record now and at every change until it reaches a final status or the
 * client goes away. The listener is attached before the first read, so no change is missed.
 */
function followImport(
  runner: ImportRunner,
  organizationId: string,
  id: string,
  stream: SSEStreamingApi,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let written = Promise.resolve();
    let ended = false;
    const send = (record: ImportRecord) => {
      if (ended) return;
      written = written.then(() =>
        stream.writeSSE({ event: 'progress', data: JSON.stringify(present(record)) }),
      );
      if (FINAL.has(record.status)) {
        ended = true;
        void written.then(finish);
      }
    };
    const finish = () => {
      runner.events.off(`progress:${id}`, send);
      resolve();
    };
    runner.events.on(`progress:${id}`, send);
    stream.onAbort(finish);
    send(runner.get(organizationId, id));
  });
}

function hasBody(context: GatewayContext): boolean {
  const length = context.req.header('content-length');
  return (
    (length !== undefined && length !== '0') ||
    context.req.header('transfer-encoding') !== undefined
  );
}

function idOf(context: GatewayContext): string {
  const id = context.req.param('id') ?? '';
  if (!IMPORT_ID.test(id))
    throw new GatewayError('import_not_found', 'no such import for this organization');
  return id;
}

/** A cursor names its import and listing, so it cannot be replayed against another. */
function makeCursor(importId: string, listing: string, key: string): string {
  return Buffer.from(JSON.stringify({ i: importId, l: listing, k: key })).toString('base64url');
}

function readCursor(cursor: string, importId: string, listing: string): string {
  try {
    const { i, l, k } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    if (i === importId && l === listing && typeof k === 'string') return k;
  } catch {
    // Falls through to the error below.
  }
  throw new GatewayError(
    'invalid_cursor',
    'cursor is not valid for this listing; start again without it',
  );
}

function page(context: GatewayContext, field: string, items: string[], nextCursor: string | null) {
  const json = `{"${field}":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
  return context.body(json, 200, { 'content-type': 'application/json; charset=UTF-8' });
}

type Internal = 'organizationId' | 'deliveredKey' | 'deliveryBatchSize';

/** The record as the API shows it: the organization is in the route, resume state internal. */
function present(record: ImportRecord): Omit<ImportRecord, Internal> {
  const {
    organizationId: _organization,
    deliveredKey: _resumeKey,
    deliveryBatchSize: _batchSize,
    ...shown
  } = record;
  return shown;
}
