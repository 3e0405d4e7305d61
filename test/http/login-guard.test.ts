import { expect } from 'chai';
import { Redis } from 'ioredis';
import { MemoryFailureCounter, RedisFailureCounter, type FailureCounter } from '../../src/http/failure-counter.js';
import { LoginGuard } from '../../src/http/login-guard.js';
import type { RedisClient } from '../../src/state/create-redis.js';
import { createDialogBot, type DialogBot } from '../support/dialog-bot.js';
import { memoryLogger } from '../support/silent-logger.js';
import { connectCluster } from '../support/redis-cluster.js';
import { deleteKeys, describeOnRedisCluster, testRedisUrl, uniquePrefix } from '../support/test-redis.js';
import { startHarness, type Harness } from '../handoff/harness.js';

const POLICY = { maxFailuresPerAccount: 3, maxFailuresPerAddress: 6, lockoutSeconds: 1 };
const SECRET = 'the-right-password';

type Backend = { name: string; counter: () => FailureCounter; cleanup: () => Promise<void> };

const redisBackend = (): Backend => {
  let redis: Redis | undefined;
  const prefix = uniquePrefix();
  return {
    name: 'Redis',
    counter: () => {
      redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
      return new RedisFailureCounter(redis, prefix, memoryLogger('silent').logger);
    },
    cleanup: async () => {
      if (!redis) return;
      await deleteKeys(redis, prefix);
      await redis.quit();
    },
  };
};
const memoryBackend = (): Backend => ({ name: 'memory', counter: () => new MemoryFailureCounter(), cleanup: async () => undefined });

for (const makeBackend of [memoryBackend, redisBackend]) {
  describe(`login guard (${makeBackend().name})`, () => {
    let backend: Backend;
    let guard: LoginGuard;
    let log: ReturnType<typeof memoryLogger>;
    let checks: number;
    beforeEach(() => {
      backend = makeBackend();
      log = memoryLogger('info');
      guard = new LoginGuard(backend.counter(), POLICY, log.logger);
      checks = 0;
    });
    afterEach(async () => backend.cleanup());

    const login = (account: string, password: string, address = '198.51.100.1') =>
      guard.attempt('agent', { account, address }, () => {
        checks += 1;
        return password === SECRET ? account : undefined;
      });

    it('locks an account after its failures, refuses even the right password unchecked, and says until when', async () => {
      for (let i = 0; i < POLICY.maxFailuresPerAccount; i += 1) expect(await login('kit', 'guess')).to.deep.equal({ ok: false });
      const locked = await login('kit', SECRET);
      expect(locked.ok).to.equal(false);
      expect(!locked.ok && locked.locked?.retryAfterSeconds).to.be.within(1, POLICY.lockoutSeconds);
      expect(!locked.ok && locked.locked?.reason).to.match(/account/);
      expect(checks, 'the locked attempt is not checked').to.equal(POLICY.maxFailuresPerAccount);
      // Other accounts from elsewhere are not affected.
      expect((await login('ann', SECRET, '198.51.100.2')).ok).to.equal(true);
    });

    it('logs the lock at warn, with account and address, never the password', async () => {
      for (let i = 0; i < POLICY.maxFailuresPerAccount; i += 1) await login('kit', 'hunter2-guess');
      const warnings = log.lines().filter((line) => line.level === 40 && line.msg === 'login locked after repeated failures');
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.include({ scope: 'agent', account: 'kit', address: '198.51.100.1' });
      expect(JSON.stringify(log.lines())).to.not.include('hunter2');
    });

    it('a success clears the account', async () => {
      for (let i = 0; i < POLICY.maxFailuresPerAccount - 1; i += 1) await login('kit', 'guess');
      expect((await login('kit', SECRET)).ok).to.equal(true);
      for (let i = 0; i < POLICY.maxFailuresPerAccount - 1; i += 1) await login('kit', 'guess');
      expect((await login('kit', SECRET)).ok).to.equal(true);
    });

    it('locks an address that tries many accounts; successes give their attempt back', async () => {
      for (let i = 0; i < 10; i += 1) expect((await login(`agent-${i}`, SECRET)).ok, 'an office of agents behind one address').to.equal(true);
      for (let i = 0; i < POLICY.maxFailuresPerAddress; i += 1) await login(`user-${i}`, 'guess');
      const locked = await login('someone-new', SECRET);
      expect(!locked.ok && locked.locked?.reason).to.match(/address/);
      expect((await login('someone-new', SECRET, '198.51.100.9')).ok).to.equal(true);
    });

    it('counts a burst of parallel guesses before checking any, so the burst cannot pass the limit', async () => {
      const outcomes = await Promise.all(Array.from({ length: 30 }, () => login('kit', 'guess')));
      expect(checks).to.equal(POLICY.maxFailuresPerAccount);
      expect(outcomes.filter((outcome) => !outcome.ok && outcome.locked)).to.have.length(30 - POLICY.maxFailuresPerAccount);
    });

    it('lifts the lock LOGIN_LOCKOUT_SECONDS after the last attempt', async function () {
      this.timeout(10_000);
      for (let i = 0; i <= POLICY.maxFailuresPerAccount; i += 1) await login('kit', 'guess');
      expect((await login('kit', SECRET)).ok).to.equal(false);
      await new Promise((resolve) => setTimeout(resolve, POLICY.lockoutSeconds * 1000 + 200));
      expect((await login('kit', SECRET)).ok).to.equal(true);
    });
  });
}

/** Two guards on one backend (two processes) see one count. */
async function sharedLockout(a: RedisClient, b: RedisClient): Promise<void> {
  const prefix = uniquePrefix();
  try {
    const logger = memoryLogger('silent').logger;
    const first = new LoginGuard(new RedisFailureCounter(a, prefix, logger), POLICY, logger);
    const second = new LoginGuard(new RedisFailureCounter(b, prefix, logger), POLICY, logger);
    const who = { account: 'kit', address: '198.51.100.1' };
    await first.attempt('agent', who, () => undefined);
    await second.attempt('agent', who, () => undefined);
    await first.attempt('agent', who, () => undefined);
    const locked = await second.attempt('agent', who, () => 'kit');
    expect(locked.ok).to.equal(false);
  } finally {
    await deleteKeys(a, prefix);
    await a.quit();
    await b.quit();
  }
}

describe('login guard: Redis shares the lock between processes', () => {
  it('two guards on one Redis (two processes) see one count', async () => {
    await sharedLockout(new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 }), new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 }));
  });
});

describeOnRedisCluster('login guard', (cluster) => {
  it('two guards on one Redis Cluster (two processes) see one count', async () => {
    await sharedLockout(connectCluster(cluster()), connectCluster(cluster()));
  });
});

describe('login lockout over HTTP', function () {
  this.timeout(60_000);

  for (const backend of ['memory', 'Redis'] as const) {
    describe(`agent login (${backend})`, () => {
      let harness: Harness | undefined;
      afterEach(async () => {
        await harness?.close();
        harness = undefined;
      });

      it('answers 429 LOGIN_LOCKED with Retry-After after the account\'s failures; other agents still log in', async () => {
        harness = await startHarness({ redisUrl: backend === 'Redis' ? testRedisUrl() : undefined, env: { LOGIN_MAX_FAILURES: '3' } });
        const login = (agentId: string, password: string) =>
          fetch(`${harness!.url}/api/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agentId, password }) });
        for (let i = 0; i < 3; i += 1) expect((await login('kit', 'wrong')).status).to.equal(401);
        const locked = await login('kit', 'correct horse battery staple');
        expect(locked.status).to.equal(429);
        expect(Number(locked.headers.get('retry-after'))).to.be.within(1, 900);
        const body = (await locked.json()) as { error: { code: string; message: string } };
        expect(body.error.code).to.equal('LOGIN_LOCKED');
        expect(body.error.message).to.match(/Too many failed logins/);
        expect((await login('ann', 'correct horse battery staple')).status).to.equal(200);
      });
    });
  }

  describe('admin token, dashboard login and /metrics token', () => {
    const TOKEN = 'login-guard-admin-token-123456';
    const METRICS = 'login-guard-metrics-token-123456';
    let bot: DialogBot | undefined;
    let base: string;
    before(async () => {
      bot = await createDialogBot({ ADMIN_TOKEN: TOKEN, METRICS_TOKEN: METRICS, LOGIN_MAX_FAILURES_PER_ADDRESS: '4' });
      const server = bot.carebot.app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    });
    after(async () => bot?.close());

    it('locks the address after wrong bearer tokens and dashboard logins, refusing even the right token', async () => {
      const bearer = (token: string) => fetch(`${base}/api/admin/analytics/queue`, { headers: { authorization: `Bearer ${token}` } });
      const form = (token: string) =>
        fetch(`${base}/dashboard/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${token}`, redirect: 'manual' });
      expect((await bearer(TOKEN)).status).to.equal(200);
      expect((await bearer('wrong-token-1')).status).to.equal(401);
      expect((await form('wrong-token-2')).status).to.equal(401);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token-3' } })).status).to.equal(401);
      expect((await bearer('wrong-token-4')).status).to.equal(401);
      const locked = await bearer(TOKEN);
      expect(locked.status).to.equal(429);
      expect(locked.headers.get('retry-after')).to.match(/^\d+$/);
      expect(((await locked.json()) as { error: { code: string } }).error.code).to.equal('LOGIN_LOCKED');
      const lockedForm = await form(TOKEN);
      expect(lockedForm.status).to.equal(429);
      expect(await lockedForm.text()).to.include('Too many failed logins');
      expect((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS}` } })).status).to.equal(429);
    });
  });
});
