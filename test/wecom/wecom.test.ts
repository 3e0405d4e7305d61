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
    writeFileSync(
      directory,
      [
        'users:',
        '  - ids: ["wecom:zhang.wei"]\n    name: Zhang Wei\n    employeeType: foreign\n    department: assembly\n    city: shenzhen',
        // A department, not a person: everyone whose WeCom main department is 12 works at the Shenzhen plant.
        '  - ids: ["wecom-department:12"]\n    department: assembly\n    city: shenzhen',
        '',
      ].join('\n'),
    );
    api = new FakeWechatApi();
    await api.start();
    api.wecomUsers.set('chen.jing', { department: [7, 12], main_department: 12 });
    bot = await startCarebot({
      KNOWLEDGE_PACKS: 'core,hr',
      IDENTITY_DIRECTORY_FILE: directory,
      WECOM_CORP_ID: CORP.corpId,
      WECOM_AGENT_ID: CORP.agentId,
      WECOM_SECRET: CORP.secret,
      WECOM_TOKEN: CORP.token,
      WECOM_AES_KEY: CORP.aesKey,
      WECOM_API_BASE_URL: api.url,
      ADMIN_TOKEN: 'wecom-admin-token-0123456789',
    });
  });
  after(async () => {
    await bot?.close();
    await api?.close();
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

  it('answers a worker the directory knows only by WeCom department (user/get) for that department\'s city, asking user/get once', async () => {
    await post(message('chen.jing', 'how much social insurance do I pay', 'w-dept-1'));
    await eventually(() => api.sentTo('chen.jing').length >= 1, 'the first answer to the Shenzhen worker');
    // The department tells the city, not whether the worker is local or foreign: that is asked, the city never.
    expect(api.sentTo('chen.jing')[0]!.toLowerCase()).to.include('local').and.not.include('which plant city');
    await post(message('chen.jing', 'foreign', 'w-dept-2'));
    await eventually(() => api.sentTo('chen.jing').length >= 2, 'the answer after the employee type');
    const answer = api.sentTo('chen.jing')[1]!;
    expect(answer).to.not.include('Which plant city do you work in?');
    expect(answer.toLowerCase()).to.include('shenzhen');
    // Looked up once: the second message used the remembered department (TTL), asking the API nothing more.
    const lookups = api.userGetCalls().filter((call) => call.query.userid === 'chen.jing');
    expect(lookups).to.have.length(1);
    expect(lookups[0]!.query.access_token).to.match(/^token-\d+$/);
  });

  it("erases a user's remembered department with the user (DELETE /api/admin/users/:id)", async () => {
    api.wecomUsers.set('erase.me', { department: [12] });
    await post(message('erase.me', 'hello', 'w-erase-1'));
    await eventually(() => api.sentTo('erase.me').length >= 1, 'the greeting');
    const erased = await fetch(`${bot!.server.url}/api/admin/users/erase.me`, { method: 'DELETE', headers: { authorization: 'Bearer wecom-admin-token-0123456789' } });
    expect(erased.status).to.equal(200);
    expect(JSON.stringify(await erased.json())).to.include('"wecomDepartment":1');
    await post(message('erase.me', 'hello', 'w-erase-2'));
    await eventually(() => api.sentTo('erase.me').length >= 2, 'the second greeting');
    expect(api.userGetCalls().filter((call) => call.query.userid === 'erase.me'), 'looked up again after erasure').to.have.length(2);
  });

  it('answers Cantonese, Mandarin and English each in its own language', async () => {
    const i18n = bot!.carebot.i18n;
    await post(message('lang.hk', '唔該，我想問嘢', 'w-hk'));
    await post(message('lang.cn', '你好', 'w-cn'));
    await post(message('lang.en', 'hello', 'w-en'));
    await eventually(() => ['lang.hk', 'lang.cn', 'lang.en'].every((user) => api.sentTo(user).length >= 1), 'three answers');
    expect(api.sentTo('lang.hk')[0]).to.equal(i18n.t('dialogs:thanks', { lng: 'zh-HK' }));
    expect(api.sentTo('lang.cn')[0]).to.equal(i18n.t('greeting', { lng: 'zh-CN' }));
    expect(api.sentTo('lang.en')[0]).to.equal(i18n.t('greeting', { lng: 'en' }));
  });

  it('retries a send WeChat answers "busy" (-1), and reports one it refuses for good (45015) without retrying', async () => {
    const channel = bot!.carebot.channels.get('wecom')!;
    api.sendErrors.push(-1);
    await post(message('busy.user', 'hello', 'w-busy'));
    await eventually(() => api.sentTo('busy.user').length === 2, 'the refused try and its retry');
    const failuresBefore = channel.status().sendFailures;
    api.sendErrors.push(45015);
    await post(message('gone.user', 'hello', 'w-gone'));
    await eventually(() => channel.status().sendFailures === failuresBefore + 1, 'the failure counted on /admin/channels');
    expect(api.sentTo('gone.user'), 'one try: 45015 cannot succeed later').to.have.length(1);
    const logged = bot!.logs().find((line) => line.msg === 'message not delivered after retries' && line.channelId === 'wecom');
    expect(logged?.code).to.equal('ADAPTER_SEND_FAILED');
  });

  it('offers choices as a numbered list (WeChat shows text only), and a reply "2" picks the second', async () => {
    await post(message('choice.user', 'help', 'w-help-1'));
    await eventually(() => api.sentTo('choice.user').length >= 1, 'the help answer');
    const offer = api.sentTo('choice.user')[0]!;
    expect(offer).to.match(/\n1\. Social insurance contributions\n2\. Annual leave\n/);
    expect(offer).to.match(/Reply 1, 2, .* or \d$/);
    await post(message('choice.user', '2', 'w-help-2'));
    await eventually(() => api.sentTo('choice.user').length >= 2, 'the answer to 2');
    expect(api.sentTo('choice.user')[1]).to.match(/^Annual leave grows with your total working years/);
  });

  it('rejects a callback whose msg_signature does not match its body with 401, processing nothing', async () => {
    const encrypted = crypt.encrypt(message('forger', 'hello', 'w-forged'));
    const other = new WxBizMsgCrypt('someone-else', CORP.aesKey, CORP.corpId);
    const timestamp = String(nowSeconds());
    const query = new URLSearchParams({ msg_signature: other.signature(timestamp, '7', encrypted), timestamp, nonce: '7' }).toString();
    const forged = await fetch(`${bot!.server.url}/webhooks/wecom?${query}`, { method: 'POST', body: buildWxXml({ ToUserName: CORP.corpId, Encrypt: encrypted }) });
    expect(forged.status).to.equal(401);
    await bot!.carebot.channels.get('wecom')!.stop?.();
    expect(api.sentTo('forger')).to.deep.equal([]);
    expect(api.userGetCalls().filter((call) => call.query.userid === 'forger'), 'not even looked up').to.deep.equal([]);
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
