/**
 * Words that Taiwan writes and Hong Kong does not (Hong Kong's word in the comment), so
 * Traditional text that uses one is Taiwanese Mandarin rather than Hong Kong written Chinese.
 * Words both places use (資訊, 影片, 薪水) are left out on purpose: plain Traditional text
 * says nothing about where its writer is.
 */
const TAIWAN_WORDS = [
  '計程車', // 的士
  '捷運', // 港鐵
  '軟體', // 軟件
  '網路', // 網絡
  '滑鼠', // 滑鼠標 / 鼠標
  '印表機', // 打印機
  '健保', // 醫保
  '勞保',
  '勞退',
  '身分證', // 身份證
  '台幣',
  '臺幣',
  '台灣',
  '臺灣',
  '台北',
  '臺北',
  '高雄',
  '悠遊卡', // 八達通
  '簡訊', // 短訊
  '便利商店', // 便利店
  '提款機', // 櫃員機
  '提款卡',
  '金融卡',
  '統一編號',
  '統一發票',
  '機車行',
  '年終獎金', // 雙糧
  '行動電話', // 手提電話
  '部落格',
  '影印機',
  '早餐店',
  '郵遞區號',
];

const TAIWAN_RE = new RegExp(TAIWAN_WORDS.join('|'), 'u');

/** True when the text uses a word only Taiwan writes. */
export function hasTaiwanVocabulary(text: string): boolean {
  return TAIWAN_RE.test(text);
}
