import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recognizeChoice } from '../../adapters/shared/choices.js';
import { MemoryDedupeStore } from '../../adapters/shared/dedupe-store.js';
import { stripMarkdown, toWhatsappFormatting } from '../../adapters/shared/markdown.js';
import { SendPacer } from '../../adapters/shared/send-pacer.js';
import { withRetry } from '../../adapters/shared/retry.js';
import { splitText } from '../../adapters/shared/split-text.js';
import { renderForWechat } from '../../adapters/wechat/render.js';
import { wechatToActivity, type WechatInbound } from '../../adapters/wechat/to-activity.js';
import { countryCallingCode } from '../../adapters/whatsapp/phone-locale.js';
import { renderForWhatsapp } from '../../adapters/whatsapp/render.js';
import { whatsappToActivity } from '../../adapters/whatsapp/to-activity.js';
import { projectRoot } from '../../src/project-root.js';
import { whatsappFixture } from './fake-whatsapp-client.js';
import { recordingClock } from './support.js';

function wechatFixture(name: string): WechatInbound {
  return JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'wechat', `${name}.json`), 'utf8')) as WechatInbound;
}

const EN = { reply: 'Reply {{numbers}}', separator: ', ', or: ' or ' };
const ZH = { reply: '回复 {{numbers}}', separator: '、', or: ' 或 ' };
const actions = [
  { type: 'imBack', title: '查余额', value: 'balance' },
  { type: 'imBack', title: '转账', value: 'transfer' },
  { type: 'imBack', title: '挂失', value: 'lost-card' },
];

describe('wechatToActivity (recorded payloads)', () => {
  it('turns a DM into a personal conversation with the contact\'s alias and tags for identity', () => {
    const result = wechatToActivity(wechatFixture('dm-text'));
    expect(result?.unsupportedMedia).to.equal(false);
    const activity = result!.activity;
    expect(activity).to.deep.include({ type: 'message', channelId: 'wechat', text: '我想查一下余额', id: '7263518203412097650' });
    expect(activity.conversation).to.deep.equal({ id: 'wxid_k2m9a7q1x3b422', isGroup: false, conversationType: 'personal', name: '李华' });
    expect(activity.from?.properties.wechat).to.deep.equal({
      id: 'wxid_k2m9a7q1x3b422', name: '李华', alias: '李华-白金卡客户', tags: ['VIP', '深圳'], city: 'Shenzhen', province: 'Guangdong',
    });
    expect(activity.recipient).to.deep.equal({ id: 'wxid_carebot_hk01', name: 'carebot', role: 'bot' });
  });

  it('takes a room message that mentions us, without the mention, in the room\'s conversation', () => {
    const activity = wechatToActivity(wechatFixture('room-mention'))!.activity;
    expect(activity.text).to.equal('你哋幾點開門？');
    expect(activity.conversation).to.deep.include({ id: '24513760923@chatroom', isGroup: true, name: '客戶服務群' });
    expect(activity.from?.id).to.equal('wxid_p8x3n0c6v2z122');
  });

  it('ignores room chatter, system notices and official accounts; flags a red packet as media', () => {
    expect(wechatToActivity(wechatFixture('room-no-mention'))).to.equal(null);
    expect(wechatToActivity(wechatFixture('system-notice'))).to.equal(null);
    expect(wechatToActivity(wechatFixture('official-account'))).to.equal(null);
    const red = wechatToActivity(wechatFixture('red-packet'));
    expect(red).to.deep.include({ unsupportedMedia: true });
    expect(red!.activity.text).to.equal('');
  });

  it('ignores our own messages', () => {
    const own = wechatFixture('dm-text');
    expect(wechatToActivity({ ...own, message: { ...own.message, talkerId: own.self.id }, talker: { id: own.self.id, name: 'carebot' } })).to.equal(null);
  });
});

describe('whatsappToActivity (recorded payloads)', () => {
  it('turns a DM into an Activity with the phone, its country and the country\'s language', () => {
    const activity = whatsappToActivity(whatsappFixture('dm-text-hk'))!.activity;
    expect(activity).to.deep.include({ channelId: 'whatsapp', text: '唔該，我張卡唔見咗', locale: 'zh-HK', id: 'false_85291234567@c.us_3EB0C4A2F1D5B7E9A1C3' });
    expect(activity.conversation).to.deep.include({ id: '85291234567@c.us', isGroup: false });
    expect(activity.from?.properties.whatsapp).to.deep.equal({ id: '85291234567@c.us', phone: '+85291234567', countryCode: '852', name: '陳大文' });
    expect(activity.timestamp?.toISOString()).to.equal('2025-11-25T12:00:00.000Z');
  });

  it('takes a group message only when it mentions us; the sender is the author', () => {
    expect(whatsappToActivity(whatsappFixture('group-no-mention'))).to.equal(null);
    const activity = whatsappToActivity(whatsappFixture('group-mention'))!.activity;
    expect(activity.text).to.equal('what time do you open on Saturday?');
    expect(activity.from).to.deep.include({ id: '447700900123@c.us', name: 'Oliver' });
    expect(activity.locale).to.equal('en');
    expect(activity.conversation).to.deep.include({ id: '120363041234567890@g.us', isGroup: true, name: 'Harbour Road residents' });
  });

  it('flags voice and images as media and ignores notifications', () => {
    expect(whatsappToActivity(whatsappFixture('dm-ptt'))).to.deep.include({ unsupportedMedia: true });
    expect(whatsappToActivity(whatsappFixture('dm-ptt'))!.activity.locale).to.equal('zh-CN');
    expect(whatsappToActivity(whatsappFixture('dm-image'))!.activity.text).to.equal('');
    expect(whatsappToActivity(whatsappFixture('e2e-notification'))).to.equal(null);
  });

  it('reads the calling code of a phone number', () => {
    expect(['+85291234567', '+8613812345678', '+886912345678', '+447700900123', '+12025550123'].map(countryCallingCode)).to.deep.equal([
      '852', '86', '886', '44', '1',
    ]);
  });
});

describe('render for WeChat and WhatsApp', () => {
  it('WeChat: markdown stripped, choices numbered in Chinese', () => {
    const rendered = renderForWechat({ type: 'message', text: '**请选择**：', suggestedActions: { to: [], actions } }, ZH);
    expect(rendered.texts).to.deep.equal(['请选择：\n\n1. 查余额\n2. 转账\n3. 挂失\n\n回复 1、2 或 3']);
    expect(rendered.choices).to.have.length(3);
  });

  it('WhatsApp: *bold*, hero card buttons become numbered choices, links stay as text', () => {
    const rendered = renderForWhatsapp(
      {
        type: 'message',
        text: 'Your **card** is _blocked_.',
        attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: { title: 'Card help', buttons: [
          { type: 'imBack', title: 'Unblock', value: 'unblock' },
          { type: 'openUrl', title: 'Branches', value: 'https://bank.example/branches' },
        ] } }],
      },
      EN,
    );
    expect(rendered.texts).to.deep.equal(['Your *card* is _blocked_.\n\nCard help\n\nBranches https://bank.example/branches\n\n1. Unblock\n\nReply 1']);
  });

  it('skips non-message activities', () => {
    expect(renderForWechat({ type: 'typing' }, EN).texts).to.deep.equal([]);
  });
});

describe('text helpers', () => {
  it('recognises a choice by number, Chinese numeral, title or value', () => {
    expect(recognizeChoice('2', actions)?.value).to.equal('transfer');
    expect(recognizeChoice('２', actions)?.value).to.equal('transfer');
    expect(recognizeChoice('第三个', actions)?.value).to.equal('lost-card');
    expect(recognizeChoice(' 查余额。', actions)?.value).to.equal('balance');
    expect(recognizeChoice('LOST-CARD', actions)?.value).to.equal('lost-card');
    expect(recognizeChoice('4', actions)).to.equal(undefined);
    expect(recognizeChoice('我想查余额', actions)).to.equal(undefined);
  });

  it('splits CJK and Latin text at sentence ends under the limit', () => {
    const text = '第一句话。第二句话比较长一点！第三句？ Fourth sentence here. Fifth.';
    const chunks = splitText(text, 12);
    expect(chunks).to.deep.equal(['第一句话。', '第二句话比较长一点！', '第三句？', 'Fourth', 'sentence', 'here. Fifth.']);
    expect(splitText(text, 30)).to.deep.equal(['第一句话。第二句话比较长一点！第三句？', 'Fourth sentence here. Fifth.']);
    expect(splitText('short', 100)).to.deep.equal(['short']);
    expect(splitText('a'.repeat(25), 10)).to.deep.equal(['a'.repeat(10), 'a'.repeat(10), 'a'.repeat(5)]);
  });

  it('strips markdown for WeChat and converts it for WhatsApp', () => {
    const md = '# Fees\n- **Annual**: _none_\n- See [the table](https://bank.example/fees) and `code`\n~~old~~';
    expect(stripMarkdown(md)).to.equal('Fees\n• Annual: none\n• See the table (https://bank.example/fees) and code\nold');
    expect(toWhatsappFormatting(md)).to.equal('*Fees*\n• *Annual*: _none_\n• See the table (https://bank.example/fees) and code\n~old~');
  });

  it('rate limiter spaces one chat\'s sends and the account\'s overall', async () => {
    const clock = recordingClock();
    const limiter = new SendPacer({ perChatPerSecond: 2, overallPerSecond: 4 }, clock);
    await limiter.acquire('a');
    await limiter.acquire('b');
    await limiter.acquire('a');
    expect(clock.slept).to.deep.equal([250, 250]);
  });

  it('retries with doubling backoff and rethrows the last error', async () => {
    const clock = recordingClock();
    let calls = 0;
    const error = await withRetry(async () => {
      calls += 1;
      throw new Error(`fail ${calls}`);
    }, { attempts: 3, baseDelayMs: 100 }, { clock }).catch((e: unknown) => e as Error);
    expect(calls).to.equal(3);
    expect(error.message).to.equal('fail 3');
    expect(clock.slept).to.have.length(2);
    expect(clock.slept[0]).to.be.within(100, 120);
    expect(clock.slept[1]).to.be.within(200, 240);
  });

  it('memory dedupe remembers ids for its TTL', async () => {
    // Not 0: lru-cache reads an entry stored at time 0 as one without a TTL (no real clock says 1970).
    let now = 1_000_000;
    const store = new MemoryDedupeStore(1000, () => now);
    expect(await store.firstSeen('x')).to.equal(true);
    expect(await store.firstSeen('x')).to.equal(false);
    now += 1001;
    expect(await store.firstSeen('x')).to.equal(true);
  });
});
