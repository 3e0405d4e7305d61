import { expect } from 'chai';
import type { Locale } from '../../src/config.js';
import { recognizeLanguageRequest } from '../../src/bot/language-request.js';
import { localeFromMessage } from '../../src/bot/locale-from-message.js';
import { createTestBot } from '../support/test-bot.js';

/** The reply locales of a conversation, one per message sent. */
async function replyLocales(
  messages: readonly (string | Record<string, unknown>)[],
  options: Parameters<typeof createTestBot>[0] = {},
): Promise<(string | undefined)[]> {
  const { adapter } = await createTestBot(options);
  const locales: (string | undefined)[] = [];
  let flow = adapter.send(messages[0] as never);
  flow = flow.assertReply((reply) => void locales.push(reply.locale));
  for (const message of messages.slice(1)) flow = flow.send(message as never).assertReply((reply) => void locales.push(reply.locale));
  await flow.startTest();
  return locales;
}

describe('reply language: a conversation keeps its variety', () => {
  it('answers Cantonese written with 點樣 and 傾下 in Cantonese', () => {
    expect(localeFromMessage('點樣申請信用卡', undefined, 'en')).to.equal('zh-HK');
    expect(localeFromMessage('想同人傾下個計劃', undefined, 'en')).to.equal('zh-HK');
    expect(localeFromMessage('邊間分行最近', undefined, 'en')).to.equal('zh-HK');
    expect(localeFromMessage('多謝晒', 'zh-CN', 'en'), '晒 "all" after a verb').to.equal('zh-HK');
    expect(localeFromMessage('今天出去晒太阳', undefined, 'en'), 'Mandarin 晒 "to sun"').to.equal('zh-CN');
  });

  it('stays Cantonese through script-neutral and plain Traditional messages (多謝 does not switch to Taiwan Mandarin)', async () => {
    expect(await replyLocales(['我想睇下我嘅戶口', '多謝', '好', '請問這張卡的額度'])).to.deep.equal(['zh-HK', 'zh-HK', 'zh-HK', 'zh-HK']);
  });

  it('keeps Traditional text without markers Cantonese on a Hong Kong deployment or zh-HK channel', async () => {
    expect(await replyLocales(['請問這張卡的額度'], { defaultLocale: 'zh-HK' })).to.deep.equal(['zh-HK']);
    expect(await replyLocales([{ type: 'message', text: '請問這張卡的額度', locale: 'zh-HK' }])).to.deep.equal(['zh-HK']);
  });

  it('answers Taiwanese Mandarin only with Taiwan evidence: vocabulary, channel locale, the directory, a previous zh-TW', async () => {
    expect(localeFromMessage('請問這張卡的額度', undefined, 'en'), 'no evidence').to.equal('zh-HK');
    expect(localeFromMessage('我的身分證掉了', undefined, 'en'), 'Taiwan vocabulary').to.equal('zh-TW');
    expect(localeFromMessage('請問這張卡的額度', undefined, 'zh-TW'), 'Taiwan channel or +886 number').to.equal('zh-TW');
    expect(localeFromMessage('請問這張卡的額度', 'zh-TW', 'en'), 'previous zh-TW').to.equal('zh-TW');
    expect(await replyLocales([{ type: 'message', text: '請問這張卡的額度', locale: 'zh-Hant-TW' }])).to.deep.equal(['zh-TW']);
  });

  it('switches variety when the user clearly writes another', async () => {
    expect(await replyLocales(['我想睇下我嘅戶口', '我想查一下余额', 'what is my balance'])).to.deep.equal(['zh-HK', 'zh-CN', 'en']);
  });

  it("takes the directory's language as a prior for messages that cannot tell by themselves", async () => {
    const knownLanguage = async (): Promise<Locale> => 'zh-HK';
    expect(await replyLocales(['你好', '👍'], { knownLanguage })).to.deep.equal(['zh-HK', 'zh-HK']);
    expect(await replyLocales(['12345'], { knownLanguage })).to.deep.equal(['zh-HK']);
    // What the user writes still wins over the directory.
    expect(await replyLocales(['我想查一下余额', 'what is my balance'], { knownLanguage })).to.deep.equal(['zh-CN', 'en']);
  });
});

describe('reply language: switch requests', () => {
  it('recognises requests about the reply language in all four varieties', () => {
    const requests: readonly (readonly [string, Locale])[] = [
      ['please reply in English', 'en'],
      ['English please', 'en'],
      ['in English please', 'en'],
      ['Can you speak Cantonese?', 'zh-HK'],
      ['講廣東話', 'zh-HK'],
      ['轉返廣東話得唔得', 'zh-HK'],
      ['你識唔識講英文', 'en'],
      ['请说普通话', 'zh-CN'],
      ['用普通話回覆', 'zh-CN'],
      ['請用繁體中文', 'zh-TW'],
    ];
    for (const [text, locale] of requests) expect(recognizeLanguageRequest(text), text).to.equal(locale);
  });

  it('does not take a message that merely mentions a language as a request', () => {
    for (const text of [
      'my English name is spelled Chan Tai Man, not Chen',
      '我英文名串錯咗',
      '請改正我的英文名字',
      'I have an English exam tomorrow',
      'is there an english menu',
      '普通話課程幾錢',
      'where can I learn Cantonese',
    ]) {
      expect(recognizeLanguageRequest(text), text).to.equal(undefined);
    }
  });
});
