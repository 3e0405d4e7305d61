import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startKioskServer, type KioskServer } from '../kiosk/support/kiosk-server.js';
import { createDialogBot, type DialogBot } from '../support/dialog-bot.js';
import { deleteKeys, prefixName, testRedisUrl, uniquePrefix } from '../support/test-redis.js';

const ADMIN = 'security-headers-admin-token-1234';

describe('security headers on every HTML page', function () {
  this.timeout(90_000);
  let server: KioskServer | undefined;
  let browser: Browser | undefined;
  const prefix = uniquePrefix();

  before(async () => {
    // Kiosk, agent console, dashboard, channels and (with Redis) bull-board, in one real server.
    server = await startKioskServer({
      ADMIN_TOKEN: ADMIN,
      HANDOFF_AGENTS_FILE: 'config/agents.example.yaml',
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefixName(prefix),
      ANALYTICS_ENABLED: 'true',
    });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    await deleteKeys(redis, prefix);
    await redis?.quit();
  });

  const PAGES: [string, Record<string, string>][] = [
    ['/kiosk?device=lobby-hk-1', {}],
    ['/agent', {}],
    ['/dashboard', {}],
    ['/dashboard', { cookie: `carebot_admin=${ADMIN}` }],
    ['/admin/channels', { authorization: `Bearer ${ADMIN}` }],
    ['/admin/queues/', { authorization: `Bearer ${ADMIN}` }],
  ];

  it('CSP with frame-ancestors, nosniff, X-Frame-Options and Referrer-Policy on each page', async () => {
    for (const [path, headers] of PAGES) {
      const response = await fetch(`${server!.url}${path}`, { headers });
      expect(response.status, path).to.equal(200);
      expect(response.headers.get('content-type'), path).to.match(/text\/html/);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).to.include("frame-ancestors 'none'").and.include("object-src 'none'").and.match(/script-src 'self'(;|$)/);
      expect(response.headers.get('x-content-type-options'), path).to.equal('nosniff');
      expect(response.headers.get('x-frame-options'), path).to.equal('DENY');
      expect(response.headers.get('referrer-policy'), path).to.equal('no-referrer');
    }
  });

  /** A page that records every CSP violation (the event, and Chromium's console error). */
  async function watchedPage(): Promise<{ page: Page; violations: () => Promise<string[]> }> {
    const page = await browser!.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) consoleErrors.push(message.text());
    });
    await page.addInitScript(`
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
    `);
    return {
      page,
      violations: async () => [...consoleErrors, ...(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations))],
    };
  }

  it('the pages still work under their CSP in Chromium (no violations)', async () => {
    const base = server!.url;
    const kiosk = await watchedPage();
    await kiosk.page.goto(`${base}/kiosk?device=lobby-hk-1`);
    await kiosk.page.getByRole('button', { name: '廣東話' }).click();
    await kiosk.page.locator('#messages li.bot').first().waitFor();
    expect(await kiosk.violations(), '/kiosk').to.deep.equal([]);

    const agent = await watchedPage();
    await agent.page.goto(`${base}/agent`);
    await agent.page.fill('#agent-id', 'kit');
    await agent.page.fill('#password', 'change me');
    await agent.page.click('#login button');
    await agent.page.waitForSelector('#desk:not([hidden])');
    expect(await agent.violations(), '/agent').to.deep.equal([]);

    const dashboard = await watchedPage();
    await dashboard.page.goto(`${base}/dashboard`);
    await dashboard.page.fill('input[name=token]', ADMIN);
    await dashboard.page.click('button[type=submit]');
    await dashboard.page.waitForSelector('body[data-loaded=true]');
    expect(await dashboard.page.locator('canvas').count()).to.be.above(0);
    expect(await dashboard.violations(), '/dashboard').to.deep.equal([]);

    // Same browser context: the dashboard login's cookie opens the admin pages.
    const channels = await watchedPage();
    await channels.page.context().addCookies([{ name: 'carebot_admin', value: ADMIN, url: base }]);
    await channels.page.goto(`${base}/admin/channels`);
    await channels.page.waitForSelector('table tbody tr');
    expect(await channels.page.evaluate(() => getComputedStyle(document.body).marginTop), 'the hashed inline style applies').to.equal('32px');
    expect(await channels.violations(), '/admin/channels').to.deep.equal([]);

    const queues = await watchedPage();
    await queues.page.context().addCookies([{ name: 'carebot_admin', value: ADMIN, url: base }]);
    await queues.page.goto(`${base}/admin/queues/`);
    await queues.page.waitForFunction(() => !document.body.textContent?.includes('Loading') && (document.getElementById('root')?.children.length ?? 0) > 0);
    expect(await queues.violations(), '/admin/queues').to.deep.equal([]);
  });
});

describe('/metrics access', function () {
  this.timeout(60_000);
  const bots: DialogBot[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const bot of bots) await bot?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function metricsStatus(env: Record<string, string>, authorization?: string): Promise<number> {
    const bot = await createDialogBot(env);
    bots.push(bot);
    const server = bot.carebot.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`, { headers: authorization ? { authorization } : {} });
      return response.status;
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('is public outside production without a token, asks for METRICS_TOKEN when set, and is closed in production without one', async () => {
    expect(await metricsStatus({})).to.equal(200);
    const token = 'metrics-token-0123456789abcdef';
    expect(await metricsStatus({ METRICS_TOKEN: token })).to.equal(401);
    expect(await metricsStatus({ METRICS_TOKEN: token }, `Bearer ${token}`)).to.equal(200);
    const dir = mkdtempSync(join(tmpdir(), 'carebot-metrics-'));
    dirs.push(dir);
    expect(await metricsStatus({ NODE_ENV: 'production', ANALYTICS_SQLITE_FILE: join(dir, 'analytics.sqlite') })).to.equal(503);
  });
});
