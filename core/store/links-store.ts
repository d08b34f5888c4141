/** A provider user linked to a directory account. */
export interface Link {
  organizationId: string;
  userId: string;
  dn: string;
  /** The extension the link was matched on; null for a link made by hand. */
  extension: string | null;
  method: 'auto' | 'manual';
  linkedAt: string;
}

export interface LinkListRequest {
  /** Links whose userId sorts after this one (for paging). */
  after?: string;
  limit: number;
}

/** Where links are kept. Writes of several links are all-or-nothing. */
export interface LinksStore {
  saveLinks(links: Link[]): void;
  getLink(organizationId: string, userId: string): Link | undefined;
  listLinks(organizationId: string, request: LinkListRequest): Link[];
  /** True when a link was removed. */
  deleteLink(organizationId: string, userId: string): boolean;
}
