import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../channels/support.js';
import { connectTestRedis, deleteKeys, prefixName, testRedisUrl, uniquePrefix } from '../support/test-redis.js';
import { WxBizMsgCrypt, wechatSignature } from '../../adapters/wechat-official/wx-biz-msg-crypt.js';
import { buildWxXml, parseWxXml } from '../../adapters/wechat-official/wx-xml.js';
import { FakeWechatApi } from './fake-wechat-api.js';
import { nowSeconds, OA, officialAccountEnv, queuedReplyJob, startCarebot, textXml, type RunningCarebot } from './harness.js';

const PATH = '/webhooks/wechat-official';

/**
 * A Hong Kong Official Account in safe mode on Redis (so replies go through the reply queue):
 * the passive reply comes back encrypted, and greetings and menu answers follow the account's
 * default locale, the directory's language, or the conversation's.
 */
describe('WeChat Official Account: encrypted passive replies, greeting language and menu intents (Redis)', () => {
  const prefix = uniquePrefix();
  const crypt = new WxBizMsgCrypt(OA.token, OA.aesKey, OA.appId);
  let api: FakeWechatApi;
  let redis: Redis;
  let bot: RunningCarebot | undefined;
  let dir: string;

  before(async () => {
    redis = connectTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'carebot-oa-'));
    const directory = join(dir, 'directory.yaml');
    writeFileSync(directory, 'users:\n  - ids: ["wechat-official:o-mainland"]\n    language: zh-CN\n');
    api = new FakeWechatApi();
    await api.start();
    bot = await startCarebot({
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefixName(prefix),
      IDENTITY_DIRECTORY_FILE: directory,
      ...officialAccountEnv(api.url),
      WECHAT_OFFICIAL_AES_KEY: OA.aesKey,
      WECHAT_OFFICIAL_REPLY_BUDGET_MS: '4000',
      WECHAT_OFFICIAL_DEFAULT_LOCALE: 'zh-HK',
      WECHAT_OFFICIAL_MENU: JSON.stringify({ MENU_THANKS: 'core.thanks' }),
    });
  });
  after(async () => {
    await bot?.close();
    await api?.close();
    await deleteKeys(redis, prefix);
    await redis?.quit();
    rmSync(dir, { recursive: true, force: true });
  });

  function post(inner: string): Promise<Response> {
    const encrypted = crypt.encrypt(inner);
    const timestamp = String(nowSeconds());
    const nonce = String(Math.floor(Math.random() * 1e9));
    const query = new URLSearchParams({
      signature: wechatSignature(OA.token, timestamp, nonce),
      msg_signature: crypt.signature(timestamp, nonce, encrypted),
      timestamp,
      nonce,
      encrypt_type: 'aes',
    });
    return fetch(`${bot!.server.url}${PATH}?${query.toString()}`, { method: 'POST', body: buildWxXml({ ToUserName: 'gh_carebot', Encrypt: encrypted }) });
  }

  /** The passive reply, decrypted with the test's own WXBizMsgCrypt after checking its signature; undefined for `success`. */
  async function passiveReply(response: Response): Promise<Record<string, string> | undefined> {
    const body = await response.text();
    expect(response.status, body).to.equal(200);
    if (body === 'success') return undefined;
    const outer = parseWxXml(body)!;
    expect(Object.keys(outer).sort()).to.deep.equal(['Encrypt', 'MsgSignature', 'Nonce', 'TimeStamp']);
    expect(outer.MsgSignature, 'signed with our token').to.equal(crypt.signature(outer.TimeStamp!, outer.Nonce!, outer.Encrypt!));
    return { ...parseWxXml(crypt.decrypt(outer.Encrypt!))! };
  }

  /** The bot's answer: in the passive reply or, when a busy machine missed the budget, through the API. */
  async function answerTo(user: string, inner: string): Promise<string> {
    const before = api.sentTo(user).length;
    const passive = await passiveReply(await post(inner));
    if (passive) return passive.Content!;
    await eventually(() => api.sentTo(user).length > before, `an answer to ${user} through the API`);
    return api.sentTo(user)[before]!;
  }

  const event = (user: string, fields: Record<string, string>, second = 0) =>
    buildWxXml({ ToUserName: 'gh_carebot', FromUserName: user, CreateTime: nowSeconds() + second, MsgType: 'event', ...fields });

  it('answers in the encrypted passive reply, which decrypts to a text message for the sender, even with the reply queue on', async () => {
    const reply = await passiveReply(await post(textXml('o-safe', 'hello', 'm-safe-passive-1')));
    expect(reply, 'a passive reply within the 4 s budget').to.not.equal(undefined);
    expect(reply).to.deep.include({ ToUserName: 'o-safe', FromUserName: 'gh_carebot', MsgType: 'text', Content: bot!.carebot.i18n.t('greeting', { lng: 'en' }) });
    expect(api.sentTo('o-safe'), 'nothing through the API').to.deep.equal([]);
    // Sent within the turn: a queued reply would race the closing budget, and lose once the worker is busy or in another process.
    expect(await queuedReplyJob(redis, prefix, 'm-safe-passive-1'), 'not through the reply queue').to.equal(null);
  });

  it("greets a new follower in the account's default locale, or in the directory's language when it knows the user", async () => {
    const i18n = bot!.carebot.i18n;
    expect(await answerTo('o-hk-new', event('o-hk-new', { Event: 'subscribe' }))).to.equal(i18n.t('greeting', { lng: 'zh-HK' }));
    expect(await answerTo('o-mainland', event('o-mainland', { Event: 'subscribe' }))).to.equal(i18n.t('greeting', { lng: 'zh-CN' }));
  });

  it("answers a menu CLICK with its intent (mapped or intent:<id>) in the conversation's language, an unknown key politely", async () => {
    const i18n = bot!.carebot.i18n;
    expect(await answerTo('o-menu', event('o-menu', { Event: 'CLICK', EventKey: 'MENU_THANKS' }))).to.equal(i18n.t('dialogs:thanks', { lng: 'zh-HK' }));
    expect(await answerTo('o-menu', event('o-menu', { Event: 'CLICK', EventKey: 'intent:core.goodbye' }, 1))).to.equal(i18n.t('dialogs:goodbye', { lng: 'zh-HK' }));
    expect(await answerTo('o-menu', event('o-menu', { Event: 'CLICK', EventKey: 'NOT_IN_MENU' }, 2))).to.equal(i18n.t('channels:menuUnavailable', { lng: 'zh-HK' }));
    // Once the user writes English, menu answers follow the conversation.
    expect(await answerTo('o-menu', textXml('o-menu', 'hello', 'm-menu-en'))).to.equal(i18n.t('greeting', { lng: 'en' }));
    expect(await answerTo('o-menu', event('o-menu', { Event: 'CLICK', EventKey: 'MENU_THANKS' }, 3))).to.equal(i18n.t('dialogs:thanks', { lng: 'en' }));
    expect(await answerTo('o-menu', event('o-menu', { Event: 'CLICK', EventKey: 'intent:bank.no_such_intent' }, 4))).to.equal(i18n.t('channels:menuUnavailable', { lng: 'en' }));
  });

  it('refuses to start with a menu key mapped to an intent no loaded pack has', async () => {
    let failure: unknown;
    try {
      const started = await startCarebot({
        ...officialAccountEnv(api.url),
        WECHAT_OFFICIAL_MENU: JSON.stringify({ MENU_LOST_CARD: 'bank.lost_card_typo' }),
      });
      await started.close();
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.an('error').with.property('code', 'CONFIG_INVALID');
    expect((failure as Error).message).to.include('MENU_LOST_CARD → bank.lost_card_typo').and.include('no such intent');
  });
});
