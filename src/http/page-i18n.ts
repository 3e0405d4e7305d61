import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Router } from 'express';
import { projectRoot } from '../project-root.js';

/**
 * The staff pages (agent console, supervisor view, dashboard, login) are translated in the
 * browser with i18next, from the same `locales/<lng>/<namespace>.json` files as the bot, so a
 * translator edits one tree. Only the page namespaces are served: the bot's own texts (dialog
 * answers, handoff notices) are not the browser's business.
 */
export const PAGE_LANGUAGES = ['en', 'zh-CN', 'zh-HK'] as const;
export const PAGE_NAMESPACES = ['pages'] as const;

const require = createRequire(import.meta.url);

function i18nextBrowserBuild(): string {
  return join(require.resolve('i18next').replace(/dist[\\/].*$/, ''), 'dist', 'umd', 'i18next.min.js');
}

/** Reads every page dictionary once; a missing or malformed file fails startup with its name. */
function loadDictionaries(localesDir: string): Map<string, string> {
  const bodies = new Map<string, string>();
  for (const language of PAGE_LANGUAGES) {
    for (const namespace of PAGE_NAMESPACES) {
      const file = join(localesDir, language, `${namespace}.json`);
      if (!existsSync(file)) throw new Error(`Missing page translations: ${file}`);
      const text = readFileSync(file, 'utf8');
      try {
        JSON.parse(text);
      } catch (error) {
        throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
      }
      bodies.set(`${language}/${namespace}`, text);
    }
  }
  return bodies;
}

/**
 * `/i18n/i18next.js` (i18next's browser build from node_modules), `/i18n/page-i18n.js` (the
 * helper pages include) and `/i18n/<lng>/<ns>.json`.
 */
export function createPageI18nRouter(localesDir = join(projectRoot(), 'locales')): Router {
  const router = Router();
  const dictionaries = loadDictionaries(localesDir);
  const scripts = { 'i18next.js': i18nextBrowserBuild(), 'page-i18n.js': join(projectRoot(), 'src', 'http', 'public', 'page-i18n.js') };
  for (const [name, file] of Object.entries(scripts)) {
    router.get(`/i18n/${name}`, (_req, res) => {
      res.type('text/javascript; charset=utf-8').set('Cache-Control', 'public, max-age=3600').sendFile(file);
    });
  }
  router.get('/i18n/:language/:namespace.json', (req, res) => {
    const body = dictionaries.get(`${req.params.language}/${req.params.namespace}`);
    if (body === undefined) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: `No translations for ${req.params.language}/${req.params.namespace}` } });
      return;
    }
    res.type('application/json; charset=utf-8').set('Cache-Control', 'public, max-age=300').send(body);
  });
  return router;
}

