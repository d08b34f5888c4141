/**
 * The numbers the bench looks up, each with the answer it must get: known numbers written in
 * another style than the directory's, numbers with extensions, shared lines, internal numbers
 * and numbers nobody has. The expected match kinds follow PhoneIndex's rules.
 */
import type { MatchKind } from '../../../core/lookup/phone-index.js';
import { Prng } from '../../demo-data/prng.js';
import type { BenchDirectory, Person, SharedLine } from './people.js';
import {
  BLOCKS,
  NumberPool,
  callerExtension,
  writeCaller,
  type PlanNumber,
} from './phone-plans.js';

/** A found number: one of `kinds` of match, and exactly these contacts (several: ambiguous). */
export type Expectation = { status: 200; kinds: MatchKind[]; uids: string[] } | { status: 404 };

export type Category = 'work' | 'mobile' | 'extension' | 'shared' | 'internal' | 'unknown';

export interface Lookup {
  /** As the caller's phone system sends it. */
  number: string;
  category: Category;
  expect: Expectation;
}

/** Shares of each category among the lookups. */
export const MIX: ReadonlyArray<readonly [Category, number]> = [
  ['work', 0.4],
  ['mobile', 0.1],
  ['extension', 0.1],
  ['shared', 0.1],
  ['internal', 0.05],
  ['unknown', 0.25],
];

/** Makes lookups, every number text distinct from all made before by the same maker. */
export class LookupMaker {
  readonly #prng: Prng;
  readonly #used = new Set<string>();
  readonly #unknown: NumberPool;
  readonly #singles: Person[];
  readonly #withMobile: Person[];
  readonly #withInternal: Person[];
  readonly #sharedLines: SharedLine[];

  constructor(directory: BenchDirectory, seed: number) {
    this.#prng = new Prng(seed);
    this.#unknown = new NumberPool(this.#prng, BLOCKS.unknown);
    const shared = new Set(directory.sharedLines.flatMap((line) => line.uids));
    this.#singles = directory.people.filter((person) => !shared.has(person.uid));
    this.#withMobile = directory.people.filter((person) => person.mobile);
    this.#withInternal = directory.people.filter((person) => person.internal);
    this.#sharedLines = directory.sharedLines;
  }

  make(count: number): Lookup[] {
    const lookups: Lookup[] = [];
    while (lookups.length < count) {
      const category = this.#prng.pickWeighted(MIX);
      const lookup = { category, ...this.#draw(category) };
      if (this.#used.has(lookup.number)) continue;
      this.#used.add(lookup.number);
      lookups.push(lookup);
    }
    return lookups;
  }

  #draw(category: Category): Omit<Lookup, 'category'> {
    const prng = this.#prng;
    switch (category) {
      case 'work': {
        const { uid, work } = prng.pick(this.#singles);
        const number = writeCaller(prng, work.number, work.text);
        if (work.e164) return found(number, work.extension ? 'line' : 'exact', [uid]);
        // Written nationally in another country: its trailing digits match, and an index that
        // reads such numbers again in the caller's country finds it exactly.
        return { number, expect: { status: 200, kinds: ['suffix', 'exact'], uids: [uid] } };
      }
      case 'mobile': {
        const { uid, mobile } = prng.pick(this.#withMobile);
        return found(writeCaller(prng, mobile!.number, mobile!.text), 'exact', [uid]);
      }
      case 'extension':
        return this.#drawExtension();
      case 'shared':
        return this.#drawShared(prng.pick(this.#sharedLines));
      case 'internal': {
        const { uid, internal } = prng.pick(this.#withInternal);
        return found(internal!, 'internal', [uid]);
      }
      case 'unknown':
        // Some unknown internal numbers too: 50000-59999 are nobody's.
        if (prng.chance(0.2)) return { number: String(prng.int(50_000, 59_999)), expect: missing };
        return { number: writeCaller(prng, this.#unknown.take()), expect: missing };
    }
  }

  /** A person's own extension finds them exactly; another extension finds their line. */
  #drawExtension(): Omit<Lookup, 'category'> {
    const prng = this.#prng;
    for (;;) {
      const { uid, work } = prng.pick(this.#singles);
      if (work.number.family !== 'us') continue;
      if (work.extension) {
        return found(withExtension(prng, work.number, work.extension), 'exact', [uid]);
      }
      const other = String(prng.int(1, 9999));
      return found(withExtension(prng, work.number, other), 'line', [uid]);
    }
  }

  #drawShared(line: SharedLine): Omit<Lookup, 'category'> {
    const prng = this.#prng;
    if (!line.extensions || prng.chance(0.5)) {
      const kind = line.extensions ? 'line' : 'exact';
      return found(writeCaller(prng, line.number), kind, [...line.uids].sort());
    }
    const member = prng.int(0, line.uids.length - 1);
    const number = withExtension(prng, line.number, line.extensions[member]!);
    return found(number, 'exact', [line.uids[member]!]);
  }
}

const missing: Expectation = { status: 404 };

function found(number: string, kind: MatchKind, uids: string[]): Omit<Lookup, 'category'> {
  return { number, expect: { status: 200, kinds: [kind], uids } };
}

/** A tel: URI takes its extension as a parameter; other text in any written style. */
function withExtension(prng: Prng, number: PlanNumber, extension: string): string {
  const text = writeCaller(prng, number);
  if (text.startsWith('tel:')) return `${text};ext=${extension}`;
  return text + callerExtension(prng, extension);
}
