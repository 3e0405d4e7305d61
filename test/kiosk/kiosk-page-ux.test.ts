import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { chromium, type Browser, type Page } from 'playwright-core';
import { WebSocketServer } from 'ws';
import { DEVICES_YAML, startKioskServer, type KioskServer } from './support/kiosk-server.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
/** A portrait kiosk screen. */
const PORTRAIT = { width: 1080, height: 1920 };
const SILENT_SPEECH = `
  Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: { speak: () => undefined, cancel: () => undefined, getVoices: () => [] } });
`;

/** A SpeechRecognition that fails with `error` when started, as Chromium's does (onerror, then onend). */
const failingRecognition = (error: string) => `
  class FailingRecognition {
    start() { setTimeout(() => { this.onerror && this.onerror({ error: ${JSON.stringify(error)} }); this.onend && this.onend(); }, 10); }
    stop() {} abort() {}
  }
  Object.defineProperty(window, 'SpeechRecognition', { configurable: true, value: FailingRecognition });
`;

async function conversationIdOf(page: Page): Promise<string> {
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((entry) => /\/conversations$/.test(entry.name)));
  // The page's stream URL names it; the server's only conversation of this page is the newest.
  return page.evaluate(() => {
    const entry = performance.getEntriesByType('resource').map((e) => e.name).find((name) => /\/conversations\/[0-9a-f]{32}\//.test(name));
    return entry ? /\/conversations\/([0-9a-f]{32})\//.exec(entry)![1]! : '';
  });
}

describe('kiosk page on a portrait kiosk (headless Chromium)', function () {
  this.timeout(60_000);
  let server: KioskServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startKioskServer();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: PORTRAIT });
    await page.addInitScript(SILENT_SPEECH);
  });
  afterEach(async () => page?.close());

  async function open(language = '廣東話'): Promise<string> {
    await page.goto(`${server.url}/kiosk?device=lobby-hk-1`);
    await page.getByRole('button', { name: language }).click();
    await page.locator('#messages li.bot').first().waitFor();
    // Say something so the conversation id shows in a request the test can read.
    await page.fill('#input', '你好');
    await page.click('#send');
    await page.waitForFunction(() => document.querySelectorAll('#messages li.bot').length >= 2);
    return conversationIdOf(page);
  }

  /** The bot (or the handoff, as an agent) says something to the page's conversation. */
  async function botSays(conversationId: string, activities: Partial<Activity>[]): Promise<void> {
    await server.carebot.channels.continueConversation(
      { channelId: 'directline', conversation: { id: conversationId } as never, bot: { id: 'carebot', name: 'carebot' }, user: { id: 'visitor', name: '' }, serviceUrl: 'x' },
      async (context) => {
        await context.sendActivities(activities.map((activity) => ({ type: 'message', locale: 'zh-HK', ...activity })));
      },
    );
  }

  it('never hides the newest answer behind the suggestion buttons, however long the log', async () => {
    const id = await open();
    await botSays(id, Array.from({ length: 25 }, (_, i) => ({ text: `第 ${i + 1} 段：${'好長嘅答案。'.repeat(8)}` })));
    await botSays(id, [{ text: '最新嘅答案：你想問邊樣？', suggestedActions: { to: [], actions: ['開放時間', '泊車', '交通', '餐廳', '洗手間', '會議室'].map((title) => ({ type: 'imBack', title, value: title })) } }]);
    await page.locator('#suggestions button', { hasText: '會議室' }).waitFor();
    await page.waitForFunction(() => {
      const log = document.getElementById('messages')!;
      return log.scrollHeight > log.clientHeight && Math.abs(log.scrollTop + log.clientHeight - log.scrollHeight) < 2;
    });
    const newest = await page.locator('#messages li', { hasText: '最新嘅答案' }).boundingBox();
    const log = await page.locator('#messages').boundingBox();
    const suggestions = await page.locator('#suggestions').boundingBox();
    expect(newest!.y, 'top in view').to.be.at.least(log!.y - 1);
    expect(newest!.y + newest!.height, 'bottom above the suggestion bar').to.be.at.most(suggestions!.y + 1);
    expect(newest!.y + newest!.height, 'bottom inside the log').to.be.at.most(log!.y + log!.height + 1);
  });

  it('gives every button a touch target of at least 64 × 64 px, with inline SVG icons and no emoji', async () => {
    await page.goto(`${server.url}/kiosk?device=lobby-hk-1`);
    for (const box of await Promise.all((await page.locator('#languages button').all()).map((button) => button.boundingBox()))) {
      expect(box!.height).to.be.at.least(64);
      expect(box!.width).to.be.at.least(64);
    }
    const id = await open('English');
    await botSays(id, [{ text: 'Pick one', suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Parking', value: 'Parking' }] } }]);
    await page.locator('#suggestions button').first().waitFor();
    const buttons = await page.locator('#chat button:visible').all();
    expect(buttons.length).to.be.at.least(3);
    for (const button of buttons) {
      const box = await button.boundingBox();
      const name = await button.textContent();
      expect(box!.height, `${name} height`).to.be.at.least(64);
      expect(box!.width, `${name} width`).to.be.at.least(64);
    }
    expect(await page.locator('#send svg use').count()).to.equal(1);
    expect(await page.locator('#start-over svg use').count()).to.equal(1);
    const text = await page.evaluate(() => document.body.innerText);
    expect(text, 'no emoji (they are empty boxes without an emoji font)').to.not.match(/\p{Extended_Pictographic}/u);
  });

  it("shows an agent's messages apart from the bot's, labelled as staff", async () => {
    const id = await open();
    await botSays(id, [{ text: '你而家同 Kit 傾緊偈。', channelData: { handoff: 'agent' } }, { text: '你好，我係 Kit，有咩可以幫你？', channelData: { handoff: 'agent', from: 'agent' } }]);
    const agent = page.locator('#messages li.agent');
    await agent.waitFor();
    expect(await agent.textContent()).to.equal('職員你好，我係 Kit，有咩可以幫你？');
    const [agentStyle, botStyle] = await Promise.all([
      agent.evaluate((element) => getComputedStyle(element).backgroundColor),
      page.locator('#messages li.bot').last().evaluate((element) => getComputedStyle(element).backgroundColor),
    ]);
    expect(agentStyle).to.not.equal(botStyle);
    expect(await page.locator('#messages li.bot', { hasText: '你而家同 Kit 傾緊偈' }).count()).to.equal(1);
  });

  it('asks for the CSAT rating with five big buttons and sends the one tapped', async () => {
    const id = await open();
    await botSays(id, [{ text: 'Kit 已經完咗今次對話。你會點樣評分？1（好差）至 5（好好）。', channelData: { handoff: 'survey' } }]);
    const ratings = page.locator('#suggestions button.rating');
    await ratings.first().waitFor();
    expect(await ratings.count()).to.equal(5);
    for (const box of await Promise.all((await ratings.all()).map((button) => button.boundingBox()))) expect(box!.height).to.be.at.least(64);
    const before = server.turns.length;
    await page.getByRole('button', { name: '你嘅評分 4' }).click();
    await page.locator('#messages li.user', { hasText: /^4$/ }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('#suggestions button.rating').length === 0);
    for (let attempt = 0; attempt < 200 && !server.turns.slice(before).some((turn) => turn.activity.text === '4'); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(server.turns.slice(before).some((turn) => turn.activity.text === '4')).to.equal(true);
  });

  for (const [error, message] of [
    ['not-allowed', '呢部服務機唔准用咪高峰，請打字。'],
    ['network', '語音輸入要網絡連線，而家連唔到，請打字。'],
    ['service-not-allowed', '語音輸入暫時用唔到，請打字。'],
  ] as const) {
    it(`microphone failure "${error}": says why in the kiosk's language and hides the button`, async () => {
      await page.addInitScript(failingRecognition(error));
      await open();
      await page.locator('#mic').click();
      await page.locator('#hint', { hasText: message }).waitFor();
      expect(await page.locator('#mic').isHidden()).to.equal(true);
    });
  }

  it('"no-speech" only asks to try again: the button stays', async () => {
    await page.addInitScript(failingRecognition('no-speech'));
    await open();
    await page.locator('#mic').click();
    await page.locator('#hint', { hasText: '聽唔清楚' }).waitFor();
    expect(await page.locator('#mic').isVisible()).to.equal(true);
  });
});

describe('kiosk page voice input settings per device (headless Chromium)', function () {
  this.timeout(60_000);
  let server: KioskServer;
  let browser: Browser;
  let asr: WebSocketServer;
  const heard: { start?: Record<string, unknown>; audioBytes: number; url?: string } = { audioBytes: 0 };

  before(async () => {
    // A tiny operator ASR: takes the start message and PCM frames, answers the final text on "stop".
    asr = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => asr.once('listening', resolve));
    asr.on('connection', (ws, req) => {
      heard.url = req.url;
      ws.on('message', (data, isBinary) => {
        if (isBinary) {
          heard.audioBytes += (data as Buffer).length;
          return;
        }
        const message = JSON.parse(String(data)) as Record<string, unknown>;
        if (message.type === 'start') heard.start = message;
        if (message.type === 'stop') ws.send(JSON.stringify({ type: 'final', text: heard.audioBytes > 0 ? '開放時間' : '' }));
      });
    });
    const asrUrl = `ws://127.0.0.1:${(asr.address() as AddressInfo).port}/recognize`;
    server = await startKioskServer({}, {
      devicesYaml: `${DEVICES_YAML}
  - id: quiet-1
    secret: quiet-secret-0123456789
    language: zh-HK
    voiceInput: none
    pageNetworks: ["127.0.0.1/32", "::1"]
  - id: onprem-asr-1
    secret: onprem-secret-0123456789
    language: zh-HK
    voiceInput: websocket
    asrUrl: ${asrUrl}
    pageNetworks: ["127.0.0.1/32", "::1"]
`,
    });
    // A fake microphone (a tone) that needs no permission prompt.
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'] });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await new Promise((resolve) => asr?.close(resolve));
  });

  it('"voiceInput: none" shows no microphone and no apology, even where the browser could listen', async () => {
    const page = await browser.newPage();
    await page.addInitScript(`${SILENT_SPEECH}${failingRecognition('network')}`);
    await page.goto(`${server.url}/kiosk?device=quiet-1`);
    await page.getByRole('button', { name: '廣東話' }).click();
    await page.locator('#chat').waitFor({ state: 'visible' });
    expect(await page.locator('#mic').isHidden()).to.equal(true);
    expect(await page.locator('#hint').textContent()).to.equal('');
    await page.close();
  });

  it('"voiceInput: websocket" streams 16 kHz PCM to the operator ASR and sends what it recognised', async () => {
    const page = await browser.newPage();
    await page.addInitScript(SILENT_SPEECH);
    await page.goto(`${server.url}/kiosk?device=onprem-asr-1`);
    await page.getByRole('button', { name: '廣東話' }).click();
    await page.locator('#messages li.bot').first().waitFor();
    await page.locator('#mic').click();
    for (let attempt = 0; attempt < 400 && heard.audioBytes < 16_000; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(heard.audioBytes, 'audio reached the ASR').to.be.at.least(16_000);
    expect(heard.start).to.deep.equal({ type: 'start', language: 'zh-HK', sampleRate: 16000, encoding: 'pcm_s16le', channels: 1 });
    expect(heard.url).to.equal('/recognize?language=zh-HK');
    await page.locator('#mic').click(); // stop: the ASR answers the final text
    await page.locator('#messages li.user', { hasText: '開放時間' }).waitFor();
    expect(await page.locator('#mic').getAttribute('aria-pressed')).to.equal('false');
    await page.close();
  });
});
