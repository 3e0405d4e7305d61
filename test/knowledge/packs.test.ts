import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { loadKnowledge, type KnowledgeBase } from '../../src/knowledge/index.js';
import { detectLanguage, NluEngine } from '../../src/nlu/index.js';
import { PACKS_DIR } from './helpers.js';

const REQUIRED = ['en', 'zh-CN', 'zh-HK'] as const;
const CANTONESE = /[嘅咗唔係喺冇啲嚟咩點佢哋仲邊咁俾畀嘢㗎]/;
const MIN_INTENTS: Record<string, number> = { bank: 20, hr: 15, insurance: 10, visitor: 5, core: 5 };

/** Every object in a parsed YAML tree that is a localized text (has an `en` string). */
function localizedTexts(node: unknown, path: string, out: { path: string; value: Record<string, unknown> }[]): void {
  if (Array.isArray(node)) node.forEach((child, i) => localizedTexts(child, `${path}[${i}]`, out));
  else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (typeof record['en'] === 'string') out.push({ path, value: record });
    for (const [key, child] of Object.entries(record)) localizedTexts(child, `${path}.${key}`, out);
  }
}

describe('demo knowledge packs', () => {
  let kb: KnowledgeBase;
  before(async () => {
    kb = await loadKnowledge({ dir: PACKS_DIR });
  });

  it('give every intent examples in all four varieties (English, Mainland and Taiwan Mandarin, Cantonese)', () => {
    const varieties = new Map<string, Set<string>>();
    for (const example of kb.trainingExamples()) {
      const seen = varieties.get(example.intent) ?? new Set<string>();
      seen.add(detectLanguage(example.text).language);
      varieties.set(example.intent, seen);
    }
    const missing = [...varieties].filter(([, seen]) => seen.size < 4).map(([intent, seen]) => `${intent}: ${[...seen].join(', ')}`);
    expect(missing).to.deep.equal([]);
  });

  it('load the four demo packs and core, each with enough intents', () => {
    expect(kb.packs.map((p) => p.id)).to.have.members(['bank', 'core', 'hr', 'insurance', 'visitor']);
    for (const [pack, min] of Object.entries(MIN_INTENTS)) {
      expect(kb.intents.filter((i) => i.pack === pack).length, pack).to.be.at.least(min);
    }
    for (const pack of kb.packs.filter((p) => p.id !== 'core')) expect(pack.description, pack.id).to.match(/DEMO/);
  });

  it('give every intent at least 8 examples mixing English and Chinese (and Cantonese for the demo packs)', () => {
    const byIntent = new Map<string, string[]>();
    for (const example of kb.trainingExamples()) byIntent.set(example.intent, [...(byIntent.get(example.intent) ?? []), example.text]);
    for (const intent of kb.intents) {
      const examples = byIntent.get(intent.id) ?? [];
      expect(examples.length, intent.id).to.be.at.least(8);
      expect(examples.some((e) => /^[\x20-\x7e’]+$/.test(e)), `${intent.id} has English`).to.equal(true);
      expect(examples.some((e) => /\p{Script=Han}/u.test(e)), `${intent.id} has Chinese`).to.equal(true);
      if (intent.pack !== 'core') expect(examples.some((e) => CANTONESE.test(e)), `${intent.id} has Cantonese`).to.equal(true);
    }
  });

  it('write every answer, outcome, title and slot question in en, zh-CN and written-Cantonese zh-HK', async () => {
    for (const pack of kb.packs) {
      const folder = join(PACKS_DIR, pack.id);
      let zhHk = '';
      for (const name of (await readdir(folder)).filter((n) => n.endsWith('.yaml'))) {
        const texts: { path: string; value: Record<string, unknown> }[] = [];
        localizedTexts(parse(await readFile(join(folder, name), 'utf8')), name, texts);
        expect(texts.length, name).to.be.greaterThan(0);
        for (const { path, value } of texts) {
          for (const locale of REQUIRED) expect(value[locale], `${pack.id}/${path} ${locale}`).to.be.a('string').and.not.equal('');
          zhHk += String(value['zh-HK']);
        }
      }
      const cantoneseChars = [...zhHk].filter((ch) => CANTONESE.test(ch)).length;
      expect(cantoneseChars, `${pack.id} zh-HK reads as Cantonese`).to.be.greaterThan(5);
    }
    for (const intent of kb.intents) {
      for (const locale of ['en', 'zh-CN', 'zh-TW', 'zh-HK'] as const) expect(kb.title(intent.id, locale)).to.not.equal(intent.id);
    }
  });

  it('resolve every intent to a real answer (no raw keys or leftover placeholders) in all four locales', () => {
    const facts = { city: 'shenzhen', employeeType: 'foreign', site: 'hk-wan-chai', product: 'family-health', condition: 'flu', age: 7 };
    for (const intent of kb.intents) {
      for (const locale of ['en', 'zh-CN', 'zh-TW', 'zh-HK'] as const) {
        const resolution = kb.resolve({ intent: intent.id, locale, facts });
        expect(resolution.kind, intent.id).to.equal('answer');
        if (resolution.kind === 'answer') expect(resolution.text, `${intent.id} ${locale}`).to.not.match(/\{[A-Za-z]+\}|^\s*$/);
      }
    }
  });

  describe('NLU trained on all packs', () => {
    let nlu: NluEngine;
    before(function () {
      this.timeout(120_000);
      nlu = NluEngine.train(kb.trainingExamples(), { customLists: kb.customEntityLists() });
    });

    // Held-out phrasings: none of these is a training example.
    const HELD_OUT: readonly [string, string][] = [
      ['我唔記得咗張卡擺咗喺邊，好似唔見咗', 'bank.lost_card'],
      ['my debit card is missing, please block it', 'bank.lost_card'],
      ['开户要带什么证件', 'bank.account_opening'],
      ['有人冒充銀行打電話呃我錢', 'bank.fraud_report'],
      ['我想check下信用卡幾時要找數', 'bank.credit_card_bill'],
      ['上海的社保个人要交多少', 'hr.social_insurance'],
      ['how many days of annual leave after 12 years', 'hr.annual_leave'],
      ['我今個月嘅糧單喺邊度睇', 'hr.payslip'],
      ['my work permit expires next month, what do I do', 'hr.work_permit'],
      ['can the health plan for my 3 year old son cover flu', 'insurance.coverage'],
      ['危疾保險包唔包癌症㗎', 'insurance.coverage'],
      ['理赔要交哪些材料', 'insurance.claim_documents'],
      ['guest wifi 點連', 'visitor.wifi'],
      ['我想登記做訪客', 'visitor.registration'],
      ['I left my bag somewhere in the building', 'visitor.lost_property'],
      ['我想同真人講', 'core.human'],
      ['多謝你幫忙', 'core.thanks'],
    ];

    for (const [text, intent] of HELD_OUT) {
      it(`"${text}" → ${intent}`, () => {
        const result = nlu.classify(text);
        expect(result.topIntent, `${text} (${JSON.stringify(result.alternatives.slice(0, 3))})`).to.equal(intent);
      });
    }

    it('gives clearly out-of-scope messages a low confidence', () => {
      // The out-of-scope threshold is calibrated by the NLU on the corpus and moves with content edits,
      // so check the confidence itself.
      for (const text of ['帮我订一张机票', 'recommend a good restaurant', '講個笑話聽下']) expect(nlu.classify(text).confidence, text).to.be.below(0.3);
    });
  });
});
