/** Contact fields: directory attributes selected, renamed, and reduced to one value or a list. */
import type { DirectoryEntry } from '../../core/plugin-api.js';
import type { FieldRule, PickRule } from './options.js';
import { textsOf } from './values.js';

/**
 * Patterns see at most this many characters of a value, which bounds the work of any pattern
 * that is linear in its input (nested repetitions are refused at start-up, see options.ts).
 */
const MATCHED_LENGTH = 1000;

/** The fields of an entry; a field whose attribute has no usable value is left out. */
export function fieldsOf(
  entry: DirectoryEntry,
  rules: readonly FieldRule[],
): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const rule of rules) {
    const value = fieldValue(entry, rule);
    if (value !== undefined) fields[rule.name] = value;
  }
  return fields;
}

function fieldValue(entry: DirectoryEntry, rule: FieldRule): string | string[] | undefined {
  let values = filledUnique(textsOf(entry, rule.attribute));
  if (rule.match) values = values.filter((value) => matches(rule.match!, value));
  if (values.length === 0) return undefined;
  if (rule.multiple) return values;
  if (rule.prefer) {
    const preferred = values.filter((value) => matches(rule.prefer!, value));
    if (preferred.length > 0) values = preferred;
  }
  return pickOne(values, rule.pick);
}

/** Trimmed, without blank values and without repeats, in directory order. */
function filledUnique(values: string[]): string[] {
  const trimmed = values.map((value) => value.trim()).filter((value) => value.length > 0);
  return [...new Set(trimmed)];
}

function matches(pattern: RegExp, value: string): boolean {
  return pattern.test(value.length > MATCHED_LENGTH ? value.slice(0, MATCHED_LENGTH) : value);
}

function pickOne(values: string[], rule: PickRule): string {
  if (rule === 'first') return values[0]!;
  if (rule === 'last') return values[values.length - 1]!;
  const lengths = values.map((value) => [...value].length);
  let chosen = 0;
  for (let index = 1; index < values.length; index += 1) {
    const shorter = lengths[index]! < lengths[chosen]!;
    const longer = lengths[index]! > lengths[chosen]!;
    if (rule === 'shortest' ? shorter : longer) chosen = index;
  }
  return values[chosen]!;
}
