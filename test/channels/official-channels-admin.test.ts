import { expect } from 'chai';
import type { ChannelStatus } from '../../src/channels/channel-registry.js';
import { sign } from '../../adapters/whatsapp-cloud/signature.js';
import { WxBizMsgCrypt } from '../../adapters/wechat-official/wx-biz-msg-crypt.js';
import { buildWxXml } from '../../adapters/wechat-official/wx-xml.js';
import { FakeWechatApi } from '../wechat-official/fake-wechat-api.js';
import { nowSeconds, OA, officialAccountEnv, signedQuery, startCarebot, textXml, type RunningCarebot } from '../wechat-official/harness.js';
import { startFakeGraphApi, type FakeGraphApi } from '../whatsapp-cloud/fake-graph-api.js';
import { cloudFixture } from '../whatsapp-cloud/fixtures.js';
import { eventually } from './support.js';

const ADMIN_TOKEN = 'admin-token-official-0123456789';
const WA = { verifyToken: 'wa-verify', appSecret: 'wa-secret', phoneNumberId: '106540352242922' };
const CORP = { corpId: 'ww0123456789abcdef', agentId: '1000002', secret: 'wecom-secret', token: 'wecom-token', aesKey: OA.aesKey };

/** /admin/channels with the three official channels on at once, each verified, used and failing once. */
describe('/admin/channels for the WhatsApp Cloud API, WeChat Official Account and WeCom channels', () => {
  let wechat: FakeWechatApi;
  let graph: FakeGraphApi;
  let bot: RunningCarebot | undefined;
  const wecomCrypt = new WxBizMsgCrypt(CORP.token, CORP.aesKey, CORP.corpId);

  before(async () => {
    wechat = new FakeWechatApi();
    await wechat.start();
    graph = await startFakeGraphApi();
    bot = await startCarebot({
      ADMIN_TOKEN,
      WHATSAPP_CLOUD_VERIFY_TOKEN: WA.verifyToken,
      WHATSAPP_CLOUD_APP_SECRET: WA.appSecret,
      WHATSAPP_CLOUD_ACCESS_TOKEN: 'graph-token',
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: WA.phoneNumberId,
      WHATSAPP_CLOUD_API_BASE_URL: graph.url,
      WHATSAPP_CLOUD_SEND_ATTEMPTS: '1',
      ...officialAccountEnv(wechat.url),
      // Every answer goes through the API, so the Official Account fetches its token.
      WECHAT_OFFICIAL_REPLY_BUDGET_MS: '1',
      WECOM_CORP_ID: CORP.corpId,
      WECOM_AGENT_ID: CORP.agentId,
      WECOM_SECRET: CORP.secret,
      WECOM_TOKEN: CORP.token,
      WECOM_AES_KEY: CORP.aesKey,
      WECOM_API_BASE_URL: wechat.url,
    });
    // A turn this slow misses even a fast machine's passive budget: the answer goes through the API, with a token.
    bot.carebot.bot.early.use({
      onTurn: async (context, next) => {
        if (context.activity.channelId === 'wechat-official') await new Promise((resolve) => setTimeout(resolve, 50));
        await next();
      },
    });
  });
  after(async () => {
    await bot?.close();
    await wechat?.close();
    await graph?.close();
  });

  const statuses = async (): Promise<Record<string, ChannelStatus>> => {
    const response = await fetch(`${bot!.server.url}/admin/channels.json`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(response.status).to.equal(200);
    const { channels } = (await response.json()) as { channels: ChannelStatus[] };
    return Object.fromEntries(channels.map((status) => [status.channelId, status]));
  };

  function wecomQuery(encrypted: string, extra: Record<string, string> = {}): string {
    const timestamp = String(nowSeconds());
    const nonce = String(Math.floor(Math.random() * 1e9));
    return new URLSearchParams({ msg_signature: wecomCrypt.signature(timestamp, nonce, encrypted), timestamp, nonce, ...extra }).toString();
  }

  function whatsappText(id: string, text: string): string {
    const body = cloudFixture('text-english') as unknown as { entry: { changes: { value: { messages: Record<string, unknown>[] } }[] }[] };
    Object.assign(body.entry[0]!.changes[0]!.value.messages[0]!, { id, text: { body: text } });
    return JSON.stringify(body);
  }

  it('shows each channel unverified and unused at start, then verified, with its last message, token expiry and send failures', async () => {
    const before = await statuses();
    expect(Object.keys(before)).to.include.members(['whatsapp-cloud', 'wechat-official', 'wecom']);
    expect(before['wechat-official']!.detail).to.include('webhook not verified yet').and.include('no access token');
    expect(before.wecom!.detail).to.include('webhook not verified yet');
    expect(before['whatsapp-cloud']!.detail).to.include('webhook not verified');
    for (const id of ['whatsapp-cloud', 'wechat-official', 'wecom']) {
      expect(before[id]).to.deep.include({ state: 'connected', sendFailures: 0 });
      expect(before[id]!.lastMessageAt, `${id} has had no message`).to.equal(undefined);
    }

    // The platforms verify the callback URLs.
    const url = bot!.server.url;
    expect((await fetch(`${url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${WA.verifyToken}&hub.challenge=42`)).status).to.equal(200);
    expect((await fetch(`${url}/webhooks/wechat-official?${signedQuery(OA.token, nowSeconds(), { echostr: 'e1' })}`)).status).to.equal(200);
    const echostr = wecomCrypt.encrypt('e2');
    expect((await fetch(`${url}/webhooks/wecom?${wecomQuery(echostr, { echostr })}`)).status).to.equal(200);

    // One message each, one after another, and one send each platform refuses for good (the apology after it goes through).
    const OFFICIAL = ['whatsapp-cloud', 'wechat-official', 'wecom'];
    const failures = (id: string) => bot!.carebot.channels.get(id)!.status().sendFailures;
    // The turn's apology after the failure must be sent before the next refusal is queued, or it would take it.
    const turnsDone = (id: string) => (bot!.carebot.channels.get(id)!.adapter as unknown as { idle(): Promise<void> }).idle();
    wechat.sendErrors.push(45015);
    await fetch(`${url}/webhooks/wechat-official?${signedQuery(OA.token)}`, { method: 'POST', body: textXml('o-admin', 'hello', 'm-admin-1') });
    await eventually(() => failures('wechat-official') === 1, 'the Official Account send failure');
    await turnsDone('wechat-official');
    wechat.sendErrors.push(45015);
    const inner = buildWxXml({ ToUserName: CORP.corpId, FromUserName: 'admin.user', CreateTime: nowSeconds(), MsgType: 'text', Content: 'hello', MsgId: 'w-admin-1', AgentID: 1000002 });
    const encrypted = wecomCrypt.encrypt(inner);
    await fetch(`${url}/webhooks/wecom?${wecomQuery(encrypted)}`, { method: 'POST', body: buildWxXml({ ToUserName: CORP.corpId, Encrypt: encrypted }) });
    await eventually(() => failures('wecom') === 1, 'the WeCom send failure');
    await turnsDone('wecom');
    graph.failNext(400, 131047, 'Re-engagement message');
    const waBody = whatsappText('wamid.admin-1', 'hello');
    await fetch(`${url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(waBody, WA.appSecret) }, body: waBody });
    await eventually(() => failures('whatsapp-cloud') === 1, 'the WhatsApp send failure');
    // Every turn's sends are done (the apologies included) before the counts are read.
    for (const id of OFFICIAL) await turnsDone(id);

    const after = await statuses();
    for (const id of OFFICIAL) {
      expect(after[id]!.sendFailures, `${id} send failures`).to.equal(1);
      expect(after[id]!.lastMessageAt, `${id} last message`).to.be.a('string');
      expect(Date.parse(after[id]!.lastMessageAt!)).to.be.closeTo(Date.now(), 60_000);
    }
    expect(after['whatsapp-cloud']!.detail).to.include('webhook verified by Meta at');
    for (const id of ['wechat-official', 'wecom']) {
      expect(after[id]!.detail, id).to.match(/webhook verified \d{4}-/);
      // The fake platform grants 7200 s tokens.
      const expiry = /access token expires (\S+),/.exec(after[id]!.detail ?? '')?.[1];
      expect(Date.parse(expiry ?? ''), `${id} token expiry`).to.be.closeTo(Date.now() + 7_200_000, 60_000);
    }

    const html = await (await fetch(`${url}/admin/channels`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    for (const id of ['whatsapp-cloud', 'wechat-official', 'wecom']) expect(html).to.include(`<td>${id}</td>`);
    expect(html).to.include('access token expires');
  });
});
