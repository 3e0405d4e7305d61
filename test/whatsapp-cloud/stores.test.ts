import { expect } from 'chai';
import { Redis } from 'ioredis';
import { MemorySentMessageStore, RedisSentMessageStore, type SentMessageStore } from '../../adapters/whatsapp-cloud/sent-message-store.js';
import { MemoryServiceWindowStore, RedisServiceWindowStore, SERVICE_WINDOW_MS, type ServiceWindowStore } from '../../adapters/whatsapp-cloud/window-store.js';
import { deleteKeys, scanKeys, testRedisUrl, uniquePrefix } from '../support/test-redis.js';

/** A real wamid's shape: base64 of the recipient's number (85291234567) and a random id. */
const WAMID = 'wamid.HBgLODUyOTEyMzQ1NjcVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA';

describe('WhatsApp Cloud API stores (memory and Redis)', () => {
  let redis: Redis | undefined;
  let prefix: string;
  beforeEach(() => {
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    if (redis) {
      await deleteKeys(redis, prefix);
      await redis?.quit();
      redis = undefined;
    }
  });

  const kinds: [string, () => { window: ServiceWindowStore; sent: SentMessageStore }][] = [
    ['memory', () => ({ window: new MemoryServiceWindowStore(), sent: new MemorySentMessageStore() })],
    [
      'Redis',
      () => {
        redis = new Redis(testRedisUrl());
        return { window: new RedisServiceWindowStore(redis, prefix), sent: new RedisSentMessageStore(redis, prefix) };
      },
    ],
  ];

  for (const [name, create] of kinds) {
    it(`${name}: opens the window on a message, erases it, and maps a wamid to its agent message`, async () => {
      const { window, sent } = create();
      expect(await window.isOpen('85291234567')).to.equal(false);
      await window.touch('85291234567', Date.now());
      expect(await window.isOpen('85291234567')).to.equal(true);
      expect(await window.isOpen('8613800138000')).to.equal(false);
      expect(await window.erase('85291234567')).to.equal(1);
      expect(await window.isOpen('85291234567')).to.equal(false);
      await sent.remember('wamid.1', { handoffId: 'h1', messageId: 'm1', agentId: 'kit' });
      expect(await sent.lookup('wamid.1')).to.deep.equal({ handoffId: 'h1', messageId: 'm1', agentId: 'kit' });
      expect(await sent.lookup('wamid.2')).to.equal(undefined);
    });

    it(`${name}: keeps a sent message by its wamid's digest, not the wamid (the recipient's phone number in base64)`, async () => {
      const { sent } = create();
      await sent.remember(WAMID, { handoffId: 'h1', messageId: 'm1', agentId: 'kit' });
      expect(await sent.lookup(WAMID)).to.deep.equal({ handoffId: 'h1', messageId: 'm1', agentId: 'kit' });
      const held = redis ? await scanKeys(redis, prefix) : [...(sent as unknown as { sent: Map<string, unknown> }).sent.keys()];
      expect(held).to.have.length(1);
      expect(held.filter((key) => key.includes(WAMID.slice(6, 26)))).to.deep.equal([]);
    });
  }

  it('memory: the window closes 24 hours after the last message', async () => {
    let now = 0;
    const window = new MemoryServiceWindowStore(() => now);
    await window.touch('85291234567', now);
    now = SERVICE_WINDOW_MS - 1;
    expect(await window.isOpen('85291234567')).to.equal(true);
    now = SERVICE_WINDOW_MS;
    expect(await window.isOpen('85291234567')).to.equal(false);
  });

  it('Redis: the window key expires with the window', async () => {
    redis = new Redis(testRedisUrl());
    await new RedisServiceWindowStore(redis, prefix).touch('85291234567', Date.now());
    const ttl = await redis.pttl(`${prefix}:wa-cloud:window:85291234567`);
    expect(ttl).to.be.within(SERVICE_WINDOW_MS - 60_000, SERVICE_WINDOW_MS);
  });

  for (const [name, create] of kinds) {
    it(`${name}: the window runs from the message's own time; an old message (a redelivery) neither reopens nor shortens it`, async () => {
      const { window } = create();
      const hour = 60 * 60 * 1000;
      await window.touch('85291234567', Date.now() - SERVICE_WINDOW_MS - hour);
      expect(await window.isOpen('85291234567'), 'written 25 hours ago').to.equal(false);
      await window.touch('85291234567', Date.now() - SERVICE_WINDOW_MS + hour);
      expect(await window.isOpen('85291234567'), 'written 23 hours ago').to.equal(true);
      await window.touch('85291234567', Date.now() - hour);
      await window.touch('85291234567', Date.now() - SERVICE_WINDOW_MS + hour);
      if (window instanceof RedisServiceWindowStore) {
        // Still open until 24 h after the newer message, not the older one redelivered after it.
        expect(await redis!.pttl(`${prefix}:wa-cloud:window:85291234567`)).to.be.above(SERVICE_WINDOW_MS - 2 * hour);
      }
      expect(await window.isOpen('85291234567')).to.equal(true);
      await window.erase('85291234567');
    });
  }

  it('memory: an old message redelivered after a newer one leaves the window where the newer one put it', async () => {
    let now = 10 * SERVICE_WINDOW_MS;
    const window = new MemoryServiceWindowStore(() => now);
    await window.touch('85291234567', now - 1000);
    await window.touch('85291234567', now - SERVICE_WINDOW_MS + 5000);
    now += SERVICE_WINDOW_MS - 2000;
    expect(await window.isOpen('85291234567')).to.equal(true);
  });

  it('memory: keeps at most maxWindows open windows; the customer least recently written by loses theirs first', async () => {
    const now = 10 * SERVICE_WINDOW_MS;
    const window = new MemoryServiceWindowStore(() => now, 2);
    await window.touch('first', now - 3000);
    await window.touch('second', now - 2000);
    await window.touch('third', now - 1000);
    expect(await window.isOpen('first'), 'evicted by the third').to.equal(false);
    expect(await window.isOpen('second')).to.equal(true);
    expect(await window.isOpen('third')).to.equal(true);
  });

  it('memory: remembers at most maxSends wamids; the oldest send loses its receipt first', async () => {
    const sent = new MemorySentMessageStore(Date.now, 2);
    for (const n of [1, 2, 3]) await sent.remember(`wamid.${n}`, { handoffId: 'h1', messageId: `m${n}`, agentId: 'kit' });
    expect(await sent.lookup('wamid.1'), 'evicted by the third').to.equal(undefined);
    expect((await sent.lookup('wamid.2'))?.messageId).to.equal('m2');
    expect((await sent.lookup('wamid.3'))?.messageId).to.equal('m3');
  });

  it('memory: forgets a wamid after a week, as the Redis key expires', async () => {
    let now = 1_000_000;
    const sent = new MemorySentMessageStore(() => now);
    await sent.remember('wamid.1', { handoffId: 'h1', messageId: 'm1', agentId: 'kit' });
    now += 7 * 24 * 60 * 60 * 1000;
    expect(await sent.lookup('wamid.1')).to.not.equal(undefined);
    now += 1;
    expect(await sent.lookup('wamid.1')).to.equal(undefined);
  });
});
