/**
 * `npm run screenshots`: starts carebot in-process on embedded defaults with the example agents
 * and canned responses, lets a few demo customers ask for a person, and photographs the staff
 * pages in headless Chromium (/usr/bin/chromium, or CHROMIUM_PATH) into docs/. One function per
 * page: to add a page, write `shootX(shot)` and list it in PAGES.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createCarebot, type Carebot } from '../src/app.js';
import { loadConfig, type Locale } from '../src/config.js';
import { listen } from '../src/http/http-server.js';
import { createLogger } from '../src/logger.js';
import { projectRoot } from '../src/project-root.js';

const VIEWPORT = { width: 1366, height: 768 };
const PASSWORD = 'change me'; // every agent's in config/agents.example.yaml
const DOCS = join(projectRoot(), 'docs');

/** Demo customers on a channel of their own; what the bot and agents say to them is dropped. */
class DemoCustomers extends BotAdapter {
  readonly channelId = 'demo';

  async say(carebot: Carebot, user: string, name: string, text: string, locale: Locale): Promise<void> {
    const reference: Partial<ConversationReference> = {
      channelId: this.channelId,
      serviceUrl: 'demo://customers',
      conversation: { id: `demo-${user}`, isGroup: false, conversationType: 'personal', name: '' },
      user: { id: user, name },
      bot: { id: 'carebot', name: 'carebot' },
      locale,
    };
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Message, text, id: randomUUID(), timestamp: new Date(), locale }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), (context) => carebot.bot.run(context));
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    return activities.map(() => ({ id: randomUUID() }));
  }

  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

/** What every page function gets: the server, a browser and the demo customers. */
export interface Shot {
  readonly url: string;
  readonly browser: Browser;
  readonly carebot: Carebot;
  say(user: string, name: string, text: string, locale: Locale): Promise<void>;
  /** A fresh 1366×768 page, in `language` (en, zh-CN, zh-HK) when given. */
  page(language?: string): Promise<Page>;
  save(page: Page, file: string): Promise<void>;
}

async function logIn(page: Page, url: string, agentId: string, path: string): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.fill('#agent-id', agentId);
  await page.fill('#password', PASSWORD);
  await page.press('#password', 'Enter');
  await page.waitForSelector('#login', { state: 'hidden' });
}

/** The agent console: Kit holds two chats (one with an unread message), a third customer waits. */
async function shootConsole(shot: Shot): Promise<void> {
  await shot.say('may', 'Chan Tai Man', '我張信用卡唔見咗', 'zh-HK');
  await shot.say('may', 'Chan Tai Man', '我要真人', 'zh-HK');
  await shot.say('joe', 'Joe Wong', 'I lost my card yesterday', 'en');
  await shot.say('joe', 'Joe Wong', 'can I talk to a real person?', 'en');
  await shot.say('amy', 'Amy Ho', 'I want to speak to a human', 'en');
  const page = await shot.page();
  await logIn(page, shot.url, 'kit', '/agent');
  await page.waitForSelector('#waiting button.chat >> nth=2');
  await page.click('#waiting button.chat:has-text("Joe Wong")');
  await page.waitForSelector('#preview:not([hidden])');
  await page.click('#preview-accept');
  await page.waitForSelector('#customer:has-text("Joe Wong")');
  await page.click('#waiting button.chat:has-text("Chan Tai Man")');
  await page.click('#preview-accept');
  await page.waitForSelector('#customer:has-text("Chan Tai Man")');
  await page.click('#chats button.chat:has-text("Joe Wong")');
  await page.waitForSelector('#customer:has-text("Joe Wong")');
  await shot.say('may', 'Chan Tai Man', '張卡尾四位係 4321', 'zh-HK');
  await page.waitForSelector('#chats .unread');
  await page.fill('#note-text', 'Card reported lost yesterday; check if it was used since.');
  await page.click('#note-form button');
  await page.waitForSelector('#messages li[data-from=note]');
  await page.fill('#reply-text', '/');
  await page.waitForSelector('#canned li[role=option]');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot.save(page, 'agent-console.png');
  await page.close();
}

/** The supervisor view in Traditional Chinese (Hong Kong), reading along Kit's chat. */
async function shootSupervisor(shot: Shot): Promise<void> {
  const page = await shot.page('zh-HK');
  await logIn(page, shot.url, 'mei', '/supervisor');
  await page.waitForSelector('#live tbody tr[data-handoff] >> nth=1');
  await page.click('#live tbody tr[data-handoff] .read-along >> nth=0');
  await page.waitForSelector('#read-along:not([hidden])');
  await shot.save(page, 'supervisor-view.png');
  await page.close();
}

const PAGES: readonly ((shot: Shot) => Promise<void>)[] = [shootConsole, shootSupervisor];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'carebot-shots-'));
  // The example skills have working hours; the demo must not depend on the time it runs at.
  writeFileSync(join(dir, 'skills.yaml'), 'skills:\n  general:\n    name: { en: General, zh-CN: 综合, zh-TW: 一般, zh-HK: 一般查詢 }\n  cards:\n    name: { en: Cards, zh-CN: 信用卡, zh-TW: 信用卡, zh-HK: 信用卡 }\n');
  const config = loadConfig({
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    KNOWLEDGE_WATCH: 'false',
    HANDOFF_AGENTS_FILE: 'config/agents.example.yaml',
    HANDOFF_SKILLS_FILE: join(dir, 'skills.yaml'),
    HANDOFF_CANNED_RESPONSES_FILE: 'config/canned-responses.example.yaml',
  });
  const carebot = await createCarebot(config, { logger: createLogger({ level: 'error' }) });
  const customers = carebot.bot.attachTo(new DemoCustomers());
  carebot.channels.register({ id: customers.channelId, adapter: customers, status: () => ({ channelId: customers.channelId, state: 'connected', sendFailures: 0, required: false }) });
  const running = await listen(carebot.app, '127.0.0.1', 0);
  let browser: Browser | undefined;
  try {
    for (const feature of carebot.features) feature.attachToServer?.(running.server);
    await carebot.start();
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const launched = browser;
    const shot: Shot = {
      url: running.url,
      browser: launched,
      carebot,
      say: (user, name, text, locale) => customers.say(carebot, user, name, text, locale),
      async page(language) {
        const context = await launched.newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Asia/Hong_Kong' });
        if (language) await context.addInitScript(`localStorage.setItem('carebot.pageLanguage', ${JSON.stringify(language)})`);
        return context.newPage();
      },
      async save(page, file) {
        await page.screenshot({ path: join(DOCS, file) });
        process.stdout.write(`docs/${file}\n`);
      },
    };
    for (const shoot of PAGES) await shoot(shot);
  } finally {
    await browser?.close();
    await running.close(2_000);
    await carebot.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
