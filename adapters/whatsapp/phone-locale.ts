import type { Locale } from '../../src/config.js';

/** Calling codes we recognise (longest first wins); enough to route languages and show the country. */
const CALLING_CODES = new Set([
  '1', '7', '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84', '86', '90', '91',
  '92', '93', '94', '95', '98', '212', '213', '234', '254', '351', '352', '353', '358', '380', '852', '853', '855', '856',
  '880', '886', '960', '966', '971', '972', '974', '977',
]);

/** "+85291234567" → "852"; undefined when the number starts with no code we know. */
export function countryCallingCode(phone: string): string | undefined {
  const digits = phone.replace(/\D/gu, '');
  for (const length of [3, 2, 1]) {
    const code = digits.slice(0, length);
    if (digits.length > length && CALLING_CODES.has(code)) return code;
  }
  return undefined;
}

/** The default reply language for a phone's country: +852/+853 Cantonese, +86 Mandarin (Simplified), +886 Mandarin (Traditional), else English. */
export function localeForCallingCode(code: string | undefined): Locale {
  switch (code) {
    case '852':
    case '853':
      return 'zh-HK';
    case '86':
      return 'zh-CN';
    case '886':
      return 'zh-TW';
    default:
      return 'en';
  }
}
