/**
 * Names that break naive code: accents (composed and decomposed), CJK, right-to-left scripts,
 * emoji (with joiners and outside the BMP), and ASCII characters that mean something in DNs,
 * filters, CSV or JSON.
 */

export interface Name {
  given: string;
  sn: string;
}

const name = (given: string, sn: string): Name => ({ given, sn });

export const PLAIN_NAMES: readonly Name[] = [
  name('Alice', 'Anderson'),
  name('Bob', 'Baker'),
  name('Carol', 'Chen'),
  name('Dan', 'Dorsey'),
  name('Erin', 'Evans'),
];

export const UTF8_NAMES: readonly Name[] = [
  name('José', 'Müller-Øster'),
  // The same name decomposed (NFD): e + U+0301, u + U+0308. Must come back unnormalized.
  name('Jose\u0301', 'Mu\u0308ller'),
  name('Łukasz', 'Żółć'),
  name('Ægir', 'Þórsson'),
  name('Minh Khai', 'Nguyễn Thị'),
  name('Çağla', 'Şimşek'),
  name('太郎', '山田'),
  name('小明', '王'),
  name('민준', '김'),
  name('محمد', 'عبد الله'),
  name('דוד', 'כהן'),
  // Right-to-left and left-to-right in one value.
  name('فاطمة', 'Smith'),
  name('Ελένη', 'Παπαδοπούλου'),
  name('Ёлка', 'Щукина'),
  name('अनन्या', 'शर्मा'),
  name('Ada', 'Lovelace 👩‍💻'),
  name('Bj🦄rn', 'Flag 🇩🇪'),
  // Mathematical Fraktur letters lie outside the BMP: surrogate pairs in UTF-16.
  name('𝔊𝔢𝔯𝔱', '𝔐𝔞𝔶𝔢𝔯'),
];

export const SPECIAL_NAMES: readonly Name[] = [
  name('Jane', 'Doe, Jr.'),
  name('Smith', '+ Wesson'),
  name('"Bud"', 'Spencer'),
  name('Back\\slash', 'Baxter'),
  name('#1', 'Fan'),
  name('x=y', 'Equals'),
  name('Star*', 'Gazer'),
  name('(Paren)', 'Thesis'),
  name('Semi;colon', '<Angle>'),
  name('Seán', "O'Brien"),
  name('Null\\00', '%s %n {{x}}'),
];

/** Whitespace a directory takes as a name but a person would not: space, NBSP, U+3000. */
export const BLANK_NAMES: readonly string[] = [' ', '   ', '\u00a0', '\u3000', ' \u00a0 '];

/** A long value of at most `length` characters, mixing ASCII and multi-byte text. */
export function longText(seed: string, length: number): string {
  const phrase = [...`${seed} – lorem ipsum ÆØÅ 漢字 😀 `];
  // Cut by code point, not UTF-16 unit: half an emoji is not valid UTF-8.
  const repeated = Array.from({ length: Math.ceil(length / phrase.length) }, () => phrase).flat();
  return (
    repeated
      .slice(0, length - 1)
      .join('')
      .trimEnd() + '.'
  );
}
