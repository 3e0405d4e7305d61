import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { AccessTokenCache } from '../../adapters/wechat-official/access-token-cache.js';
import { WecomDepartments } from '../../adapters/wecom/wecom-departments.js';
import { memoryLogger } from '../support/silent-logger.js';
import { FakeWechatApi } from '../wechat-official/fake-wechat-api.js';

describe('WeCom departments (user/get, remembered with a TTL)', () => {
  let api: FakeWechatApi;
  before(async () => {
    api = new FakeWechatApi();
    await api.start();
    api.wecomUsers.set('li.ming', { department: [3, 12], main_department: 12 });
    api.wecomUsers.set('no.main', { department: [7] });
  });
  after(() => api?.close());

  function departments(options: { redis?: Redis; now?: () => number } = {}) {
    const log = memoryLogger('info');
    const tokens = new AccessTokenCache({ fetch: async () => ({ token: 'wecom-token-1', expiresInSeconds: 7200 }) });
    return {
      lookup: new WecomDepartments({ apiBaseUrl: api.url, tokens, redis: options.redis, keyPrefix: 'test', ttlSeconds: 60, logger: log.logger, ...(options.now ? { now: options.now } : {}) }),
      log,
    };
  }

  it('takes the main department, else the first; asks again once the TTL has passed', async () => {
    let now = 1_000_000;
    const { lookup } = departments({ now: () => now });
    expect(await lookup.departmentOf('li.ming')).to.equal('12');
    expect(await lookup.departmentOf('no.main')).to.equal('7');
    expect(await lookup.departmentOf('li.ming')).to.equal('12');
    expect(api.userGetCalls().filter((call) => call.query.userid === 'li.ming')).to.have.length(1);
    now += 61_000;
    expect(await lookup.departmentOf('li.ming')).to.equal('12');
    expect(api.userGetCalls().filter((call) => call.query.userid === 'li.ming')).to.have.length(2);
  });

  it('leaves the department unknown, without throwing, when the API refuses or the cache store fails', async () => {
    const { lookup, log } = departments();
    expect(await lookup.departmentOf('not.visible')).to.equal(undefined);
    const broken = { get: async () => Promise.reject(new Error('Connection is closed.')) } as unknown as Redis;
    expect(await departments({ redis: broken }).lookup.departmentOf('li.ming')).to.equal(undefined);
    expect(log.lines().some((line) => String(line.msg).startsWith('WeCom department lookup failed'))).to.equal(true);
  });
});
