import type { RedisClient } from '../../src/state/create-redis.js';
import { RedisKeys } from '../../src/state/redis-keys.js';
import type { Logger } from '../../src/logger.js';
import type { AccessTokenCache } from '../wechat-official/access-token-cache.js';
import { getWithToken } from '../wechat-official/wechat-api.js';

/** user/get runs before the turn: a slow API may delay the answer this long, no longer. */
const LOOKUP_TIMEOUT_MS = 3000;
/** Without Redis: at most this many users remembered. */
const MAX_MEMORY_ENTRIES = 10_000;

export interface WecomDepartmentsOptions {
  readonly apiBaseUrl: string;
  readonly tokens: AccessTokenCache;
  /** Shared by every process when set. */
  readonly redis: RedisClient | undefined;
  readonly keyPrefix: string;
  readonly ttlSeconds: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * The department of a WeCom user, from the `user/get` API (the app's own token), remembered for
 * a while: the identity directory maps `wecom-department:<id>` to where that department works, so
 * a plant worker is answered for their plant without being asked. A failed lookup (the user is
 * outside the app's visible range, the API is down) leaves the department unknown; the bot then
 * asks, as for anyone the directory does not know.
 */
export class WecomDepartments {
  private readonly memory = new Map<string, { department: string; expiresAt: number }>();

  constructor(private readonly options: WecomDepartmentsOptions) {}

  /** The user's main department id; undefined when unknown. Never throws: the message is answered either way. */
  async departmentOf(userId: string): Promise<string | undefined> {
    try {
      const cached = await this.cached(userId);
      if (cached !== undefined) return cached;
      const answer = await getWithToken(this.options.apiBaseUrl, '/cgi-bin/user/get', { userid: userId }, this.options.tokens, LOOKUP_TIMEOUT_MS);
      const id = answer.main_department ?? answer.department?.[0];
      if (id === undefined) return undefined;
      await this.remember(userId, String(id));
      return String(id);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'WeCom department lookup failed; the department stays unknown for this message');
      return undefined;
    }
  }

  /** Erasure: the cached department of `userId`; returns how many records went. */
  async erase(userId: string): Promise<number> {
    const inMemory = this.memory.delete(userId) ? 1 : 0;
    const { redis } = this.options;
    return inMemory + (redis ? await redis.del(this.key(userId)) : 0);
  }

  private async cached(userId: string): Promise<string | undefined> {
    const { redis } = this.options;
    if (redis) return (await redis.get(this.key(userId))) ?? undefined;
    const entry = this.memory.get(userId);
    if (entry && entry.expiresAt > this.now()) return entry.department;
    this.memory.delete(userId);
    return undefined;
  }

  private async remember(userId: string, department: string): Promise<void> {
    const { redis, ttlSeconds } = this.options;
    if (redis) {
      await redis.set(this.key(userId), department, 'EX', ttlSeconds);
      return;
    }
    if (this.memory.size >= MAX_MEMORY_ENTRIES) {
      const now = this.now();
      for (const [key, entry] of this.memory) if (entry.expiresAt <= now) this.memory.delete(key);
      if (this.memory.size >= MAX_MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value!);
    }
    this.memory.set(userId, { department, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  private key(userId: string): string {
    return new RedisKeys(this.options.keyPrefix).wecomDepartment(userId);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
