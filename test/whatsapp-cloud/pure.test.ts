import { expect } from 'chai';
import type { Activity, CardAction } from 'botbuilder';
import { renderCloudMessages, renderForWhatsappCloud } from '../../adapters/whatsapp-cloud/render.js';
import { sign, validSignature } from '../../adapters/whatsapp-cloud/signature.js';
import { withTemplate } from '../../adapters/whatsapp-cloud/template.js';
import { readWebhook } from '../../adapters/whatsapp-cloud/to-activity.js';
import { cloudFixture } from './fixtures.js';

const PHONE_NUMBER_ID = '106540352242922';
const EN = { reply: 'Reply {{numbers}}', separator: ', ', or: ' or ', menu: 'Options' };


function choices(titles: string[]): CardAction[] {
  return titles.map((title, index) => ({ type: 'imBack', title, value: `option-${index + 1}` }));
}

describe('WhatsApp Cloud API: webhook → Activity', () => {
  it('turns a text message into a message Activity from the wa_id, in the locale of its country code', () => {
    const { messages, statuses } = readWebhook(cloudFixture('text-cantonese'), PHONE_NUMBER_ID);
    expect(statuses).to.deep.equal([]);
    expect(messages).to.have.length(1);
    const [inbound] = messages;
    expect(inbound!.chatId).to.equal('85291234567');
    expect(inbound!.messageId).to.match(/^wamid\./);
    expect(inbound!.unsupportedMedia).to.equal(false);
    expect(inbound!.activity).to.deep.include({ type: 'message', channelId: 'whatsapp-cloud', text: '我張卡唔見咗，點算好？', locale: 'zh-HK' });
    expect(inbound!.activity.from).to.deep.include({ id: '85291234567', name: '陳大文' });
    expect((inbound!.activity.from!.properties as Record<string, { phone: string }>)['whatsapp-cloud']!.phone).to.equal('+85291234567');
    expect(readWebhook(cloudFixture('text-mandarin'), PHONE_NUMBER_ID).messages[0]!.activity.locale).to.equal('zh-CN');
    expect(readWebhook(cloudFixture('text-english'), PHONE_NUMBER_ID).messages[0]!.activity.locale).to.equal('en');
  });

  it('turns a tapped reply button or list row into the value carebot offered', () => {
    const button = readWebhook(cloudFixture('button-reply'), PHONE_NUMBER_ID).messages[0]!;
    expect(button.activity.text).to.equal('transfer');
    expect(button.activity.channelData).to.deep.include({ choiceTitle: 'Transfer money' });
    expect(readWebhook(cloudFixture('list-reply'), PHONE_NUMBER_ID).messages[0]!.activity.text).to.equal('opening-hours');
  });

  it('marks media as unsupported and ignores reactions, other numbers and other objects', () => {
    expect(readWebhook(cloudFixture('image'), PHONE_NUMBER_ID).messages[0]).to.deep.include({ unsupportedMedia: true });
    expect(readWebhook(cloudFixture('reaction'), PHONE_NUMBER_ID).messages).to.deep.equal([]);
    expect(readWebhook(cloudFixture('text-english'), '999').messages).to.deep.equal([]);
    expect(readWebhook({ ...cloudFixture('text-english'), object: 'page' }, PHONE_NUMBER_ID).messages).to.deep.equal([]);
  });

  it('reads statuses with their errors', () => {
    const { messages, statuses } = readWebhook(cloudFixture('status-failed'), PHONE_NUMBER_ID);
    expect(messages).to.deep.equal([]);
    expect(statuses).to.have.length(1);
    expect(statuses[0]).to.deep.include({ id: 'wamid.OUTBOUND', status: 'failed' });
    expect(statuses[0]!.errors![0]!.code).to.equal(131047);
  });
});

describe('WhatsApp Cloud API: Activity → messages', () => {
  it('sends text as text messages, formatted for WhatsApp, split at 4096 characters', () => {
    expect(renderForWhatsappCloud({ type: 'message', text: 'Your card is **blocked**.' }, EN).texts).to.deep.equal([{ type: 'text', text: { body: 'Your card is *blocked*.', preview_url: false } }]);
    const long = 'This sentence is about forty characters. '.repeat(200);
    const { texts } = renderForWhatsappCloud({ type: 'message', text: long }, EN);
    expect(texts.length).to.be.greaterThan(1);
    const bodies = texts.map((message) => (message.type === 'text' ? message.text.body : ''));
    for (const body of bodies) expect([...body].length).to.be.within(1, 4096);
    expect(bodies.join(' ')).to.equal(long.trim());
  });

  it('offers up to three short choices as reply buttons, the text as their body', () => {
    const activity: Partial<Activity> = { type: 'message', text: 'What would you like to do?', suggestedActions: { to: [], actions: choices(['Balance', 'Transfer', 'Lost card']) } };
    const rendered = renderForWhatsappCloud(activity, EN);
    expect(rendered.choices).to.have.length(3);
    expect(rendered.texts).to.deep.equal([
      {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'What would you like to do?' },
          action: { buttons: ['Balance', 'Transfer', 'Lost card'].map((title, index) => ({ type: 'reply', reply: { id: `option-${index + 1}`, title } })) },
        },
      },
    ]);
  });

  it('offers four to ten choices, or titles over 20 characters, as a list with a localized button', () => {
    const many = renderForWhatsappCloud({ type: 'message', text: 'Pick a topic', suggestedActions: { to: [], actions: choices(['a', 'b', 'c', 'd']) } }, { ...EN, menu: '選項' });
    expect(many.texts[0]).to.deep.include({ type: 'interactive' });
    const interactive = (many.texts[0] as unknown as { interactive: { type: string; action: { button: string; sections: { rows: unknown[] }[] } } }).interactive;
    expect(interactive.type).to.equal('list');
    expect(interactive.action.button).to.equal('選項');
    expect(interactive.action.sections[0]!.rows).to.deep.equal(['a', 'b', 'c', 'd'].map((title, index) => ({ id: `option-${index + 1}`, title })));
    const longTitles = renderForWhatsappCloud({ type: 'message', text: 'Pick', suggestedActions: { to: [], actions: choices(['A title of twenty-two c', 'Short']) } }, EN);
    expect((longTitles.texts[0] as { interactive: { type: string } }).interactive.type).to.equal('list');
  });

  it('falls back to a numbered list past ten choices or 24-character titles', () => {
    const eleven = renderForWhatsappCloud({ type: 'message', text: 'Pick', suggestedActions: { to: [], actions: choices('abcdefghijk'.split('')) } }, EN);
    expect(eleven.texts).to.have.length(1);
    expect(eleven.texts[0]).to.deep.include({ type: 'text' });
    expect((eleven.texts[0] as { text: { body: string } }).text.body).to.include('1. a\n2. b').and.include('Reply 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 or 11');
    const tooLong = renderForWhatsappCloud({ type: 'message', text: 'Pick', suggestedActions: { to: [], actions: choices(['A title well over twenty-four characters', 'b']) } }, EN);
    expect(tooLong.texts[0]).to.deep.include({ type: 'text' });
    expect(tooLong.choices).to.have.length(2);
  });

  it('sends an activity marked for a template as that template, its text in the one variable', () => {
    const activity = withTemplate({ type: 'message', text: 'Hello,\nyour card is ready.' }, { name: 'agent_reply', languageCode: 'zh_HK' });
    expect(renderCloudMessages(activity, EN).texts).to.deep.equal([
      {
        type: 'template',
        template: { name: 'agent_reply', language: { code: 'zh_HK' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Hello, · your card is ready.' }] }] },
      },
    ]);
  });
});

describe('WhatsApp Cloud API: X-Hub-Signature-256', () => {
  const body = Buffer.from(JSON.stringify(cloudFixture('text-english')));
  it('accepts the HMAC-SHA256 of the raw body with the app secret, and nothing else', () => {
    expect(validSignature(body, sign(body, 'app-secret'), 'app-secret')).to.equal(true);
    expect(validSignature(body, sign(body, 'other-secret'), 'app-secret')).to.equal(false);
    expect(validSignature(Buffer.concat([body, Buffer.from(' ')]), sign(body, 'app-secret'), 'app-secret')).to.equal(false);
    expect(validSignature(body, undefined, 'app-secret')).to.equal(false);
    expect(validSignature(body, 'sha256=abcd', 'app-secret')).to.equal(false);
    expect(validSignature(body, sign(body, 'app-secret').replace('sha256=', 'sha1='), 'app-secret')).to.equal(false);
  });
});
