import type Database from 'better-sqlite3';

import type { SqliteDatabase } from './database.js';
import type { Link, LinkListRequest, LinksStore } from './links-store.js';

interface LinkRow {
  organization_id: string;
  user_id: string;
  dn: string;
  extension: string | null;
  method: 'auto' | 'manual';
  linked_at: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS links (
    organization_id TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    dn              TEXT NOT NULL,
    extension       TEXT,
    method          TEXT NOT NULL CHECK (method IN ('auto', 'manual')),
    linked_at       TEXT NOT NULL,
    PRIMARY KEY (organization_id, user_id)
  ) WITHOUT ROWID;
`;

/** Links in an embedded SQLite database (WAL, so readers never wait for a writer). */
export class SqliteLinksStore implements LinksStore {
  readonly #db: SqliteDatabase;
  readonly #upsert: Database.Statement<LinkRow>;
  readonly #get: Database.Statement<[string, string], LinkRow>;
  readonly #list: Database.Statement<[string, string, number], LinkRow>;
  readonly #delete: Database.Statement<[string, string]>;
  readonly #saveAll: Database.Transaction<(links: Link[]) => void>;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#db.exec(SCHEMA);

    this.#upsert = this.#db.prepare(`
      INSERT INTO links (organization_id, user_id, dn, extension, method, linked_at)
      VALUES (@organization_id, @user_id, @dn, @extension, @method, @linked_at)
      ON CONFLICT (organization_id, user_id) DO UPDATE SET
        dn = excluded.dn, extension = excluded.extension,
        method = excluded.method, linked_at = excluded.linked_at`);
    this.#get = this.#db.prepare('SELECT * FROM links WHERE organization_id = ? AND user_id = ?');
    this.#list = this.#db.prepare(
      'SELECT * FROM links WHERE organization_id = ? AND user_id > ? ORDER BY user_id LIMIT ?',
    );
    this.#delete = this.#db.prepare('DELETE FROM links WHERE organization_id = ? AND user_id = ?');
    this.#saveAll = this.#db.transaction((links: Link[]) => {
      for (const link of links) this.#upsert.run(toRow(link));
    });
  }

  saveLinks(links: Link[]): void {
    this.#saveAll.immediate(links);
  }

  getLink(organizationId: string, userId: string): Link | undefined {
    const row = this.#get.get(organizationId, userId);
    return row ? fromRow(row) : undefined;
  }

  listLinks(organizationId: string, request: LinkListRequest): Link[] {
    return this.#list.all(organizationId, request.after ?? '', request.limit).map(fromRow);
  }

  deleteLink(organizationId: string, userId: string): boolean {
    return this.#delete.run(organizationId, userId).changes > 0;
  }
}

function toRow(link: Link): LinkRow {
  return {
    organization_id: link.organizationId,
    user_id: link.userId,
    dn: link.dn,
    extension: link.extension,
    method: link.method,
    linked_at: link.linkedAt,
  };
}

function fromRow(row: LinkRow): Link {
  return {
    organizationId: row.organization_id,
    userId: row.user_id,
    dn: row.dn,
    extension: row.extension,
    method: row.method,
    linkedAt: row.linked_at,
  };
}
