/** Longest physical line, in octets without the CRLF (RFC 6350 section 3.2). */
const MAX_LINE_OCTETS = 75;

/**
 * Folds one content line into physical lines of at most 75 octets, each continuation starting
 * with a space (which counts towards its 75). A cut never falls inside a UTF-8 sequence: the
 * RFC wants multi-octet characters kept together, and a line must be valid UTF-8 on its own for
 * readers that decode line by line.
 */
export function foldLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= MAX_LINE_OCTETS) return line;
  const parts: string[] = [];
  let start = 0;
  let room = MAX_LINE_OCTETS;
  while (bytes.length - start > room) {
    let end = start + room;
    // 10xxxxxx continues a sequence; back off to the byte that starts it.
    while (((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
    parts.push(bytes.toString('utf8', start, end));
    start = end;
    room = MAX_LINE_OCTETS - 1;
  }
  parts.push(bytes.toString('utf8', start));
  return parts.join('\r\n ');
}
