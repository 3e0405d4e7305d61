import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { AnalyticsSettings } from '../config/analytics.js';
import { KyselyAnalyticsStore } from './store/kysely-store.js';

/** The SQLite file analytics uses without DATABASE_URL, resolved in `rootDir`; undefined for an in-memory database (NODE_ENV=test unless a file is named). */
export function analyticsSqlitePath(settings: AnalyticsSettings, rootDir: string, env: string): string | undefined {
  const file = settings.sqliteFile ?? (env === 'test' ? ':memory:' : join('.data', 'analytics.sqlite'));
  if (file === ':memory:') return undefined;
  return isAbsolute(file) ? file : join(rootDir, file);
}

/** PostgreSQL when DATABASE_URL is set; otherwise the SQLite file (in memory for NODE_ENV=test unless a file is named). */
export function createAnalyticsStore(settings: AnalyticsSettings, rootDir: string, env: string): KyselyAnalyticsStore {
  if (settings.databaseUrl) return new KyselyAnalyticsStore({ databaseUrl: settings.databaseUrl, schema: settings.databaseSchema });
  const path = analyticsSqlitePath(settings, rootDir, env);
  if (!path) return new KyselyAnalyticsStore({ sqliteFile: ':memory:' });
  mkdirSync(dirname(path), { recursive: true });
  return new KyselyAnalyticsStore({ sqliteFile: path });
}
