import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT_VARIABLES, loadConfig } from '../src/config.js';
import { hasErrorCode } from '../src/errors.js';
import { projectRoot } from '../src/project-root.js';

function configError(env: Record<string, string>): Error {
  try {
    loadConfig(env);
  } catch (error) {
    expect(hasErrorCode(error, 'CONFIG_INVALID'), String(error)).to.equal(true);
    return error as Error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.http).to.deep.equal({ host: '127.0.0.1', port: 3978, bodyLimitBytes: 262144, publicUrl: undefined });
    expect(config.redis).to.equal(undefined);
    expect(config.defaultLocale).to.equal('en');
    expect(config.botFramework.allowUnauthenticated).to.equal(true);
    expect(Object.isFrozen(config) && Object.isFrozen(config.http)).to.equal(true);
  });

  it('reads every setting it documents', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      REDIS_URL: 'redis://cache:6379/2',
      REDIS_KEY_PREFIX: 'tenant-a',
      CONVERSATION_TTL_SECONDS: '600',
      USER_STATE_TTL_SECONDS: '0',
      DEFAULT_LOCALE: 'zh-HK',
      LOG_LEVEL: 'debug',
      BODY_LIMIT_BYTES: '1000',
      SHUTDOWN_TIMEOUT_MS: '500',
      PUBLIC_URL: 'https://bot.example.com',
    });
    expect(config.http).to.deep.equal({ host: '0.0.0.0', port: 8080, bodyLimitBytes: 1000, publicUrl: 'https://bot.example.com' });
    expect(config.redis).to.deep.equal({ connection: { url: 'redis://cache:6379/2' }, keyPrefix: '{tenant-a}' });
    expect(config.state).to.deep.equal({ conversationTtlSeconds: 600, userTtlSeconds: 0 });
    expect(config.defaultLocale).to.equal('zh-HK');
    expect(config.shutdownTimeoutMs).to.equal(500);
  });

  it('connects to a Redis Cluster through REDIS_CLUSTER_NODES, every key under the prefix as one hash tag', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-b.internal:7001', REDIS_KEY_PREFIX: 'bank-a' });
    expect(config.redis).to.deep.equal({
      connection: { clusterNodes: [{ host: '10.0.0.1', port: 7000 }, { host: 'redis-b.internal', port: 7001 }] },
      keyPrefix: '{bank-a}',
    });
    expect(configError({ REDIS_CLUSTER_NODES: '10.0.0.1' }).message).to.include('REDIS_CLUSTER_NODES').and.include('host:port');
    expect(configError({ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:7000' }).message).to.include('not both');
    // An empty name would be an empty hash tag, which Redis Cluster ignores.
    expect(configError({ REDIS_URL: 'redis://a:6379', REDIS_KEY_PREFIX: '' }).message).to.include('REDIS_KEY_PREFIX');
    expect(configError({ REDIS_URL: 'redis://a:6379', REDIS_KEY_PREFIX: '{x}' }).message).to.include('REDIS_KEY_PREFIX');
  });

  it('bounds the entity recognizers\' time per message (NLU_RECOGNIZER_BUDGET_MS)', () => {
    expect(loadConfig({}).nlu.recognizerBudgetMs).to.equal(100);
    expect(loadConfig({ NLU_RECOGNIZER_BUDGET_MS: '250' }).nlu.recognizerBudgetMs).to.equal(250);
    expect(configError({ NLU_RECOGNIZER_BUDGET_MS: '5' }).message).to.include('NLU_RECOGNIZER_BUDGET_MS="5"').and.include('at least 10');
    expect(configError({ NLU_RECOGNIZER_BUDGET_MS: '60000' }).message).to.include('at most 10000');
    expect(configError({ NLU_RECOGNIZER_BUDGET_MS: 'fast' }).message).to.include('NLU_RECOGNIZER_BUDGET_MS');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ REDIS_URL: '', MICROSOFT_APP_ID: ' ' }).redis).to.equal(undefined);
  });

  it('names the variable, its value and what is expected', () => {
    expect(configError({ PORT: 'eighty' }).message).to.include('PORT="eighty"').and.include('expected a port number');
    expect(configError({ PORT: '70000' }).message).to.include('PORT="70000"');
    expect(configError({ REDIS_URL: 'localhost:6379' }).message).to.include('REDIS_URL').and.include('redis://');
    expect(configError({ DEFAULT_LOCALE: 'fr' }).message).to.include('DEFAULT_LOCALE').and.include('zh-HK');
    expect(configError({ CONVERSATION_TTL_SECONDS: '-5' }).message).to.include('CONVERSATION_TTL_SECONDS');
  });

  it('reports every invalid variable at once', () => {
    const message = configError({ PORT: 'x', LOG_LEVEL: 'loud' }).message;
    expect(message).to.include('PORT').and.include('LOG_LEVEL');
  });

  it('refuses unauthenticated Bot Framework traffic in production', () => {
    expect(configError({ NODE_ENV: 'production', ALLOW_UNAUTHENTICATED_BOT_FRAMEWORK: 'true' }).message).to.include('MICROSOFT_APP_ID');
    const withoutCredentials = loadConfig({ NODE_ENV: 'production' }).botFramework;
    expect(withoutCredentials).to.include({ allowUnauthenticated: false, enabled: false });
    expect(loadConfig({ NODE_ENV: 'production', MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'secret' }).botFramework.allowUnauthenticated).to.equal(false);
  });

  it('requires the password with an app id, and a tenant for single-tenant apps', () => {
    expect(configError({ MICROSOFT_APP_ID: 'app' }).message).to.include('MICROSOFT_APP_PASSWORD');
    expect(configError({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'SingleTenant' }).message).to.include('MICROSOFT_APP_TENANT_ID');
  });

  it('documents every variable in README.md and .env.example', () => {
    const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
    const example = readFileSync(join(projectRoot(), '.env.example'), 'utf8');
    for (const variable of ENVIRONMENT_VARIABLES) {
      expect(readme, `README.md lists ${variable}`).to.match(new RegExp(`\\|\\s*\`${variable}\`\\s*\\|`));
      expect(example, `.env.example lists ${variable}`).to.match(new RegExp(`^${variable}=`, 'm'));
    }
  });
});
