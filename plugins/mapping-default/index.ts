import {
  PLUGIN_API_VERSION,
  type AttributeMapper,
  type AttributeValue,
  type Contact,
  type DirectoryEntry,
  type MappingPluginDefinition,
  type Phone,
  type PhoneType,
  type PluginContext,
} from '../../core/plugin-api.js';

/** Phone attributes of inetOrgPerson and Active Directory, with the type each one stands for. */
const PHONE_ATTRIBUTES: ReadonlyArray<[attribute: string, type: PhoneType]> = [
  ['telephoneNumber', 'work'],
  ['otherTelephone', 'work'],
  ['ipPhone', 'ip'],
  ['mobile', 'mobile'],
  ['otherMobile', 'mobile'],
  ['homePhone', 'home'],
  ['otherHomePhone', 'home'],
  ['facsimileTelephoneNumber', 'fax'],
  ['pager', 'pager'],
];

const NAME_ATTRIBUTES = ['displayName', 'cn', 'givenName', 'sn'];

/**
 * `default`: the contact fields from the usual person attributes, and the organization's
 * configured attributes as lists of strings (binary values base64-encoded).
 */
export const defaultMapping: MappingPluginDefinition = {
  type: 'default',
  kind: 'mapping',
  apiVersion: PLUGIN_API_VERSION,
  optionsSchema: { type: 'object', additionalProperties: false },
  create: (_options, context) => createDefaultMapper(context),
};

function createDefaultMapper(context: PluginContext): AttributeMapper {
  const { userIdAttribute, attributes: configured } = context.settings;
  const read = [
    userIdAttribute,
    ...configured,
    ...NAME_ATTRIBUTES,
    'mail',
    ...PHONE_ATTRIBUTES.map(([attribute]) => attribute),
  ];
  const toAttributes = (entry: DirectoryEntry): Record<string, string[]> => {
    const result: Record<string, string[]> = {};
    for (const name of configured) {
      const values = entry.values(name);
      if (values.length > 0) result[name] = values.map(toText);
    }
    return result;
  };

  return {
    attributes: uniqueIgnoringCase(read),
    toAttributes,
    toContact: (entry: DirectoryEntry): Contact => ({
      dn: entry.dn,
      id: entry.first(userIdAttribute) ?? null,
      displayName: displayNameOf(entry),
      phones: phonesOf(entry),
      emails: uniqueIgnoringCase(filled(entry.texts('mail'))),
      attributes: toAttributes(entry),
    }),
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

function phonesOf(entry: DirectoryEntry): Phone[] {
  const phones: Phone[] = [];
  const seen = new Set<string>();
  for (const [attribute, type] of PHONE_ATTRIBUTES) {
    for (const number of entry.texts(attribute)) {
      const trimmed = number.trim();
      const key = `${type}:${trimmed}`;
      if (trimmed.length === 0 || seen.has(key)) continue;
      seen.add(key);
      phones.push({ type, number: trimmed });
    }
  }
  return phones;
}

function toText(value: AttributeValue): string {
  return typeof value === 'string' ? value : value.toString('base64');
}

function uniqueIgnoringCase(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
