import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser } from 'playwright-core';
import { projectRoot } from '../../src/project-root.js';
import { call, LOBBY_SECRET, startKioskServer, type KioskServer } from './support/kiosk-server.js';

/** Web Chat's bundle from the npm package (a devDependency), never a CDN. */
const WEBCHAT_BUNDLE = join(projectRoot(), 'node_modules', 'botframework-webchat', 'dist', 'webchat.js');
const EMBED_PAGE = join(projectRoot(), 'test', 'fixtures', 'kiosk', 'webchat-embed.html');

/**
 * "Our website" on its own origin: the embed page, Web Chat's bundle, and the backend token
 * endpoint that holds the device secret (generate a token, or renew one for a conversation).
 */
async function startWebsite(carebotUrl: () => string): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(readFileSync(EMBED_PAGE));
    } else if (url.pathname === '/webchat.js') {
      res.setHeader('content-type', 'text/javascript; charset=utf-8');
      res.end(readFileSync(WEBCHAT_BUNDLE));
    } else if (url.pathname === '/api/directline/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { conversationId } = JSON.parse(body || '{}') as { conversationId?: string };
        const answer = conversationId
          ? call(`${carebotUrl()}/v3/directline/conversations/${encodeURIComponent(conversationId)}`, 'GET', LOBBY_SECRET)
          : call(`${carebotUrl()}/v3/directline/tokens/generate`, 'POST', LOBBY_SECRET, {});
        void answer.then(({ status, body: json }) => {
          res.statusCode = status;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(json));
        });
      });
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  // "localhost" rather than carebot's 127.0.0.1: another host and another port, plainly cross-origin.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://localhost:${(server.address() as { port: number }).port}`, server };
}

describe('Web Chat (botframework-webchat from npm) on another origin talks to carebot', function () {
  this.timeout(90_000);
  let browser: Browser | undefined;
  let carebot: KioskServer | undefined;
  let website: { origin: string; server: Server } | undefined;

  afterEach(async () => {
    await browser?.close();
    await carebot?.close();
    if (website) await new Promise((resolve) => website!.server.close(resolve));
    browser = carebot = website = undefined;
  });

  async function open(allowed: boolean) {
    website = await startWebsite(() => carebot!.url);
    carebot = await startKioskServer(allowed ? { DIRECTLINE_ALLOWED_ORIGINS: website.origin } : {});
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const page = await browser.newPage();
    const corsErrors: string[] = [];
    page.on('console', (message) => {
      if (/CORS|Access-Control/i.test(message.text())) corsErrors.push(message.text());
    });
    await page.goto(`${website.origin}/?carebot=${encodeURIComponent(carebot.url)}`);
    return { page, corsErrors };
  }

  it('with the website in DIRECTLINE_ALLOWED_ORIGINS: the greeting arrives, a question is answered', async () => {
    const { page, corsErrors } = await open(true);
    expect(new URL(carebot!.url).origin).to.not.equal(website!.origin);
    // The greeting (the conversationUpdate turn), then an answer to what the visitor types.
    await page.waitForFunction(() => document.querySelectorAll('.webchat__bubble:not(.webchat__bubble--from-user)').length >= 1, undefined, { timeout: 30_000 });
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('Hello');
    await input.press('Enter');
    await page.locator('.webchat__bubble--from-user', { hasText: 'Hello' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.webchat__bubble:not(.webchat__bubble--from-user)').length >= 2, undefined, { timeout: 30_000 });
    // Sent, not "Send failed. Retry."
    expect(await page.locator('.webchat__activity-status--send-failed, .webchat__activity-status__send-failed').count()).to.equal(0);
    expect(carebot!.turns.some((turn) => turn.activity.type === 'message' && turn.activity.text === 'Hello')).to.equal(true);
    expect(corsErrors).to.deep.equal([]);
    // Online (2), as botframework-directlinejs reports it.
    expect(await page.evaluate(() => (window as unknown as { connectionStatuses: number[] }).connectionStatuses.at(-1))).to.equal(2);
  });

  it('without it, the browser withholds carebot from the page (no conversation starts)', async () => {
    const { corsErrors } = await open(false);
    for (let attempt = 0; attempt < 600 && corsErrors.length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(corsErrors.join('\n')).to.match(/blocked by CORS policy/);
    // The preflight was refused, so the conversation was never even started.
    expect(carebot!.turns).to.deep.equal([]);
  });
});
