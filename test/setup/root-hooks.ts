import { startTestRedis, stopTestRedis } from '../support/test-redis.js';

/** Mocha root hooks: one private redis-server for the whole run (or REDIS_URL when set). */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(20_000);
    await startTestRedis();
  },
  async afterAll() {
    await stopTestRedis();
  },
};
