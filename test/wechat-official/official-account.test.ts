import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { eventually } from '../channels/support.js';
import { connectTestRedis, deleteKeys, testRedisUrl, uniquePrefix } from '../support/test-redis.js';
import { WxBizMsgCrypt, wechatSignature } from '../../adapters/wechat-official/wx-biz-msg-crypt.js';
import { buildWxXml, parseWxXml } from '../../adapters/wechat-official/wx-xml.js';
import { FakeWechatApi } from './fake-wechat-api.js';
import { nowSeconds, OA, signedQuery, startCarebot, textXml, type RunningCarebot } from './harness.js';

const PATH = '/webhooks/wechat-official';

describe('WeChat Official Account on /webhooks/wechat-official (plain mode)', () => {
  let api: FakeWechatApi;
  let bot: RunningCarebot | undefined;
  let seen: string[];

  before(async () => {
    api = new FakeWechatApi();
    await api.start();
    bot = await startCarebot({
      WECHAT_OFFICIAL_TOKEN: OA.token,
      WECHAT_OFFICIAL_APP_ID: OA.appId,
      WECHAT_OFFICIAL_APP_SECRET: OA.secret,
      WECHAT_OFFICIAL_API_BASE_URL: api.url,
      WECHAT_OFFICIAL_REPLY_BUDGET_MS: '300',
      WECHAT_OFFICIAL_MENU: JSON.stringify({ MENU_HELLO: 'hello' }),
    });
    seen = [];
    bot.carebot.bot.early.use({
      onTurn: async (context, next) => {
        if (context.activity.type === 'message') seen.push(context.activity.text ?? '');
        // "slow" holds its turn past the passive budget.
        if (context.activity.text === 'slow please') await new Promise((resolve) => setTimeout(resolve, 800));
        await next();
      },
    });
  });
  after(async () => {
    await bot?.close();
    await api.close();
  });

  const post = (body: string, query = signedQuery(OA.token)) =>
    fetch(`${bot!.server.url}${PATH}?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });

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
    expect(await passiveText(await post(textXml('o-yue', '你好呀，我想問下嘢', 'm-yue-1')))).to.be.a('string');
    const replies = {
      'zh-HK': await passiveText(await post(textXml('o-hk', '唔該，我想問嘢', 'm-hk-1'))),
      'zh-CN': await passiveText(await post(textXml('o-cn', '你好', 'm-cn-1'))),
      en: await passiveText(await post(textXml('o-en', 'hello', 'm-en-1'))),
    };
    console.log(replies);
    expect(replies['zh-CN']).to.equal(i18n.t('greeting', { lng: 'zh-CN' }));
    expect(replies.en).to.equal(i18n.t('greeting', { lng: 'en' }));
  });
});
