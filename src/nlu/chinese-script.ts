import * as OpenCC from 'opencc-js';

/**
 * Traditional ↔ Simplified converters. Built once when the module loads (about 0.2 s) and
 * never mutated afterwards: they are constant lookup tables, not state.
 */
// Character-level only: OpenCC's Taiwan phrase table rewrites some Traditional words into
// different Mainland words (查詢 → 查找), which would split one meaning into two features.
const TW_TO_CN = OpenCC.Converter({ from: 'tw', to: 'cn' });
const HK_TO_CN = OpenCC.Converter({ from: 'hk', to: 'cn' });
const CN_TO_HK = OpenCC.Converter({ from: 'cn', to: 'hk' });

/** Traditional (Hong Kong and Taiwan character variants included) → Simplified. */
export function toSimplified(text: string): string {
  return HK_TO_CN(TW_TO_CN(text));
}

// Per-character Traditional → Simplified, memoised: BMP characters in a typed array
// (0 = not looked up yet, 0xffff = unchanged, else the Simplified code unit), the rest in a map.
const SIMPLIFIED_BMP = new Uint16Array(0x10000);
const SIMPLIFIED_OTHER = new Map<number, string>();
// Characters OpenCC maps on their own although they are standard Simplified (么 → 幺 would
// break 什么): left unchanged at the character level.
const KEEP_AS_IS = new Set(['么']);

function convertChar(ch: string): string {
  if (KEEP_AS_IS.has(ch)) return ch;
  return HK_TO_CN(TW_TO_CN(ch)) ?? ch;
}

/**
 * Traditional → Simplified one character at a time, memoised per character: the fast path
 * used for matching (features), where a consistent mapping matters more than phrase context.
 */
export function toSimplifiedChars(text: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; ) {
    const c = text.codePointAt(i)!;
    if (c < 0x3400) {
      i++;
      continue;
    }
    let s: string;
    let w = 1;
    if (c <= 0xffff) {
      let code = SIMPLIFIED_BMP[c]!;
      if (code === 0) {
        const converted = convertChar(String.fromCharCode(c));
        code = converted.length === 1 && converted.charCodeAt(0) !== c ? converted.charCodeAt(0) : 0xffff;
        if (converted.length !== 1) SIMPLIFIED_OTHER.set(c, converted);
        SIMPLIFIED_BMP[c] = code;
      }
      if (code === 0xffff) {
        const other = SIMPLIFIED_OTHER.get(c);
        if (other === undefined) {
          i++;
          continue;
        }
        s = other;
      } else {
        s = String.fromCharCode(code);
      }
    } else {
      w = 2;
      let converted = SIMPLIFIED_OTHER.get(c);
      if (converted === undefined) {
        converted = convertChar(String.fromCodePoint(c));
        SIMPLIFIED_OTHER.set(c, converted);
      }
      if (converted === text.slice(i, i + 2)) {
        i += 2;
        continue;
      }
      s = converted;
    }
    out += text.slice(copied, i) + s;
    copied = i + w;
    i += w;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Simplified → Traditional (Hong Kong standard), character by character. */
export function toTraditional(text: string): string {
  return CN_TO_HK(text);
}

/** Han ideographs in the CJK blocks, including extension A and the Cantonese extension-B characters. */
export const HAN_RE = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u;

export function isHan(ch: string): boolean {
  return HAN_RE.test(ch);
}

/**
 * Counts characters that only occur in Traditional script and characters that only occur in
 * Simplified script, by comparing each Han character with its conversion both ways.
 */
export function countScriptMarkers(text: string): { traditional: number; simplified: number; han: number } {
  let traditional = 0;
  let simplified = 0;
  let han = 0;
  for (const ch of text) {
    if (!HAN_RE.test(ch)) continue;
    han++;
    let kind = SCRIPT_OF_CHAR.get(ch);
    if (kind === undefined) {
      const s = HK_TO_CN(ch);
      const t = CN_TO_HK(ch);
      kind = s !== undefined && s !== ch ? 1 : t !== undefined && t !== ch ? 2 : 0;
      SCRIPT_OF_CHAR.set(ch, kind);
    }
    if (kind === 1) traditional++;
    else if (kind === 2) simplified++;
  }
  return { traditional, simplified, han };
}

// 1 = Traditional-only, 2 = Simplified-only, 0 = shared; memoised per character.
const SCRIPT_OF_CHAR = new Map<string, number>();

/**
 * Traditional → Simplified that keeps every UTF-16 offset (one character in, one out), for
 * finding spans in a converted copy and mapping them back to the user's text.
 */
export function toSimplifiedSameLength(text: string): string {
  const converted = HK_TO_CN(text);
  if (converted.length === text.length) return converted;
  let out = '';
  for (const ch of text) {
    const c = ch.length === 1 ? HK_TO_CN(ch) : ch;
    out += c.length === ch.length ? c : ch;
  }
  return out;
}
