import { expect } from 'chai';
import { CannedResponses } from '../../src/agent/canned-responses.js';
import { KnowledgeAgentAssist } from '../../src/knowledge/knowledge-agent-assist.js';
import { AGENTS, eventually, startHarness, type Harness } from './harness.js';

const human = (text: string) => (/human|真人/.test(text) ? { intent: 'core.human' } : text.includes('lost my card') ? { intent: 'bank.lost_card' } : undefined);

describe('agent workspace API', function () {
  this.timeout(30_000);
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('holds an agent to their capacity and to "away", and lets them preview and accept only what they may take', async () => {
    const h = (harness = await startHarness({ understand: human, agents: AGENTS.map((a) => (a.id === 'ann' ? { ...a, capacity: 2 } : a)) }));
    for (const user of ['a1', 'a2', 'a3']) await h.say(user, 'human please', 'en');
    await h.say('c1', '我要真人');
    const ann = await h.agent('ann');
    const inbox = await ann.call('GET', '/api/agent/inbox');
    expect(inbox.body.capacity).to.equal(2);
    expect(inbox.body.waiting.map((w: { customer: string }) => w.customer)).to.deep.equal(['Customer a1', 'Customer a2', 'Customer a3']);
    const cantonese = (await h.agent('kit')).call('GET', '/api/agent/inbox');
    const mayNot = (await cantonese).body.waiting.find((w: { language: string }) => w.language === 'zh-HK').id;
    expect((await ann.call('GET', `/api/agent/waiting/${mayNot}`)).status).to.equal(404);
    expect((await ann.call('POST', `/api/agent/handoffs/${mayNot}/accept`)).status).to.equal(404);

    const a2 = inbox.body.waiting[1].id;
    const preview = await ann.call('GET', `/api/agent/waiting/${a2}`);
    expect(preview.status).to.equal(200);
    expect(preview.body.handoff.payload.transcript.map((t: { text: string }) => t.text)).to.include('human please');
    expect((await ann.call('POST', `/api/agent/handoffs/${a2}/accept`)).body.handoff.agentId).to.equal('ann');
    await ann.call('POST', '/api/agent/status', { state: 'away' });
    const away = await ann.next();
    expect([away.status, away.body.error.code]).to.deep.equal([409, 'HANDOFF_CONFLICT']);
    expect((await ann.call('GET', '/api/agent/inbox')).body.state).to.equal('away');
    expect((await ann.call('POST', '/api/agent/status', { state: 'gone' })).status).to.equal(400);
    await ann.call('POST', '/api/agent/status', { state: 'available' });
    expect((await ann.next()).status).to.equal(200);
    const full = await ann.next();
    expect(full.status).to.equal(409);
    expect(full.body.error.message).to.match(/capacity/);
    expect((await ann.call('GET', '/api/agent/inbox')).body.state).to.equal('busy');
    expect(await h.feature.queue.heldBy('ann')).to.have.length(2);
  });

  it('assigns waiting handoffs to an autoAssign agent while their console is connected, up to capacity', async () => {
    const h = (harness = await startHarness({ understand: human, agents: [{ id: 'ann', name: 'Ann', skills: ['general'], languages: ['en'], capacity: 2, autoAssign: true }] }));
    const ann = await h.agent('ann');
    await ann.connect();
    for (const user of ['b1', 'b2', 'b3']) await h.say(user, 'human please', 'en');
    await eventually(async () => (await h.feature.queue.heldBy('ann')).length === 2);
    await ann.waitForEvent((e) => e.type === 'assigned' && e.by === 'auto');
    expect(await h.feature.queue.waitingIds()).to.have.length(1);
  });

  it('keeps private notes with the handoff, redacted, never sent, shown to the next agent after a transfer, erased with the customer', async () => {
    const h = (harness = await startHarness({ understand: human }));
    await h.say('nia', 'human please', 'en');
    const ann = await h.agent('ann');
    const { body } = await ann.next();
    const id = body.handoff.id as string;
    const note = await ann.call('POST', `/api/agent/handoffs/${id}/notes`, { text: 'Wants a call on 9123 4567 about the card' });
    expect(note.status).to.equal(201);
    expect(note.body.note).to.deep.include({ from: 'note', by: 'ann', text: 'Wants a call on [PHONE] about the card' });
    expect((await ann.call('POST', `/api/agent/handoffs/${id}/notes`, { text: ' ' })).status).to.equal(400);
    const kit = await h.agent('kit');
    expect((await kit.call('POST', `/api/agent/handoffs/${id}/notes`, { text: 'mine?' })).status).to.equal(403);
    await ann.call('POST', `/api/agent/handoffs/${id}/transfer`, { skill: 'cards' });
    const next = await kit.next();
    expect(next.body.handoff.id).to.equal(id);
    expect(next.body.messages.filter((m: { from: string }) => m.from === 'note').map((m: { text: string }) => m.text)).to.deep.equal(['Wants a call on [PHONE] about the card']);
    expect(h.customers.lines('nia').join('\n')).not.to.include('Wants a call');
    await h.feature.eraseUser?.('nia');
    expect(await h.feature.queue.messages(id)).to.deep.equal([]);
    expect(await h.feature.queue.get(id)).to.equal(undefined);
  });

  it('shows intent titles in the agent\'s language, canned replies for the chat, and the customer\'s earlier conversations with CSAT', async () => {
    const h = (harness = await startHarness({
      understand: human,
      intentTitles: { 'bank.lost_card': { en: 'Lost or stolen card', 'zh-HK': '遺失或被盜信用卡' }, 'core.human': { en: 'Talk to a person', 'zh-HK': '搵真人' } },
      env: { HANDOFF_CANNED_RESPONSES_FILE: 'config/canned-responses.example.yaml' },
    }));
    await h.say('ivy', 'I lost my card', 'en');
    await h.say('ivy', 'human please', 'en');
    await h.say('ivy', 'savings', 'en'); // the cards skill's pre-screening question
    const kit = await h.agent('kit');
    const first = await kit.next();
    await kit.call('POST', `/api/agent/handoffs/${first.body.handoff.id}/resolve`, { disposition: 'solved' });
    await h.say('ivy', '5', 'en');
    await h.say('ivy', 'skip', 'en');
    await h.say('ivy', 'human please again', 'en');
    await h.say('ivy', 'current', 'en');
    const second = await kit.call('POST', '/api/agent/handoffs/next?lang=zh-HK');
    expect(second.body.labels.intents).to.deep.equal([
      { id: 'bank.lost_card', title: '遺失或被盜信用卡' },
      { id: 'core.human', title: '搵真人' },
    ]);
    expect(second.body.history).to.deep.equal([
      { id: first.body.handoff.id, createdAt: first.body.handoff.createdAt, skill: 'cards', state: 'resolved', agentId: 'kit', disposition: 'solved', wants: '遺失或被盜信用卡', csat: 5 },
    ]);
    // Titles in Chinese for the agent, the text in the customer's English, the customer's name filled in.
    expect(second.body.canned.find((c: { id: string }) => c.id === 'greeting')).to.deep.equal({ id: 'greeting', title: '問候', text: 'Hello Customer ivy, this is Kit. How can I help you today?' });
    expect(second.body.canned.map((c: { id: string }) => c.id)).to.include('card-locked');
    expect(second.body.labels.slots).to.deep.equal([{ id: 'accountType', label: 'accountType', value: 'current' }]);
    const english = await kit.call('GET', `/api/agent/handoffs/${second.body.handoff.id}?lang=en`);
    expect(english.body.labels.intents[0].title).to.equal('Lost or stolen card');
    // Without ?lang the agent's first language.
    expect((await kit.get(second.body.handoff.id)).body.labels.intents[0].title).to.equal('遺失或被盜信用卡');
  });
});

describe('supervisor API', function () {
  this.timeout(30_000);
  let harness: Harness | undefined;
  afterEach(async () => harness?.close());

  it('is for supervisors only, and reassigns only to an agent who speaks the customer\'s language', async () => {
    const h = (harness = await startHarness({ understand: human, agents: [...AGENTS, { id: 'boss', name: 'Boss', skills: ['general'], languages: ['en'], role: 'supervisor' }] }));
    await h.say('may', '我要真人');
    const kit = await h.agent('kit');
    const id = (await kit.next()).body.handoff.id as string;
    expect((await kit.call('GET', '/api/supervisor/floor')).status).to.equal(403);
    expect((await kit.call('POST', `/api/supervisor/handoffs/${id}/reassign`, { agentId: 'sam' })).status).to.equal(403);
    const boss = await h.agent('boss');
    const floor = await boss.call('GET', '/api/supervisor/floor');
    expect(floor.body.chats.map((c: { id: string; agentId: string }) => [c.id, c.agentId])).to.deep.equal([[id, 'kit']]);
    expect(floor.body.agents.find((a: { id: string }) => a.id === 'kit')).to.deep.include({ load: 1, capacity: 3, state: 'available' });
    expect(floor.body.agents.find((a: { id: string }) => a.id === 'li')).to.deep.include({ load: 0, state: 'offline' });
    expect((await boss.call('POST', `/api/supervisor/handoffs/${id}/reassign`, { agentId: 'li' })).status).to.equal(409);
    expect((await boss.call('POST', `/api/supervisor/handoffs/${id}/reassign`, { agentId: 'nobody' })).status).to.equal(400);
    const moved = await boss.call('POST', `/api/supervisor/handoffs/${id}/reassign`, { agentId: 'sam' });
    expect(moved.body.handoff.agentId).to.equal('sam');
    expect((await boss.call('GET', `/api/supervisor/handoffs/${id}`)).body.messages.map((m: { text: string }) => m.text)).to.deep.equal([]);
  });
});

describe('supervisor floor: callbacks', function () {
  this.timeout(30_000);
  let harness: Harness | undefined;
  afterEach(async () => harness?.close());

  it('lists callbacks not done, due once the skill\'s hours start again', async () => {
    let clock = Date.parse('2026-11-29T03:00:00Z'); // a Sunday in Hong Kong: the mortgage team is off
    const h = (harness = await startHarness({ understand: human, feature: { now: () => clock }, agents: [...AGENTS, { id: 'boss', name: 'Boss', skills: ['general'], languages: ['en'], role: 'supervisor' }] }));
    await h.customers.say('eve', 'mortgage please', 'en', async (context) => {
      await h.feature.service.request(context, { reason: 'topic', skill: 'mortgage' });
      await h.bot.conversationState.saveChanges(context);
    });
    await h.say('eve', 'yes', 'en');
    const boss = await h.agent('boss');
    const before = (await boss.call('GET', '/api/supervisor/floor')).body.callbacks;
    expect(before.map((c: { skill: string; due: boolean }) => [c.skill, c.due])).to.deep.equal([['mortgage', false]]);
    clock = Date.parse('2026-11-30T01:00:30Z'); // Monday 09:00:30 in Hong Kong: open
    const after = (await boss.call('GET', '/api/supervisor/floor')).body.callbacks;
    expect(after.map((c: { due: boolean }) => c.due)).to.deep.equal([true]);
    expect((await boss.call('POST', `/api/agent/callbacks/${after[0].id}/claim`)).status).to.equal(200);
    expect((await boss.call('POST', `/api/agent/callbacks/${after[0].id}/complete`, { disposition: 'called back' })).status).to.equal(200);
    expect((await boss.call('GET', '/api/supervisor/floor')).body.callbacks).to.deep.equal([]);
  });
});

describe('canned responses file', () => {
  it('offers responses by skill and language and fills the fields', () => {
    const canned = CannedResponses.parse('responses:\n  - id: hi\n    title: { en: Hi, zh-HK: 你好 }\n    skills: [cards]\n    text: { en: "Hi {customer.name}, {agent.name} of {skill}", zh-HK: "{customer.name}你好" }\n');
    const fields = { 'customer.name': 'May', 'agent.name': 'Kit', skill: 'Cards' };
    expect(canned.for('cards', 'en', 'zh-HK', fields)).to.deep.equal([{ id: 'hi', title: '你好', text: 'Hi May, Kit of Cards' }]);
    expect(canned.for('general', 'en', 'en', fields)).to.deep.equal([]);
    expect(canned.for('cards', 'zh-CN', 'en', fields)).to.deep.equal([]);
  });

  it('names the file and line of every mistake', () => {
    const source = 'responses:\n  - id: hi\n    title: Hi\n    text: { en: "Hi {customer.nme}" }\n  - id: hi\n    title: Again\n    text: { fr: "Salut" }\n';
    let message = '';
    try {
      CannedResponses.parse(source, 'canned.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.include('canned.yaml:4: responses.0.text.en: unknown field {customer.nme}');
    expect(message).to.match(/canned\.yaml:7: responses\.1\.text/);
    expect(message).to.include('canned.yaml:5: responses.1.id: duplicate id "hi"');
    expect(() => CannedResponses.parse('responses: [\n', 'broken.yaml')).to.throw(/broken\.yaml:\d+: YAML syntax/);
  });

  it('the example file is valid', () => {
    expect(CannedResponses.load('config/canned-responses.example.yaml').for('cards', 'zh-HK', 'en', { 'customer.name': 'May', 'agent.name': 'Kit', skill: '信用卡' }).map((c) => c.id)).to.include('card-locked');
  });
});

describe('knowledge agent assist', () => {
  it('suggests only from the conversation\'s packs or intents routed to its skill', async () => {
    const intents: Record<string, { pack: string; skill: string | undefined }> = {
      'hr.canteen': { pack: 'hr', skill: undefined },
      'bank.lost_card': { pack: 'bank', skill: 'cards' },
      'insurance.claim': { pack: 'insurance', skill: 'claims' },
    };
    const content = {
      current: () => ({
        nlu: { analyze: () => ({ intent: 'hr.canteen', confidence: 0.6, alternatives: [{ intent: 'bank.lost_card', confidence: 0.3 }, { intent: 'insurance.claim', confidence: 0.2 }], entities: [] }) },
        knowledge: {
          intent: (id: string) => intents[id],
          resolve: ({ intent, locale }: { intent: string; locale: string }) => ({ kind: 'answer', intent, answerId: intent, text: `${intent}@${locale}` }),
        },
      }),
    } as never;
    const assist = new KnowledgeAgentAssist(content);
    const bank = await assist.suggest({ text: 'lunch? my card', locale: 'zh-HK', scope: { packs: ['bank'], skill: 'general' } });
    expect(bank.map((s) => s.text)).to.deep.equal(['bank.lost_card@zh-HK']);
    const claims = await assist.suggest({ text: 'lunch? my card', locale: 'en', scope: { packs: [], skill: 'claims' } });
    expect(claims.map((s) => s.text)).to.deep.equal(['insurance.claim@en']);
  });
});
