import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { loadKnowledge } from '../../src/knowledge/index.js';
import { englishConcepts, chineseConcepts, lexiconKey, stemEnglish } from '../../src/nlu/lexicon.js';
import { NluEngine } from '../../src/nlu/nlu-engine.js';
import { normalizeForMatching } from '../../src/nlu/normalize.js';

const PACKS_DIR = fileURLToPath(new URL('../../knowledge/', import.meta.url));

describe('nlu on a small multilingual corpus (the content packs)', function () {
  this.timeout(60000);
  let engine: NluEngine;
  let corpus: Set<string>;

  before(async () => {
    const kb = await loadKnowledge({ dir: PACKS_DIR });
    const examples = kb.trainingExamples();
    corpus = new Set(examples.map((e) => e.text));
    engine = NluEngine.train(examples);
  });

  it('rejects gibberish and clearly out-of-domain requests in English and Chinese', () => {
    const outside = [
      'qwxz zzkj',
      'asdf jkl',
      'the purple elephant sings at midnight',
      "what's the capital of France",
      'play some jazz music',
      'who won the football match yesterday',
      '明天北京天气怎么样',
      '帮我放一首周杰伦的歌',
      '给我讲个笑话',
      '火星離地球有幾遠',
      '推薦一部電影俾我',
    ];
    for (const text of outside) {
      const p = engine.classify(text);
      expect(p.outOfScope, `${text} → ${p.topIntent} ${p.confidence}`).to.equal(true);
    }
  });

  it('answers paraphrases that are not in the corpus, across languages', () => {
    const paraphrases: [string, string][] = [
      ['my card was stolen', 'bank.lost_card'],
      ['我想查一下账户余额', 'bank.balance'],
      ['我想请病假', 'hr.sick_leave'],
      ['聽日想請病假', 'hr.sick_leave'],
      ['where can I park my car', 'visitor.parking'],
      ['停车场喺边度', 'visitor.parking'],
      ['我想轉人工', 'core.human'],
      ['what is the wifi password', 'visitor.wifi'],
    ];
    for (const [text, intent] of paraphrases) {
      expect(corpus.has(text), `${text} is in the corpus`).to.equal(false);
      const p = engine.classify(text);
      expect(p.outOfScope, `${text} rejected (${p.confidence} < ${engine.oosThreshold})`).to.equal(false);
      expect(p.intent, text).to.equal(intent);
    }
  });
});

describe('nlu bilingual lexicon', () => {
  const concepts = (text: string): number[] => {
    const out: number[] = [];
    const norm = normalizeForMatching(text);
    englishConcepts(norm.split(' ').filter((w) => /^[a-z]+$/u.test(w)).map((w) => lexiconKey(stemEnglish(w))), out);
    for (const run of norm.match(/\p{Script=Han}+/gu) ?? []) chineseConcepts(run, out);
    return [...new Set(out)].sort((a, b) => a - b);
  };

  it('gives English, Simplified, Traditional and Cantonese words of one meaning the same concept', () => {
    const balance = concepts('balance');
    expect(balance).to.have.length.greaterThan(0);
    expect(concepts('余额')).to.deep.equal(balance);
    expect(concepts('餘額')).to.deep.equal(balance);
    expect(concepts('sick leave')).to.include.members(concepts('病假'));
    expect(concepts('toilets')).to.deep.equal(concepts('洗手間'));
  });

  it('stems English plurals, -ing and -ed lightly', () => {
    expect(stemEnglish('transfers')).to.equal('transfer');
    expect(stemEnglish('policies')).to.equal('policy');
    expect(stemEnglish('parking')).to.equal('park');
    expect(stemEnglish('blocked')).to.equal('block');
    expect(stemEnglish('address')).to.equal('address');
    expect(stemEnglish('bus')).to.equal('bus');
  });
});
