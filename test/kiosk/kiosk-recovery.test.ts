import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HandoffFeature } from '../../src/handoff/handoff-feature.js';
import { projectRoot } from '../../src/project-root.js';
import { call, startKioskServer, type KioskServer } from './support/kiosk-server.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
/** The kiosk's words when it had to start over by itself (locales/zh-HK/kiosk.json). */
const RECONNECTED_ZH_HK = /頭先斷咗線/;

/** Headless Chromium has no speech engine: a silent one. */
const SILENT_SPEECH = `
  Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: { speak: () => undefined, cancel: () => undefined, getVoices: () => [] } });
`;

async function until<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Conversation ids the page used, in order (from the Direct Line requests it made). */
function conversationsOf(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const id = /\/conversations\/([0-9a-f]{32})\//.exec(request.url())?.[1];
    if (id && !seen.includes(id)) seen.push(id);
  });
  return seen;
}

async function ask(page: Page, text: string): Promise<void> {
  const before = await page.locator('#messages li.bot').count();
  await page.fill('#input', text);
  await page.click('#send');
  await page.locator('#messages li.user', { hasText: text }).last().waitFor();
  await page.waitForFunction((count) => document.querySelectorAll('#messages li.bot').length > count, before);
}

describe('kiosk page recovers by itself (headless Chromium)', function () {
  this.timeout(90_000);
  let browser: Browser;
  let page: Page;
  const servers: KioskServer[] = [];

  before(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage();
    await page.addInitScript(SILENT_SPEECH);
  });
  afterEach(async () => {
    await page?.close();
    while (servers.length) await servers.pop()!.close();
  });

  async function serve(env: Record<string, string> = {}, port?: number): Promise<KioskServer> {
    const server = await startKioskServer(env, { port });
    servers.push(server);
    return server;
  }

  const restarts: { name: string; env: Record<string, string> }[] = [
    { name: 'the same KIOSK_TOKEN_SECRET (the conversation is gone: 404)', env: {} },
    { name: 'another token key (as without KIOSK_TOKEN_SECRET: the token is refused, 403)', env: { KIOSK_TOKEN_SECRET: 'a-different-kiosk-token-secret-0123456789' } },
  ];
  for (const restart of restarts) {
    it(`after a server restart with ${restart.name}: a new conversation in the chosen language, said kindly, and the visitor carries on`, async () => {
      const first = await serve();
      const port = Number(new URL(first.url).port);
      const conversations = conversationsOf(page);
      await page.goto(`${first.url}/kiosk?device=lobby-hk-1`);
      await page.getByRole('button', { name: '廣東話' }).click();
      await page.locator('#messages li.bot').first().waitFor();
      await ask(page, '你好');

      await servers.pop()!.close();
      await serve(restart.env, port);

      await page.locator('#messages li.notice', { hasText: RECONNECTED_ZH_HK }).waitFor({ timeout: 30_000 });
      // the new conversation greets in Cantonese and answers; the hint does not sit on "reconnecting"
      await ask(page, '你好');
      expect(await page.locator('#hint').textContent()).to.equal('');
      expect(await page.evaluate(() => document.documentElement.lang)).to.equal('zh-HK');
      expect(await page.locator('#send').textContent()).to.equal('發送');
      expect(conversations).to.have.length(2);
    });
  }

  it('renews its token at half its life on an idle language screen: the next visitor gets a greeting, with no new session', async () => {
    const server = await serve({ KIOSK_TOKEN_TTL_SECONDS: '4' });
    let sessions = 0;
    let firstToken = '';
    page.on('response', async (response) => {
      if (!response.url().includes('/kiosk/session')) return;
      sessions += 1;
      if (!firstToken) firstToken = ((await response.json()) as { token: string }).token;
    });
    const renewals: number[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/v3/directline/tokens/refresh')) renewals.push(response.status());
    });
    await page.goto(`${server.url}/kiosk?device=lobby-hk-1`);
    await page.locator('#languages').waitFor();
    // Idle until the token the page was first given has expired on the server.
    await until(async () => firstToken && (await call(`${server.url}/v3/directline/tokens/refresh`, 'POST', firstToken)).status === 403, 'the first token expired');
    expect(renewals.length, 'renewed while idle').to.be.at.least(1);
    expect(renewals.every((status) => status === 200)).to.equal(true);

    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('#messages li.bot').first().waitFor();
    expect(sessions, 'the renewed token started the conversation').to.equal(1);
    expect(await page.locator('#messages li.notice').count()).to.equal(0);
  });

  it('renews the conversation token while a visitor is reading: the conversation goes on after the first token expired', async () => {
    const server = await serve({ KIOSK_TOKEN_TTL_SECONDS: '4' });
    const conversations = conversationsOf(page);
    let startToken = '';
    page.on('response', async (response) => {
      if (response.url().endsWith('/v3/directline/conversations') && !startToken) startToken = ((await response.json()) as { token: string }).token;
    });
    await page.goto(`${server.url}/kiosk?device=lobby-hk-1`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('#messages li.bot').first().waitFor();
    await until(async () => startToken && (await call(`${server.url}/v3/directline/tokens/refresh`, 'POST', startToken)).status === 403, 'the first token expired');
    await ask(page, 'Hello');
    expect(conversations).to.have.length(1);
    expect(await page.locator('#messages li.notice').count()).to.equal(0);
  });
});

describe('kiosk: a visitor who walks away while queued leaves no handoff waiting', function () {
  this.timeout(90_000);
  let browser: Browser;
  let page: Page;
  let server: KioskServer;
  const handoffEnv = {
    HANDOFF_AGENTS_FILE: join(projectRoot(), 'config', 'agents.example.yaml'),
    HANDOFF_SKILLS_FILE: join(projectRoot(), 'config', 'handoff-skills.example.yaml'),
  };
  const waiting = () => (server.carebot.features.find((feature) => feature.name === 'handoff') as HandoffFeature).queue.waitingIds();

  before(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    server = await startKioskServer(handoffEnv);
    page = await browser.newPage();
    await page.addInitScript(SILENT_SPEECH);
  });
  afterEach(async () => {
    await page?.close();
    await server?.close();
  });

  async function queueForAPerson(): Promise<void> {
    await page.goto(`${server.url}/kiosk?device=lobby-hk-1`);
    await page.getByRole('button', { name: '廣東話' }).click();
    await page.locator('#messages li.bot').first().waitFor();
    await page.fill('#input', '我要真人');
    await page.click('#send');
    await page.locator('#waiting').waitFor({ state: 'visible' });
    expect(await page.locator('#waiting-text').textContent()).to.equal('幫緊你等職員…');
    await until(async () => (await waiting()).length === 1, 'the handoff queued');
  }

  it('waits longer than the idle reset while queued, and the idle reset then cancels the handoff', async () => {
    await page.clock.install();
    await queueForAPerson();
    await page.clock.fastForward(61_000); // past lobby-hk-1's 60 s idle reset
    expect(await page.locator('#chat').isVisible(), 'still waiting for a person').to.equal(true);
    expect(await waiting()).to.have.length(1);

    await page.clock.fastForward(600_000); // past the waiting idle reset (waitingIdleTimeoutSeconds: 600)
    await page.locator('#languages').waitFor({ state: 'visible' });
    await until(async () => (await waiting()).length === 0, 'no handoff waiting');
  });

  it('"start over" cancels the handoff', async () => {
    await queueForAPerson();
    await page.click('#start-over');
    await page.locator('#languages').waitFor({ state: 'visible' });
    await until(async () => (await waiting()).length === 0, 'no handoff waiting');
  });

  it('the big "stop waiting" button leaves the queue and the wait disappears', async () => {
    await queueForAPerson();
    const button = await page.locator('#cancel-waiting').boundingBox();
    expect(button!.height).to.be.at.least(64);
    await page.click('#cancel-waiting');
    await page.locator('#messages li.user', { hasText: '唔等喇' }).waitFor();
    await page.locator('#waiting').waitFor({ state: 'hidden' });
    await until(async () => (await waiting()).length === 0, 'no handoff waiting');
  });
});

describe('kiosk: a Direct Line client gone DIRECTLINE_ABANDON_AFTER_MS leaves no handoff waiting', function () {
  this.timeout(30_000);
  let server: KioskServer;
  before(async () => {
    server = await startKioskServer({
      DIRECTLINE_ABANDON_AFTER_MS: '1500',
      HANDOFF_AGENTS_FILE: join(projectRoot(), 'config', 'agents.example.yaml'),
      HANDOFF_SKILLS_FILE: join(projectRoot(), 'config', 'handoff-skills.example.yaml'),
    });
  });
  after(async () => server?.close());

  it('cancels the waiting handoff of a client that stopped polling, and not while it polls', async () => {
    const handoff = server.carebot.features.find((feature) => feature.name === 'handoff') as HandoffFeature;
    const base = `${server.url}/v3/directline`;
    const session = await call(`${server.url}/kiosk/session?device=lobby-hk-1`, 'GET', undefined);
    const started = await call(`${base}/conversations`, 'POST', session.body.token as string, { locale: 'zh-HK' });
    const { conversationId, token } = started.body as { conversationId: string; token: string };
    await call(`${base}/conversations/${conversationId}/activities`, 'POST', token, { type: 'message', text: '我要真人' });
    await until(async () => (await handoff.queue.waitingIds()).length === 1, 'the handoff queued');
    // Polling for twice the abandonment time keeps the handoff.
    const pollUntil = Date.now() + 3000;
    while (Date.now() < pollUntil) {
      await call(`${base}/conversations/${conversationId}/activities`, 'GET', token);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await handoff.queue.waitingIds()).to.have.length(1);
    // Then the client is gone.
    await until(async () => (await handoff.queue.waitingIds()).length === 0, 'the handoff cancelled', 15_000);
  });
});
