import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { eventually } from '../channels/support.js';
import { connectTestRedis, deleteKeys, prefixName, testRedisUrl, uniquePrefix } from '../support/test-redis.js';
import { WxBizMsgCrypt, wechatSignature } from '../../adapters/wechat-official/wx-biz-msg-crypt.js';
import { buildWxXml, parseWxXml } from '../../adapters/wechat-official/wx-xml.js';
import { FakeWechatApi } from './fake-wechat-api.js';
import { queuedReplyId } from '../../adapters/shared/text-channel-adapter.js';
import { nowSeconds, OA, officialAccountEnv, queuedReplyJob, signedQuery, startCarebot, textXml, type RunningCarebot } from './harness.js';

const PATH = '/webhooks/wechat-official';

describe('WeChat Official Account on /webhooks/wechat-official (plain mode)', () => {
  let api: FakeWechatApi;
  let bot: RunningCarebot | undefined;
  let seen: string[];

  before(async () => {
    api = new FakeWechatApi();
    await api.start();
    bot = await startCarebot({
      ...officialAccountEnv(api.url),
      // Long enough for a turn on a busy machine; "slow please" outlasts it on purpose.
      WECHAT_OFFICIAL_REPLY_BUDGET_MS: '1500',
      WECHAT_OFFICIAL_MENU: JSON.stringify({ MENU_HELLO: 'core.greeting' }),
    });
    seen = [];
    bot.carebot.bot.early.use({
      onTurn: async (context, next) => {
        if (context.activity.type === 'message') seen.push(context.activity.text ?? '');
        // "slow" holds its turn past the passive budget.
        if (context.activity.text === 'slow please') await new Promise((resolve) => setTimeout(resolve, 3000));
        await next();
      },
    });
  });
  after(async () => {
    await bot?.close();
    await api?.close();
  });

  const post = (body: string, query = signedQuery(OA.token)) =>
    fetch(`${bot!.server.url}${PATH}?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });

  /**
   * The bot's answer to a message: in the passive reply, or, when a busy machine made the turn
   * miss the passive budget, through the customer-service API (both are correct behaviour).
   */
  async function answerTo(user: string, send: () => Promise<Response>): Promise<string> {
    const before = api.sentTo(user).length;
    const passive = await passiveText(await send());
    if (passive !== undefined) return passive;
    await eventually(() => api.sentTo(user).length > before, `an answer to ${user} through the API`);
    return api.sentTo(user)[before]!;
  }

  /** The passive reply's text, or undefined when the answer was `success`. */
  async function passiveText(response: Response): Promise<string | undefined> {
    const body = await response.text();
    expect(response.status, body).to.equal(200);
    if (body === 'success') return undefined;
    const fields = parseWxXml(body);
    expect(fields?.MsgType).to.equal('text');
    return fields?.Content;
  }

  it('echoes echostr on a signed URL verification, and refuses a wrong signature', async () => {
    const ok = await fetch(`${bot!.server.url}${PATH}?${signedQuery(OA.token, nowSeconds(), { echostr: 'echo-123' })}`);
    expect(ok.status).to.equal(200);
    expect(await ok.text()).to.equal('echo-123');
    const bad = await fetch(`${bot!.server.url}${PATH}?${signedQuery('not-our-token', nowSeconds(), { echostr: 'echo-123' })}`);
    expect(bad.status).to.equal(401);
  });

  it('answers Cantonese, Mandarin and English passively, each in its own language', async () => {
    const i18n = bot!.carebot.i18n;
    const replies = {
      'zh-HK': await answerTo('o-hk', () => post(textXml('o-hk', '唔該，我想問嘢', 'm-hk-1'))),
      'zh-CN': await answerTo('o-cn', () => post(textXml('o-cn', '你好', 'm-cn-1'))),
      en: await answerTo('o-en', () => post(textXml('o-en', 'hello', 'm-en-1'))),
    };
    expect(replies['zh-HK']).to.equal(i18n.t('dialogs:thanks', { lng: 'zh-HK' }));
    expect(replies['zh-CN']).to.equal(i18n.t('greeting', { lng: 'zh-CN' }));
    expect(replies.en).to.equal(i18n.t('greeting', { lng: 'en' }));
  });

  it('answers a redelivered MsgId once (WeChat retries three times)', async () => {
    const before = seen.length;
    const first = await passiveText(await post(textXml('o-dup', 'hello', 'm-dup-1')));
    if (first === undefined) await eventually(() => api.sentTo('o-dup').length === 1, 'the answer through the API');
    for (let retry = 0; retry < 3; retry += 1) expect(await passiveText(await post(textXml('o-dup', 'hello', 'm-dup-1')))).to.equal(undefined);
    expect(seen.slice(before)).to.deep.equal(['hello']);
    // One answer in all: passive, or through the API when the first turn missed the budget.
    expect(api.sentTo('o-dup')).to.have.lengthOf(first === undefined ? 1 : 0);
  });

  it('rejects a bad signature and a replayed old timestamp with 401, processing nothing', async () => {
    const before = seen.length;
    const forged = await post(textXml('o-bad', 'hello', 'm-bad-1'), signedQuery('guessed-token'));
    expect(forged.status).to.equal(401);
    const replayed = await post(textXml('o-bad', 'hello', 'm-bad-2'), signedQuery(OA.token, nowSeconds() - 600));
    expect(replayed.status).to.equal(401);
    const unsigned = await post(textXml('o-bad', 'hello', 'm-bad-3'), `timestamp=${nowSeconds()}&nonce=1`);
    expect(unsigned.status).to.equal(401);
    // A fresh, correctly signed message still goes through, and is the only one the bot saw.
    expect(await answerTo('o-bad', () => post(textXml('o-bad', 'hello', 'm-bad-4')))).to.be.a('string');
    expect(seen.slice(before)).to.deep.equal(['hello']);
  });

  it('falls back to `success` and the customer-service API when the turn outlasts the passive budget', async () => {
    const response = await post(textXml('o-slow', 'slow please', 'm-slow-1'));
    expect(await passiveText(response)).to.equal(undefined);
    await eventually(() => api.sentTo('o-slow').length === 1, 'the answer through /cgi-bin/message/custom/send');
    const send = api.calls.find((call) => call.path === '/cgi-bin/message/custom/send');
    expect(send?.query.access_token).to.match(/^token-\d+$/);
    expect(send?.body).to.deep.include({ touser: 'o-slow', msgtype: 'text' });
  });

  it('greets a new follower and answers a menu CLICK with its mapped intent (an unmapped key politely); media gets "text only"', async () => {
    const i18n = bot!.carebot.i18n;
    const subscribe = buildWxXml({ ToUserName: 'gh_carebot', FromUserName: 'o-new', CreateTime: nowSeconds(), MsgType: 'event', Event: 'subscribe' });
    expect(await answerTo('o-new', () => post(subscribe))).to.equal(i18n.t('greeting', { lng: 'en' }));
    const click = buildWxXml({ ToUserName: 'gh_carebot', FromUserName: 'o-new', CreateTime: nowSeconds() + 1, MsgType: 'event', Event: 'CLICK', EventKey: 'MENU_HELLO' });
    expect(await answerTo('o-new', () => post(click))).to.equal(i18n.t('greeting', { lng: 'en' }));
    const unknown = buildWxXml({ ToUserName: 'gh_carebot', FromUserName: 'o-new', CreateTime: nowSeconds() + 2, MsgType: 'event', Event: 'CLICK', EventKey: 'NOT_CONFIGURED' });
    expect(await answerTo('o-new', () => post(unknown)), 'an unmapped key is answered politely').to.equal(i18n.t('channels:menuUnavailable', { lng: 'en' }));
    const image = buildWxXml({ ToUserName: 'gh_carebot', FromUserName: 'o-new', CreateTime: nowSeconds(), MsgType: 'image', PicUrl: 'http://x/y.jpg', MsgId: 'm-img-1' });
    expect(await answerTo('o-new', () => post(image))).to.equal(i18n.t('mediaNotSupported', { ns: 'common', lng: 'en' }));
  });
});

describe('WeChat Official Account in safe mode, two processes on one Redis', () => {
  const prefix = uniquePrefix();
  let api: FakeWechatApi;
  let redis: Redis;
  const bots: RunningCarebot[] = [];
  const crypt = new WxBizMsgCrypt(OA.token, OA.aesKey, OA.appId);

  before(async () => {
    redis = connectTestRedis();
    api = new FakeWechatApi();
    await api.start();
    // Slow enough that both processes ask for a token while the first fetch is still running.
    api.tokenDelayMs = 300;
    const env = {
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefixName(prefix),
      ...officialAccountEnv(api.url),
      WECHAT_OFFICIAL_AES_KEY: OA.aesKey,
      // Every reply goes through the API, so both processes need the token.
      WECHAT_OFFICIAL_REPLY_BUDGET_MS: '1',
    };
    bots.push(await startCarebot(env));
    bots.push(await startCarebot(env));
  });
  after(async () => {
    for (const running of bots) await running?.close();
    await api?.close();
    await deleteKeys(redis, prefix);
    await redis?.quit();
  });

  function encryptedPost(target: RunningCarebot, inner: string, timestamp = nowSeconds()) {
    const encrypted = crypt.encrypt(inner);
    const nonce = String(Math.floor(Math.random() * 1e9));
    const query = new URLSearchParams({
      signature: wechatSignature(OA.token, String(timestamp), nonce),
      msg_signature: crypt.signature(String(timestamp), nonce, encrypted),
      timestamp: String(timestamp),
      nonce,
      encrypt_type: 'aes',
    });
    return fetch(`${target.server.url}${PATH}?${query.toString()}`, { method: 'POST', body: buildWxXml({ ToUserName: 'gh_carebot', Encrypt: encrypted }) });
  }

  it('decrypts safe-mode messages, shares one access token between the processes (one fetch), and refuses plaintext', async () => {
    const responses = await Promise.all([encryptedPost(bots[0]!, textXml('o-a', 'hello', 'm-safe-1')), encryptedPost(bots[1]!, textXml('o-b', '你好', 'm-safe-2'))]);
    expect(responses.map((response) => response.status)).to.deep.equal([200, 200]);
    await eventually(() => api.sentTo('o-a').length === 1 && api.sentTo('o-b').length === 1, 'both answers sent through the API');
    expect(api.tokenCalls(), 'one token fetch for both processes').to.have.length(1);
    // Like every chat adapter's on Redis, the replies went through the BullMQ reply queue.
    expect(await queuedReplyJob(redis, prefix, 'm-safe-1')).to.equal(queuedReplyId('wechat-official', 'm-safe-1', 1));
    expect(api.tokenCalls()[0]?.query).to.deep.include({ grant_type: 'client_credential', appid: OA.appId, secret: OA.secret });

    const plain = await fetch(`${bots[0]!.server.url}${PATH}?${signedQuery(OA.token)}`, { method: 'POST', body: textXml('o-a', 'hello', 'm-safe-3') });
    expect(plain.status, 'a plaintext body in safe mode').to.equal(401);
  });

  it('refreshes a rejected token once (errcode 40001) and retries the send', async () => {
    const current = api.calls.find((call) => call.path === '/cgi-bin/message/custom/send')?.query.access_token ?? '';
    api.rejectedTokens.add(current);
    expect((await encryptedPost(bots[0]!, textXml('o-c', 'hello', 'm-safe-4'))).status).to.equal(200);
    await eventually(() => api.sentTo('o-c').length === 2, 'the rejected send and its retry');
    expect(api.tokenCalls()).to.have.length(2);
    const sends = api.calls.filter((call) => (call.body as { touser?: string } | undefined)?.touser === 'o-c');
    expect(sends.map((call) => call.query.access_token)).to.deep.equal([current, 'token-2']);
  });

  it('refuses a replayed safe-mode message (old timestamp, valid signatures) with 401', async () => {
    const inner = textXml('o-d', 'hello', 'm-safe-5');
    const response = await encryptedPost(bots[0]!, inner, nowSeconds() - 700);
    expect(response.status, 'outside the replay window').to.equal(401);
  });
});
