import { expect } from 'chai';
import { chromium, type Browser } from 'playwright-core';
import type { AnalyticsFeature } from '../../src/analytics/analytics-feature.js';
import type { AnalyticsEvent } from '../../src/analytics/types.js';
import { lowContrastTexts } from '../support/contrast.js';
import { createDialogBot, type DialogBot } from '../support/dialog-bot.js';
import { weekEvents } from './fixture-week.js';
import { TEST_HASH_SECRET, testKeys } from './support.js';
import { listen, type RunningServer } from '../../src/http/http-server.js';

const TOKEN = 'dashboard-test-token-123456';

/** Three callbacks booked in conversations of the week: one still open, one claimed, one done. */
function callbackEvents(): AnalyticsEvent[] {
  const turn = weekEvents().find((e) => e.kind === 'turn' && e.conversation === testKeys.conversation('teams', 'c8'));
  if (turn?.kind !== 'turn') throw new Error('the fixture week has no conversation c8');
  const events: AnalyticsEvent[] = [];
  const stages = [['callback-booked'], ['callback-booked', 'callback-claimed'], ['callback-booked', 'callback-claimed', 'callback-done']] as const;
  stages.forEach((types, index) => {
    types.forEach((type, step) => {
      events.push({
        kind: 'handoff', id: `cb-${index}-${step}`, type, at: turn.at + 1000 + step * 60_000, handoffId: `callback-${index}`, conversation: turn.conversation, user: turn.user,
        channel: turn.channel, locale: turn.locale, reason: 'topic', skill: 'mortgage', agentId: step > 0 ? 'ann' : null, disposition: type === 'callback-done' ? 'called back' : null,
      });
    });
  });
  return events;
}

describe('analytics: dashboard in Chromium', () => {
  let browser: Browser;
  let bot: DialogBot;
  let server: RunningServer | undefined;
  let base: string;

  before(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    bot = await createDialogBot({ ADMIN_TOKEN: TOKEN, ANALYTICS_HASH_SECRET: TEST_HASH_SECRET });
    const analytics = bot.carebot.features.find((f) => f.name === 'analytics') as AnalyticsFeature;
    // The scripted week, moved so that its last event was an hour ago: the dashboard's last 7
    // days then hold all of it whatever the time of day (moved to end "today", its 10:00 events
    // were still in the future before 10:00 UTC).
    const events = [...weekEvents(), ...callbackEvents()];
    const shift = Date.now() - 3_600_000 - Math.max(...events.map((e) => e.at));
    await analytics.store.write(events.map((e) => ({ ...e, at: e.at + shift }) as AnalyticsEvent));
    server = await listen(bot.carebot.app, '127.0.0.1', 0);
    base = server.url;
  });
  after(async () => {
    await browser?.close();
    await server?.close(1000);
    await bot?.close();
  });

  it('asks for the admin token, then shows metrics, charts with data, hot topics and the queue', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${base}/dashboard`);
    await page.fill('input[name=token]', 'wrong-token-wrong-token');
    await page.click('button[type=submit]');
    expect(await page.textContent('.error')).to.contain('Wrong admin token');
    await page.fill('input[name=token]', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('body[data-loaded=true]');
    const kpis = await page.textContent('#kpis');
    expect(kpis).to.contain('Conversations10').and.contain('Containment50.0%').and.contain('CSAT3.67 (3)');
    expect(kpis).to.contain('Callbacks open / claimed / done1 / 1 / 1');
    expect(await page.locator('canvas').count()).to.equal(5);
    // Screenshot check: the volume chart's pixels include its series colour, so lines were drawn.
    const chart = page.locator('#chart-volume canvas');
    const png = await chart.screenshot();
    expect(png.length).to.be.greaterThan(2000);
    const drawn = await chart.evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let blue = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - 0x2f) < 30 && Math.abs(data[i + 1]! - 0x6f) < 30 && Math.abs(data[i + 2]! - 0xde) < 30) blue += 1;
      return blue;
    });
    expect(drawn).to.be.greaterThan(50);
    expect(await page.textContent('#intents')).to.contain('hr.leave');
    expect(await page.textContent('#queue')).to.contain('handoff is off');

    await page.selectOption('select[name=channel]', 'whatsapp');
    await page.waitForFunction(() => document.getElementById('kpis')?.textContent?.includes('Conversations4'));
    await page.close();
  });

  it('reports per agent and per skill with charts and CSV, in the operator\'s language, at 1366×768', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${base}/dashboard`);
    await page.fill('input[name=token]', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('body[data-loaded=true]');
    const agents = await page.locator('#agents tbody tr').allTextContents();
    expect(agents).to.have.length(1);
    expect(agents[0]).to.match(/^agent-1\d+/);
    expect(await page.textContent('#skills')).to.contain('billing').and.contain('hr');
    expect(await page.locator('#chart-agents canvas, #chart-agents-csat canvas').count()).to.equal(2);
    // Nothing wider than the window: no horizontal scrolling at 1366 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(1366);
    expect(await lowContrastTexts(page)).to.deep.equal([]);
    const csv = await page.evaluate(async () => (await fetch(document.querySelector<HTMLAnchorElement>('#agents-csv')!.href)).text());
    expect(csv.split('\n')[0]).to.equal('dimension,id,assignments,handled,transfers,avg_handle_seconds,avg_wait_seconds,csat_average,csat_responses');
    expect(csv).to.match(/^agent,agent-1,/m);
    await page.selectOption('select[data-i18n-language]', 'zh-HK');
    await page.waitForFunction(() => document.getElementById('kpis')?.textContent?.includes('對話'));
    expect(await page.textContent('h1')).to.equal('carebot 數據分析');
    expect(await page.getAttribute('html', 'lang')).to.equal('zh-HK');
    // The choice is remembered across visits.
    await page.reload();
    await page.waitForSelector('body[data-loaded=true]');
    expect(await page.textContent('#agents thead')).to.contain('已處理');
    await page.close();
  });

  it('guards the API and exposes Prometheus metrics', async () => {
    expect((await fetch(`${base}/api/admin/analytics/metrics`)).status).to.equal(401);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).to.contain('carebot_turns_total').and.contain('carebot_analytics_events_dropped_total');
  });

  it('records a real conversation, then exports and deletes the user', async () => {
    await bot.conversation({ channelId: 'whatsapp', userId: '85291234567@c.us' }).send('call me on 9123 4567').assertReply(() => undefined);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const exported = (await (await fetch(`${base}/api/admin/users/${encodeURIComponent('85291234567@c.us')}/export`, { headers: auth })).json()) as { turns: { text: string }[]; transcript: { role: string }[] };
    expect(exported.turns.map((t) => t.text)).to.deep.equal(['call me on [PHONE]']);
    expect(exported.transcript.map((t) => t.role)).to.include.members(['customer', 'bot']);
    const removed = (await (await fetch(`${base}/api/admin/users/${encodeURIComponent('85291234567@c.us')}`, { method: 'DELETE', headers: auth })).json()) as { deleted: number };
    expect(removed.deleted).to.be.greaterThan(1);
    const analytics = bot.carebot.features.find((f) => f.name === 'analytics') as AnalyticsFeature;
    expect(analytics.keys.rememberedCount, 'the raw ids behind the hashes are forgotten too').to.equal(0);
    const after = (await (await fetch(`${base}/api/admin/users/${encodeURIComponent('85291234567@c.us')}/export`, { headers: auth })).json()) as { turns: unknown[] };
    expect(after.turns).to.have.length(0);
  });
});
