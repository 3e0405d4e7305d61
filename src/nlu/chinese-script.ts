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

const SIMPLIFIED_CHAR = new Map<number, string>();

/**
 * Traditional → Simplified one character at a time, memoised per character: the fast path
 * used for matching (features), where a consistent mapping matters more than phrase context.
 */
export function toSimplifiedChars(text: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; ) {
    const c = text.codePointAt(i)!;
    const w = c > 0xffff ? 2 : 1;
    if (c >= 0x3400) {
      let s = SIMPLIFIED_CHAR.get(c);
      if (s === undefined) {
        const ch = String.fromCodePoint(c);
        const converted: string = HK_TO_CN(TW_TO_CN(ch)) ?? ch;
        SIMPLIFIED_CHAR.set(c, converted);
        s = converted;
      }
      if (s.length !== w || s !== text.slice(i, i + w)) {
        out += text.slice(copied, i) + s;
        copied = i + w;
      }
    }
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
