import {
  ConfigError,
  PLUGIN_API_VERSION,
  type AttributeMapper,
  type Contact,
  type DirectoryEntry,
  type MappingPluginDefinition,
  type PluginContext,
  uniqueIgnoringCase,
} from '../../core/plugin-api.js';
import { fieldsOf } from './fields.js';
import { compileOptions, OPTIONS_SCHEMA, type MappingOptions } from './options.js';
import { phonesOf } from './phones.js';
import { textsOf } from './values.js';

const NAME_ATTRIBUTES = ['displayName', 'cn', 'givenName', 'sn'];

/**
 * `default`: the contact fields from the usual person attributes, phones read into E.164 under
 * the organization's default country, the fields the options select, and the organization's
 * configured attributes as lists of strings. See docs/mapping.md.
 */
export const defaultMapping: MappingPluginDefinition = {
  type: 'default',
  kind: 'mapping',
  apiVersion: PLUGIN_API_VERSION,
  optionsSchema: OPTIONS_SCHEMA,
  create: (options, context) => {
    // The gateway prefixes the organization and the mapping's place in the chain.
    const compiled = compileOptions(options, '');
    if (compiled.problems.length > 0) throw new ConfigError(compiled.problems);
    return createDefaultMapper(compiled.options, context);
  },
};

function createDefaultMapper(options: MappingOptions, context: PluginContext): AttributeMapper {
  const { userIdAttribute, attributes: configured, defaultCountry } = context.settings;
  const read = [
    userIdAttribute,
    ...configured,
    ...NAME_ATTRIBUTES,
    'mail',
    ...options.phones.map((source) => source.attribute),
    ...options.fields.map((rule) => rule.attribute),
  ];
  const toAttributes = (entry: DirectoryEntry): Record<string, string[]> => {
    const result: Record<string, string[]> = {};
    for (const name of configured) {
      const values = textsOf(entry, name);
      if (values.length > 0) result[name] = values;
    }
    return result;
  };

  return {
    attributes: uniqueIgnoringCase(read),
    toAttributes,
    toContact: (entry: DirectoryEntry): Contact => {
      const contact: Contact = {
        dn: entry.dn,
        id: entry.first(userIdAttribute) ?? null,
        displayName: displayNameOf(entry),
        phones: phonesOf(entry, options.phones, defaultCountry),
        emails: uniqueIgnoringCase(filled(entry.texts('mail'))),
        attributes: toAttributes(entry),
      };
      // Absent unless configured, so contacts of organizations without fields stay as they were.
      if (options.fields.length > 0) contact.fields = fieldsOf(entry, options.fields);
      return contact;
    },
  };
}

/** The first name that is more than white space, trimmed; the DN when there is none. */
function displayNameOf(entry: DirectoryEntry): string {
  const named = entry.firstFilled('displayName') ?? entry.firstFilled('cn');
  if (named) return named;
  const parts = [entry.firstFilled('givenName'), entry.firstFilled('sn')].filter(Boolean);
  if (parts.length > 0) return parts.join(' ');
  return entry.dn;
}

/** The values trimmed, blank ones left out. */
function filled(values: string[]): string[] {
  return values.map((value) => value.trim()).filter((value) => value.length > 0);
}
