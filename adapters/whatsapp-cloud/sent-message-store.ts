import { LRUCache } from 'lru-cache';
import type { RedisClient } from '../../src/state/create-redis.js';
import type { ReceiptOrigin } from '../../src/channels/delivery-receipts.js';
import { RedisKeys } from '../../src/state/redis-keys.js';
import { messageIdDigest } from '../shared/message-digest.js';

/** Statuses of a message arrive within days at most; after that a wamid is forgotten. */
const TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * wamid → the handoff message it carried, so a status webhook finds what to update. Keyed by the
 * wamid's digest: a wamid is the recipient's phone number in base64 (and a random id), and a
 * status only needs to find its send again. Holds no personal data.
 */
export interface SentMessageStore {
  remember(wamid: string, origin: ReceiptOrigin): Promise<void>;
  lookup(wamid: string): Promise<ReceiptOrigin | undefined>;
}

/** Most statuses follow a send within seconds; past this many sends the oldest lose their receipts first. */
const MAX_REMEMBERED_SENDS = 100_000;

export class MemorySentMessageStore implements SentMessageStore {
  private readonly sent: LRUCache<string, ReceiptOrigin>;

  constructor(now: () => number = () => Date.now(), maxSends = MAX_REMEMBERED_SENDS) {
    this.sent = new LRUCache({ max: maxSends, ttl: TTL_MS, ttlResolution: 0, perf: { now } });
  }

  async remember(wamid: string, origin: ReceiptOrigin): Promise<void> {
    this.sent.set(messageIdDigest(wamid), origin);
  }

  async lookup(wamid: string): Promise<ReceiptOrigin | undefined> {
    return this.sent.get(messageIdDigest(wamid));
  }
}

/** Any process may receive the status webhook: `SET <prefix>:wa-cloud:sent:<wamid digest> <json> PX 7d`. */
export class RedisSentMessageStore implements SentMessageStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
  ) {}

  async remember(wamid: string, origin: ReceiptOrigin): Promise<void> {
    await this.redis.set(this.key(wamid), JSON.stringify(origin), 'PX', TTL_MS);
  }

  async lookup(wamid: string): Promise<ReceiptOrigin | undefined> {
    const raw = await this.redis.get(this.key(wamid));
    return raw ? (JSON.parse(raw) as ReceiptOrigin) : undefined;
  }

  private key(wamid: string): string {
    return new RedisKeys(this.keyPrefix).whatsappCloudSent(messageIdDigest(wamid));
  }
}
