/**
 * Given and family names from many countries for the demo directory, chosen so the data
 * exercises what real directories hold: accents, apostrophes, spaces and hyphens in names, and
 * scripts other than Latin.
 *
 * A name in another script is written "native|latin"; the Latin form builds the login and mail.
 */
export interface NamePool {
  id: string;
  /** How often people are drawn from this pool, relative to the others. */
  weight: number;
  /** Whether the family name comes first in the common name, as in Chinese or Korean. */
  familyFirst: boolean;
  /** Separator between the names in the common name ("" for Chinese, Japanese and Korean). */
  separator: string;
  given: readonly string[];
  family: readonly string[];
}

export const NAME_POOLS: readonly NamePool[] = [
  {
    id: 'english',
    weight: 22,
    familyFirst: false,
    separator: ' ',
    given: ['James', 'Mary', 'Michael', 'Jennifer', 'David', 'Linda', 'Sarah', 'Emily', 'Daniel',
      'Jessica', 'Matthew', 'Ashley', 'Christopher', 'Amanda', 'Andrew', 'Megan', 'Ryan',
      'Lauren', 'Tyler', 'Rachel', 'Kevin', 'Nicole', 'Brian', 'Hannah', 'Mary-Kate'],
    family: ['Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson',
      'Taylor', 'Thomas', 'Moore', 'Jackson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker',
      'Hall', 'Young', 'St. James', 'Van der Berg'],
  },
  {
    id: 'irish-british',
    weight: 6,
    familyFirst: false,
    separator: ' ',
    given: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Siobhán', 'Niamh', 'Seán', 'Aoife',
      'Ciarán', 'Eóin'],
    family: ["O'Brien", "O'Connor", 'Murphy', 'Kelly', 'Ó Súilleabháin', 'Evans', 'Hughes',
      'MacDonald', 'Fitzgerald', 'Ní Bhriain'],
  },
  {
    id: 'french',
    weight: 8,
    familyFirst: false,
    separator: ' ',
    given: ['Zoë', 'Chloé', 'Léa', 'Hélène', 'François', 'Benoît', 'Jérôme', 'Anaïs', 'Gaëlle',
      'Jean-Luc', 'Noémie'],
    family: ['Lefèvre', 'Dubois', 'Moreau', 'Bérubé', 'Gauthier', 'Lemaître', 'Fournier',
      'Mercier', 'Lécuyer', 'Rousseau'],
  },
  {
    id: 'spanish',
    weight: 9,
    familyFirst: false,
    separator: ' ',
    given: ['José', 'María', 'Lucía', 'Álvaro', 'Íñigo', 'Sofía', 'Martín', 'Begoña', 'Raúl',
      'Inés', 'Ángel'],
    family: ['Núñez', 'Ñúñez', 'García', 'Peña', 'Ibáñez', 'Muñoz', 'Fernández', 'Rodríguez',
      'López', 'Martínez', 'de la Cruz'],
  },
  {
    id: 'portuguese',
    weight: 3,
    familyFirst: false,
    separator: ' ',
    given: ['João', 'Conceição', 'Gonçalo', 'Inês', 'Tânia'],
    family: ['Gonçalves', 'Araújo', 'Simões', 'Magalhães', 'Brandão'],
  },
  {
    id: 'german',
    weight: 8,
    familyFirst: false,
    separator: ' ',
    given: ['Jürgen', 'Jörg', 'Günther', 'Anke', 'Käthe', 'Lukas', 'Lena', 'Matthias', 'Björn'],
    family: ['Müller', 'Schröder', 'Weiß', 'Groß', 'Köhler', 'Schäfer', 'Böhm', 'Krüger', 'Voß',
      'Meyer-Lüdenscheid'],
  },
  {
    id: 'nordic',
    weight: 6,
    familyFirst: false,
    separator: ' ',
    given: ['Øystein', 'Åsa', 'Bjørn', 'Søren', 'Sigríður', 'Þóra', 'Ásgeir', 'Ingrid', 'Linnéa'],
    family: ['Østergaard', 'Ødegård', 'Åberg', 'Sørensen', 'Øster', 'Lindqvist', 'Jóhannsdóttir',
      'Þórsson', 'Hæggström'],
  },
  {
    id: 'polish-czech-hungarian',
    weight: 9,
    familyFirst: false,
    separator: ' ',
    given: ['Łukasz', 'Małgorzata', 'Paweł', 'Wojciech', 'Zofia', 'Bartłomiej', 'Agnieszka',
      'Jiří', 'Tomáš', 'Kateřina', 'Zoltán', 'Ágnes'],
    family: ['Wiśniewski', 'Kowalczyk', 'Woźniak', 'Dąbrowski', 'Żak', 'Łukasiewicz', 'Dvořák',
      'Novák', 'Černý', 'Erdős', 'Szabó', 'Kovács'],
  },
  {
    id: 'turkish',
    weight: 4,
    familyFirst: false,
    separator: ' ',
    given: ['Şükrü', 'Gülşen', 'Çağrı', 'Ayşe', 'Emre', 'İrem'],
    family: ['Yılmaz', 'Öztürk', 'Çelik', 'Şahin', 'Doğan', 'Kılıç'],
  },
  {
    id: 'greek',
    weight: 3,
    familyFirst: false,
    separator: ' ',
    given: ['Γιώργος|Giorgos', 'Ελένη|Eleni', 'Δημήτρης|Dimitris', 'Σοφία|Sofia'],
    family: ['Παπαδόπουλος|Papadopoulos', 'Κωνσταντίνου|Konstantinou', 'Νικολάου|Nikolaou'],
  },
  {
    id: 'ukrainian',
    weight: 3,
    familyFirst: false,
    separator: ' ',
    given: ['Дмитро|Dmytro', 'Олена|Olena', 'Андрій|Andrii', 'Ірина|Iryna'],
    family: ['Шевченко|Shevchenko', 'Коваленко|Kovalenko', 'Бондаренко|Bondarenko'],
  },
  {
    id: 'chinese',
    weight: 6,
    familyFirst: true,
    separator: '',
    given: ['伟|Wei', '芳|Fang', '敏|Min', '静|Jing', '磊|Lei', '婷|Ting', '强|Qiang', '晓明|Xiaoming'],
    family: ['王|Wang', '李|Li', '张|Zhang', '刘|Liu', '陈|Chen', '欧阳|Ouyang'],
  },
  {
    id: 'japanese',
    weight: 4,
    familyFirst: true,
    separator: '',
    given: ['花子|Hanako', '翔太|Shota', '結衣|Yui', '健|Ken', '陽菜|Hina'],
    family: ['佐藤|Sato', '鈴木|Suzuki', '高橋|Takahashi', '田中|Tanaka'],
  },
  {
    id: 'korean',
    weight: 4,
    familyFirst: true,
    separator: '',
    given: ['민준|Minjun', '서연|Seoyeon', '지훈|Jihoon', '하은|Haeun'],
    family: ['김|Kim', '이|Lee', '박|Park', '최|Choi'],
  },
  {
    id: 'vietnamese',
    weight: 4,
    familyFirst: true,
    separator: ' ',
    given: ['An', 'Phương', 'Thảo', 'Dũng', 'Hùng', 'Thị Lan'],
    family: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Đặng'],
  },
  {
    id: 'indian',
    weight: 7,
    familyFirst: false,
    separator: ' ',
    given: ['Priya', 'Arjun', 'Ananya', 'Rohan', 'Aditi', 'Vikram', 'Lakshmi'],
    family: ['Sharma', 'Patel', 'Iyer', 'Reddy', 'Gupta', 'Krishnan', 'Venkataraman'],
  },
  {
    id: 'arabic',
    weight: 4,
    familyFirst: false,
    separator: ' ',
    given: ['Omar', 'Layla', 'Yusuf', 'Fatima', 'Karim', 'Noor'],
    family: ['Haddad', 'Mansour', 'Khalil', 'Saleh', 'El-Amin', 'Al Farsi'],
  },
  {
    id: 'west-african',
    weight: 4,
    familyFirst: false,
    separator: ' ',
    given: ['Chinedu', 'Ngozi', 'Oluwaseun', 'Adaeze', 'Kwame', 'Abena'],
    family: ['Okafor', 'Adeyemi', 'Mensah', 'Nwosu', 'Owusu-Ansah'],
  },
];

/** A name split into how it is written and its Latin form. */
export function splitName(name: string): { native: string; latin: string } {
  const [native, latin] = name.split('|') as [string, string | undefined];
  return { native, latin: latin ?? native };
}

const LATIN_LETTERS: Record<string, string> = {
  ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', ß: 'ss', æ: 'ae', Æ: 'Ae', œ: 'oe', Œ: 'Oe', đ: 'd', Đ: 'D',
  ı: 'i', þ: 'th', Þ: 'Th', ð: 'd', Ð: 'D',
};

/** Lower-case ASCII for logins and mail addresses: "Müller-Øster" → "muller-oster". */
export function toAsciiLower(name: string): string {
  const replaced = [...name].map((char) => LATIN_LETTERS[char] ?? char).join('');
  return replaced
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '');
}
