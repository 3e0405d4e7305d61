import { expect } from 'chai';
import { detectLanguage } from '../../src/nlu/language-id.js';
import { normalizeForMatching } from '../../src/nlu/normalize.js';

describe('nlu normalization', () => {
  it('folds full-width characters and case', () => {
    expect(normalizeForMatching('ＨＥＬＬＯ　Ｗｏｒｌｄ１２３！')).to.equal('hello world123');
  });

  it('unifies Traditional and Simplified script', () => {
    expect(normalizeForMatching('請幫我查詢餘額')).to.equal(normalizeForMatching('请帮我查询余额'));
    expect(normalizeForMatching('裡面')).to.equal(normalizeForMatching('裏面'));
  });

  it('maps colloquial Cantonese to Mandarin for matching', () => {
    expect(normalizeForMatching('我唔滿意')).to.equal('我不满意');
    expect(normalizeForMatching('佢哋喺邊度')).to.equal('他们在哪里');
    expect(normalizeForMatching('我張卡唔見咗')).to.equal('我张卡不见了');
    // Service vocabulary: longer words win over their first character (啱啱 is not 啱 + 啱).
    expect(normalizeForMatching('頭先碌卡幾錢')).to.equal('刚才刷卡多少钱');
    expect(normalizeForMatching('啱啱過數，唔使等？')).to.equal('刚刚转账 不用等');
  });

  it('keeps Mandarin compounds that contain Cantonese marker characters', () => {
    expect(normalizeForMatching('我們的關係')).to.equal('我们的关系');
  });

  it('gives the same result on the ASCII fast path as the general path', () => {
    expect(normalizeForMatching("  Can't   find MY card!!  ")).to.equal('cant find my card');
    expect(normalizeForMatching("rock'n'roll_2nd-card 'quoted'")).to.equal('rocknroll 2nd card quoted');
    expect(normalizeForMatching("rock'n'roll_2nd-card 'quoted' é")).to.equal('rocknroll 2nd card quoted é');
  });

  it('drops punctuation and emoji without crashing', () => {
    expect(normalizeForMatching('余额??? 😡😡👍')).to.equal('余额');
    expect(normalizeForMatching("What's my balance?")).to.equal('whats my balance');
    expect(normalizeForMatching('')).to.equal('');
  });
});

describe('nlu language identification', () => {
  const cases: [string, string][] = [
    ['what is my balance', 'en'],
    ['余额?', 'zh-Hans'],
    ['餘額?', 'zh-Hant'],
    ['唔該', 'yue'],
    ['我張卡唔見咗', 'yue'],
    ['你喺度搵乜嘢呀？', 'yue'],
    ['请帮我设个闹钟', 'zh-Hans'],
    ['請幫我設定鬧鐘', 'zh-Hant'],
    ['我們的關係很好', 'zh-Hant'],
    // Hong Kong vocabulary: Cantonese in a short colloquial question, Mandarin in a written sentence
    ['幾時出糧', 'yue'],
    ['今個月人工幾多', 'yue'],
    ['每一個月都出糧給我們。', 'zh-Hant'],
  ];
  for (const [text, lang] of cases) {
    it(`labels "${text}" as ${lang}`, () => {
      expect(detectLanguage(text).language).to.equal(lang);
    });
  }

  it('flags code-mixed Chinese/English and keeps the Chinese variety', () => {
    const yue = detectLanguage('想check下我個bill，唔該');
    expect(yue).to.include({ language: 'yue', mixed: true });
    const hans = detectLanguage('帮我cancel这个plan');
    expect(hans).to.include({ language: 'zh-Hans', mixed: true });
    expect(detectLanguage('please check my 余额 for the savings account today').language).to.equal('en');
    // Cantonese grammar without particles: English verb + 下, possessive classifier 我個.
    expect(detectLanguage('想check下我個bill')).to.include({ language: 'yue', mixed: true });
    expect(detectLanguage('我个人认为可以').language).to.equal('zh-Hans');
    // Cantonese particles carry the sentence even when English words outnumber the characters.
    expect(detectLanguage('咩mode、mean、median？').language).to.equal('yue');
    expect(detectLanguage('hello there').mixed).to.equal(false);
  });
});
