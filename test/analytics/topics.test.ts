import { expect } from 'chai';
import { AnalyticsQueries, csvField } from '../../src/analytics/analytics-queries.js';
import { testKeys } from './support.js';
import { KyselyAnalyticsStore } from '../../src/analytics/store/kysely-store.js';
import type { AnalyticsEvent } from '../../src/analytics/types.js';
import { topicTerms } from '../../src/analytics/topics/tokenize.js';
import { toSimplified } from '../../src/nlu/chinese-script.js';
import { parseCsv, parseLabelledCsv } from '../../src/nlu/csv.js';
import { lexicon } from '../../src/nlu/lexicon.js';
import { DAY, WEEK, WEEK_START } from './fixture-week.js';

const BACKGROUND = [
  ['en', 'my parcel delivery is late again'], ['en', 'the app keeps crashing when I log in'], ['zh-CN', '网络好慢啊'],
  ['en', 'where is my refund'], ['zh-HK', '個app成日死機'], ['en', 'can I change my password'], ['zh-TW', '我想問年假'],
  ['en', 'network signal is so slow at home'], ['zh-CN', '退款什么时候到'], ['en', 'delivery still late, courier never came'],
];
const BURST = [
  ['en', 'roaming charges too high'], ['en', 'Why are the roaming charges so high?'], ['en', 'roaming fee is too expensive'],
  ['zh-CN', '漫游费用太高'], ['zh-CN', '漫游费太贵了'], ['zh-CN', '为什么漫游收费这么贵'],
  ['zh-HK', '點解漫遊收費咁貴'], ['zh-HK', '漫遊費太貴啦'], ['zh-TW', '漫遊費用太高了'],
];

function turn(i: number, at: number, locale: string, text: string, negative = false): AnalyticsEvent {
  return {
    kind: 'turn', id: `t${i}`, at, channel: 'whatsapp', conversation: testKeys.conversation('whatsapp', `c${i}`), user: testKeys.user(`u${i}`), locale,
    language: null, intent: null, pack: null, confidence: 0.1, outOfScope: true, ambiguous: false, fallback: !negative,
    sentiment: negative ? -0.6 : 0, sentimentLabel: negative ? 'negative' : 'neutral', answerId: null, latencyMs: 50, mode: 'bot', text,
  };
}

describe('analytics: hot topics', () => {
  let store: KyselyAnalyticsStore;
  let queries: AnalyticsQueries;

  beforeEach(async () => {
    store = new KyselyAnalyticsStore({ sqliteFile: ':memory:' });
    const events: AnalyticsEvent[] = [];
    let i = 0;
    // Background complaints spread over the week (each said three times), a roaming burst on the last day.
    for (let day = 0; day < 6; day++) for (const [locale, text] of BACKGROUND) if ((i + day) % 2 === 0 || day < 3) events.push(turn(i++, WEEK_START + day * DAY + i * 1000, locale!, text!));
    for (const [locale, text] of BURST) for (let k = 0; k < 3; k++) events.push(turn(i++, WEEK_START + 6 * DAY + i * 60_000, locale!, text!, k === 2));
    const roamingConversation = (events.find((e) => e.kind === 'turn' && e.text.includes('漫遊費太貴啦')) as { conversation: string }).conversation;
    events.push({ kind: 'csat', id: 'csat-1', at: WEEK_START + 6 * DAY + 20 * 3_600_000, handoffId: 'h1', conversation: roamingConversation, user: testKeys.user('x'), channel: 'whatsapp', skill: 'billing', agentId: null, score: 1, comment: 'roaming bill way too expensive' });
    await store.write(events);
    queries = new AnalyticsQueries(store);
  });
  afterEach(async () => store?.close());

  it('puts a burst of "roaming charges too high" in three languages in one cluster with a sensible label, first and rising', async () => {
    const topics = await queries.topics(WEEK);
    const roaming = topics.filter((t) => t.messages.some((m) => /roaming|漫游|漫遊/.test(m.text)));
    expect(roaming, 'one roaming topic').to.have.length(1);
    const topic = roaming[0]!;
    expect(topic.size).to.be.at.least(BURST.length * 3);
    expect(topic.messages.every((m) => /roaming|漫游|漫遊/.test(m.text))).to.equal(true);
    expect(topic.label).to.match(/roaming/);
    expect(topic.label).to.match(/fee|expensive/);
    expect(Object.keys(topic.languages).sort()).to.deep.equal(['en', 'zh-CN', 'zh-HK', 'zh-TW']);
    expect(topic.trend).to.equal('new');
    expect(topic.daily.at(-1)!.count).to.equal(topic.size);
    expect(topic.csatAverage).to.equal(1);
    expect(topics[0]!.id, 'low CSAT first').to.equal(topic.id);
    expect(topic.examples.map((e) => e.locale)).to.include.members(['en', 'zh-CN', 'zh-HK']);
  });

  it('keeps unrelated complaints out of it, grouped by what they are about', async () => {
    const topics = await queries.topics(WEEK);
    const delivery = topics.find((t) => t.label.includes('delivery'));
    expect(delivery, 'a delivery topic').to.not.equal(undefined);
    expect(delivery!.messages.every((m) => m.text.includes('delivery'))).to.equal(true);
    expect(delivery!.trend).to.not.equal('new');
  });

  it('exports misunderstood messages grouped by cluster as CSV the NLU trainer reads once labelled', async () => {
    const csv = await queries.learningCsv(WEEK);
    const lines = csv.trim().split('\n');
    expect(lines[0]).to.equal('text,label,lang,cluster,source,count');
    expect(lines.some((l) => l.startsWith('roaming charges too high,,en,'))).to.equal(true);
    const records = parseCsv(csv);
    const labelled = records.map((r, i) => (i === 0 ? r.fields : [r.fields[0]!, 'telecom.roaming_fees', ...r.fields.slice(2)]).map(csvField).join(',')).join('\n');
    const rows = parseLabelledCsv(labelled, 'learning.csv');
    expect(rows.length).to.equal(records.length - 1);
    expect(rows.find((r) => r.text === '漫游费用太高')?.lang).to.equal('zh-CN');
  });
});

describe('analytics: topic terms', () => {
  it('maps complaint words of every variety to the NLU lexicon\'s concepts, phrases included', () => {
    expect(topicTerms('Why are the roaming charges so high?')).to.deep.equal(['roaming', 'fee', 'expensive']);
    expect(topicTerms('漫游费用太高')).to.deep.equal(['roaming', 'fee', 'expensive']);
    expect(topicTerms('點解漫遊收費咁貴')).to.deep.equal(['roaming', 'fee', 'expensive']);
    expect(topicTerms('the app keeps crashing, so slow')).to.deep.equal(['app', 'keep', 'problem', 'slow']);
  });

  it('uses no concept the NLU lexicon does not have', () => {
    const texts = ['my parcel delivery is late again', '網絡好慢啊', '个app成日死机', 'kept waiting an hour, then on hold', '客服等咗好耐', 'card was overcharged'];
    const known = new Set(lexicon().names);
    for (const text of texts) {
      for (const term of topicTerms(text)) if (!known.has(term) && !toSimplified(text.toLowerCase()).includes(term)) expect.fail(`${text}: ${term} is neither a lexicon concept nor a word of the text`);
    }
    expect(topicTerms('kept waiting an hour, then on hold')).to.include('wait');
  });
});
