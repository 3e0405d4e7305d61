import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { extractEntities, MessageEntities, needsRecognizers, recognizerNeeds, textWindows } from '../../src/nlu/entities/extract-entities.js';
import { analyzeSentiment } from '../../src/nlu/sentiment.js';
import { DEFAULT_RECOGNIZER_BUDGET_MS, type Entity } from '../../src/nlu/types.js';

const reference = new Date('2025-03-10T09:00:00');
// What the recognizers find, whatever the machine's load: the wall-time budget has tests of its own below.
const unhurried = { referenceDate: reference, recognizerBudgetMs: 60_000 };
const find = (es: Entity[], type: string): Entity | undefined => es.find((e) => e.type === type);

describe('nlu entities', () => {
  it('finds amounts, dates, ages, relations and places in English', () => {
    const es = extractEntities('my five-year-old daughter in Wan Chai needs $200 tomorrow at 3pm', unhurried);
    expect(find(es, 'age')).to.include({ value: '5', text: 'five-year-old' });
    expect(find(es, 'relation')).to.include({ value: 'daughter' });
    expect(find(es, 'place')).to.include({ value: 'hk-wan-chai', subtype: 'district', text: 'Wan Chai' });
    expect(find(es, 'amount')).to.include({ value: '200' });
    expect(find(es, 'datetime')?.value).to.equal('2025-03-11 15:00:00');
  });

  it('handles Simplified Mandarin', () => {
    const es = extractEntities('帮我订明天下午三点从上海到深圳的票，我女儿5岁', unhurried);
    expect(find(es, 'datetime')?.value).to.equal('2025-03-11 15:00:00');
    expect(es.filter((e) => e.type === 'place').map((e) => e.value)).to.deep.equal(['shanghai', 'shenzhen']);
    expect(find(es, 'relation')).to.include({ value: 'daughter', text: '女儿' });
    expect(find(es, 'age')).to.include({ value: '5' });
  });

  it('handles Traditional script and Cantonese forms', () => {
    const es = extractEntities('我想轉一千五百蚊畀囡囡，聽日下晝三點，佢五歲，住喺灣仔', unhurried);
    expect(find(es, 'amount')).to.include({ value: '1500', text: '一千五百蚊' });
    expect(find(es, 'relation')).to.include({ value: 'daughter', text: '囡囡' });
    expect(find(es, 'age')).to.include({ value: '5', text: '五歲' });
    expect(find(es, 'place')).to.include({ value: 'hk-wan-chai', text: '灣仔' });
    const dates = es.filter((e) => e.type === 'datetime');
    expect(dates.map((d) => d.value).join(' ')).to.contain('2025-03-11');
  });

  it('reports offsets into the original text', () => {
    const text = '住喺銅鑼灣';
    const [place] = extractEntities(text).filter((e) => e.type === 'place');
    expect(place).to.not.equal(undefined);
    expect(text.slice(place!.start, place!.end)).to.equal('銅鑼灣');
  });

  it('runs the slow number/date recognizers only when the text could contain a number, date or amount', () => {
    for (const text of ['I would like to check my account balance please', '我想查询一下我的账户余额', '幫我cancel個plan', '我張卡唔見咗']) {
      expect(needsRecognizers(text), text).to.equal(false);
    }
    for (const text of ['pay 20 dollars', 'next Friday', 'twenty bucks', 'on the first of May', '聽日', '三点', '一千蚊', '50%', '２０']) {
      expect(needsRecognizers(text), text).to.equal(true);
    }
    // Date words that mean something else do not start the date recognizer (~2 ms a call).
    for (const text of ['I am still waiting', '我一点都不明白', '部分退款', '什么时候到', '你的年纪']) {
      expect(recognizerNeeds(text).dates, text).to.equal(false);
    }
    for (const text of ['meet at 5 a.m.', 'at 7pm', '下个月', '三点半', '10天前', '周五', '今年', '下禮拜三', '聽日下晝']) {
      expect(recognizerNeeds(text).dates, text).to.equal(true);
    }
    // Without a trigger the places, relations and lists are still found.
    expect(find(extractEntities('my daughter lives in Sha Tin'), 'place')).to.include({ value: 'hk-sha-tin' });
  });

  it('runs on the patched Microsoft recognizers, whose memoized regexes give the same answers whatever came before', () => {
    // patches/README.md: without the patch every call recompiles the recognizers' regexes (3.5x slower).
    const bundle = readFileSync(createRequire(import.meta.url).resolve('@microsoft/recognizers-text-suite'), 'utf8');
    expect(bundle, 'npm ci runs patch-package (postinstall)').to.contain('RegExpUtility.nlbCache = new WeakMap()');
    const texts = ['next Friday at 3pm', '下个月五号', 'pay 20 dollars on the first of May', '聽日下晝三點', 'next Friday at 3pm'];
    const alone = texts.map((t) => JSON.stringify(extractEntities(t, unhurried)));
    const interleaved = [...texts].reverse().map((t) => JSON.stringify(extractEntities(t, unhurried))).reverse();
    expect(interleaved).to.deep.equal(alone);
    expect(alone[0]).to.equal(alone[4]);
    expect(find(extractEntities('下个月五号', unhurried), 'datetime')?.value).to.equal('2025-04-05');
  });

  it('matches caller-declared list entities across scripts and case', () => {
    const lists = [{ name: 'plan', values: { gold: ['gold plan', '金卡计划'] } }];
    expect(find(extractEntities('I want the GOLD PLAN', lists), 'custom')).to.include({ value: 'gold', subtype: 'plan' });
    expect(find(extractEntities('我想要金卡計劃', lists), 'custom')).to.include({ value: 'gold', text: '金卡計劃' });
    expect(extractEntities('nothing here', lists).filter((e) => e.type === 'custom')).to.have.length(0);
  });
});

describe('nlu sentiment', () => {
  it('labels polarity in English, Mandarin and Cantonese', () => {
    expect(analyzeSentiment('thanks, great service').label).to.equal('positive');
    expect(analyzeSentiment('服务很好，谢谢').label).to.equal('positive');
    expect(analyzeSentiment('好滿意，多謝晒').label).to.equal('positive');
    expect(analyzeSentiment('what is my balance').label).to.equal('neutral');
    expect(analyzeSentiment('查詢餘額').label).to.equal('neutral');
  });

  it('handles negation', () => {
    expect(analyzeSentiment('I am happy').label).to.equal('positive');
    expect(analyzeSentiment('I am not happy').label).to.equal('negative');
    expect(analyzeSentiment('滿意').label).to.equal('positive');
    expect(analyzeSentiment('唔滿意').label).to.equal('negative');
    expect(analyzeSentiment('服務唔錯').label).to.equal('positive');
  });

  it('flags anger and frustration', () => {
    for (const text of ['what the hell is going on', '垃圾服务', '嬲死', '我要投诉你哋', 'this is RIDICULOUS!!']) {
      const s = analyzeSentiment(text);
      expect(s.label, text).to.equal('negative');
      expect(s.angry, text).to.equal(true);
    }
    expect(analyzeSentiment('I am not happy').angry).to.equal(false);
  });
});

describe('extractEntities under a time budget', () => {
  const cpuMs = (work: () => unknown) => {
    const started = process.cpuUsage();
    work();
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000;
  };

  it('cuts the Microsoft recognizers off on input they are super-linear on (seconds before), within 250 ms of CPU', () => {
    extractEntities('warm up: tomorrow at 3pm, $5, 明天三点');
    for (const text of ['1/'.repeat(60), '1-'.repeat(300), '三点'.repeat(40), '1:'.repeat(60)]) {
      expect(cpuMs(() => extractEntities(text)), text.slice(0, 8)).to.be.below(250);
    }
  });

  it('tells when the budget stopped the recognizers, so a reply can say what it could not read', () => {
    const stopped = new MessageEntities(`I bought it 10 days ago ${'1/'.repeat(60)}`, { recognizerBudgetMs: 10 });
    expect(stopped.cutShort, 'before the entities are read').to.equal(false);
    expect(stopped.all.filter((entity) => entity.type === 'datetime')).to.deep.equal([]);
    expect(stopped.cutShort).to.equal(true);
    const finished = new MessageEntities('I bought it 10 days ago', unhurried);
    expect(finished.all.map((entity) => entity.type)).to.include('datetime');
    expect(finished.cutShort).to.equal(false);
  });

  it('leaves normal messages well inside the default budget, so they get everything the recognizers find', () => {
    const texts = [
      'my five-year-old daughter in Wan Chai needs $200 tomorrow at 3pm',
      '帮我订明天下午三点从上海到深圳的票，我女儿5岁',
      'I paid 1,299.50 HKD on 3 March and 10% more on the 2nd of April',
    ];
    // CPU time, not wall time: the budget is wall time, but a test on a busy machine must not depend on it.
    // The least of three: the process's CPU time also counts its other threads (garbage collection,
    // V8 compiling the recognizers' hot code in the background), which once took a run to 61 ms.
    for (const text of texts) {
      let found: Entity[] = [];
      const least = Math.min(...[1, 2, 3].map(() => cpuMs(() => (found = extractEntities(text, unhurried)))));
      expect(least, text).to.be.below(DEFAULT_RECOGNIZER_BUDGET_MS / 2);
      expect(found.length, text).to.be.above(2);
    }
  });

  it('reads long text in windows cut at sentence ends, with offsets into the original', () => {
    expect(textWindows('short', 256)).to.deep.equal([[0, 5]]);
    const text = `${'Pay $5 now. '.repeat(30)}Then 7 more.`;
    const windows = textWindows(text, 256);
    expect(windows[0]![0]).to.equal(0);
    expect(windows.at(-1)![1]).to.equal(text.length);
    for (const [start, end] of windows) expect(end - start).to.be.at.most(256);
    for (const [, end] of windows.slice(0, -1)) expect(text.slice(end - 1, end + 1)).to.equal('. ');
    const last = extractEntities(text, { recognizerBudgetMs: 60_000 }).filter((entity) => entity.type === 'number').at(-1)!;
    expect(text.slice(last.start, last.end)).to.equal('7');
  });
});

describe('extractEntities robustness', () => {
  it('survives inputs the Microsoft Chinese date parser crashes on', () => {
    expect(() => extractEntities('我10天前买的保险', { referenceDate: new Date('2026-11-25') })).to.not.throw();
  });
});
