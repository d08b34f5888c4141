/**
 * The options of the `default` mapping: which attributes become contact fields and how one
 * value is chosen, and which attributes hold phone numbers of which type. The JSON Schema is
 * checked (and its defaults filled in) at start-up; patterns are compiled when the mapping is
 * created. docs/mapping.md describes every option.
 */
import { uniqueIgnoringCase, type PhoneType } from '../../core/plugin-api.js';

/**
 * A group holding a quantifier that is itself quantified (`(a+)+`, `(\\w*\\s?)*`): the shape
 * behind catastrophic backtracking. Cutting values short does not help against it (29
 * characters can take seconds), so such patterns are refused at start-up.
 */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/;

export const PHONE_TYPES = ['work', 'mobile', 'home', 'fax', 'pager', 'ip', 'other'] as const;

/** How a single-valued field chooses among several values; ties go to the earlier value. */
export type PickRule = 'first' | 'last' | 'shortest' | 'longest';
const PICK_RULES: readonly PickRule[] = ['first', 'last', 'shortest', 'longest'];

/**
 * Phone attributes of inetOrgPerson, Active Directory and Skype for Business, with the type
 * each one stands for. The order is the order of the contact's phones, and of precedence when
 * two attributes hold the same number.
 */
export const DEFAULT_PHONE_ATTRIBUTES: Readonly<Record<string, PhoneType>> = {
  telephoneNumber: 'work',
  otherTelephone: 'work',
  ipPhone: 'ip',
  mobile: 'mobile',
  otherMobile: 'mobile',
  homePhone: 'home',
  otherHomePhone: 'home',
  facsimileTelephoneNumber: 'fax',
  pager: 'pager',
  'msRTCSIP-Line': 'ip',
};

/** An attribute name, with RFC 4512 options such as a language tag (`cn;lang-ja`). */
const ATTRIBUTE_NAME = '^[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-]+)*$';
/** A field name clients can use as a JSON key; `__proto__` and the like cannot match. */
const FIELD_NAME = '^[A-Za-z][A-Za-z0-9_-]{0,63}$';

const patternSchema = (description: string) => ({
  description: `${description} A JavaScript regular expression (u flag), checked at start-up.`,
  type: 'string',
  minLength: 1,
  maxLength: 500,
});

const FIELD_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['attribute'],
  properties: {
    attribute: {
      description: 'The directory attribute the field is read from, matched whatever its case.',
      type: 'string',
      pattern: ATTRIBUTE_NAME,
    },
    multiple: {
      description: 'True: the field is the list of every value. False: one value.',
      type: 'boolean',
      default: false,
    },
    // No schema default: one would be filled into multi-valued fields, which refuse it.
    pick: {
      description: 'Which value a single-valued field takes among several. Default: first.',
      enum: PICK_RULES,
    },
    prefer: patternSchema('Values matching it come before the others when one is picked.'),
    match: patternSchema('Only values matching it count; none matching leaves the field out.'),
  },
  // pick and prefer choose one value; a list has nothing to choose.
  if: { properties: { multiple: { const: true } }, required: ['multiple'] },
  then: { properties: { pick: false, prefer: false } },
};

export const OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    fields: {
      description: 'Contact fields by name, each read from one directory attribute.',
      type: 'object',
      default: {},
      propertyNames: { pattern: FIELD_NAME },
      additionalProperties: FIELD_SCHEMA,
    },
    phoneAttributes: {
      description:
        'Attributes holding phone numbers, each with its phone type, in the order phones are ' +
        'listed. Replaces the default list entirely.',
      type: 'object',
      default: DEFAULT_PHONE_ATTRIBUTES,
      propertyNames: { pattern: ATTRIBUTE_NAME },
      additionalProperties: { enum: PHONE_TYPES },
    },
  },
};

interface FieldOption {
  attribute: string;
  multiple?: boolean;
  pick?: PickRule;
  prefer?: string;
  match?: string;
}

export interface FieldRule {
  name: string;
  attribute: string;
  multiple: boolean;
  pick: PickRule;
  prefer?: RegExp;
  match?: RegExp;
}

export interface PhoneSource {
  attribute: string;
  type: PhoneType;
}

export interface MappingOptions {
  fields: FieldRule[];
  phones: PhoneSource[];
}

/**
 * The options ready to use, defaults applied (for callers that bypass the schema check), or
 * the problems with them, each naming its path after the prefix `at` ('' for `options...`).
 */
export function compileOptions(
  options: Record<string, unknown>,
  at: string,
): { options: MappingOptions; problems: string[] } {
  const problems: string[] = [];
  const fieldOptions = (options['fields'] ?? {}) as Record<string, FieldOption>;
  const fields = Object.entries(fieldOptions).map(([name, field]) =>
    compileField(name, field, `${at}options.fields.${name}`, problems),
  );
  const types = (options['phoneAttributes'] ?? DEFAULT_PHONE_ATTRIBUTES) as Record<
    string,
    PhoneType
  >;
  const phones = uniqueIgnoringCase(Object.keys(types)).map((attribute) => ({
    attribute,
    type: types[attribute]!,
  }));
  return { options: { fields, phones }, problems };
}

function compileField(name: string, field: FieldOption, at: string, problems: string[]) {
  const rule: FieldRule = {
    name,
    attribute: field.attribute,
    multiple: field.multiple ?? false,
    pick: field.pick ?? 'first',
  };
  for (const key of ['prefer', 'match'] as const) {
    const source = field[key];
    if (source === undefined) continue;
    if (NESTED_QUANTIFIER.test(source)) {
      problems.push(
        `${at}.${key}: a repeated group that repeats inside, e.g. (a+)+, can take exponential ` +
          'time on a directory value; write it without the nesting',
      );
      continue;
    }
    try {
      rule[key] = new RegExp(source, 'u');
    } catch (error) {
      problems.push(`${at}.${key}: not a valid regular expression (${(error as Error).message})`);
    }
  }
  return rule;
}
