/** The kinds of personal data redaction replaces, and their placeholders. */
export const PII_PLACEHOLDERS = {
  email: '[EMAIL]',
  cnId: '[CN_ID]',
  hkId: '[HKID]',
  card: '[CARD]',
  phone: '[PHONE]',
} as const;

export type PiiKind = keyof typeof PII_PLACEHOLDERS;

export interface Redaction {
  readonly text: string;
  readonly found: Partial<Record<PiiKind, number>>;
}

// Every pattern is linear in the text: each can start only where the character before it
// cannot continue it (a lookbehind), and every repetition has a small upper bound, so a failed
// attempt costs a bounded number of steps (the old unbounded email pattern took 5.6 s on 50,000
// letters). The texts they run on are NFKC-normalized first (full-width digits and brackets).
/** Local part (at most 64 characters, RFC 5321) starting where a local part can start, then a domain of bounded labels. */
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}(?![A-Za-z0-9-])/g;
/** 18 characters, optionally grouped by spaces or hyphens ("110101 19900307 123X"). */
const CN_ID = /(?<![\dA-Za-z])\d(?:[ -]?\d){16}[ -]?[\dXx](?![\dA-Za-z])/g;
/** Letters in either case ("a123456(3)"); without brackets, upper case only (fewer product codes taken for IDs). */
const HK_ID = /(?<![A-Za-z\d])([A-Za-z]{1,2})(\d{6})\s?(?:\(([\dAa])\)|([\dA]))(?![A-Za-z\d])/g;
const CARD = /(?<![\d+.])\d(?:[ .-]?\d){12,18}(?![\d])/g;
const PHONE_INTERNATIONAL = /\+\d{1,3}[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d){5,12}(?!\d)/g;
/** A mainland mobile with its country code but no "+" ("86 138 1234 5678"): before cards, whose Luhn check it can pass. */
const PHONE_CN_WITH_CODE = /(?<![\d+])86[\s-]?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;
const PHONE_CN_MOBILE = /(?<!\d)(?:86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;
/** Hong Kong numbers: landlines 2xxx/3xxx, mobiles 4-9xxx, with or without 852. */
const PHONE_HK = /(?<!\d)(?:852[\s-]?)?[2-9]\d{3}[\s-]?\d{4}(?!\d)/g;
/** Numbers right after these words are references (order, ticket, invoice numbers), not phones. */
const REFERENCE_BEFORE = /(order|ref(erence)?|invoice|ticket|case|tracking|account|acct|no\.?|number|#|單號|单号|訂單|订单|編號|编号|號碼|号码為|參考|参考)\s*[:：#]?\s*$/iu;

/** Stands in for a span already redacted, so later patterns neither match it nor see digits around it. */
const TAKEN = '\uE000';

/**
 * Replaces phone numbers, emails, card numbers (Luhn-checked), Hong Kong ID and mainland
 * resident ID numbers (check digits verified) with typed placeholders. Ordinary numbers —
 * prices, dates, order numbers — are left alone. Runs before anything is stored or logged.
 *
 * Matching runs on an NFKC-normalized copy, so full-width forms (１３８…, A123456（3）) are
 * found; what is not personal data is returned exactly as written.
 */
export function redactPii(input: string): Redaction {
  const found: Partial<Record<PiiKind, number>> = {};
  // Most messages and replies cannot hold any of it: they skip the per-character normalization.
  const wholeNfkc = input.normalize('NFKC');
  const digitsInText = digitCount(wholeNfkc);
  const hasAt = wholeNfkc.includes('@');
  if (!hasAt && digitsInText < FEWEST_PII_DIGITS) return { text: input, found };
  // A text NFKC leaves as it is (most replies, whatever their script) needs no positions either.
  const { text: normalized, starts, ends } = wholeNfkc === input ? { text: input } : normalizeForMatching(input);
  let work = normalized;
  const spans: { start: number; end: number; kind: PiiKind }[] = [];
  // A pattern needing more digits than the whole text has (or an '@' or '+' it lacks) cannot
  // match: most replies with a time or a price run two or three of the eight.
  const take = (pattern: RegExp, kind: PiiKind, accept: (match: RegExpExecArray, text: string) => boolean = () => true) => {
    if (digitsInText < (FEWEST_DIGITS.get(pattern) ?? 0)) return;
    const taken: { start: number; end: number }[] = [];
    // exec on the shared (global) pattern: matchAll clones the RegExp on every call.
    pattern.lastIndex = 0;
    for (let match = pattern.exec(work); match !== null; match = pattern.exec(work)) {
      if (!accept(match, work)) continue;
      taken.push({ start: match.index, end: match.index + match[0].length });
      found[kind] = (found[kind] ?? 0) + 1;
    }
    if (taken.length === 0) return;
    let masked = '';
    let at = 0;
    for (const { start, end } of taken) {
      masked += work.slice(at, start) + TAKEN.repeat(end - start);
      at = end;
      spans.push({ start, end, kind });
    }
    work = masked + work.slice(at);
  };
  if (hasAt) take(EMAIL, 'email');
  take(CN_ID, 'cnId', (match) => validCnId(match[0].replace(/[ -]/g, '')));
  take(HK_ID, 'hkId', (match) => {
    const [, letters, digits, bracketed, plain] = match;
    if (plain !== undefined && letters !== letters!.toUpperCase()) return false;
    return validHkId(letters!.toUpperCase(), digits!, (bracketed ?? plain)!.toUpperCase());
  });
  if (wholeNfkc.includes('+')) take(PHONE_INTERNATIONAL, 'phone');
  take(PHONE_CN_WITH_CODE, 'phone');
  take(CARD, 'card', (match) => luhn(match[0].replace(/\D/g, '')));
  const localPhone = (match: RegExpExecArray, whole: string) => {
    const offset = match.index;
    if (REFERENCE_BEFORE.test(whole.slice(Math.max(0, offset - 16), offset))) return false;
    if (looksLikeCompactDate(match[0])) return false;
    // Part of a longer digit run (a card number that failed Luhn, an account number): not a phone.
    return !continuesDigits(whole, offset - 1, -1) && !continuesDigits(whole, offset + match[0].length, 1);
  };
  take(PHONE_CN_MOBILE, 'phone', localPhone);
  take(PHONE_HK, 'phone', localPhone);
  if (spans.length === 0) return { text: input, found };
  spans.sort((a, b) => a.start - b.start);
  let text = '';
  let at = 0;
  for (const { start, end, kind } of spans) {
    const from = starts ? starts[start]! : start;
    text += input.slice(at, from) + PII_PLACEHOLDERS[kind];
    at = ends ? ends[end - 1]! : end;
  }
  return { text: text + input.slice(at), found };
}

/** The fewest digits a match of each pattern holds. */
const FEWEST_DIGITS = new Map<RegExp, number>([
  [CN_ID, 17],
  // A Hong Kong ID whose check character is "A" (A000100(A)).
  [HK_ID, 6],
  [CARD, 13],
  [PHONE_INTERNATIONAL, 7],
  [PHONE_CN_WITH_CODE, 13],
  [PHONE_CN_MOBILE, 11],
  [PHONE_HK, 8],
]);

/** The fewest digits any pattern but the email one needs. */
const FEWEST_PII_DIGITS = Math.min(...FEWEST_DIGITS.values());

/**
 * ASCII digits in the text's NFKC: whole-text NFKC keeps every digit the per-character one
 * finds, so no match can hold more. With no '@' and fewer than FEWEST_PII_DIGITS, no pattern
 * can match: replies with an opening time or a price ("9:00-17:30", "HK$388") skip all of them.
 */
function digitCount(normalized: string): number {
  let digits = 0;
  for (let i = 0; i < normalized.length; i++) {
    const code = normalized.charCodeAt(i);
    if (code >= 48 && code <= 57) digits += 1;
  }
  return digits;
}

/** True when a digit sits at `index`, or a space/hyphen and then a digit in `direction`. */
function continuesDigits(text: string, index: number, direction: 1 | -1): boolean {
  const isDigit = (i: number) => i >= 0 && i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57;
  if (isDigit(index)) return true;
  const ch = text[index];
  return (ch === ' ' || ch === '-' || ch === '\t' || ch === '\n') && isDigit(index + direction);
}

/**
 * NFKC, one code point at a time (the forms that matter, full-width digits, letters and
 * brackets, each map to one character), with where each normalized character came from in
 * the input: `starts[i]`/`ends[i]` are the input span of the code point behind character `i`.
 * ASCII is its own NFKC: no positions (character `i` is the input's `i`), so a reply with a
 * price and an opening time allocates no two arrays as long as itself.
 */
function normalizeForMatching(input: string): { text: string; starts?: number[]; ends?: number[] } {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(input)) return { text: input };
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  // Characters NFKC leaves alone (Han, kana, most punctuation) are copied in runs: normalizing
  // each one on its own was most of the cost of redacting a Chinese reply (34 us for 86 characters).
  let run = 0;
  for (let i = 0; i < input.length; ) {
    const unit = input.charCodeAt(i);
    if (unit < 0x80 || (!isSurrogate(unit) && nfkcLeavesAlone(unit))) {
      starts.push(i);
      ends.push(i + 1);
      i += 1;
      continue;
    }
    text += input.slice(run, i);
    const code = input.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    const normalized = input.slice(i, i + width).normalize('NFKC');
    for (let k = 0; k < normalized.length; k++) {
      starts.push(i);
      ends.push(i + width);
    }
    text += normalized;
    i += width;
    run = i;
  }
  return { text: text + input.slice(run), starts, ends };
}

/** Per BMP character: 0 not known yet, 1 NFKC leaves it as it is, 2 NFKC changes it. 64 KB, whatever the input. */
const NFKC_OF_BMP = new Uint8Array(0x10000);

function nfkcLeavesAlone(unit: number): boolean {
  let known = NFKC_OF_BMP[unit]!;
  if (known === 0) {
    const character = String.fromCharCode(unit);
    known = character.normalize('NFKC') === character ? 1 : 2;
    NFKC_OF_BMP[unit] = known;
  }
  return known === 1;
}

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}

/** Redacted text only. */
export function redact(input: string): string {
  return redactPii(input).text;
}

export function luhn(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

const CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11643: 17 digits, then an ISO 7064 MOD 11-2 check character. */
export function validCnId(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const sum = CN_WEIGHTS.reduce((total, weight, i) => total + weight * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17]!.toUpperCase();
}

/** Hong Kong identity card: one or two letters, six digits, a check digit (0-9 or A). */
export function validHkId(letters: string, digits: string, check: string): boolean {
  const value = (letter: string) => letter.charCodeAt(0) - 55;
  let sum = letters.length === 2 ? value(letters[0]!) * 9 + value(letters[1]!) * 8 : 36 * 9 + value(letters[0]!) * 8;
  for (let i = 0; i < 6; i++) sum += Number(digits[i]) * (7 - i);
  const remainder = (11 - (sum % 11)) % 11;
  return (remainder === 10 ? 'A' : String(remainder)) === check;
}

/** 20240612 is a date; "2024 0612", grouped like a phone number, is a phone number (a Hong Kong landline). */
function looksLikeCompactDate(match: string): boolean {
  if (!/^\d{8}$/.test(match)) return false;
  const digits = match;
  if (digits.length !== 8) return false;
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  return year >= 1900 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
