/**
 * The review screen's screenshot for the README (docs/review-screen.png): a carebot on the bank
 * pack is sent messages it does not understand, then Chromium opens /dashboard/review.
 *   npx tsx scripts/screenshot-review.ts [out.png] [en|zh-CN|zh-HK]
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestAdapter, type Activity } from 'botbuilder';
import { chromium, type Browser } from 'playwright-core';
import { createCarebot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';

/** Signs in to the dashboard and saves the review screen (1366×768, the whole page) to `file`. */
export async function screenshotReview(options: { browser: Browser; baseUrl: string; adminToken: string; file: string; language?: string }): Promise<void> {
  const context = await options.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: options.language ?? 'en' });
  try {
    const page = await context.newPage();
    await page.addInitScript((language) => localStorage.setItem('carebot.pageLanguage', language), options.language ?? 'en');
    await page.goto(`${options.baseUrl}/dashboard/review`);
    await page.fill('input[name=token]', options.adminToken);
    await page.click('button[type=submit]');
    await page.waitForSelector('body[data-loaded=true]');
    await page.waitForFunction(() => !!document.querySelector('#figure span') && !document.querySelector('#figure')!.textContent!.endsWith('…'));
    // One message mid-decision, as an operator would leave it.
    await page.locator('tr.item select').first().selectOption({ index: 3 });
    await page.screenshot({ path: options.file, fullPage: true });
  } finally {
    await context.close();
  }
}

const MISSED = [
  'the cash machine swallowed my card',
  'ATM swallowed my card again',
  '提款机吞了我的卡怎么办',
  '櫃員機食咗我張卡',
  'my salary has not arrived',
  '人工仲未入數',
  '我想睇下上個月啲數',
  'can I pay my tax bill with the app',
];

async function main(file: string, language: string): Promise<void> {
  const token = randomUUID();
  const learnedDir = await mkdtemp(join(tmpdir(), 'carebot-screenshot-'));
  const carebot = await createCarebot(
    loadConfig({ NODE_ENV: 'test', ADMIN_TOKEN: token, KNOWLEDGE_PACKS: 'bank', KNOWLEDGE_WATCH: 'false', HANDOFF_ENABLED: 'false', KNOWLEDGE_LEARNED_DIR: learnedDir, LOG_LEVEL: 'warn' }),
    { logger: createLogger({ level: 'warn' }) },
  );
  let server: Server | undefined;
  let browser: Browser | undefined;
  try {
    for (const text of MISSED) {
      const adapter = new TestAdapter((context) => carebot.bot.run(context), {
        channelId: 'whatsapp',
        conversation: { id: `screenshot-${randomUUID()}`, isGroup: false, name: '' },
        from: { id: `user-${randomUUID()}`, name: 'User' },
        recipient: { id: 'carebot', name: 'carebot' },
      } as unknown as Partial<Activity>);
      await carebot.bot.attachTo(adapter).send(text).startTest();
    }
    server = carebot.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    await screenshotReview({ browser, baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, adminToken: token, file, language });
    process.stdout.write(`${file}\n`);
  } finally {
    await browser?.close();
    if (server) await new Promise((resolve) => server!.close(resolve));
    await carebot.close();
    await rm(learnedDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv[2] ?? join('docs', 'review-screen.png'), process.argv[3] ?? 'en');
}
