import { expect } from 'chai';
import { testRedisUrl } from '../support/test-redis.js';
import { eventually, startHarness, type Harness } from './harness.js';

const CANTONESE = (text: string) =>
  text === '張卡唔見咗，好擔心'
    ? { intent: 'bank.lost_card', sentiment: { score: -0.4, label: 'negative' as const, angry: false }, entities: [{ type: 'custom' as const, text: '卡', start: 1, end: 2, value: 'card' }] }
    : text === '我要搵真人'
      ? { intent: 'core.human' }
      : undefined;

describe('handoff end to end (BullMQ on Redis)', function () {
  this.timeout(30_000);
  let harness: Harness;
  afterEach(async () => harness?.close());

  it('Cantonese customer: asks for a person, pre-screened, queued, served by a Cantonese agent, then rates the help', async () => {
    harness = await startHarness({ redisUrl: testRedisUrl(), understand: CANTONESE });
    const { customers } = harness;
    await harness.say('may', '張卡唔見咗，好擔心');
    await harness.say('may', '我要搵真人');
    // The lost-card topic routes to the cards skill, which asks for the account type first.
    expect(customers.lines('may').at(-1)).to.equal('請問係儲蓄定支票戶口？');
    await harness.say('may', '唔知');
    expect(customers.lines('may').at(-1)).to.equal('唔好意思，格式好似唔啱。 請問係儲蓄定支票戶口？');
    await harness.say('may', '儲蓄');
    expect(customers.lines('may').slice(-2)).to.deep.equal([
      '我而家幫你轉駁真人客服，唔該等等。',
      '你而家排第 1 位，預計要等大約 3 分鐘。打「取消」或者「唔等喇」就可以唔再排隊。',
    ]);
    await harness.say('may', '仲要等幾耐？');

    // Agents without Cantonese get nothing; a Cantonese one gets it with everything the bot learned.
    const ann = await harness.agent('ann');
    expect((await ann.next()).status).to.equal(204);
    const li = await harness.agent('li');
    expect((await li.next()).status).to.equal(204);
    const kit = await harness.agent('kit');
    await kit.connect();
    const accepted = await kit.next();
    expect(accepted.status).to.equal(200);
    const { handoff, messages, assist } = accepted.body;
    expect(handoff.skill).to.equal('cards');
    expect(handoff.language).to.equal('zh-HK');
    expect(handoff.payload.reason).to.equal('explicit');
    expect(handoff.payload.slots).to.deep.equal({ accountType: '儲蓄' });
    expect(handoff.payload.intentsSeen).to.deep.equal(['bank.lost_card', 'core.human']);
    expect(handoff.payload.sentimentTrend).to.deep.equal([-0.4, 0]);
    expect(handoff.payload.summary.wants).to.equal('bank.lost_card');
    expect(handoff.payload.summary.lastMessage).to.equal('儲蓄');
    expect(handoff.payload.customer).to.include({ id: 'may', locale: 'zh-HK' });
    expect(handoff.payload.reference.conversation.id).to.equal('conv-may');
    expect(handoff.payload.transcript.map((t: { text: string }) => t.text)).to.include.members(['張卡唔見咗，好擔心', '請問係儲蓄定支票戶口？']);
    expect(messages.map((m: { text: string }) => m.text)).to.deep.equal(['仲要等幾耐？']);
    expect(assist.intent).to.equal('bank.lost_card');
    expect(handoff.priority).to.be.below(5);
    await customers.waitFor('may', '你而家同 Kit 傾緊偈。');

    // Agent replies; the customer gets it on their channel.
    const sent = await kit.send(handoff.id, '你好，我幫你即刻鎖咗張卡先。');
    expect(sent.status).to.equal(202);
    await customers.waitFor('may', '你好，我幫你即刻鎖咗張卡先。');
    await eventually(async () => (await kit.get(handoff.id)).body.messages.find((m: { id: string; delivery?: string }) => m.id === sent.body.messageId && m.delivery === 'delivered'));

    // The customer's answer reaches the agent live (WebSocket) and does not reach the dialogs.
    const before = customers.lines('may').length;
    await harness.say('may', '唔該晒');
    expect(customers.lines('may').length).to.equal(before);
    await kit.waitForEvent((e) => e.type === 'customer-message' && (e.message as { text: string }).text === '唔該晒');

    // Someone else cannot act on it.
    const sam = await harness.agent('sam');
    expect((await sam.send(handoff.id, 'hi')).status).to.equal(403);
    expect((await kit.call('POST', `/api/agent/handoffs/${handoff.id}/resolve`, {})).status).to.equal(400);

    // Resolve: the bot takes back and runs the CSAT survey.
    const resolved = await kit.call('POST', `/api/agent/handoffs/${handoff.id}/resolve`, { disposition: 'solved', note: 'card blocked' });
    expect(resolved.status).to.equal(200);
    await customers.waitFor('may', 'Kit 已經完咗今次對話。你會點樣評分？1（好差）至 5（好好）。');
    await harness.say('may', '好好');
    expect(customers.lines('may').at(-1)).to.equal('唔該覆 1 至 5 嘅數字。');
    await harness.say('may', '５');
    expect(customers.lines('may').at(-1)).to.equal('多謝！仲有冇嘢想補充？（冇嘅話打「唔使」）');
    await harness.say('may', '好快手，多謝');
    expect(customers.lines('may').at(-1)).to.equal('多謝你嘅意見！有需要隨時搵我。');
    expect(await harness.feature.service.mode).to.be.a('function');
    const csat = await harnessCsat(harness);
    expect(csat).to.deep.include({ handoffId: handoff.id, agentId: 'kit', skill: 'cards', score: 5, comment: '好快手，多謝' });
    // Back to the bot: the next message reaches the dialogs.
    await harness.say('may', 'hello');
    expect(customers.lines('may').at(-1)).to.not.equal('多謝你嘅意見！有需要隨時搵我。');
  });
});

async function harnessCsat(harness: Harness) {
  return (await harness.feature.csat.list())[0];
}
