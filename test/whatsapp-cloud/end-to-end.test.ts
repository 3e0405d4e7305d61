import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { sign } from '../../adapters/whatsapp-cloud/signature.js';
import type { CloudWebhook } from '../../adapters/whatsapp-cloud/webhook-types.js';
import type { WhatsappCloudChannel } from '../../adapters/whatsapp-cloud/whatsapp-cloud-channel.js';
import { createCarebot, type Carebot } from '../../src/app.js';
import { getChannelIdentity } from '../../src/channels/channel-identity.js';
import { loadConfig } from '../../src/config.js';
import { listen, type RunningServer } from '../../src/http/http-server.js';
import { eventually } from '../channels/support.js';
import { logPseudonyms } from '../../src/logger.js';
import { memoryLogger } from '../support/silent-logger.js';
import { startFakeGraphApi, shownText, type FakeGraphApi, type GraphCall } from './fake-graph-api.js';
import { cloudFixture } from './fixtures.js';

/** What the agent API answers, as far as these tests read it. */
interface AgentResponse {
  readonly handoff?: { readonly id: string };
  readonly messageId?: string;
  readonly messages?: readonly { readonly id: string; readonly delivery?: string; readonly error?: string }[];
}

const APP_SECRET = 'test-app-secret';
const VERIFY_TOKEN = 'test-verify-token';
const PHONE_NUMBER_ID = '106540352242922';
const AGENT_PASSWORD = 'change me';
const ADMIN_TOKEN = 'test-admin-token-0123456789';
const HASH_SECRET = 'test-analytics-hash-secret-0123456789abcdef';

/** A fixture's message with another text and id: one customer, many messages. */
function textWebhook(fixture: string, text: string, id: string): CloudWebhook {
  const body = structuredClone(cloudFixture(fixture)) as unknown as { entry: { changes: { value: { messages: Record<string, unknown>[] } }[] }[] };
  const message = body.entry[0]!.changes[0]!.value.messages[0]!;
  message.id = id;
  message.text = { body: text };
  return body as unknown as CloudWebhook;
}

function statusWebhook(status: 'sent' | 'delivered' | 'read' | 'failed', wamid: string): CloudWebhook {
  const body = structuredClone(cloudFixture(status === 'failed' ? 'status-failed' : 'status-delivered')) as unknown as { entry: { changes: { value: { statuses: Record<string, unknown>[] } }[] }[] };
  const entry = body.entry[0]!.changes[0]!.value.statuses[0]!;
  entry.id = wamid;
  entry.status = status;
  return body as unknown as CloudWebhook;
}

describe('WhatsApp Cloud API end to end (signed webhooks in, fake Graph API out)', function () {
  this.timeout(30_000);
  let graph: FakeGraphApi | undefined;
  let carebot: Carebot | undefined;
  let running: RunningServer | undefined;
  let log: ReturnType<typeof memoryLogger>;
  const turns: string[] = [];
  const phones: (string | undefined)[] = [];

  before(async () => {
    graph = await startFakeGraphApi();
    log = memoryLogger('info');
    carebot = await createCarebot(
      loadConfig({
        NODE_ENV: 'test',
        KNOWLEDGE_WATCH: 'false',
        WHATSAPP_CLOUD_VERIFY_TOKEN: VERIFY_TOKEN,
        WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
        WHATSAPP_CLOUD_ACCESS_TOKEN: 'test-access-token',
        WHATSAPP_CLOUD_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
        WHATSAPP_CLOUD_API_BASE_URL: graph.url,
        WHATSAPP_CLOUD_TEMPLATE_NAME: 'agent_reply',
        WHATSAPP_CLOUD_TEMPLATE_LANGUAGES: 'en=en_US',
        WHATSAPP_CLOUD_RETRY_BASE_MS: '1',
        HANDOFF_AGENTS_FILE: 'config/agents.example.yaml',
        ADMIN_TOKEN: ADMIN_TOKEN,
        HANDOFF_OUTBOUND_BACKOFF_MS: '10',
        HANDOFF_POSITION_INTERVAL_MS: '600000',
        ANALYTICS_HASH_SECRET: HASH_SECRET,
      }),
      { logger: log.logger },
    );
    carebot.bot.late.use({
      onTurn: async (context, next) => {
        if (context.activity.type === 'message') {
          turns.push(context.activity.text ?? '');
          phones.push(getChannelIdentity(context)?.phone);
        }
        const text = context.activity.text;
        if (text === 'show choices' || text === 'show many') {
          const titles = text === 'show choices' ? ['Balance', 'Transfer money'] : ['Balance', 'Transfer money', 'Lost card', 'Opening hours', 'Branches'];
          // The values are what a tap sends back (button-reply.json taps "transfer").
          const value = (title: string) => (title === 'Transfer money' ? 'transfer' : title.toLowerCase().replace(/ /g, '-'));
          await context.sendActivity({
            text: 'What would you like to do?',
            suggestedActions: { to: [], actions: titles.map((title) => ({ type: 'imBack', title, value: value(title) })) },
          } as Partial<Activity>);
          return;
        }
        if (text === 'transfer') {
          await context.sendActivity('You picked: transfer');
          return;
        }
        await next();
      },
    });
    await carebot.start();
    running = await listen(carebot.app, '127.0.0.1', 0);
  });
  after(async () => {
    await running?.close(1000);
    await carebot?.close();
    await graph?.close();
  });

  const channel = () => carebot!.channels.get('whatsapp-cloud') as WhatsappCloudChannel;

  /** Posts `body` signed with the app secret, or with `signature` (null: none). */
  async function post(body: CloudWebhook, signature: string | null = sign(JSON.stringify(body), APP_SECRET)): Promise<number> {
    const response = await fetch(`${running!.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
      body: JSON.stringify(body),
    });
    return response.status;
  }

  async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function nextCallTo(waId: string, after: number, matching: (call: GraphCall) => boolean = () => true): Promise<GraphCall> {
    const found = () => graph!.calls.slice(after).find((call) => call.body.to === waId && matching(call));
    await eventually(() => found() !== undefined, `a message to ${waId}`).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; sent: ${JSON.stringify(graph!.calls.slice(after).map(shownText))}`);
    });
    return found()!;
  }

  it('answers Meta\'s webhook verification with the challenge, and refuses a wrong verify token', async () => {
    const ok = await fetch(`${running!.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).to.equal(200);
    expect(await ok.text()).to.equal('1158201444');
    const wrong = await fetch(`${running!.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444`);
    expect(wrong.status).to.equal(403);
    const admin = await fetch(`${running!.url}/admin/channels.json`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const { channels } = (await admin.json()) as { channels: { channelId: string; state: string; detail?: string }[] };
    expect(channels.find((status) => status.channelId === 'whatsapp-cloud')).to.deep.include({ state: 'connected' });
    expect(channels.find((status) => status.channelId === 'whatsapp-cloud')?.detail).to.include('webhook verified by Meta');
  });

  it('answers a Cantonese, a Mandarin and an English customer each in their language, through the Graph API', async () => {
    const cases = [
      { fixture: 'text-cantonese', waId: '85291234567', text: '我唔見咗張卡，點算好？', answer: '即刻喺 Demo Bank App → 卡 → 凍結張卡' },
      { fixture: 'text-mandarin', waId: '8613800138000', text: '我的卡丢了，怎么办？', answer: '请立即在 Demo Bank App → 卡片 → 冻结中冻结该卡' },
      { fixture: 'text-english', waId: '447700900123', text: 'I lost my card, what should I do?', answer: 'Freeze the card straight away in the Demo Bank app' },
    ];
    for (const [index, { fixture, waId, text, answer }] of cases.entries()) {
      const before = graph!.calls.length;
      expect(await post(textWebhook(fixture, text, `wamid.greeting-${index}`))).to.equal(200);
      // A first message is welcomed first; the answer follows.
      const call = await nextCallTo(waId, before, (sent) => shownText(sent).includes(answer));
      expect(call.path).to.equal(`/v21.0/${PHONE_NUMBER_ID}/messages`);
      expect(call.authorization).to.equal('Bearer test-access-token');
      expect(call.body).to.include({ messaging_product: 'whatsapp', recipient_type: 'individual', to: waId });
      // The wa_id reaches the identity directory as the customer's phone.
      expect(phones.at(-1)).to.equal(`+${waId}`);
    }
  });

  it('offers choices as reply buttons or a list, and a tapped button answers the question', async () => {
    let before = graph!.calls.length;
    await post(textWebhook('text-cantonese', 'show choices', 'wamid.choices-1'));
    const buttons = await nextCallTo('85291234567', before);
    expect(buttons.body.type).to.equal('interactive');
    expect(buttons.body.interactive).to.deep.equal({
      type: 'button',
      body: { text: 'What would you like to do?' },
      action: { buttons: [{ type: 'reply', reply: { id: 'balance', title: 'Balance' } }, { type: 'reply', reply: { id: 'transfer', title: 'Transfer money' } }] },
    });

    before = graph!.calls.length;
    await post(cloudFixture('button-reply'));
    expect(shownText(await nextCallTo('85291234567', before))).to.equal('You picked: transfer');

    before = graph!.calls.length;
    await post(textWebhook('text-english', 'show many', 'wamid.choices-2'));
    const list = await nextCallTo('447700900123', before);
    expect(list.body.interactive?.type).to.equal('list');
    expect(list.body.interactive?.action).to.deep.include({ button: 'Options' });
  });

  it('answers a redelivered message once', async () => {
    const body = textWebhook('text-english', 'hello', 'wamid.redelivered');
    const before = graph!.calls.length;
    const turnsBefore = turns.length;
    expect(await post(body)).to.equal(200);
    expect(await post(body)).to.equal(200);
    await nextCallTo('447700900123', before);
    await channel().idle();
    expect(turns.length - turnsBefore).to.equal(1);
    expect(graph!.calls.slice(before).filter((call) => call.body.to === '447700900123')).to.have.length(1);
  });

  it('refuses a webhook with a bad or missing signature with 401 and processes nothing', async () => {
    const body = textWebhook('text-english', 'hello', 'wamid.forged');
    const before = graph!.calls.length;
    const turnsBefore = turns.length;
    expect(await post(body, sign(JSON.stringify(body), 'not-the-app-secret'))).to.equal(401);
    expect(await post(body, null)).to.equal(401);
    await channel().idle();
    expect(turns.length).to.equal(turnsBefore);
    expect(graph!.calls.length).to.equal(before);
    // The forged id was not even remembered: the real message, when it comes, is answered.
    expect(await post(body)).to.equal(200);
    await nextCallTo('447700900123', before);
  });

  it('delivers an agent reply through the Graph API and tracks its status; outside the 24-hour window it goes as the template', async () => {
    const waId = '447700900456';
    const customer = (text: string, id: string) => {
      const body = textWebhook('text-english', text, id) as unknown as { entry: { changes: { value: { messages: { from: string }[]; contacts: { wa_id: string }[] } }[] }[] };
      body.entry[0]!.changes[0]!.value.messages[0]!.from = waId;
      body.entry[0]!.changes[0]!.value.contacts[0]!.wa_id = waId;
      return body as unknown as CloudWebhook;
    };
    await post(customer('I want to talk to a real person please', 'wamid.human-1'));
    await channel().idle();

    const login = await fetch(`${running!.url}/api/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agentId: 'ann', password: AGENT_PASSWORD }) });
    expect(login.status).to.equal(200);
    const { token } = (await login.json()) as { token: string };
    const agent = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${running!.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, body: (response.status === 204 ? undefined : await response.json()) as AgentResponse };
    };
    const next = await agent('POST', '/api/agent/handoffs/next');
    expect(next.status).to.equal(200);
    const handoffId = next.body.handoff!.id;
    const delivery = async (messageId: string) =>
      (await agent('GET', `/api/agent/handoffs/${handoffId}`)).body.messages!.find((m) => m.id === messageId);

    // Inside the window: a plain text message; its statuses move the console's mark forward only.
    let before = graph!.calls.length;
    const sent = await agent('POST', `/api/agent/handoffs/${handoffId}/messages`, { text: 'Hi, I am Ann. I have blocked your card.' });
    expect(sent.status).to.equal(202);
    const call = await nextCallTo(waId, before, (c) => shownText(c) === 'Hi, I am Ann. I have blocked your card.');
    expect(call.body.type).to.equal('text');
    expect(await post(statusWebhook('read', call.wamid))).to.equal(200);
    await waitFor(async () => (await delivery(sent.body.messageId!))?.delivery === 'read', 'read');
    expect(await post(statusWebhook('delivered', call.wamid))).to.equal(200);
    await channel().idle();
    expect((await delivery(sent.body.messageId!))?.delivery).to.equal('read');

    // The window closes (no record of the customer's last message): the reply goes as the template, in English (en_US).
    // The channel's own erasure forgets the customer's last-message time (the handoff stays): the window is closed.
    expect(await carebot!.features.find((feature) => feature.name === 'whatsapp-cloud')!.eraseUser!(waId)).to.deep.include({ serviceWindow: 1 });
    before = graph!.calls.length;
    const late = await agent('POST', `/api/agent/handoffs/${handoffId}/messages`, { text: 'Your new card is on its way.' });
    const template = await nextCallTo(waId, before, (c) => shownText(c) === 'Your new card is on its way.');
    expect(template.body.type).to.equal('template');
    expect(template.body.template).to.deep.include({ name: 'agent_reply', language: { code: 'en_US' } });
    // WhatsApp later reports it failed: the console shows it, with the platform's reason.
    expect(await post(statusWebhook('failed', template.wamid))).to.equal(200);
    await waitFor(async () => (await delivery(late.body.messageId!))?.delivery === 'failed', 'failed');
    expect((await delivery(late.body.messageId!))?.error).to.include('131047');
  });

  it('erases the customer\'s window record with DELETE /api/admin/users/:id', async () => {
    const erased = await fetch(`${running!.url}/api/admin/users/8613800138000`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(erased.status).to.equal(200);
    expect(JSON.stringify(await erased.json())).to.include('"serviceWindow":1');
  });

  it('logs no phone number: the per-turn conversationId is the wa_id\'s pseudonym, keyed with the installation\'s secret', () => {
    const lines = log.lines();
    const text = JSON.stringify(lines);
    // (8613800138000 is left out: the erasure route's own request line names the user it erases.)
    for (const waId of ['447700900123', '85291234567', '447700900456']) expect(text, text.slice(Math.max(0, text.indexOf(waId) - 300), text.indexOf(waId) + 100)).to.not.include(waId);
    // A wamid is the wa_id in base64 (and the failed status above was logged): none is logged as it is.
    expect(lines.some((line) => line.msg === 'WhatsApp reports a message as not delivered'), 'the failed status line').to.equal(true);
    expect(text).to.not.include('wamid.');
    // The handoff's turn line names the conversation by the wa_id's pseudonym, which the installation's secret makes.
    const masks = ['447700900123', '85291234567', '447700900456'].map((waId) => logPseudonyms(HASH_SECRET)('whatsapp-cloud', waId));
    expect(lines.filter((line) => masks.includes(line.conversationId as string)), 'turn lines with a masked conversationId').to.not.be.empty;
  });
});
