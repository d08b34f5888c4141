import { readFileSync } from 'node:fs';

import { FilterParser } from 'ldapts';

import type { OrganizationSettings } from '../../config/types.js';

/**
 * Start-up checks of the directory settings that the schema cannot make: the contact filter
 * must parse and the CA file must be a readable PEM file. Each problem names its config path.
 */
export function checkDirectorySettings(
  organizations: Record<string, OrganizationSettings>,
): string[] {
  const problems: string[] = [];
  for (const [id, organization] of Object.entries(organizations)) {
    const path = `organizations.${id}`;
    if (!isValidFilter(organization.contacts.filter)) {
      problems.push(`${path}.contacts.filter: not a valid LDAP filter (RFC 4515)`);
    }
    const caFile = organization.tls.caFile;
    if (caFile) problems.push(...checkCaFile(`${path}.tls.caFile`, caFile));
  }
  return problems;
}

/**
 * The filter is combined with others as text, so it must be complete on its own: balanced
 * parentheses (a literal one is always escaped as \28 or \29) and accepted by the parser,
 * which would otherwise quietly close what was left open.
 */
function isValidFilter(filter: string): boolean {
  let depth = 0;
  for (const character of filter) {
    if (character === '(') depth += 1;
    if (character === ')') depth -= 1;
    if (depth < 0) return false;
  }
  if (depth !== 0) return false;
  try {
    FilterParser.parseString(filter);
    return true;
  } catch {
    return false;
  }
}

function checkCaFile(path: string, file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return [`${path}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`];
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    return [`${path}: ${file} holds no PEM certificate`];
  }
  return [];
}
