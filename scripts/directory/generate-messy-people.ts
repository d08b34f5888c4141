/**
 * Prints hostile, messy directory entries as LDIF for slapd (scripts/messy-data/), the same for
 * the same seed and count, and a summary of what it made on stderr.
 *
 *   npm run build && node dist/scripts/directory/generate-messy-people.js \
 *     [--seed N] [--count N] [--parent DN] [--no-container] [--kinds K,K] \
 *     [--any-phone-text] >messy.ldif
 *
 *   --seed N          default 1
 *   --count N         entries, default 200; from 60 on every kind, trait and phone format shows
 *   --parent DN       default ou=messy,dc=ldap,dc=example,dc=com
 *   --no-container    do not write the parent entry (it exists already)
 *   --kinds K,K       of person, nameless, blank-name, tagged-name; default all
 *   --any-phone-text  also phone numbers OpenLDAP refuses (*72, #31#, ;ext=42)
 *
 * Load it next to the test fixture with EXTRA_LDIF=messy.ldif scripts/directory/start-slapd.sh;
 * nameless entries are `account` objects, so a contact filter must name that class to see them.
 * Exit status: 0, or 2 for bad usage.
 */
import { parseArgs } from 'node:util';

import {
  DEFAULT_PARENT_DN,
  ENTRY_KINDS,
  generateMessyPeople,
  type EntryKind,
  type MessyOptions,
} from '../messy-data/messy-people.js';

function readOptions(args: string[]): MessyOptions {
  const { values } = parseArgs({
    args,
    options: {
      seed: { type: 'string', default: '1' },
      count: { type: 'string', default: '200' },
      parent: { type: 'string', default: DEFAULT_PARENT_DN },
      'no-container': { type: 'boolean', default: false },
      kinds: { type: 'string', default: ENTRY_KINDS.join(',') },
      'any-phone-text': { type: 'boolean', default: false },
    },
    strict: true,
  });
  return {
    seed: wholeNumber('--seed', values.seed),
    count: wholeNumber('--count', values.count),
    parentDn: values.parent,
    container: !values['no-container'],
    kinds: values.kinds.split(',').map((kind) => kind.trim()) as EntryKind[],
    printablePhones: !values['any-phone-text'],
  };
}

function wholeNumber(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new RangeError(`${flag} must be a whole number, got '${text}'`);
  return Number(text);
}

function main(args: string[]): number {
  let options: MessyOptions;
  let directory: ReturnType<typeof generateMessyPeople>;
  try {
    options = readOptions(args);
    directory = generateMessyPeople(options);
  } catch (error) {
    console.error(`generate-messy-people: ${(error as Error).message}`);
    return 2;
  }
  process.stdout.write(directory.ldif);
  const { counts } = directory;
  console.error(
    `generate-messy-people: ${counts.entries} entries under ${directory.parentDn}: ` +
      `${counts.contacts} contacts, ${counts.noName} without a name`,
  );
  console.error(JSON.stringify({ kinds: counts.kinds, traits: counts.traits }));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
