/**
 * An example of an operator's plugin, complete and tested (test/http/operator-plugins.test.ts):
 * a mapping that names each person's department from a department number, for directories
 * that hold `departmentNumber: 100` where people want to read "Sales".
 *
 * It is not built in: gateway.yaml lists it like any operator's plugin, and an organization
 * chains it after the default mapping, which makes the rest of the contact.
 *
 *   plugins:
 *     - module: ./dist/plugins/example-department-labels/index.js
 *       options:
 *         labels: { '100': Sales, '200': Support }
 *   organizations:
 *     acme:
 *       mapping:
 *         - type: default
 *         - type: department-labels
 *           options: { field: team }
 *
 * docs/plugins.md walks through it.
 */
import {
  PLUGIN_API_VERSION,
  type AttributeMapper,
  type Contact,
  type DirectoryEntry,
  type MappingPluginDefinition,
} from '../../core/plugin-api.js';

interface Options {
  /** The attribute holding the department number. */
  attribute: string;
  /** Department names by number; numbers not listed are shown as they are. */
  labels: Record<string, string>;
  /** The contact field the name goes to. */
  field: string;
}

const plugin: MappingPluginDefinition = {
  type: 'department-labels',
  kind: 'mapping',
  apiVersion: PLUGIN_API_VERSION,
  // Checked by the gateway at start-up; the defaults are filled in before create() is called.
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      attribute: {
        type: 'string',
        pattern: '^[A-Za-z][A-Za-z0-9-]*$',
        default: 'departmentNumber',
      },
      labels: { type: 'object', additionalProperties: { type: 'string' }, default: {} },
      field: { type: 'string', minLength: 1, default: 'department' },
    },
  },
  create: (options) => departmentLabels(options as unknown as Options),
};

export default plugin;

function departmentLabels(options: Options): AttributeMapper {
  return {
    // The gateway asks the directory for these on top of what the other mappers read.
    attributes: [options.attribute],
    toContact(entry: DirectoryEntry, previous?: Contact): Contact {
      if (!previous) throw new Error('department-labels goes after a mapping that makes contacts');
      const number = entry.firstFilled(options.attribute);
      if (number === undefined) return previous;
      // Own keys only: a number such as `constructor` must not find Object's.
      const label = Object.hasOwn(options.labels, number) ? options.labels[number]! : number;
      return { ...previous, fields: { ...previous.fields, [options.field]: label } };
    },
  };
}
