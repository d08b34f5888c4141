/**
 * A parser for LDIF content records (RFC 2849), enough to load the demo directory.
 *
 * Written here because no LDIF parser on npm is well kept: the known ones are unmaintained and
 * get folding or base64 wrong.
 */

export type LdifValue = string | Buffer;

/** One entry of an LDIF file. Attribute names keep the spelling of their first appearance. */
export interface LdifRecord {
  dn: string;
  /** 1-based line on which the record's `dn:` line starts. */
  line: number;
  attributes: Map<string, LdifValue[]>;
}

export interface LdifParseOptions {
  /**
   * Attributes whose `::` values always stay Buffers, even when the bytes happen to be UTF-8.
   * Matched case-insensitively; an attribute with the `;binary` option is always binary.
   * @default DEFAULT_BINARY_ATTRIBUTES
   */
  binaryAttributes?: Iterable<string>;
}

/** Attributes whose syntax is binary in the standard schemas (RFC 2798, RFC 4523). */
export const DEFAULT_BINARY_ATTRIBUTES: readonly string[] = [
  'jpegPhoto',
  'photo',
  'audio',
  'userCertificate',
  'cACertificate',
  'userPKCS12',
  'userSMIMECertificate',
  'thumbnailPhoto',
  'objectGUID',
  'objectSid',
];

/** Malformed LDIF, with the 1-based line where the problem is. */
export class LdifSyntaxError extends Error {
  readonly line: number;

  constructor(line: number, message: string) {
    super(`ldif line ${line}: ${message}`);
    this.name = 'LdifSyntaxError';
    this.line = line;
  }
}

interface LogicalLine {
  text: string;
  line: number;
}

const ATTRIBUTE_DESCRIPTION = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)(?:;[A-Za-z0-9-]+)*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses LDIF text into its records; throws LdifSyntaxError on the first malformed line. */
export function parseLdif(text: string, options: LdifParseOptions = {}): LdifRecord[] {
  const binary = new Set(
    [...(options.binaryAttributes ?? DEFAULT_BINARY_ATTRIBUTES)].map((name) => name.toLowerCase()),
  );
  const records: LdifRecord[] = [];
  const blocks = splitRecords(unfoldLines(text));

  blocks.forEach((block, index) => {
    const hasVersionLine = index === 0 && /^version:/i.test(block[0]?.text ?? '');
    if (hasVersionLine) {
      checkVersion(block[0]!);
      block = block.slice(1);
    }
    if (block.length > 0) {
      records.push(parseRecord(block, binary));
    }
  });
  return records;
}

/**
 * Joins folded lines (RFC 2849: a line starting with one space continues the previous one) and
 * drops comments, keeping the line number where each logical line starts. Blank lines are kept
 * as empty entries because they separate records.
 */
function unfoldLines(text: string): LogicalLine[] {
  const physical = text.split(/\r?\n/);
  const logical: LogicalLine[] = [];

  physical.forEach((raw, index) => {
    const lineNumber = index + 1;
    if (raw.startsWith(' ')) {
      const previous = logical.at(-1);
      if (previous === undefined || previous.text === '') {
        const message = 'continuation line (starting with a space) has no line to continue';
        throw new LdifSyntaxError(lineNumber, message);
      }
      previous.text += raw.slice(1);
      return;
    }
    logical.push({ text: raw, line: lineNumber });
  });
  // A comment may itself be folded, so comments are dropped only after unfolding.
  return logical.filter((entry) => !entry.text.startsWith('#'));
}

function splitRecords(lines: LogicalLine[]): LogicalLine[][] {
  const blocks: LogicalLine[][] = [];
  let current: LogicalLine[] = [];

  for (const entry of lines) {
    if (entry.text === '') {
      if (current.length > 0) blocks.push(current);
      current = [];
    } else {
      current.push(entry);
    }
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

function checkVersion(entry: LogicalLine): void {
  const version = entry.text.slice('version:'.length).trim();
  if (version !== '1') {
    throw new LdifSyntaxError(entry.line, `unsupported LDIF version "${version}", expected 1`);
  }
}

function parseRecord(block: LogicalLine[], binary: Set<string>): LdifRecord {
  const [first, ...rest] = block as [LogicalLine, ...LogicalLine[]];
  const dn = parseDnLine(first);
  const attributes = new Map<string, LdifValue[]>();
  const spelling = new Map<string, string>();

  for (const entry of rest) {
    const parsed = splitAttributeLine(entry);
    const lower = parsed.name.toLowerCase();
    rejectNonContent(lower, entry.line);
    const isBinary = binary.has(lower.split(';')[0]!) || /;binary(;|$)/.test(lower);
    const name = spelling.get(lower) ?? parsed.name;
    spelling.set(lower, name);
    attributes.set(name, [...(attributes.get(name) ?? []), decodeValue(parsed, isBinary)]);
  }
  return { dn, line: first.line, attributes };
}

/** Content records hold attributes only; these names mean the input is something else. */
function rejectNonContent(lowerName: string, line: number): void {
  if (lowerName === 'dn') {
    throw new LdifSyntaxError(line, 'a second "dn:" line; separate records with a blank line');
  }
  if (lowerName === 'changetype' || lowerName === 'control') {
    throw new LdifSyntaxError(line, 'change records are not supported, only content records');
  }
}

function parseDnLine(entry: LogicalLine): string {
  const parsed = splitAttributeLine(entry);
  if (parsed.name.toLowerCase() !== 'dn') {
    const message = `a record must start with "dn:", found "${parsed.name}:"`;
    throw new LdifSyntaxError(entry.line, message);
  }
  const dn = decodeValue(parsed, false);
  if (typeof dn !== 'string') {
    throw new LdifSyntaxError(entry.line, 'the base64 DN is not valid UTF-8');
  }
  return dn;
}

interface AttributeLine {
  name: string;
  kind: 'text' | 'base64' | 'url';
  raw: string;
  line: number;
}

function splitAttributeLine(entry: LogicalLine): AttributeLine {
  const colon = entry.text.indexOf(':');
  if (colon <= 0) {
    throw new LdifSyntaxError(entry.line, `expected "name: value", got "${preview(entry.text)}"`);
  }
  const name = entry.text.slice(0, colon);
  if (!ATTRIBUTE_DESCRIPTION.test(name)) {
    throw new LdifSyntaxError(entry.line, `"${preview(name)}" is not a valid attribute name`);
  }

  const marker = entry.text[colon + 1];
  const kind = marker === ':' ? 'base64' : marker === '<' ? 'url' : 'text';
  const valueStart = kind === 'text' ? colon + 1 : colon + 2;
  // RFC 2849 FILL: any number of spaces may separate the separator from the value.
  const raw = entry.text.slice(valueStart).replace(/^ +/, '');
  return { name, kind, raw, line: entry.line };
}

/** Text values stay strings; base64 values become strings only when text-safe and not binary. */
function decodeValue(parsed: AttributeLine, isBinary: boolean): LdifValue {
  if (parsed.kind === 'url') {
    const message = `URL values (":<") are not supported for "${parsed.name}"`;
    throw new LdifSyntaxError(parsed.line, message);
  }
  if (parsed.kind === 'text') {
    return isBinary ? Buffer.from(parsed.raw, 'utf8') : parsed.raw;
  }

  const encoded = parsed.raw.replace(/ +$/, '');
  if (!BASE64.test(encoded)) {
    throw new LdifSyntaxError(parsed.line, `the base64 value of "${parsed.name}" is malformed`);
  }
  const bytes = Buffer.from(encoded, 'base64');
  if (isBinary) return bytes;
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes;
  }
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
