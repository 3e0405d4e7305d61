import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startKioskServer, type KioskServer } from './support/kiosk-server.js';

interface Spoken {
  text: string;
  lang: string;
}

describe('kiosk page in headless Chromium', function () {
  this.timeout(60_000);
  let server: KioskServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startKioskServer();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    page = await browser.newPage();
    // Headless Chromium has no speech engine: record what the page asks to speak instead.
    // (a string, not a function: tsx's compiled helpers do not exist in the page)
    await page.addInitScript(`
      window.__spoken = [];
      class Utterance { constructor(text) { this.text = text; this.lang = ''; this.voice = null; } }
      Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
      Object.defineProperty(window, 'speechSynthesis', {
        configurable: true,
        value: { speak: (u) => window.__spoken.push({ text: u.text, lang: u.lang }), cancel: () => undefined, getVoices: () => [] },
      });
    `);
  });
  afterEach(async () => {
    await page?.close();
  });

  const spoken = () => page.evaluate(() => (window as unknown as { __spoken: Spoken[] }).__spoken);

  it('tap a language, ask a question, see and hear the answer in that language; choices are big buttons', async () => {
    await page.goto(`${server.url}/kiosk?device=lobby-hk-1`);
    await page.getByRole('button', { name: '廣東話' }).click();
    await page.locator('#chat').waitFor({ state: 'visible' });
    expect(await page.locator('#send').textContent()).to.equal('發送');

    // the greeting arrives over the stream
    await page.locator('#messages li.bot').first().waitFor();
    await page.fill('#input', '你好');
    await page.click('#send');
    await page.locator('#messages li.user', { hasText: '你好' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('#messages li.bot').length >= 2);
    const answers = await page.locator('#messages li.bot').allTextContents();
    expect(answers.every((text) => text.length > 0)).to.equal(true);
    await page.waitForFunction(() => (window as unknown as { __spoken: Spoken[] }).__spoken.length >= 2);
    const said = await spoken();
    expect(said.map((s) => s.lang)).to.deep.equal(['zh-HK', 'zh-HK']);
    expect(said[1]!.text).to.equal(answers[1]);

    // choices the bot offers become big buttons; tapping one sends it
    const conversationId = await page.evaluate(async () => {
      const entries = performance.getEntriesByType('resource').map((entry) => entry.name);
      const match = entries.map((name) => /conversations\/([0-9a-f]{32})\/activities/.exec(name)).find(Boolean);
      return match ? match[1] : '';
    });
    expect(conversationId).to.match(/^[0-9a-f]{32}$/);
    const channel = server.carebot.channels.get('directline')!;
    await server.carebot.channels.continueConversation(
      { channelId: 'directline', conversation: { id: conversationId } as never, bot: { id: 'carebot', name: 'carebot' }, user: { id: 'visitor', name: '' }, serviceUrl: 'x' },
      async (context) => {
        await context.sendActivity({ text: '你想問邊樣？', locale: 'zh-HK', suggestedActions: { to: [], actions: [
          { type: 'imBack', title: '開放時間', value: '開放時間' },
          { type: 'imBack', title: '泊車', value: '泊車' },
        ] } });
      },
    );
    expect(channel.status().sendFailures).to.equal(0);
    const choice = page.locator('#suggestions button', { hasText: '泊車' });
    await choice.waitFor();
    const box = await choice.boundingBox();
    expect(box!.height, 'touch target at least 48 px high').to.be.at.least(48);
    await choice.click();
    await page.locator('#messages li.user', { hasText: '泊車' }).waitFor();
  });

  it('feature-detects speech recognition: no microphone button without it', async () => {
    await page.goto(`${server.url}/kiosk?device=lobby-hk-1`);
    const hasRecognition = await page.evaluate(() => 'webkitSpeechRecognition' in window || 'SpeechRecognition' in window);
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('#chat').waitFor({ state: 'visible' });
    expect(await page.locator('#mic').isVisible()).to.equal(hasRecognition);
    if (!hasRecognition) expect(await page.locator('#hint').textContent()).to.match(/type/);
  });

  it("clears the screen and starts a new conversation after the device's idle timeout", async () => {
    await page.clock.install();
    await page.goto(`${server.url}/kiosk?device=lobby-hk-1`);
    await page.getByRole('button', { name: '普通话' }).click();
    await page.locator('#messages li.bot').first().waitFor();
    await page.fill('#input', '你好');
    await page.click('#send');
    await page.locator('#messages li.user').waitFor();
    const nextSession = page.waitForRequest((request) => request.url().includes('/kiosk/session'));

    await page.clock.fastForward(61_000); // lobby-hk-1 resets after 60 s without a visitor
    await page.locator('#languages').waitFor({ state: 'visible' });
    expect(await page.locator('#chat').isHidden()).to.equal(true);
    expect(await page.locator('#messages li').count()).to.equal(0);
    await nextSession; // a new session (new token, new conversation) for the next visitor

    // the next visitor gets a fresh conversation
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('#messages li.bot').first().waitFor();
    expect(await page.locator('#messages li.user').count()).to.equal(0);
  });

  it('serves no session (so no token) to a device not configured for kiosk pages', async () => {
    const response = await fetch(`${server.url}/kiosk/session?device=plant-sz-1`);
    expect(response.status).to.equal(403);
    expect((await fetch(`${server.url}/kiosk/session?device=nope`)).status).to.equal(404);
    await page.goto(`${server.url}/kiosk?device=plant-sz-1`);
    await page.locator('#status', { hasText: 'not available' }).waitFor();
  });
});
