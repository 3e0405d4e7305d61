import { stopEveryCarebot } from '../support/spawn-carebot.js';
import { startTestRedis, stopTestRedis } from '../support/test-redis.js';

/**
 * Mocha root hooks: one private redis-server for the whole run (or REDIS_URL when set), and a
 * last sweep for carebot processes a failed test left running.
 */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(20_000);
    await startTestRedis();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    const leftOver = await stopEveryCarebot();
    // Every suite stops its own children; one that did not is a test bug worth seeing.
    if (leftOver > 0) process.stderr.write(`root hook: killed ${leftOver} carebot process(es) a test left running\n`);
    await stopTestRedis();
  },
};
