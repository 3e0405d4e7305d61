import type { Activity } from 'botbuilder';
import type { RedisClient } from '../../../src/state/create-redis.js';
import type { Locale } from '../../../src/config.js';
import type { Logger } from '../../../src/logger.js';
import { luaScript } from '../../../src/state/lua-script.js';
import {
  activityId,
  type ActivitySet,
  type ConversationStore,
  type ConversationStoreLimits,
  type KioskConversation,
  type NewConversation,
  type StreamListener,
} from './conversation-store.js';
import { DirectLineKeys } from '../../../src/state/redis-keys.js';

const APPEND_SCRIPT = 'adapters/kiosk/store/append-activity.lua';

type AppendCommand = (conversation: string, log: string, json: string, max: number, ttlMs: number, now: number, channel: string, id: string) => Promise<[number, string]>;

/** One open stream in this process: what it has delivered so far, and what arrived while it was catching up. */
interface LocalStream {
  readonly listener: StreamListener;
  /** The index of the next activity to deliver. */
  next: number;
  /** Non-null while the stream reads the log (backlog or a gap); live activities wait here meanwhile. */
  waiting: { index: number; activity: Partial<Activity> }[] | null;
}

export interface RedisConversationStoreOptions extends ConversationStoreLimits {
  /** The shared producer connection. */
  readonly redis: RedisClient;
  /** A connection of its own for SUBSCRIBE (a subscribed connection cannot run commands). */
  readonly subscriber: RedisClient;
  readonly keyPrefix: string;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * Conversations in Redis, so any carebot process can accept a POST, answer a GET or hold the
 * WebSocket of any conversation, and a restart loses nothing: the conversation is a hash, its log
 * a list capped at `maxActivities`, both expiring `idleMs` after their last use; each append is
 * published, and each process forwards it to the streams it holds, in index order and once each.
 */
export class RedisConversationStore implements ConversationStore {
  private readonly keys: DirectLineKeys;
  private readonly streams = new Map<string, Set<LocalStream>>();
  private readonly subscribed: Promise<unknown>;

  constructor(private readonly options: RedisConversationStoreOptions) {
    this.keys = new DirectLineKeys(options.keyPrefix);
    options.redis.defineCommand('directlineAppend', { numberOfKeys: 2, lua: luaScript(APPEND_SCRIPT) });
    options.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.keys.activities) this.onPublished(message);
    });
    this.subscribed = options.subscriber.subscribe(this.keys.activities);
    // A failed subscription is retried by the next stream(); nothing awaits this one yet.
    this.subscribed.catch((error: unknown) => options.logger.error({ err: error }, 'could not subscribe to Direct Line activities'));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private get ttlMs(): number {
    return this.options.idleMs;
  }

  async full(): Promise<boolean> {
    // Redis holds what the TTL lets live; the count is not worth a scan per conversation start.
    return false;
  }

  async create(conversation: NewConversation): Promise<KioskConversation> {
    const created: KioskConversation = { ...conversation, chosenLocale: undefined, lastActivityAt: this.now() };
    const key = this.keys.conversation(created.id);
    const fields: Record<string, string> = {
      deviceId: created.deviceId,
      userId: created.userId,
      locale: created.locale,
      lastActivityAt: String(created.lastActivityAt),
      next: '0',
    };
    if (created.userName !== undefined) fields.userName = created.userName;
    await this.options.redis.multi().hset(key, fields).pexpire(key, this.ttlMs).exec();
    await this.indexUser(created.userId, created.id);
    await this.markSeen(created.id, created.lastActivityAt);
    return created;
  }

  async get(id: string): Promise<KioskConversation | undefined> {
    const record = await this.options.redis.hgetall(this.keys.conversation(id));
    if (!record.deviceId || !record.userId) return undefined;
    return {
      id,
      deviceId: record.deviceId,
      userId: record.userId,
      userName: record.userName,
      locale: record.locale as Locale,
      chosenLocale: (record.chosenLocale as Locale | undefined) || undefined,
      lastActivityAt: Number(record.lastActivityAt),
    };
  }

  async setChosenLocale(id: string, locale: Locale): Promise<void> {
    const key = this.keys.conversation(id);
    // HSET on an expired conversation would bring back a record without its device: only if it exists.
    if (await this.options.redis.exists(key)) await this.options.redis.hset(key, 'chosenLocale', locale);
  }

  async append(conversationId: string, activity: Partial<Activity>): Promise<string | undefined> {
    const { id: _dropped, ...rest } = activity;
    const append = (this.options.redis as unknown as { directlineAppend: AppendCommand }).directlineAppend.bind(this.options.redis);
    const [index, userId] = await append(
      this.keys.conversation(conversationId),
      this.keys.log(conversationId),
      JSON.stringify(rest),
      this.options.maxActivities,
      this.ttlMs,
      this.now(),
      this.keys.activities,
      conversationId,
    );
    if (index < 0) return undefined;
    await this.indexUser(userId, conversationId);
    return activityId(conversationId, index);
  }

  async since(conversationId: string, watermark: number | undefined): Promise<ActivitySet | undefined> {
    const results = await this.options.redis
      .multi()
      .hget(this.keys.conversation(conversationId), 'next')
      .lrange(this.keys.log(conversationId), 0, -1)
      .exec();
    const next = results?.[0]?.[1] as string | null | undefined;
    const log = (results?.[1]?.[1] as string[] | undefined) ?? [];
    if (next === null || next === undefined) return undefined;
    const end = Number(next);
    const first = end - log.length;
    const from = Math.min(Math.max(watermark ?? 0, first), end);
    const activities = log.slice(from - first).map((json, offset) => ({ ...(JSON.parse(json) as Partial<Activity>), id: activityId(conversationId, from + offset) }));
    return { activities, watermark: String(end) };
  }

  async stream(conversationId: string, watermark: number | undefined, listener: StreamListener): Promise<(() => void) | undefined> {
    await this.subscribed;
    // Listen first, then read the log: what is appended in between waits and is deduplicated by index.
    const stream: LocalStream = { listener, next: 0, waiting: [] };
    let local = this.streams.get(conversationId);
    if (!local) this.streams.set(conversationId, (local = new Set()));
    local.add(stream);
    const unsubscribe = () => {
      local.delete(stream);
      if (local.size === 0 && this.streams.get(conversationId) === local) this.streams.delete(conversationId);
    };
    try {
      const backlog = await this.since(conversationId, watermark);
      if (!backlog) {
        unsubscribe();
        return undefined;
      }
      this.catchUp(conversationId, stream, backlog);
      return unsubscribe;
    } catch (error) {
      unsubscribe();
      throw error;
    }
  }

  async touch(conversationId: string): Promise<void> {
    const key = this.keys.conversation(conversationId);
    const results = await this.options.redis
      .multi()
      .pexpire(key, this.ttlMs)
      .pexpire(this.keys.log(conversationId), this.ttlMs)
      .hget(key, 'userId')
      .exec();
    if (results?.[0]?.[1] !== 1) return;
    const now = this.now();
    await this.options.redis.hset(key, 'lastActivityAt', String(now));
    await this.markSeen(conversationId, now);
    const userId = results?.[2]?.[1];
    if (typeof userId === 'string') await this.indexUser(userId, conversationId);
  }

  async claimAbandoned(cutoff: number): Promise<KioskConversation[]> {
    // Streams held elsewhere count as use through their processes' sweeps (every process sweeps
    // well within the abandonment time); the ones held here are skipped.
    await this.sweep();
    const ids = await this.options.redis.zrangebyscore(this.keys.lastUsed, '-inf', `(${cutoff}`, 'LIMIT', 0, 500);
    const claimed: KioskConversation[] = [];
    for (const id of ids) {
      if (this.streams.has(id)) continue;
      // ZREM answers 1 in one process only: each departure is claimed once across processes.
      if ((await this.options.redis.zrem(this.keys.lastUsed, id)) !== 1) continue;
      const conversation = await this.get(id);
      if (conversation) claimed.push(conversation);
    }
    return claimed;
  }

  async eraseUser(userId: string): Promise<number> {
    const userKey = this.keys.user(userId);
    const ids = await this.options.redis.smembers(userKey);
    let removed = 0;
    for (const id of ids) {
      // Keys of one conversation share a hash tag; each DEL stays on one Cluster node.
      const deleted = await this.options.redis.del(this.keys.conversation(id), this.keys.log(id));
      await this.options.redis.zrem(this.keys.lastUsed, id);
      if (deleted > 0) removed += 1;
    }
    await this.options.redis.del(userKey);
    return removed;
  }

  /** Redis expires idle conversations by itself; a stream held here keeps its conversation alive. */
  async sweep(): Promise<number> {
    for (const conversationId of this.streams.keys()) await this.touch(conversationId);
    return 0;
  }

  describe(): string {
    return `conversations in Redis; ${this.streams.size} streamed by this process`;
  }

  async close(): Promise<void> {
    this.streams.clear();
    await this.options.subscriber.quit().catch(() => this.options.subscriber.disconnect());
  }

  /** When a conversation's client was last seen (the bot's own appends do not count); the set lives as long as its newest conversation. */
  private async markSeen(conversationId: string, at: number): Promise<void> {
    await this.options.redis.multi().zadd(this.keys.lastUsed, at, conversationId).pexpire(this.keys.lastUsed, this.ttlMs).exec();
  }

  /** Which conversations a visitor had, for erasure: lives as long as their newest conversation. */
  private async indexUser(userId: string, conversationId: string): Promise<void> {
    if (!userId) return;
    // Kept out of the conversation's MULTI: erasure, not the conversation, owns this index.
    const key = this.keys.user(userId);
    await this.options.redis.multi().sadd(key, conversationId).pexpire(key, this.ttlMs).exec();
  }

  private onPublished(message: string): void {
    const first = message.indexOf('\n');
    const second = message.indexOf('\n', first + 1);
    if (first < 0 || second < 0) return;
    const conversationId = message.slice(0, first);
    const local = this.streams.get(conversationId);
    if (!local) return;
    const index = Number(message.slice(first + 1, second));
    let activity: Partial<Activity>;
    try {
      activity = { ...(JSON.parse(message.slice(second + 1)) as Partial<Activity>), id: activityId(conversationId, index) };
    } catch (error) {
      this.options.logger.warn({ err: error, conversationId }, 'unreadable Direct Line activity on the fan-out channel');
      return;
    }
    for (const stream of local) this.deliver(conversationId, stream, index, activity);
  }

  private deliver(conversationId: string, stream: LocalStream, index: number, activity: Partial<Activity>): void {
    if (stream.waiting) {
      stream.waiting.push({ index, activity });
      return;
    }
    if (index < stream.next) return;
    if (index === stream.next) {
      stream.next = index + 1;
      stream.listener({ activities: [activity], watermark: String(index + 1) });
      return;
    }
    // A gap (a message missed while the subscriber reconnected): read it back from the log.
    stream.waiting = [{ index, activity }];
    this.since(conversationId, stream.next).then(
      (set) => (set ? this.catchUp(conversationId, stream, set) : undefined),
      (error: unknown) => {
        this.options.logger.warn({ err: error, conversationId }, 'could not read back missed Direct Line activities');
        const waiting = stream.waiting ?? [];
        stream.waiting = null;
        for (const item of waiting) if (item.index >= stream.next) this.deliverNow(stream, item.index, item.activity);
      },
    );
  }

  /** Delivers a read-back batch, then what arrived meanwhile, skipping what was already sent. */
  private catchUp(conversationId: string, stream: LocalStream, set: ActivitySet): void {
    const end = Number(set.watermark);
    const fresh = set.activities.slice(Math.max(0, stream.next - (end - set.activities.length)));
    if (fresh.length > 0) stream.listener({ activities: fresh, watermark: set.watermark });
    stream.next = Math.max(stream.next, end);
    const waiting = stream.waiting ?? [];
    stream.waiting = null;
    for (const item of waiting.sort((a, b) => a.index - b.index)) this.deliver(conversationId, stream, item.index, item.activity);
  }

  private deliverNow(stream: LocalStream, index: number, activity: Partial<Activity>): void {
    stream.next = index + 1;
    stream.listener({ activities: [activity], watermark: String(index + 1) });
  }
}
