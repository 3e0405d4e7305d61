import { expect } from 'chai';
import { buildLemmaTable, chineseLemmas, dictionary, englishLemma, parseLemmaTable } from '../../src/nlu/dictionary.js';
import type { Dictionary } from '../../src/nlu/dictionary.js';
import { DEFAULT_FEATURE_CONFIG, featureHashes } from '../../src/nlu/features.js';
import { NluEngine } from '../../src/nlu/nlu-engine.js';
import { normalizeForMatching } from '../../src/nlu/normalize.js';

const lemmaNames = (dict: Dictionary, ids: readonly number[]): string[] => {
  const byId = new Map([...dict.lemmas].map(([name, id]) => [id, name]));
  return ids.map((id) => byId.get(id)!);
};

describe('nlu CC-CEDICT lemma dictionary', () => {
  it('builds the lemma table from dictionary entries: content words of the first senses, no surnames or variants', () => {
    const table = buildLemmaTable([
      { simplified: '余额', pinyin: 'yu2 e2', english: ['balance; remainder'] },
      { simplified: '王', pinyin: 'Wang2', english: ['surname Wang'] },
      { simplified: '王', pinyin: 'wang2', english: ['king or monarch; best or strongest of its type'] },
      { simplified: '着', pinyin: 'zhao2', english: ['variant of 著[zhu4]'] },
      { simplified: '告诉', pinyin: 'gao4 su5', english: ['to tell; to inform'] },
      { simplified: 'ATM机', pinyin: 'A T M ji1', english: ['ATM'] },
    ]);
    const lines = table.trim().split('\n');
    expect(lines).to.include('余额\tbalanc remainder');
    expect(lines).to.include('告诉\ttell inform');
    expect(lines.find((l) => l.startsWith('王\t'))).to.not.include('surname');
    expect(lines.some((l) => l.startsWith('着\t'))).to.equal(false);
    expect(lines.some((l) => l.startsWith('ATM'))).to.equal(false);
  });

  it('matches the jieba words and the longest dictionary words of a run, each lemma once', () => {
    const dict = parseLemmaTable('# comment\n信用\tcredit\n信用卡\tcredit card\n卡\tcard\n丢\tlose\n');
    // The greedy match takes 信用卡 (not 信用 + 卡), then 丢.
    const greedy: number[] = [];
    chineseLemmas('信用卡丢', [], greedy, dict);
    expect(lemmaNames(dict, greedy)).to.deep.equal(['credit', 'card', 'lose']);
    const withJieba: number[] = [];
    chineseLemmas('信用卡', ['信用', '卡'], withJieba, dict);
    expect(lemmaNames(dict, withJieba)).to.have.members(['credit', 'card']);
    expect(withJieba).to.have.length(2);
  });

  it('gives an English word and its Chinese translation (Simplified, Traditional, Cantonese) a shared lemma', () => {
    const dict = dictionary();
    const lemmasOf = (text: string): string[] => {
      const out: number[] = [];
      const norm = normalizeForMatching(text).replace(/ /gu, '');
      chineseLemmas(norm, [], out);
      return lemmaNames(dict, out);
    };
    expect(lemmasOf('余额')).to.include(englishLemma('balance'));
    expect(lemmasOf('餘額')).to.include(englishLemma('balance'));
    expect(lemmasOf('下雨')).to.include(englishLemma('rain'));
    expect(lemmasOf('音樂')).to.include(englishLemma('music'));
    expect(englishLemma('the')).to.equal('');
    // At the feature level: "weather" and 天气 share a hashed feature.
    const shared = featureHashes('weather', DEFAULT_FEATURE_CONFIG).filter((h) => featureHashes('天气', DEFAULT_FEATURE_CONFIG).includes(h));
    expect(shared).to.have.length.greaterThan(0);
  });

  it('lets English-only examples teach intents asked in Chinese, beyond the curated service lexicon', () => {
    const examples = [
      ['weather', ['what is the weather like today', 'will it rain tomorrow', 'is it going to be sunny this weekend', 'weather forecast for the week']],
      ['music', ['play some music', 'put on a song I like', 'I want to listen to music', 'play my favourite songs']],
      ['alarm', ['set an alarm for 7', 'wake me up with an alarm at six', 'I need an alarm clock for tomorrow', 'alarm at 8 am please']],
      ['joke', ['tell me a joke', 'say something funny', 'do you know any jokes', 'make me laugh']],
    ] as const;
    const engine = NluEngine.train(examples.flatMap(([intent, texts]) => texts.map((text) => ({ text, intent }))));
    for (const [text, intent] of [
      ['明天会下雨吗', 'weather'],
      ['我想听音乐', 'music'],
      ['帮我设个闹钟', 'alarm'],
      ['聽日會唔會落雨', 'weather'],
    ] as const) {
      expect(engine.classify(text).topIntent, text).to.equal(intent);
    }
  });
});
