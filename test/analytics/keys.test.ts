import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { HASH_SECRET_FILE, resolveHashSecret } from '../../src/analytics/hash-secret.js';
import { AnalyticsKeys, REMEMBERED_KEYS } from '../../src/analytics/keys.js';
import { loadConfig } from '../../src/config.js';
import { hasErrorCode } from '../../src/errors.js';
import { memoryLogger } from '../support/silent-logger.js';

const SECRET = 'a-long-enough-analytics-secret-0123456789';

describe('analytics keys: user and conversation ids are hashed with a keyed hash', () => {
  it('cannot be recovered by hashing candidate phone numbers without the secret', () => {
    const keys = new AnalyticsKeys(SECRET);
    const stored = keys.user('85291234567@c.us');
    // The attack the unkeyed SHA-256 allowed: hash every candidate id the same way and compare.
    const candidates = Array.from({ length: 2000 }, (_, i) => `852912${33000 + i}@c.us`);
    expect(candidates).to.include('85291234567@c.us');
    const unkeyed = (id: string) => createHash('sha256').update(`user:${id}`).digest('hex').slice(0, 32);
    expect(candidates.filter((id) => unkeyed(id) === stored)).to.deep.equal([]);
    expect(keys.conversation('whatsapp', '85291234567@c.us')).to.not.equal(createHash('sha256').update('conversation:whatsapp/85291234567@c.us').digest('hex').slice(0, 32));
  });

  it('is stable for one secret and differs between secrets', () => {
    const a = new AnalyticsKeys(SECRET);
    const b = new AnalyticsKeys(`${SECRET}-other`);
    expect(a.user('u1')).to.equal(new AnalyticsKeys(SECRET).user('u1')).and.have.length(32);
    expect(a.user('u1')).to.not.equal(b.user('u1'));
    expect(a.conversation('wechat', 'c1')).to.not.equal(b.conversation('wechat', 'c1'));
    expect(a.user('u1')).to.not.equal(a.user('u2'));
  });

  it('remembers the hashes of recent ids, within a bound, and gives each the hash it computes afresh', () => {
    const keys = new AnalyticsKeys(SECRET);
    const first = keys.conversation('directline', 'c1');
    expect(keys.conversation('directline', 'c1')).to.equal(first);
    expect(keys.rememberedCount).to.equal(1);
    for (let i = 0; i < REMEMBERED_KEYS + 50; i += 1) keys.user(`u${i}`);
    expect(keys.rememberedCount).to.equal(REMEMBERED_KEYS);
    // Forgotten ids hash as before.
    expect(keys.conversation('directline', 'c1')).to.equal(first).and.equal(new AnalyticsKeys(SECRET).conversation('directline', 'c1'));
    const hmac = createHmac('sha256', SECRET).update('user:u0').digest('hex').slice(0, 32);
    expect(keys.user('u0')).to.equal(hmac);
  });

  it('takes ANALYTICS_HASH_SECRET, else keeps a per-installation secret (mode 0600) beside the SQLite file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'carebot-keys-'));
    try {
      const { logger } = memoryLogger('silent');
      const settings = loadConfig({ ANALYTICS_SQLITE_FILE: join(dir, 'db', 'analytics.sqlite') }).analytics;
      const first = resolveHashSecret(settings, dir, 'development', logger);
      const file = join(dir, 'db', HASH_SECRET_FILE);
      expect(readFileSync(file, 'utf8').trim()).to.equal(first).and.have.length(64);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      expect(resolveHashSecret(settings, dir, 'development', logger)).to.equal(first);
      const configured = loadConfig({ ANALYTICS_SQLITE_FILE: join(dir, 'db', 'analytics.sqlite'), ANALYTICS_HASH_SECRET: SECRET }).analytics;
      expect(resolveHashSecret(configured, dir, 'development', logger)).to.equal(SECRET);
      const memory = loadConfig({ NODE_ENV: 'test' }).analytics;
      expect(resolveHashSecret(memory, dir, 'test', logger)).to.not.equal(resolveHashSecret(memory, dir, 'test', logger));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is required in production with PostgreSQL, and must be long enough', () => {
    const rejected = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(hasErrorCode(error, 'CONFIG_INVALID')).to.equal(true);
        return (error as Error).message;
      }
      return undefined;
    };
    const production = { NODE_ENV: 'production', MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'secret', DATABASE_URL: 'postgres://db/carebot' };
    expect(rejected(production)).to.include('ANALYTICS_HASH_SECRET');
    expect(rejected({ ...production, ANALYTICS_HASH_SECRET: SECRET })).to.equal(undefined);
    expect(rejected({ ANALYTICS_HASH_SECRET: 'short' })).to.include('ANALYTICS_HASH_SECRET').and.include('32');
  });
});
