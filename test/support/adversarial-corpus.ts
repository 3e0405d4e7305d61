/**
 * Inputs that made carebot's text processing super-linear, and their relatives: separator runs
 * the Microsoft recognizers backtrack on ("1/" × 100 took 22 s), letters the old email regex was
 * quadratic on, long digit runs, mixed CJK and digits, brackets, spaces, surrogate pairs, and
 * seeded random mixes of all of them. Shared by the fuzz test and `npm run bench`.
 */
export interface AdversarialInput {
  readonly name: string;
  readonly text: string;
}

const PATTERNS: readonly [string, string][] = [
  ['slash dates', '1/'],
  ['dash runs', '1-'],
  ['dot runs', '1.'],
  ['colon runs', '1:'],
  ['comma numbers', '1,'],
  ['spaced digits', '1 '],
  ['ordinals', '1st '],
  ['currency', '$1'],
  ['percent', '1%'],
  ['hours', '1h '],
  ['ranges', '1-2 '],
  ['iso dates', '2024-01-01 '],
  ['clock times', '5 pm '],
  ['chinese clock', '三点'],
  ['chinese ten', '十'],
  ['chinese months', '1月'],
  ['chinese day numbers', '3号'],
  ['cjk and digits', '一1二2三3'],
  ['full-width digits', '１３８１２３４５６７８'],
  ['letters (email without @)', 'a'],
  ['dotted words (email domain)', 'ab.'],
  ['at signs', 'a@'],
  ['email-like', 'a.b@c'],
  ['digits', '7'],
  ['phone-like', '+852 '],
  ['hkid-like', 'A123456('],
  ['card-like', '4111 '],
  ['nested round brackets', '('],
  ['nested square brackets', '[{'],
  ['spaces', ' '],
  ['newlines', '\n'],
  ['emoji', '😀'],
  ['nul', '\u0000'],
];

/** One character past the end of a pattern run makes a regex that matched the run fail at the end (the backtracking case). */
const TAIL = 'x';

const ALPHABET = [
  ...'0123456789', ...'０１２３４５６７８９', ...'/-.:,;%$+()[]{}@#', ' ', ' ', '\n', '\t',
  ...'abcxyzAZ', ...'一二三十百千万点号月年日时分元块', ...'你好我的卡', '😀', '（', '）', '\u3000',
];

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every pattern at each length (1 to 50,000 characters), then `randomCount` seeded random strings per length. */
export function adversarialCorpus(options: { lengths?: readonly number[]; randomCount?: number; seed?: number } = {}): AdversarialInput[] {
  const lengths = options.lengths ?? [1, 200, 2000, 50_000];
  const random = rng(options.seed ?? 14);
  const inputs: AdversarialInput[] = [];
  for (const length of lengths) {
    for (const [name, unit] of PATTERNS) {
      const body = unit.repeat(Math.ceil(length / unit.length)).slice(0, Math.max(0, length - 1));
      inputs.push({ name: `${name} × ${length}`, text: length === 1 ? unit.slice(0, 1) : body + TAIL });
    }
    for (let i = 0; i < (options.randomCount ?? 4); i++) {
      let text = '';
      while (text.length < length) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
      inputs.push({ name: `random #${i + 1} × ${length}`, text: text.slice(0, length) });
    }
  }
  return inputs;
}
