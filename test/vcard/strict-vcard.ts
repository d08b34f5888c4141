/**
 * A strict reader of vCard 4.0 (RFC 6350) for tests. It throws on anything the gateway must not
 * write: a CR or LF that is not part of a CRLF, a physical line over 75 octets, a fold inside a
 * UTF-8 sequence, an escape other than \\ \, \; \n, an unescaped separator in a text value, a
 * control character, a property or parameter it does not expect. What it returns is each card
 * with its values decoded, for tests to compare with the contact it came from.
 */
import assert from 'node:assert/strict';

export interface ReadCard {
  uid?: string;
  fn: string;
  /** family, given, additional, prefixes, suffixes */
  n?: string[];
  org?: string[];
  title?: string;
  tels: Array<{ types: string[]; uri?: string; text?: string }>;
  emails: string[];
  photo?: { mediaType: string; bytes: Buffer };
}

interface Property {
  name: string;
  parameters: Map<string, string[]>;
  value: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** TEL TYPE values of RFC 6350 (sections 5.6 and 6.4.1). */
const TEL_TYPES = new Set(['work', 'home', 'text', 'voice', 'fax', 'cell', 'video', 'pager']);
const SINGLE = ['UID', 'FN', 'N', 'ORG', 'TITLE', 'PHOTO'];

/** Every card in `text`, checked; throws an AssertionError naming the first problem. */
export function readVCards(text: string | Buffer): ReadCard[] {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const cards: ReadCard[] = [];
  let current: Property[] | undefined;
  for (const line of unfold(bytes)) {
    const property = parseLine(line);
    if (current === undefined) {
      assert.equal(line, 'BEGIN:VCARD', `a card must start with BEGIN:VCARD, not ${line}`);
      current = [];
    } else if (line === 'END:VCARD') {
      cards.push(readCard(current));
      current = undefined;
    } else {
      current.push(property);
    }
  }
  assert.equal(current, undefined, 'the last card has no END:VCARD');
  return cards;
}

/** Logical lines, after checking line ends, octet lengths and UTF-8 of each physical line. */
function unfold(bytes: Buffer): string[] {
  assert.ok(bytes.length === 0 || bytes.subarray(-2).toString() === '\r\n', 'must end in CRLF');
  const physical: Buffer[] = [];
  let start = 0;
  for (let index = 0; index < bytes.length; index += 1) {
    if (bytes[index] === 0x0a) assert.fail(`bare LF at octet ${index}`);
    if (bytes[index] !== 0x0d) continue;
    assert.equal(bytes[index + 1], 0x0a, `bare CR at octet ${index}`);
    physical.push(bytes.subarray(start, index));
    start = index + 2;
    index += 1;
  }
  const logical: string[] = [];
  for (const [number, line] of physical.entries()) {
    assert.ok(line.length <= 75, `line ${number + 1} has ${line.length} octets`);
    let decoded: string;
    try {
      decoded = utf8.decode(line);
    } catch {
      assert.fail(`line ${number + 1} is not UTF-8 on its own: a fold split a character`);
    }
    if (decoded.startsWith(' ')) {
      assert.ok(logical.length > 0, 'the first line cannot be a continuation');
      assert.ok(decoded.length > 1, `continuation line ${number + 1} is empty`);
      logical[logical.length - 1] += decoded.slice(1);
    } else {
      assert.ok(decoded.length > 0, `line ${number + 1} is empty`);
      logical.push(decoded);
    }
  }
  return logical;
}

/** name *(";" param) ":" value, with RFC 6350's character classes (section 3.3). */
function parseLine(line: string): Property {
  const colon = indexOutsideQuotes(line, ':');
  assert.ok(colon > 0, `not a content line: ${line}`);
  const [name = '', ...parameterTexts] = splitOutsideQuotes(line.slice(0, colon), ';');
  assert.match(name, /^[A-Za-z0-9-]+$/, `bad property name in ${line}`);
  const value = line.slice(colon + 1);
  assert.doesNotMatch(value, /[\x00-\x08\x0a-\x1f\x7f]/, `control character in ${line}`);
  const parameters = new Map<string, string[]>();
  for (const text of parameterTexts) {
    const match = /^([A-Za-z0-9-]+)=(.*)$/.exec(text);
    assert.ok(match, `bad parameter ${text} in ${line}`);
    const parameter = match[1]!.toUpperCase();
    assert.ok(!parameters.has(parameter), `parameter ${parameter} twice in ${line}`);
    const values = splitOutsideQuotes(match[2]!, ',').map((item) => {
      // QSAFE-CHAR inside quotes; SAFE-CHAR (no " ; : ,) outside.
      if (/^"[^"\x00-\x1f\x7f]*"$/.test(item)) return item.slice(1, -1);
      assert.match(item, /^[^";:,\x00-\x1f\x7f]*$/, `bad parameter value in ${line}`);
      return item;
    });
    parameters.set(parameter, values);
  }
  return { name: name.toUpperCase(), parameters, value };
}

function indexOutsideQuotes(text: string, wanted: string): number {
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] === '"') quoted = !quoted;
    else if (!quoted && text[index] === wanted) return index;
  }
  return -1;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let rest = text;
  for (let index = indexOutsideQuotes(rest, separator); index >= 0;) {
    parts.push(rest.slice(0, index));
    rest = rest.slice(index + 1);
    index = indexOutsideQuotes(rest, separator);
  }
  parts.push(rest);
  return parts;
}

function readCard(properties: Property[]): ReadCard {
  assert.deepEqual(properties[0], { name: 'VERSION', parameters: new Map(), value: '4.0' });
  for (const name of SINGLE) {
    const count = properties.filter((property) => property.name === name).length;
    assert.ok(count <= 1, `${name} appears ${count} times`);
  }
  const card: ReadCard = { fn: '', tels: [], emails: [] };
  let named = false;
  for (const property of properties.slice(1)) {
    if (property.name === 'FN') named = true;
    readProperty(card, property);
  }
  assert.ok(named, 'FN is required');
  return card;
}

function readProperty(card: ReadCard, { name, parameters, value }: Property): void {
  const allowed = { TEL: ['TYPE', 'VALUE'], EMAIL: ['TYPE'], UID: ['VALUE'] }[name] ?? [];
  for (const parameter of parameters.keys()) {
    assert.ok(allowed.includes(parameter), `${name} does not take ${parameter}`);
  }
  switch (name) {
    case 'FN':
      card.fn = textValue(value);
      return;
    case 'TITLE':
      card.title = textValue(value);
      return;
    case 'N':
      card.n = structuredValue(value);
      assert.equal(card.n.length, 5, `N has ${card.n.length} fields`);
      return;
    case 'ORG':
      card.org = structuredValue(value);
      return;
    case 'EMAIL':
      assert.deepEqual(parameters.get('TYPE'), ['work']);
      card.emails.push(textValue(value));
      return;
    case 'TEL':
      card.tels.push(readTelephone(parameters, value));
      return;
    case 'UID':
      card.uid = readUid(parameters, value);
      return;
    case 'PHOTO':
      card.photo = readPhoto(value);
      return;
    default:
      assert.fail(`unexpected property ${name}`);
  }
}

function readTelephone(parameters: Map<string, string[]>, value: string): ReadCard['tels'][0] {
  const types = parameters.get('TYPE') ?? [];
  assert.ok(types.length > 0, 'TEL without TYPE');
  for (const type of types) assert.ok(TEL_TYPES.has(type), `TEL TYPE ${type}`);
  const kind = parameters.get('VALUE');
  if (kind === undefined) return { types, text: textValue(value) };
  assert.deepEqual(kind, ['uri']);
  // RFC 3966 global number, as the gateway writes it: E.164 digits and an optional extension.
  assert.match(value, /^tel:\+[1-9][0-9]{1,14}(;ext=[0-9]+)?$/);
  return { types, uri: value };
}

function readUid(parameters: Map<string, string[]>, value: string): string {
  if (parameters.has('VALUE')) {
    assert.deepEqual(parameters.get('VALUE'), ['text']);
    return textValue(value);
  }
  assert.match(value, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  return value;
}

function readPhoto(value: string): { mediaType: string; bytes: Buffer } {
  const match = /^data:(image\/(?:jpeg|png|gif));base64,([A-Za-z0-9+/]+={0,2})$/.exec(value);
  assert.ok(match, `PHOTO is not a base64 data: URI of an image: ${value.slice(0, 60)}`);
  const bytes = Buffer.from(match[2]!, 'base64');
  assert.equal(bytes.toString('base64'), match[2], 'PHOTO base64 does not round-trip');
  return { mediaType: match[1]!, bytes };
}

/** One text value: only \\ \, \; \n \N escapes, and no unescaped comma or semicolon. */
export function textValue(raw: string): string {
  const fields = splitEscaped(raw, ';');
  assert.equal(fields.length, 1, `unescaped ; in a text value: ${raw}`);
  return fields[0]!;
}

/** The fields of a structured value such as N or ORG, each a single text value. */
export function structuredValue(raw: string): string[] {
  return splitEscaped(raw, ';');
}

function splitEscaped(raw: string, separator: string): string[] {
  const fields: string[] = [];
  let field = '';
  for (let index = 0; index < raw.length; index += 1) {
    const character = raw[index]!;
    if (character === separator) {
      fields.push(field);
      field = '';
    } else if (character === ',') {
      assert.fail(`unescaped , in a single value: ${raw}`);
    } else if (character === '\\') {
      const next = raw[index + 1];
      assert.ok(next !== undefined && '\\,;nN'.includes(next), `bad escape \\${next} in ${raw}`);
      field += next === 'n' || next === 'N' ? '\n' : next;
      index += 1;
    } else {
      field += character;
    }
  }
  fields.push(field);
  return fields;
}
