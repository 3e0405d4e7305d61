import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import express from 'express';
import { chromium, type Browser } from 'playwright-core';
import { createPageI18nRouter, PAGE_LANGUAGES, PAGE_NAMESPACES } from '../../src/http/page-i18n.js';
import { projectRoot } from '../../src/project-root.js';

const LOCALES = join(projectRoot(), 'locales');

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keysOf(inner, prefix ? `${prefix}.${key}` : key));
}

describe('staff page translations', function () {
  this.timeout(60_000);

  it('have the same keys in every page language, none empty', () => {
    for (const namespace of PAGE_NAMESPACES) {
      const english = JSON.parse(readFileSync(join(LOCALES, 'en', `${namespace}.json`), 'utf8')) as unknown;
      const expected = keysOf(english).sort();
      for (const language of PAGE_LANGUAGES) {
        const dictionary = JSON.parse(readFileSync(join(LOCALES, language, `${namespace}.json`), 'utf8')) as unknown;
        expect(keysOf(dictionary).sort(), `${language}/${namespace}`).to.deep.equal(expected);
        const empty = keysOf(dictionary).filter((key) => !key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], dictionary));
        expect(empty, `${language}/${namespace}`).to.deep.equal([]);
      }
    }
  });

  it('refuse to start on a malformed dictionary, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'page-i18n-'));
    try {
      for (const language of PAGE_LANGUAGES) {
        mkdirSync(join(dir, language));
        writeFileSync(join(dir, language, 'pages.json'), language === 'zh-HK' ? '{"a": ' : '{}');
      }
      expect(() => createPageI18nRouter(dir)).to.throw(/zh-HK[\\/]pages\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('in a browser', () => {
    let server: Server | undefined;
    let browser: Browser | undefined;
    let base = '';

    before(async () => {
      const app = express();
      app.use(createPageI18nRouter());
      app.get('/page', (_req, res) => {
        res.type('html').send(`<!doctype html><html><head><meta charset="utf-8"></head><body>
          <label><span data-i18n="language.label"></span> <select data-i18n-language>
            <option value="en">English</option><option value="zh-CN">简体中文</option><option value="zh-HK">繁體中文</option></select></label>
          <input id="field" data-i18n-attr="placeholder:language.label,title:language.zh-HK">
          <script src="/i18n/i18next.js"></script><script src="/i18n/page-i18n.js"></script></body></html>`);
      });
      server = await new Promise<Server>((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
      });
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    });
    after(async () => {
      await browser?.close();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    });

    it('start in the browser language, switch on request and remember the choice', async () => {
      const context = await browser!.newContext({ locale: 'zh-HK' });
      const page = await context.newPage();
      await page.goto(`${base}/page`);
      await page.waitForFunction(() => document.documentElement.lang === 'zh-HK');
      expect(await page.textContent('[data-i18n="language.label"]')).to.equal('語言');
      expect(await page.getAttribute('#field', 'placeholder')).to.equal('語言');

      await page.selectOption('select', 'zh-CN');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      expect(await page.textContent('[data-i18n="language.label"]')).to.equal('语言');

      await page.reload();
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      expect(await page.inputValue('select')).to.equal('zh-CN');
      await context.close();
    });

    it('serve only page dictionaries', async () => {
      expect((await fetch(`${base}/i18n/en/dialogs.json`)).status).to.equal(404);
      expect((await fetch(`${base}/i18n/en/pages.json`)).status).to.equal(200);
    });
  });
});
