import { expect } from 'chai';
import { extractEntities } from '../../src/nlu/index.js';
import { factsFromEntities, loadKnowledge, type KnowledgeBase, type Resolution } from '../../src/knowledge/index.js';
import { PACKS_DIR } from './helpers.js';

function answer(resolution: Resolution): Extract<Resolution, { kind: 'answer' }> {
  if (resolution.kind !== 'answer') throw new Error(`expected an answer, got ${JSON.stringify(resolution)}`);
  return resolution;
}

describe('knowledge resolution', () => {
  let kb: KnowledgeBase;
  before(async () => {
    kb = await loadKnowledge({ dir: PACKS_DIR });
  });

  describe('variants by identity and location (HR social insurance)', () => {
    it('gives a local employee in Shanghai and a foreign employee in Shenzhen different answers', () => {
      const shanghai = answer(kb.resolve({ intent: 'hr.social_insurance', locale: 'en', facts: { city: 'shanghai', employeeType: 'local' } }));
      const shenzhen = answer(kb.resolve({ intent: 'hr.social_insurance', locale: 'en', facts: { city: 'shenzhen', employeeType: 'foreign' } }));
      expect(shanghai.answerId).to.equal('hr.social_insurance#shanghai-local');
      expect(shanghai.text).to.match(/^Shanghai, local employee/);
      expect(shenzhen.answerId).to.equal('hr.social_insurance#shenzhen-foreign');
      expect(shenzhen.text).to.match(/^Shenzhen, foreign employee/);
      expect(shenzhen.related).to.deep.equal(['hr.housing_fund', 'hr.payslip', 'hr.tax']);
      const zhHk = answer(kb.resolve({ intent: 'hr.social_insurance', locale: 'zh-HK', facts: { city: 'shenzhen', employeeType: 'foreign' } }));
      expect(zhHk.text).to.match(/^深圳外籍員工/).and.to.match(/[嘅咗唔係喺]/);
    });

    it('asks for the city with choices when it is unknown, then for the employee type', () => {
      const ask = kb.resolve({ intent: 'hr.social_insurance', locale: 'zh-HK', facts: { employeeType: 'local' } });
      expect(ask).to.deep.include({ kind: 'ask', slot: 'city', question: '你喺邊個城市嘅廠返工？' });
      if (ask.kind !== 'ask') return;
      expect(ask.choices.map((c) => c.value)).to.deep.equal(['shanghai', 'beijing', 'shenzhen', 'guangzhou', 'wuhan']);
      expect(ask.choices[3]).to.deep.equal({ value: 'guangzhou', title: '廣州' });
      const next = kb.resolve({ intent: 'hr.social_insurance', locale: 'en', facts: { city: 'wuhan' } });
      expect(next).to.deep.include({ kind: 'ask', slot: 'employeeType' });
    });

    it('picks the most specific matching variant and never one that conflicts with known facts', () => {
      // A foreign employee in Beijing: the city+type variant, not the city-only or type-only ones.
      expect(answer(kb.resolve({ intent: 'hr.housing_fund', locale: 'en', facts: { city: 'shenzhen', employeeType: 'foreign' } })).answerId).to.equal('hr.housing_fund#shenzhen-foreign');
      // No Beijing+foreign variant: the type-only variant (one matching condition) beats the default.
      const beijing = answer(kb.resolve({ intent: 'hr.housing_fund', locale: 'en', facts: { city: 'beijing', employeeType: 'foreign' } }));
      expect(beijing.answerId).to.equal('hr.housing_fund#foreign');
      expect(beijing.text).to.contain('Foreign employees in Beijing');
      // A city outside the choices gets the default, with the city filled in.
      const other = answer(kb.resolve({ intent: 'hr.social_insurance', locale: 'zh-CN', facts: { city: 'hangzhou', employeeType: 'local' } }));
      expect(other.answerId).to.equal('hr.social_insurance#default');
      // Optional facts: known city picks a variant without asking; unknown city gives the default.
      expect(answer(kb.resolve({ intent: 'hr.marriage_leave', locale: 'en', facts: { city: 'beijing' } })).answerId).to.equal('hr.marriage_leave#beijing');
      expect(answer(kb.resolve({ intent: 'hr.marriage_leave', locale: 'en', facts: {} })).answerId).to.equal('hr.marriage_leave#default');
      // A list condition (city in [shenzhen, guangzhou]).
      expect(answer(kb.resolve({ intent: 'hr.maternity_leave', locale: 'en', facts: { city: 'guangzhou' } })).text).to.match(/^Guangdong \(Guangzhou\): 178 days/);
    });

    it('derives zh-TW from zh-CN with OpenCC when the content has none', () => {
      const zhCn = answer(kb.resolve({ intent: 'hr.social_insurance', locale: 'zh-CN', facts: { city: 'shanghai', employeeType: 'local' } }));
      const zhTw = answer(kb.resolve({ intent: 'hr.social_insurance', locale: 'zh-TW', facts: { city: 'shanghai', employeeType: 'local' } }));
      expect(zhCn.text).to.match(/^上海本地员工：个人缴纳/);
      expect(zhTw.text).to.match(/^上海本地員工：個人繳納/);
      expect(kb.title('hr.housing_fund', 'zh-TW')).to.equal('住房公積金');
      // An explicit zh-TW in the content wins.
      expect(answer(kb.resolve({ intent: 'core.greeting', locale: 'zh-TW', facts: {} })).text).to.equal('您好！請問有什麼可以幫您？');
    });

    it('maps the NLU entities of a message straight onto facts', () => {
      const lists = kb.customEntityLists();
      const facts = factsFromEntities(extractEntities('我係外籍員工，喺深圳返工，社保點供？', { customLists: lists }));
      expect(facts).to.deep.include({ city: 'shenzhen', employeeType: 'foreign' });
      expect(answer(kb.resolve({ intent: 'hr.social_insurance', locale: 'zh-HK', facts })).answerId).to.equal('hr.social_insurance#shenzhen-foreign');
      expect(factsFromEntities(extractEntities('I am at Wan Chai, where is the lift?', { customLists: lists }))).to.deep.include({ site: 'hk-wan-chai' });
    });

    it('routes handoff intents with their skill and strips markdown for speech', () => {
      const fraud = answer(kb.resolve({ intent: 'bank.fraud_report', locale: 'en', facts: {} }));
      expect(fraud).to.deep.include({ handoff: true, skill: 'fraud' });
      expect(answer(kb.resolve({ intent: 'core.human', locale: 'zh-HK', facts: {} }))).to.deep.include({ handoff: true, skill: 'general' });
      expect(kb.resolve({ intent: 'bank.nope', locale: 'en', facts: {} })).to.deep.equal({ kind: 'unknown', intent: 'bank.nope' });
    });

    it('varies visitor answers by the kiosk site', () => {
      const wanChai = answer(kb.resolve({ intent: 'visitor.wifi', locale: 'en', facts: { site: 'hk-wan-chai' } }));
      const shaTin = answer(kb.resolve({ intent: 'visitor.wifi', locale: 'en', facts: { site: 'hk-sha-tin' } }));
      expect(wanChai.text).to.contain('DemoGuest-HT');
      expect(shaTin.text).to.contain('DemoGuest-ST');
      expect(kb.resolve({ intent: 'visitor.wifi', locale: 'en', facts: {} })).to.deep.include({ kind: 'ask', slot: 'site' });
    });

    it('lists top topics across packs for help, without core and handoff intents', () => {
      const top = kb.topIntents(8).map((intent) => intent.id);
      expect(top).to.have.length(8);
      expect(top.slice(0, 4).map((id) => id.split('.')[0])).to.have.members(['bank', 'hr', 'insurance', 'visitor']);
      expect(top.some((id) => id.startsWith('core.') || id === 'bank.fraud_report')).to.equal(false);
    });
  });

  describe('insurance coverage reasoner', () => {
    const ask = (facts: Record<string, string | number>, locale: 'en' | 'zh-CN' | 'zh-HK' = 'en') =>
      answer(kb.resolve({ intent: 'insurance.coverage', locale, facts }));

    it('answers the 5-year-old daughter with a fever from the question itself, with the reason, in three languages', () => {
      const question = 'can the health policy for my 5-year-old daughter claim for a fever?';
      const facts = factsFromEntities(extractEntities(question, { customLists: kb.customEntityLists() }));
      expect(facts).to.deep.include({ product: 'family-health', condition: 'fever', age: '5', relation: 'daughter' });
      const en = ask(facts);
      expect(en.answerId).to.equal('insurance.coverage#covered');
      expect(en.text).to.equal('Yes: Family Health Plan covers fever under its outpatient benefit for ages 0–17, after the 30-day waiting period.');
      expect(ask(facts, 'zh-CN').text).to.equal('可以：家庭健康保的门诊保障涵盖发烧，适用于 0–17 岁，30 天等待期后即可理赔。');
      expect(ask(facts, 'zh-HK').text).to.equal('可以：家庭健康保嘅門診保障包發燒，適用於 0 至 17 歲，過咗 30 日等候期就可以索償。');
      const cantonese = factsFromEntities(extractEntities('我個女5歲，份醫療保險包唔包發燒？', { customLists: kb.customEntityLists() }));
      expect(cantonese).to.deep.include({ product: 'family-health', condition: 'fever', age: '5' });
    });

    it('says "not yet" inside the waiting period, with the days left', () => {
      const facts = { product: 'family-health', condition: 'fever', age: 5, policyDays: 12 };
      expect(ask(facts).answerId).to.equal('insurance.coverage#waiting');
      expect(ask(facts).text).to.match(/^Not yet: .* 30-day waiting period\. .*in 18 days\.$/);
      expect(ask(facts, 'zh-CN').text).to.match(/^暂时还不行：.*18 天后才可理赔。$/);
      expect(ask(facts, 'zh-HK').text).to.match(/^暫時未得：.*再過 18 日先可以索償。$/);
      expect(ask({ ...facts, policyDays: 45 }).answerId).to.equal('insurance.coverage#covered');
    });

    it('says "no" for an exclusion, and why', () => {
      const facts = { product: 'family-health', condition: 'cosmetic-surgery', age: 30 };
      expect(ask(facts).text).to.equal('No: cosmetic surgery counts as cosmetic treatment, which Family Health Plan excludes.');
      expect(ask(facts, 'zh-CN').text).to.equal('不可以：整形手术属于美容治疗，是家庭健康保的除外责任。');
      expect(ask(facts, 'zh-HK').text).to.equal('唔得：整容手術屬於美容治療，係家庭健康保嘅不保事項。');
      expect(ask({ product: 'travel-guard', condition: 'skiing-injury', age: 40 }).answerId).to.equal('insurance.coverage#excluded');
    });

    it('says "no" when the age is outside the range', () => {
      expect(ask({ product: 'family-health', condition: 'fever', age: 30 }).text).to.equal(
        'No: Family Health Plan covers fever under its outpatient benefit only for ages 0–17, and the insured person is 30.',
      );
      expect(ask({ product: 'critical-illness', condition: 'cancer', age: 10 }, 'zh-HK').text).to.match(/^唔得：危疾保障嘅危疾保障只係適用於 18 至 60 歲，受保人 10 歲/);
      expect(ask({ product: 'critical-illness', condition: 'cancer', age: 40 }).text).to.match(/^Yes: CI Protect covers cancer .* ages 18–60, after the 90-day waiting period\.$/);
    });

    it('answers accidents from day one and says "no" when the product has no such benefit', () => {
      expect(ask({ product: 'family-health', condition: 'fracture', age: 8 }).answerId).to.equal('insurance.coverage#covered_no_wait');
      expect(ask({ product: 'travel-guard', condition: 'tooth-filling', age: 20 }).text).to.equal('No: Travel Guard has no dental benefit, so a tooth filling is not covered.');
    });

    it('asks for what it needs: the product (choices from the graph), the condition, the age', () => {
      const product = kb.resolve({ intent: 'insurance.coverage', locale: 'zh-HK', facts: {} });
      expect(product).to.deep.include({ kind: 'ask', slot: 'product' });
      if (product.kind === 'ask') expect(product.choices.map((c) => c.value)).to.deep.equal(['family-health', 'critical-illness', 'travel-guard', 'personal-accident']);
      const age = kb.resolve({ intent: 'insurance.coverage', locale: 'en', facts: { product: 'family-health', condition: 'flu' } });
      expect(age).to.deep.include({ kind: 'ask', slot: 'age', entity: 'age', question: 'How old is the insured person?' });
      if (age.kind === 'ask') expect(age.choices).to.deep.equal([]);
    });
  });
});
