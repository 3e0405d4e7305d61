import { expect } from 'chai';
import { chromium, type Browser } from 'playwright-core';
import { startHarness, type Harness } from './harness.js';

describe('agent console: the visitor left (Chromium)', function () {
  this.timeout(60_000);
  let harness: Harness;
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  after(async () => browser?.close());
  afterEach(async () => harness?.close());

  it('tells the agent holding the conversation that the visitor left, and resolves it in one click', async () => {
    harness = await startHarness({ understand: (text) => (text === '我要真人' ? { intent: 'core.human' } : undefined) });
    await harness.say('may', '我要真人');
    const page = await browser.newPage();
    await page.goto(`${harness.url}/agent`);
    await page.fill('#agent-id', 'kit');
    await page.fill('#password', 'correct horse battery staple');
    await page.press('#password', 'Enter');
    await page.waitForSelector('#queues tbody tr:has-text("zh-HK")');
    await page.click('#next');
    await page.waitForSelector('#handoff:not([hidden])');
    expect(await page.isVisible('#visitor-left')).to.equal(false);
    const [handoffId] = await harness.feature.queue.heldBy('kit');

    await harness.customers.leave('may', 'zh-HK', harness.logic);
    await page.waitForSelector('#visitor-left:not([hidden])');
    expect(await page.textContent('#visitor-left')).to.include('The visitor left the kiosk');
    await page.click('#resolve-left');
    await page.waitForSelector('#status:has-text("Resolved.")');
    expect(await harness.feature.queue.heldBy('kit')).to.deep.equal([]);
    expect((await harness.feature.queue.get(handoffId!))?.outcome?.disposition).to.equal('visitor left');
    await page.close();
  });
});
