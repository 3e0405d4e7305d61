import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startHarness, AGENTS, PASSWORD, type Harness } from './harness.js';

/**
 * Records every desktop notification the page constructs (the real one is still created). A
 * string, not a function: the test transpiler would add helpers the page does not have.
 */
const RECORD_NOTIFICATIONS = `
  (() => {
    const Real = window.Notification;
    window.notifications = [];
    function Recorded(title, options) {
      window.notifications.push({ title, body: options && options.body });
      return new Real(title, options);
    }
    Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
    Recorded.requestPermission = Real.requestPermission.bind(Real);
    window.Notification = Recorded;
  })();
`;

const notifications = (page: Page) => page.evaluate(() => (window as unknown as { notifications: { title: string; body?: string }[] }).notifications);

async function logIn(page: Page, url: string, agentId: string, path = '/agent'): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.fill('#agent-id', agentId);
  await page.fill('#password', PASSWORD);
  await page.press('#password', 'Enter');
  await page.waitForSelector('#login', { state: 'hidden' });
}

describe('agent workspace pages (Chromium)', function () {
  this.timeout(90_000);
  let harness: Harness | undefined;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  before(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  after(async () => browser?.close());
  afterEach(async () => {
    for (const context of contexts) await context?.close();
    contexts = [];
    await harness?.close();
    harness = undefined;
  });

  async function agentPage(url: string): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    await context.grantPermissions(['notifications'], { origin: url });
    await context.addInitScript(RECORD_NOTIFICATIONS);
    return context.newPage();
  }

  it('one agent previews, accepts and answers two chats at once, with unread counts, notifications, drafts, canned replies and notes', async () => {
    const h = (harness = await startHarness({
      understand: (text) => (text === '我要真人' || text === 'human please' ? { intent: 'core.human' } : undefined),
      env: { HANDOFF_CANNED_RESPONSES_FILE: 'config/canned-responses.example.yaml' },
    }));
    await h.say('may', '我要真人');
    await h.say('joe', 'human please', 'en');

    const page = await agentPage(h.url);
    await logIn(page, h.url, 'kit');
    await page.waitForSelector('#waiting button.chat >> nth=1');
    // Preview before accepting: the bot transcript of the waiting customer.
    await page.click('#waiting button.chat:has-text("Customer may")');
    await page.waitForSelector('#preview:not([hidden])');
    expect(await page.textContent('#preview-transcript')).to.include('我要真人');
    await page.click('#preview-accept');
    await page.waitForSelector('#customer:has-text("Customer may")');
    await page.click('#next');
    await page.waitForSelector('#customer:has-text("Customer joe")');
    await page.waitForSelector('#chats button.chat >> nth=1');
    expect(await page.textContent('#load')).to.equal('2/3');
    const held = await Promise.all((await h.feature.queue.heldBy('kit')).map((id) => h.feature.queue.get(id)));
    const mayId = held.find((r) => r?.payload.customer.id === 'may')!.id;
    const joeId = held.find((r) => r?.payload.customer.id === 'joe')!.id;

    await page.fill('#reply-text', 'draft for joe');
    // May writes while Joe's chat is open: her chat counts it unread, and the agent is alerted.
    await h.say('may', '張卡唔見咗');
    await page.waitForSelector(`#chats button[data-id="${mayId}"] .unread:has-text("1")`);
    const alerts = await notifications(page);
    expect(alerts.map((n) => n.title)).to.include('Customer may wrote');
    expect(alerts.find((n) => n.title === 'Customer may wrote')?.body).to.equal('張卡唔見咗');

    // Switching opens May's chat with an empty draft of its own; her message is read now.
    await page.click(`#chats button[data-id="${mayId}"]`);
    await page.waitForSelector('#customer:has-text("Customer may")');
    await page.waitForSelector(`#chats button[data-id="${mayId}"][data-unread="0"]`);
    expect(await page.inputValue('#reply-text')).to.equal('');
    // "/" searches the canned replies for this chat's skill and language; Enter fills one in.
    await page.fill('#reply-text', '/');
    await page.waitForSelector('#canned:not([hidden]) li[role=option]');
    await page.type('#reply-text', 'greet');
    await page.waitForSelector('#canned li[aria-selected=true]:has-text("Greeting")');
    await page.press('#reply-text', 'Enter');
    expect(await page.inputValue('#reply-text')).to.equal('Customer may你好，我係Kit，有咩可以幫到你？');
    await page.press('#reply-text', 'Control+Enter');
    await h.customers.waitFor('may', 'Customer may你好，我係Kit');
    // A private note stays with the agents.
    await page.fill('#note-text', 'Lost card, locked already?');
    await page.click('#note-form button');
    await page.waitForSelector('#messages li[data-from=note]:has-text("Lost card")');

    // Alt+↓ goes back to Joe's chat and his draft is still there.
    await page.keyboard.press('Alt+ArrowDown');
    await page.waitForSelector('#customer:has-text("Customer joe")');
    expect(await page.inputValue('#reply-text')).to.equal('draft for joe');
    await page.press('#reply-text', 'Control+Enter');
    await h.customers.waitFor('joe', 'draft for joe');
    expect(h.customers.lines('may').join('\n')).not.to.include('Lost card');
    expect((await h.feature.queue.messages(mayId)).some((m) => m.from === 'note')).to.equal(true);
    expect(joeId).to.not.equal(mayId);

    // Fits a 1366×768 laptop and a tablet in portrait without sideways scrolling.
    for (const viewport of [{ width: 1366, height: 768 }, { width: 768, height: 1024 }]) {
      await page.setViewportSize(viewport);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${viewport.width}px`).to.equal(true);
    }
  });

  it('a supervisor sees the floor, reads along and reassigns a chat; the new agent is alerted, the old one loses it', async () => {
    const h = (harness = await startHarness({
      understand: (text) => (text === '我要真人' ? { intent: 'core.human' } : undefined),
      agents: [...AGENTS, { id: 'boss', name: 'Boss', skills: ['general'], languages: ['zh-HK', 'en'], role: 'supervisor' }],
    }));
    await h.say('may', '我要真人');
    const kit = await h.agent('kit');
    const accepted = await kit.next();
    const handoffId = accepted.body.handoff.id as string;
    await h.say('may', '我張卡唔見咗');

    const sam = await agentPage(h.url);
    await logIn(sam, h.url, 'sam');
    await sam.waitForSelector('#load:has-text("0/3")');

    const boss = await agentPage(h.url);
    await logIn(boss, h.url, 'boss', '/supervisor');
    await boss.waitForSelector(`#live tr[data-handoff="${handoffId}"]`);
    expect(await boss.textContent('#agents tr[data-agent=kit]')).to.include('1/3');
    await boss.waitForSelector('#agents tr[data-agent=sam] [data-state=available]');
    await boss.click(`#live tr[data-handoff="${handoffId}"] .read-along`);
    await boss.waitForSelector('#read-messages li:has-text("我張卡唔見咗")');

    await boss.selectOption(`#live tr[data-handoff="${handoffId}"] .reassign-to`, 'sam');
    await boss.click(`#live tr[data-handoff="${handoffId}"] .reassign`);
    await boss.waitForSelector('#status:has-text("Reassigned to Sam")');
    await sam.waitForSelector(`#chats button[data-id="${handoffId}"]`);
    await sam.waitForSelector('#customer:has-text("Customer may")');
    expect((await notifications(sam)).map((n) => n.title)).to.include('New chat assigned');
    await h.customers.waitFor('may', 'Sam');
    expect((await kit.get(handoffId)).status).to.equal(403);
    expect(await h.feature.queue.heldBy('sam')).to.deep.equal([handoffId]);
    // Only supervisors see the floor.
    expect((await kit.call('GET', '/api/supervisor/floor')).status).to.equal(403);
    // The language switch re-renders the dynamic parts too, and is remembered.
    await boss.selectOption('select[data-i18n-language]', 'zh-HK');
    await boss.waitForSelector(`#live tr[data-handoff="${handoffId}"] .reassign:has-text("改派")`);
    await boss.reload();
    await boss.waitForSelector('#agents-title:has-text("客服")');
  });

  it('takes the token single sign-on hands back in the fragment, or shows why it failed', async () => {
    const h = (harness = await startHarness());
    const kit = await h.agent('kit');
    const page = await agentPage(h.url);
    await page.goto(`${h.url}/agent#sso-error=unknown-identity`);
    await page.waitForSelector('#login-error:has-text("no agent in the agents file has this identity")');
    expect(await page.evaluate(() => location.hash)).to.equal('');
    expect(await page.isHidden('#sso')).to.equal(true); // not configured here
    const back = await agentPage(h.url);
    await back.goto(`${h.url}/agent#token=${encodeURIComponent(kit.token)}`);
    await back.waitForSelector('#who:has-text("Kit")');
    expect(await back.evaluate(() => location.hash)).to.equal('');
  });
});
