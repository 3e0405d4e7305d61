import { expect } from 'chai';
import { chromium, type Browser } from 'playwright-core';
import { testRedisUrl } from '../support/test-redis.js';
import { startHarness, type Harness } from './harness.js';

describe('agent console page (Chromium)', function () {
  this.timeout(60_000);
  let harness: Harness;
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  after(async () => browser?.close());
  afterEach(async () => harness?.close());

  it('log in, accept, read the summary and assist, insert a suggestion, reply, resolve', async () => {
    harness = await startHarness({
      redisUrl: testRedisUrl(),
      understand: (text) => (text === '我要真人' ? { intent: 'core.human' } : text === '張卡唔見咗' ? { intent: 'bank.lost_card', sentiment: { score: -0.6, label: 'negative', angry: false } } : undefined),
      feature: { assist: { suggest: async ({ locale }) => [{ text: locale === 'zh-HK' ? '你可以喺 App 即時鎖卡。' : 'Lock the card in the app.', source: 'bank.lost_card' }] } },
    });
    await harness.say('may', '我要真人');
    await harness.say('may', '張卡唔見咗');

    const page = await browser.newPage();
    await page.goto(`${harness.url}/agent`);
    await page.fill('#agent-id', 'kit');
    await page.fill('#password', 'wrong');
    await page.click('#login button');
    await page.waitForSelector('#login-error:has-text("wrong password")');
    await page.fill('#password', 'correct horse battery staple');
    await page.press('#password', 'Enter');
    await page.waitForSelector('#queues tbody tr:has-text("zh-HK")');
    await page.click('#next');
    await page.waitForSelector('#handoff:not([hidden])');
    expect(await page.textContent('#summary')).to.include('我要真人');
    expect(await page.textContent('#messages')).to.include('張卡唔見咗');
    expect(await page.textContent('#assist-signals')).to.include('bank.lost_card');
    expect(await page.textContent('#assist-action')).to.include('apologise');
    // Keyboard: Alt+1 inserts the first suggestion, Ctrl+Enter sends.
    await page.keyboard.press('Alt+1');
    expect(await page.inputValue('#reply-text')).to.equal('你可以喺 App 即時鎖卡。');
    await page.press('#reply-text', 'Control+Enter');
    await harness.customers.waitFor('may', '你可以喺 App 即時鎖卡。');
    await page.waitForSelector('#messages li[data-from=agent]:has-text("即時鎖卡")');
    // A channel with read receipts (WhatsApp Cloud API) reports the reply read: the console marks it.
    const [handoffId] = await harness.feature.queue.heldBy('kit');
    const reply = (await harness.feature.queue.messages(handoffId!)).find((message) => message.from === 'agent')!;
    await harness.feature.service.recordReceipt({ origin: { handoffId: handoffId!, messageId: reply.id, agentId: 'kit' }, status: 'read' });
    const read = await page.waitForSelector('#messages li[data-delivery=read]');
    expect(await read.evaluate((element) => getComputedStyle(element, '::after').content)).to.include('read');
    // A new customer message shows up live.
    await harness.say('may', '好，唔該');
    await page.waitForSelector('#messages li:has-text("好，唔該")');
    await page.fill('#note', 'card locked');
    await page.click('#resolve-button');
    await page.waitForSelector('#status:has-text("Resolved.")');
    await harness.customers.waitFor('may', /你會點樣評分/);
    await page.close();
  });
});
