import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../channels/support.js';
import { WxBizMsgCrypt } from '../../adapters/wechat-official/wx-biz-msg-crypt.js';
import { buildWxXml } from '../../adapters/wechat-official/wx-xml.js';
import { FakeWechatApi } from '../wechat-official/fake-wechat-api.js';
import { nowSeconds, startCarebot, type RunningCarebot } from '../wechat-official/harness.js';

const CORP = { corpId: 'ww0123456789abcdef', agentId: '1000002', secret: 'wecom-secret', token: 'wecom-token', aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };

describe('WeCom self-built app on /webhooks/wecom', () => {
  let api: FakeWechatApi;
  let bot: RunningCarebot | undefined;
  let dir: string;
  const crypt = new WxBizMsgCrypt(CORP.token, CORP.aesKey, CORP.corpId);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'carebot-wecom-'));
    const directory = join(dir, 'directory.yaml');
    writeFileSync(directory, 'users:\n  - ids: ["wecom:zhang.wei"]\n    name: Zhang Wei\n    employeeType: foreign\n    department: assembly\n    city: shenzhen\n');
    api = new FakeWechatApi();
    await api.start();
    bot = await startCarebot({
      KNOWLEDGE_PACKS: 'core,hr',
      IDENTITY_DIRECTORY_FILE: directory,
      WECOM_CORP_ID: CORP.corpId,
      WECOM_AGENT_ID: CORP.agentId,
      WECOM_SECRET: CORP.secret,
      WECOM_TOKEN: CORP.token,
      WECOM_AES_KEY: CORP.aesKey,
      WECOM_API_BASE_URL: api.url,
    });
  });
  after(async () => {
    await bot?.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function signed(encrypted: string, timestamp = nowSeconds(), extra: Record<string, string> = {}): string {
    const nonce = String(Math.floor(Math.random() * 1e9));
    return new URLSearchParams({ msg_signature: crypt.signature(String(timestamp), nonce, encrypted), timestamp: String(timestamp), nonce, ...extra }).toString();
  }

  const message = (userId: string, text: string, msgId: string) =>
    buildWxXml({ ToUserName: CORP.corpId, FromUserName: userId, CreateTime: nowSeconds(), MsgType: 'text', Content: text, MsgId: msgId, AgentID: Number(CORP.agentId) });

  async function post(inner: string, timestamp = nowSeconds()): Promise<Response> {
    const encrypted = crypt.encrypt(inner);
    return fetch(`${bot!.server.url}/webhooks/wecom?${signed(encrypted, timestamp)}`, { method: 'POST', body: buildWxXml({ ToUserName: CORP.corpId, AgentID: CORP.agentId, Encrypt: encrypted }) });
  }

  it('verifies the callback URL by decrypting echostr, and refuses a wrong signature', async () => {
    const echostr = crypt.encrypt('1616140317555161061');
    const ok = await fetch(`${bot!.server.url}/webhooks/wecom?${signed(echostr, nowSeconds(), { echostr })}`);
    expect(ok.status).to.equal(200);
    expect(await ok.text()).to.equal('1616140317555161061');
    const other = new WxBizMsgCrypt('someone-else', CORP.aesKey, CORP.corpId);
    const nonce = '42';
    const ts = String(nowSeconds());
    const bad = await fetch(`${bot!.server.url}/webhooks/wecom?${new URLSearchParams({ msg_signature: other.signature(ts, nonce, echostr), timestamp: ts, nonce, echostr }).toString()}`);
    expect(bad.status).to.equal(401);
  });

  it('answers a Shenzhen plant worker listed in the directory for Shenzhen without asking, through message/send', async () => {
    const response = await post(message('zhang.wei', 'how much social insurance do I pay', 'w-1'));
    expect(response.status).to.equal(200);
    await eventually(() => api.sentTo('zhang.wei').length >= 1, 'the answer through /cgi-bin/message/send');
    const reply = api.sentTo('zhang.wei')[0]!;
    expect(reply).to.not.equal('Which plant city do you work in?');
    expect(reply.toLowerCase()).to.include('shenzhen');
    const send = api.calls.find((call) => call.path === '/cgi-bin/message/send');
    expect(send?.body).to.deep.include({ touser: 'zhang.wei', msgtype: 'text', agentid: Number(CORP.agentId) });
    expect(api.tokenCalls()[0]?.query).to.deep.equal({ corpid: CORP.corpId, corpsecret: CORP.secret });
    // Someone not in the directory is asked for the city.
    await post(message('li.si', 'how much social insurance do I pay', 'w-2'));
    await eventually(() => api.sentTo('li.si').length >= 1, 'the answer to the unlisted worker');
    expect(api.sentTo('li.si')[0]).to.include('Which plant city do you work in?');
  });

  it('answers a redelivered message once and rejects a stale timestamp', async () => {
    await post(message('wang.wu', 'hello', 'w-dup'));
    await post(message('wang.wu', 'hello', 'w-dup'));
    await eventually(() => api.sentTo('wang.wu').length >= 1, 'the greeting');
    expect((await post(message('wang.wu', 'hello', 'w-old'), nowSeconds() - 900)).status).to.equal(401);
    await bot!.carebot.channels.get('wecom')!.stop?.();
    expect(api.sentTo('wang.wu')).to.have.length(1);
  });
});
