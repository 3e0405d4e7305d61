import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { AnalyticsSettings } from '../config/analytics.js';
import { KyselyAnalyticsStore } from './store/kysely-store.js';

/** PostgreSQL when DATABASE_URL is set; otherwise the SQLite file (in memory for NODE_ENV=test unless a file is named). */
export function createAnalyticsStore(settings: AnalyticsSettings, rootDir: string, env: string): KyselyAnalyticsStore {
  if (settings.databaseUrl) return new KyselyAnalyticsStore({ databaseUrl: settings.databaseUrl, schema: settings.databaseSchema });
  const file = settings.sqliteFile ?? (env === 'test' ? ':memory:' : join('.data', 'analytics.sqlite'));
  if (file === ':memory:') return new KyselyAnalyticsStore({ sqliteFile: file });
  const path = isAbsolute(file) ? file : join(rootDir, file);
  mkdirSync(dirname(path), { recursive: true });
  return new KyselyAnalyticsStore({ sqliteFile: path });
}
