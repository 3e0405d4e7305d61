import { expect } from 'chai';
import { eventually } from '../channels/support.js';
import { FakeWechatApi } from './fake-wechat-api.js';
import { OA, officialAccountEnv, signedQuery, startCarebot, textXml, type RunningCarebot } from './harness.js';

interface AgentResponse {
  readonly handoff?: { readonly id: string };
  readonly messageId?: string;
  readonly messages?: readonly { readonly id: string; readonly delivery?: string; readonly error?: string }[];
}

describe('WeChat Official Account: an agent reply goes through the customer-service API, its delivery tracked', () => {
  let api: FakeWechatApi;
  let bot: RunningCarebot | undefined;

  before(async () => {
    api = new FakeWechatApi();
    await api.start();
    bot = await startCarebot({
      ...officialAccountEnv(api.url),
      HANDOFF_AGENTS_FILE: 'config/agents.example.yaml',
      HANDOFF_OUTBOUND_BACKOFF_MS: '10',
      HANDOFF_POSITION_INTERVAL_MS: '600000',
    });
  });
  after(async () => {
    await bot?.close();
    await api?.close();
  });

  it('delivers the agent reply to the follower (marked delivered), and marks one WeChat refuses (45015) failed with its reason', async () => {
    const url = bot!.server.url;
    const response = await fetch(`${url}/webhooks/wechat-official?${signedQuery(OA.token)}`, { method: 'POST', body: textXml('o-human', 'I want to talk to a real person please', 'm-human-1') });
    expect(response.status).to.equal(200);
    await response.text();

    const login = await fetch(`${url}/api/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agentId: 'ann', password: 'change me' }) });
    expect(login.status).to.equal(200);
    const { token } = (await login.json()) as { token: string };
    const agent = async (method: string, path: string, body?: unknown) => {
      const answer = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: answer.status, body: (answer.status === 204 ? undefined : await answer.json()) as AgentResponse };
    };
    let next = await agent('POST', '/api/agent/handoffs/next');
    for (let tries = 0; next.status !== 200 && tries < 100; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      next = await agent('POST', '/api/agent/handoffs/next');
    }
    expect(next.status, 'the handoff reached the queue').to.equal(200);
    const handoffId = next.body.handoff!.id;
    const deliveryOf = async (messageId: string) => (await agent('GET', `/api/agent/handoffs/${handoffId}`)).body.messages!.find((m) => m.id === messageId);
    const waitForDelivery = async (messageId: string, state: string) => {
      let found = await deliveryOf(messageId);
      for (let tries = 0; found?.delivery !== state && tries < 200; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        found = await deliveryOf(messageId);
      }
      return found;
    };

    const sent = await agent('POST', `/api/agent/handoffs/${handoffId}/messages`, { text: 'Hi, I am Ann. How can I help?' });
    expect(sent.status).to.equal(202);
    await eventually(() => api.sentTo('o-human').includes('Hi, I am Ann. How can I help?'), 'the agent reply through /cgi-bin/message/custom/send');
    expect((await waitForDelivery(sent.body.messageId!, 'delivered'))?.delivery).to.equal('delivered');

    api.sendErrors.push(45015);
    const refused = await agent('POST', `/api/agent/handoffs/${handoffId}/messages`, { text: 'Are you still there?' });
    const failed = await waitForDelivery(refused.body.messageId!, 'failed');
    expect(failed?.delivery, 'WeChat refused it: not retried, shown as not delivered').to.equal('failed');
    expect(failed?.error).to.include('45015');
    expect(api.sentTo('o-human').filter((text) => text === 'Are you still there?'), 'tried once').to.have.length(1);
  });
});
