import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { expect } from 'chai';
import { chromium, type Browser } from 'playwright-core';
import { lowContrastTexts } from '../support/contrast.js';
import { answerIdOf, createDialogBot, type DialogBot } from '../support/dialog-bot.js';
import { TEST_HASH_SECRET } from './support.js';
import { listen, type RunningServer } from '../../src/http/http-server.js';

const TOKEN = 'review-test-token-1234567890';

/** Messages the bank pack's model does not understand, each with the intent an operator means them for. */
const MISSED = [
  { text: 'the cash machine swallowed my card', intent: 'bank.lost_card' },
  { text: 'my salary has not arrived', intent: 'bank.balance' },
  { text: '我想睇下上個月啲數', intent: 'bank.statement' },
] as const;

describe('analytics: teach the bot (review screen in Chromium)', function () {
  // Each lesson retrains the bank pack and cross-validates it before and after (5 folds each).
  this.timeout(120_000);
  let browser: Browser;
  let bot: DialogBot;
  let server: RunningServer | undefined;
  let base: string;
  let learnedDir: string;

  /** What the bot answers to `text` in a new conversation: the answer id, or undefined for anything but an answer. */
  async function answerTo(text: string): Promise<string | undefined> {
    let answer: string | undefined;
    await bot.conversation({ channelId: 'test' }).send(text).assertReply((reply: Partial<Activity>) => {
      answer = answerIdOf(reply);
    });
    return answer;
  }

  const api = async (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  before(async () => {
    learnedDir = await mkdtemp(join(tmpdir(), 'carebot-learned-'));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    bot = await createDialogBot({ ADMIN_TOKEN: TOKEN, ANALYTICS_HASH_SECRET: TEST_HASH_SECRET, KNOWLEDGE_PACKS: 'bank', KNOWLEDGE_LEARNED_DIR: learnedDir });
    server = await listen(bot.carebot.app, '127.0.0.1', 0);
    base = server.url;
  });
  after(async () => {
    await browser?.close();
    await server?.close(1000);
    await bot?.close();
    await rm(learnedDir, { recursive: true, force: true });
  });

  it('an operator labels three missed messages; the model retrains and then understands them', async () => {
    for (const { text } of MISSED) expect(await answerTo(text), text).to.equal(undefined);

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${base}/dashboard/review`);
    await page.fill('input[name=token]', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('body[data-loaded=true]');
    expect(new URL(page.url()).pathname).to.equal('/dashboard/review');
    for (const { text, intent } of MISSED) {
      const row = page.locator('tr.item', { has: page.locator('td.text', { hasText: text }) });
      await row.locator('select').selectOption(`intent:${intent}`);
    }
    await page.click('#teach');
    await page.waitForSelector('#figure[data-after]');
    expect(await page.textContent('#status')).to.match(/3/);
    expect(await page.textContent('#figure')).to.match(/\d+\.\d%.*→.*\d+\.\d%/);
    // Taught messages leave the work list, and each change is in the audit log with who made it.
    for (const { text } of MISSED) expect(await page.locator('tr.item', { has: page.locator('td.text', { hasText: text }) }).count()).to.equal(0);
    await page.waitForFunction(() => document.querySelectorAll('#log tbody tr').length === 3);
    expect(await page.textContent('#log')).to.contain('admin@').and.contain('bank.lost_card');
    await page.close();

    const overlay = await readFile(join(learnedDir, 'bank', 'learned.yaml'), 'utf8');
    for (const { text, intent } of MISSED) expect(overlay).to.contain(intent).and.contain(text);
    for (const { text, intent } of MISSED) expect(await answerTo(text), text).to.match(new RegExp(`^${intent.replace('.', '\\.')}#`));
  });

  it('speaks the operator\'s language from the login on, fits 1366×768 and works from the keyboard', async () => {
    expect(await answerTo('blorp zzz qux')).to.equal(undefined);
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${base}/dashboard/review`);
    await page.selectOption('select[data-i18n-language]', 'zh-HK');
    await page.waitForFunction(() => document.querySelector('label span')?.textContent === '語言');
    expect(await page.textContent('button[type=submit]')).to.equal('登入');
    await page.fill('input[name=token]', TOKEN);
    await page.keyboard.press('Enter');
    await page.waitForSelector('body[data-loaded=true]');
    expect(await page.textContent('h1')).to.equal('訓練機械人');
    await page.waitForFunction(() => document.getElementById('figure')?.textContent?.includes('交叉驗證'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(1366);
    expect(await lowContrastTexts(page)).to.deep.equal([]);
    // Tab reaches the decision of the message, the arrow keys pick "dismiss", Tab and Enter teach.
    const focusedIs = (selector: string) => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
    for (let i = 0; i < 40 && !(await focusedIs('tr.item select')); i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement?.closest('tr') as HTMLElement | null)?.dataset.text)).to.equal('blorp zzz qux');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement).value)).to.equal('dismiss');
    for (let i = 0; i < 40 && !(await focusedIs('#teach')); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('略過 1'));
    await page.waitForFunction(() => document.querySelectorAll('tr.item').length === 0);
    await page.close();
  });

  it('lists a "did you mean" the user turned down as rejected, without the "Neither" reply', async () => {
    await bot.conversation({ channelId: 'test' }).send('open account appointment').assertReply((reply: Partial<Activity>) => {
      expect(reply.text).to.equal('Did you mean one of these?');
    }).send('Neither').assertReply(() => undefined).startTest();
    const review = (await (await api('/api/admin/teach/review')).json()) as { groups: { items: { text: string; kind: string }[] }[] };
    const items = review.groups.flatMap((g) => g.items);
    expect(items.find((i) => i.text === 'open account appointment')?.kind).to.equal('rejected');
    expect(items.map((i) => i.text)).not.to.include('Neither');
  });

  it('refuses a lesson that would make the content invalid, with file and line, and writes nothing', async () => {
    const version = ((await (await api('/api/admin/teach/evaluation')).json()) as { version: number }).version;
    // A new intent with one example only: the content rules ask for two.
    const res = await api('/api/admin/teach/decisions', {
      method: 'POST',
      body: JSON.stringify({
        decisions: [{ action: 'create', texts: ['can I bring my dog to the branch'], intent: { id: 'bank.pets', title: { en: 'Pets', 'zh-CN': '宠物', 'zh-HK': '寵物' }, answer: { en: 'Guide dogs only.', 'zh-CN': '只限导盲犬。', 'zh-HK': '只限導盲犬。' } } }],
      }),
    });
    expect(res.status).to.equal(422);
    const body = (await res.json()) as { error: { code: string; problems: { file: string; line: number; reason: string }[] } };
    expect(body.error.code).to.equal('CONTENT_INVALID');
    expect(body.error.problems[0]!.file).to.match(/bank\/learned\.yaml$/);
    expect(body.error.problems[0]!.line).to.be.greaterThan(1);
    expect(body.error.problems[0]!.reason).to.contain('at least 2 example');
    const overlay = await readFile(join(learnedDir, 'bank', 'learned.yaml'), 'utf8').catch(() => '');
    expect(overlay).not.to.contain('bank.pets');
    expect(((await (await api('/api/admin/teach/evaluation')).json()) as { version: number }).version).to.equal(version);
  });

  it('rejects unknown intents and malformed decisions with a reason, and needs the admin token', async () => {
    const unknown = await api('/api/admin/teach/decisions', { method: 'POST', body: JSON.stringify({ decisions: [{ action: 'label', text: 'hello', intent: 'bank.nope' }] }) });
    expect(unknown.status).to.equal(400);
    expect(((await unknown.json()) as { error: { code: string; message: string } }).error).to.deep.include({ code: 'REQUEST_INVALID', message: 'no intent "bank.nope" in the loaded packs' });
    const malformed = await api('/api/admin/teach/decisions', { method: 'POST', body: JSON.stringify({ decisions: [{ action: 'label', text: '', intent: 'bank.balance' }] }) });
    expect(malformed.status).to.equal(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).to.equal('REQUEST_INVALID');
    expect((await fetch(`${base}/api/admin/teach/review`)).status).to.equal(401);
    expect(existsSync(join(learnedDir, 'core'))).to.equal(false);
  });

  it('sends the login form back only to its own pages', async () => {
    const res = await fetch(`${base}/dashboard/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: TOKEN, next: 'https://evil.example/' }).toString() });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/dashboard');
  });
});
