/**
 * Colloquial Hong Kong Cantonese → Mandarin equivalents, used for matching only (features,
 * gazetteers), never for what the user sees. Keys are Traditional or Cantonese-specific
 * characters as users type them; both scripts are listed where they differ.
 * Longest keys win (see `CANTONESE_KEYS`).
 */
export const CANTONESE_TO_MANDARIN: Readonly<Record<string, string>> = {
  唔該: '谢谢',
  唔該晒: '谢谢',
  唔该: '谢谢',
  多謝: '谢谢',
  點解: '为什么',
  点解: '为什么',
  點樣: '怎么样',
  点样: '怎么样',
  點算: '怎么办',
  乜嘢: '什么',
  咩嘢: '什么',
  邊度: '哪里',
  边度: '哪里',
  邊個: '谁',
  边个: '谁',
  邊間: '哪间',
  幾多: '多少',
  几多: '多少',
  幾時: '什么时候',
  几时: '什么时候',
  而家: '现在',
  宜家: '现在',
  依家: '现在',
  琴日: '昨天',
  尋日: '昨天',
  寻日: '昨天',
  聽日: '明天',
  听日: '明天',
  今日: '今天',
  屋企: '家',
  同埋: '和',
  冇: '没有',
  唔係: '不是',
  唔系: '不是',
  唔: '不',
  係咪: '是不是',
  系咪: '是不是',
  係: '是',
  喺度: '在这里',
  喺: '在',
  嘅: '的',
  咗: '了',
  啲: '些',
  佢哋: '他们',
  我哋: '我们',
  你哋: '你们',
  哋: '们',
  佢: '他',
  嚟: '来',
  睇: '看',
  畀: '给',
  俾: '给',
  搵: '找',
  揾: '找',
  諗: '想',
  谂: '想',
  攞: '拿',
  嗰: '那',
  呢個: '这个',
  呢个: '这个',
  呢度: '这里',
  嗰度: '那里',
  噉: '这样',
  咁: '这么',
  咩: '什么',
  乜: '什么',
  仲: '还',
  嘢: '东西',
  啱: '对',
  靚: '漂亮',
  靓: '漂亮',
  細佬: '弟弟',
  细佬: '弟弟',
  家姐: '姐姐',
  囡囡: '女儿',
  個女: '女儿',
  个女: '女儿',
  個仔: '儿子',
  个仔: '儿子',
  老豆: '爸爸',
  老竇: '爸爸',
  老母: '妈妈',
  埋單: '结账',
  埋单: '结账',
  返工: '上班',
  放工: '下班',
  收工: '下班',
  幾錢: '多少钱',
  几钱: '多少钱',
  幾耐: '多久',
  几耐: '多久',
  邊日: '哪天',
  边日: '哪天',
  呢排: '最近',
  頭先: '刚才',
  头先: '刚才',
  啱啱: '刚刚',
  唔使: '不用',
  唔洗: '不用',
  使唔使: '用不用',
  得唔得: '行不行',
  即係: '就是',
  即系: '就是',
  撳: '按',
  㩒: '按',
  揿: '按',
  閂: '关',
  闩: '关',
  碌卡: '刷卡',
  過數: '转账',
  过数: '转账',
  用晒: '用完',
  冇晒: '没有了',
  銀包: '钱包',
  银包: '钱包',
  返屋企: '回家',
  搞掂: '搞定',
  攰: '累',
  瞓: '睡',
  嬲: '生气',
  // protect Mandarin compounds that contain a character mapped above
  關係: '关系',
  联係: '联系',
  聯係: '联系',
  係數: '系数',
  仲裁: '仲裁',
  仲介: '中介',
  // verbs only mapped in clearly colloquial contexts
  唔識: '不会',
  識唔識: '会不会',
  食飯: '吃饭',
  食咗: '吃了',
  食乜: '吃什么',
  去食: '去吃',
  飲咗: '喝了',
  邊一: '哪一',
  // sentence-final particles carry tone, not meaning, for intent matching
  㗎: '',
  囉: '',
  啰: '',
  喎: '',
  嘞: '',
  啩: '',
  噃: '',
  吖: '',
};

/** Changes whenever the table does: features depend on it, so models trained with another are retrained. */
export function cantoneseFingerprint(): string {
  return JSON.stringify(CANTONESE_TO_MANDARIN);
}

export const CANTONESE_KEYS: readonly string[] = Object.keys(CANTONESE_TO_MANDARIN).sort(
  (a, b) => b.length - a.length,
);

const CANTONESE_RE = new RegExp(CANTONESE_KEYS.map(escapeRegExp).join('|'), 'gu');

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const FIRST_CHARS = new Set(CANTONESE_KEYS.map((k) => String.fromCodePoint(k.codePointAt(0)!)));

/** Cheap pre-check: false when no key of the Cantonese table can start anywhere in the text. */
export function mayContainCantonese(text: string): boolean {
  for (const ch of text) if (FIRST_CHARS.has(ch)) return true;
  return false;
}

/** Replaces colloquial Cantonese words with Mandarin equivalents (longest match first). */
export function cantoneseToMandarin(text: string): string {
  return text.replace(CANTONESE_RE, (m) => CANTONESE_TO_MANDARIN[m] ?? m);
}

/**
 * Characters and words that mark written colloquial Cantonese. Weight 2 for unambiguous
 * markers, 1 for ones that also occur in written Chinese (names, classical phrases).
 */
export const CANTONESE_MARKERS: Readonly<Record<string, number>> = {
  嘅: 2, 咗: 2, 唔: 2, 喺: 2, 冇: 2, 啲: 2, 佢: 2, 哋: 2, 嚟: 2, 嘢: 2, 睇: 2, 畀: 2, 俾: 1,
  搵: 2, 揾: 2, 諗: 2, 谂: 2, 攞: 2, 嗰: 2, 噉: 2, 咩: 2, 乜: 1, 㗎: 2, 囉: 2, 啰: 1, 喎: 2,
  嘞: 2, 啩: 2, 噃: 2, 咪: 1, 吖: 1, 啱: 2, 靚: 1, 攰: 2, 瞓: 2, 嬲: 2, 屋企: 2, 而家: 2,
  宜家: 2, 琴日: 2, 聽日: 2, 听日: 2, 係: 1, 系咪: 2, 點解: 2, 点解: 2, 邊度: 2, 边度: 2, 邊個: 2,
  边个: 2, 幾多: 1, 咁: 1, 仲: 1, 囡: 2, 埋單: 2, 返工: 2, 搞掂: 2, 唔該: 2, 唔该: 2, 呢個: 2,
  呢个: 2, 呢度: 2, 𠮶: 2, 啫: 2, 喇: 1, 咋: 1, 噶: 2, 嘥: 2, 揸: 1, 孭: 2, 冚: 2,
  老豆: 2, 老竇: 2, 細佬: 2, 家姐: 1, 食咗: 2, 唔係: 2,
  // "How" and "chat" in Cantonese; Mandarin writes 怎樣 and 聊: 點樣申請, 傾下計劃
  點樣: 2, 点样: 2, 點先: 2, 點做: 2, 點搞: 2, 傾下: 2, 倾下: 2, 傾吓: 2, 傾偈: 2, 倾偈: 2, 邊間: 2, 边间: 2, 邊位: 2, 边位: 2,
  // 晒 "all, completely" after a verb (Mandarin's 晒 is "to sun", as in 晒太阳): 多謝晒, 用晒
  謝晒: 2, 谢晒: 2, 用晒: 2, 食晒: 2, 做晒: 2, 完晒: 2, 晒喇: 2, 晒啦: 2,
  // Hong Kong vocabulary, also written in Hong Kong Mandarin ("每個月都出糧給我們"): weight 1
  幾時: 1, 几时: 1, 出糧: 1, 出粮: 1, 放工: 1, 今個: 2, 今个: 2,
};
