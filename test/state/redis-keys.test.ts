import { expect } from 'chai';
import { DirectLineKeys, HandoffKeys, hashTaggedPrefix, RedisKeys } from '../../src/state/redis-keys.js';

/** The part of a key Redis Cluster hashes: the first non-empty `{…}`, else the whole key (cluster spec, "hash tags"). */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/** HandoffKeys members that name a part of a key (a queue, a BullMQ job), not a key. */
const NOT_KEYS = new Set(['queueName', 'skillAndLanguage', 'bullQueue', 'ticketJob']);

/** Every key a key class builds, called through its prototype so a key added later is checked too. */
function everyKey(keys: object, argument: string): { member: string; key: string }[] {
  const prototype = Object.getPrototypeOf(keys) as object;
  return Object.getOwnPropertyNames(prototype)
    .filter((member) => member !== 'constructor' && !NOT_KEYS.has(member))
    .map((member) => {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, member)!;
      const value: unknown = descriptor.get ? descriptor.get.call(keys) : (descriptor.value as (...args: string[]) => unknown).call(keys, argument, argument);
      expect(value, member).to.be.a('string');
      return { member, key: value as string };
    });
}

describe('Redis key names (src/state/redis-keys.ts)', () => {
  const prefix = hashTaggedPrefix('bank-a');
  const classes = { RedisKeys: new RedisKeys(prefix), HandoffKeys: new HandoffKeys(prefix), DirectLineKeys: new DirectLineKeys(prefix) };

  for (const [name, keys] of Object.entries(classes)) {
    it(`${name}: every key starts with the deployment's hash tag, so all of them share one Redis Cluster slot`, () => {
      const built = everyKey(keys, 'user-1');
      expect(built.length).to.be.greaterThan(4);
      for (const { member, key } of built) {
        expect(key, member).to.match(/^\{bank-a\}:/);
        expect(hashTag(key), member).to.equal('bank-a');
      }
    });

    it(`${name}: an id with braces of its own (a user's id) cannot move a key to another slot`, () => {
      for (const { member, key } of everyKey(keys, '{other}')) expect(hashTag(key), member).to.equal('bank-a');
    });
  }

  it("a WeChat account's access token and its refresh lock share the slot and are apart from another account's", () => {
    const keys = new RedisKeys(prefix);
    const token = keys.accessToken('wechat-official', 'wx0123');
    expect(hashTag(keys.accessTokenLock('wechat-official', 'wx0123'))).to.equal(hashTag(token));
    expect(keys.accessTokenLock('wechat-official', 'wx0123')).to.not.equal(token);
    expect(keys.accessToken('wecom', 'wx0123')).to.not.equal(token);
  });

  it('refuses a prefix that would not be one hash tag', () => {
    expect(() => hashTaggedPrefix('')).to.throw(/at least one character/);
    expect(() => hashTaggedPrefix('a}b')).to.throw(/no braces/);
  });
});
