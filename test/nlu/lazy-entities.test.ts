import { expect } from 'chai';
import { extractEntities, isFactEntity, MessageEntities } from '../../src/nlu/entities/extract-entities.js';
import { factEntitiesOf } from '../../src/nlu/lazy-entities.js';
import { NluEngine } from '../../src/nlu/nlu-engine.js';
import { normalizeForMatching } from '../../src/nlu/normalize.js';
import { analyzeSentiment } from '../../src/nlu/sentiment.js';
import type { CustomEntityList } from '../../src/nlu/types.js';

const reference = new Date('2025-03-10T09:00:00');
const conditions: CustomEntityList = { name: 'condition', values: { fever: ['fever', '發燒', '发烧'] } };

const MESSAGES = [
  'what time do branches open on Saturday?',
  'the purple elephant sings at midnight',
  '年假有几天',
  '我個女5歲，醫療保險包唔包發燒',
  'my son is 5 years old and lives in Shenzhen since 2020',
  '帮我订明天下午三点从上海到深圳的票，我女儿5岁',
  '我想轉一千五百蚊畀囡囡，聽日下晝三點，佢五歲，住喺灣仔',
  // A datetime (明天) overlaps the city 天津 and wins: the message states no place.
  '我明天津贴几多',
  'thanks',
];

describe('entities found when first read', () => {
  it('gives exactly the extraction it replaces: all entities, and the facts among them', () => {
    for (const text of MESSAGES) {
      const options = { customLists: [conditions], referenceDate: reference };
      const eager = extractEntities(text, options);
      expect(new MessageEntities(text, options).all, text).to.deep.equal(eager);
      expect(new MessageEntities(text, options).facts, text).to.deep.equal(eager.filter(isFactEntity));
    }
  });

  it('answers facts without the recognizers when the message names no fact, and with them when one could be overlapped', () => {
    const noFacts = new MessageEntities('what time do branches open on Saturday?', { referenceDate: reference });
    expect(noFacts.facts).to.deep.equal([]);
    expect(noFacts.recognizersRan).to.equal(false);
    expect(noFacts.all.map((e) => e.type)).to.include('datetime');
    expect(noFacts.recognizersRan).to.equal(true);

    const overlapped = new MessageEntities('我明天津贴几多', { referenceDate: reference });
    expect(overlapped.facts).to.deep.equal([]);
    expect(overlapped.recognizersRan).to.equal(true);
  });
});

describe('NluEngine.analyze entities', function () {
  this.timeout(30000);
  let engine: NluEngine;

  before(() => {
    engine = NluEngine.train(
      [
        { text: 'what time do you open', intent: 'hours' },
        { text: 'opening hours on saturday', intent: 'hours' },
        { text: '几点开门', intent: 'hours' },
        { text: 'does the insurance cover fever', intent: 'coverage' },
        { text: '医疗保险包不包发烧', intent: 'coverage' },
        { text: '醫療保險包唔包', intent: 'coverage' },
      ],
      { customLists: [conditions], calibrationFolds: 2, oosThreshold: 0 },
    );
  });

  it('runs no recognizer until the entities are read, then reads like a plain array', () => {
    const understanding = engine.analyze('what time do branches open on Saturday?');
    expect(Object.getOwnPropertyDescriptor(understanding, 'entities')?.get, 'entities are found when read').to.be.a('function');
    expect(factEntitiesOf(understanding)).to.deep.equal([]);
    const eager = extractEntities('what time do branches open on Saturday?', [conditions]);
    expect(understanding.entities.map((e) => [e.type, e.text])).to.deep.equal(eager.map((e) => [e.type, e.text]));
    expect(JSON.parse(JSON.stringify(understanding)).entities).to.deep.equal(JSON.parse(JSON.stringify(understanding.entities)));
    expect({ ...understanding }.entities).to.equal(understanding.entities);
  });

  it('keeps the facts of a message, with its custom lists, and lets a caller replace the entities', () => {
    const understanding = engine.analyze('我個女5歲，醫療保險包唔包發燒');
    expect(factEntitiesOf(understanding).map((e) => e.value)).to.deep.equal(['daughter', '5', 'fever']);
    understanding.entities = [];
    expect(understanding.entities).to.deep.equal([]);
    expect(factEntitiesOf(understanding)).to.deep.equal([]);
    expect(engine.analyze('thanks', { entities: false }).entities).to.deep.equal([]);
  });

  it('normalizes a message once for the classifier and sentiment, and keeps no text afterwards', () => {
    const text = '我個女5歲，醫療保險包唔包發燒';
    const nfkc = String.prototype.normalize;
    const count = (work: () => unknown): number => {
      let calls = 0;
      String.prototype.normalize = function (this: string, ...form: [string?]) {
        if (this === text) calls += 1;
        return nfkc.apply(this, form);
      };
      try {
        work();
      } finally {
        String.prototype.normalize = nfkc;
      }
      return calls;
    };
    const apart = count(() => engine.analyze(text, { sentiment: false })) + count(() => analyzeSentiment(text));
    expect(count(() => engine.analyze(text)), 'the sentiment reuses the classifier\'s normalized text').to.equal(apart - 1);
    expect(count(() => normalizeForMatching(text)), 'nothing is remembered after analyze').to.equal(1);
  });
});

