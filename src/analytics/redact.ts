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

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const CN_ID = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;
const HK_ID = /(?<![A-Za-z\d])([A-Z]{1,2})(\d{6})\s?(?:\(([\dA])\)|([\dA]))(?![A-Za-z\d])/g;
const CARD = /(?<![\d+])\d(?:[ -]?\d){12,18}(?!\d)/g;
const PHONE_INTERNATIONAL = /\+\d{1,3}[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d){5,12}(?!\d)/g;
const PHONE_CN_MOBILE = /(?<!\d)(?:86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;
const PHONE_HK = /(?<!\d)(?:852[\s-]?)?[2-9]\d{3}[\s-]?\d{4}(?!\d)/g;
/** Numbers right after these words are references (order, ticket, invoice numbers), not phones. */
const REFERENCE_BEFORE = /(order|ref(erence)?|invoice|ticket|case|tracking|account|acct|no\.?|number|#|單號|单号|訂單|订单|編號|编号|號碼|号码為|參考|参考)\s*[:：#]?\s*$/iu;

/**
 * Replaces phone numbers, emails, card numbers (Luhn-checked), Hong Kong ID and mainland
 * resident ID numbers (check digits verified) with typed placeholders. Ordinary numbers —
 * prices, dates, order numbers — are left alone. Runs before anything is stored or logged.
 */
export function redactPii(input: string): Redaction {
  const found: Partial<Record<PiiKind, number>> = {};
  const count = (kind: PiiKind) => {
    found[kind] = (found[kind] ?? 0) + 1;
    return PII_PLACEHOLDERS[kind];
  };
  let text = input.replace(EMAIL, () => count('email'));
  text = text.replace(CN_ID, (match) => (validCnId(match) ? count('cnId') : match));
  text = text.replace(HK_ID, (match, letters: string, digits: string, bracketed?: string, plain?: string) =>
    validHkId(letters, digits, (bracketed ?? plain)!) ? count('hkId') : match,
  );
  text = text.replace(PHONE_INTERNATIONAL, () => count('phone'));
  text = text.replace(CARD, (match) => (luhn(match.replace(/\D/g, '')) ? count('card') : match));
  const localPhone = (match: string, offset: number, whole: string) => {
    if (REFERENCE_BEFORE.test(whole.slice(Math.max(0, offset - 16), offset))) return match;
    if (looksLikeCompactDate(match)) return match;
    // Part of a longer digit run (a card number that failed Luhn, an account number): not a phone.
    if (/\d[\s-]?$/.test(whole.slice(0, offset)) || /^[\s-]?\d/.test(whole.slice(offset + match.length))) return match;
    return count('phone');
  };
  text = text.replace(PHONE_CN_MOBILE, localPhone);
  text = text.replace(PHONE_HK, localPhone);
  return { text, found };
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

function looksLikeCompactDate(match: string): boolean {
  const digits = match.replace(/\D/g, '');
  if (digits.length !== 8) return false;
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  return year >= 1900 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
