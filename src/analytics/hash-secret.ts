import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AnalyticsSettings } from '../config/analytics.js';
import type { Logger } from '../logger.js';
import { analyticsSqlitePath } from './create-store.js';

export const HASH_SECRET_FILE = 'analytics-hash.secret';

/**
 * The key analytics hashes user and conversation ids with: ANALYTICS_HASH_SECRET when set
 * (required in production with PostgreSQL, checked by loadConfig); otherwise a random
 * per-installation secret kept in `analytics-hash.secret` beside the SQLite file (`.data/` for
 * PostgreSQL in development), created on first start with mode 0600; an in-memory database gets
 * a random secret per process, as it forgets everything on exit anyway.
 */
export function resolveHashSecret(settings: AnalyticsSettings, rootDir: string, env: string, logger: Logger): string {
  if (settings.hashSecret) return settings.hashSecret;
  const file = hashSecretFile(settings, rootDir, env);
  if (!file) return randomBytes(32).toString('hex');
  if (settings.databaseUrl) {
    logger.warn('ANALYTICS_HASH_SECRET is unset: user ids are hashed with this machine\'s .data/analytics-hash.secret; processes on other machines must share ANALYTICS_HASH_SECRET');
  }
  return readOrCreateSecret(file);
}

/** Where the per-installation secret lives when ANALYTICS_HASH_SECRET is unset; undefined for an in-memory database (a secret per process). */
export function hashSecretFile(settings: AnalyticsSettings, rootDir: string, env: string): string | undefined {
  if (settings.databaseUrl) return join(rootDir, '.data', HASH_SECRET_FILE);
  const sqlite = analyticsSqlitePath(settings, rootDir, env);
  return sqlite ? join(dirname(sqlite), HASH_SECRET_FILE) : undefined;
}

function readOrCreateSecret(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  try {
    // 'wx': two processes starting at once must not each write their own secret.
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    chmodSync(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(path, 'utf8').trim();
}
