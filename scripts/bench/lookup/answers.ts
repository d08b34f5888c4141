/**
 * Asks the gateway once for every number of the load, checks each answer against what the
 * generated directory says it must be, and keeps the answers for the baseline to replay.
 */
import { authorization, ORGANIZATION } from './bench-gateway.js';
import type { RecordedAnswer } from './baseline-route.js';
import type { Lookup } from './lookup-mix.js';

/** Requests in flight while recording: enough to be quick, few enough to stay gentle. */
const CONCURRENCY = 8;
/** Wrong answers quoted in the error, of all found. */
const QUOTED = 10;

export function lookupPath(number: string): string {
  return `/v1/orgs/${ORGANIZATION}/contacts/lookup?number=${encodeURIComponent(number)}`;
}

/** The recorded answers by number; throws, quoting some, if any answer was not the expected. */
export async function recordAnswers(
  url: string,
  lookups: Lookup[],
): Promise<Map<string, RecordedAnswer>> {
  const answers = new Map<string, RecordedAnswer>();
  const problems: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < lookups.length; index = next++) {
      const lookup = lookups[index]!;
      const answer = await ask(url + lookupPath(lookup.number));
      const problem = checkAnswer(lookup, answer);
      if (problem)
        problems.push(`${JSON.stringify(lookup.number)} (${lookup.category}): ${problem}`);
      answers.set(lookup.number, answer);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (problems.length > 0) {
    throw new Error(
      `bench: ${problems.length} of ${lookups.length} lookups were answered wrongly, e.g.:\n  ` +
        problems.slice(0, QUOTED).join('\n  '),
    );
  }
  return answers;
}

/**
 * One GET, tried a second time if the connection failed: the server closes idle keep-alive
 * connections after 5 s, and a request sent on one just then fails without an answer.
 */
async function ask(url: string, retry = true): Promise<RecordedAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { headers: authorization() });
  } catch (error) {
    if (retry) return ask(url, false);
    throw error;
  }
  const contentType = response.headers.get('content-type') ?? '';
  return { status: response.status, contentType, body: await response.text() };
}

/** What is wrong with the answer, or undefined when it is the one expected. */
function checkAnswer(lookup: Lookup, answer: RecordedAnswer): string | undefined {
  const { expect } = lookup;
  if (answer.status !== expect.status) return `status ${answer.status}: ${answer.body}`;
  if (expect.status === 404) return undefined;
  const body = JSON.parse(answer.body) as LookupBody;
  const uids = body.ambiguous
    ? (body.candidates ?? []).map((candidate) => candidate.contact.id).sort()
    : [body.contact?.id];
  const wanted = `${expect.kinds.join('|')} ${expect.uids.join(',')}`;
  const got = `${body.match} ${uids.join(',')}`;
  const right = expect.kinds.some((kind) => kind === body.match) && sameList(uids, expect.uids);
  return right ? undefined : `expected ${wanted}, got ${got}`;
}

function sameList(left: Array<string | undefined>, right: string[]): boolean {
  return left.length === right.length && left.every((item, index) => item === right[index]);
}

interface LookupBody {
  match: string;
  ambiguous: boolean;
  contact: { id: string } | null;
  candidates?: Array<{ contact: { id: string } }>;
}
