import type { Middleware, Storage } from 'botbuilder';
import type { RedisClient } from './create-redis.js';
import { RedisKeys } from './redis-keys.js';

export interface UserConversation {
  readonly channelId: string;
  readonly conversationId: string;
}

/**
 * Which conversations a user wrote in, so erasing a user can find state keyed by conversation
 * (a conversation id is not derivable from the user id: a Teams or kiosk conversation has its own).
 * Entries expire with the conversation state they point to.
 */
export interface UserConversationIndex {
  record(userId: string, conversation: UserConversation): Promise<void>;
  list(userId: string): Promise<UserConversation[]>;
  forget(userId: string): Promise<void>;
}

export class MemoryUserConversationIndex implements UserConversationIndex {
  private readonly byUser = new Map<string, Map<string, { conversation: UserConversation; at: number }>>();

  constructor(private readonly options: { ttlMs: number; now?: () => number; maxUsers?: number }) {}

  async record(userId: string, conversation: UserConversation): Promise<void> {
    const entries = this.byUser.get(userId) ?? new Map();
    entries.set(`${conversation.channelId}\n${conversation.conversationId}`, { conversation, at: this.now() });
    // Map order = least recently written first: bounded like the in-memory state it indexes.
    this.byUser.delete(userId);
    this.byUser.set(userId, entries);
    if (this.byUser.size > (this.options.maxUsers ?? 100_000)) this.byUser.delete(this.byUser.keys().next().value as string);
  }

  async list(userId: string): Promise<UserConversation[]> {
    const cutoff = this.now() - this.options.ttlMs;
    return [...(this.byUser.get(userId)?.values() ?? [])].filter((e) => this.options.ttlMs <= 0 || e.at > cutoff).map((e) => e.conversation);
  }

  async forget(userId: string): Promise<void> {
    this.byUser.delete(userId);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

export class RedisUserConversationIndex implements UserConversationIndex {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly ttlSeconds: number,
  ) {}

  async record(userId: string, conversation: UserConversation): Promise<void> {
    const key = this.key(userId);
    const multi = this.redis.multi().sadd(key, JSON.stringify([conversation.channelId, conversation.conversationId]));
    if (this.ttlSeconds > 0) multi.expire(key, this.ttlSeconds);
    await multi.exec();
  }

  async list(userId: string): Promise<UserConversation[]> {
    const members = await this.redis.smembers(this.key(userId));
    return members.map((raw) => {
      const [channelId = '', conversationId = ''] = JSON.parse(raw) as string[];
      return { channelId, conversationId };
    });
  }

  async forget(userId: string): Promise<void> {
    await this.redis.del(this.key(userId));
  }

  private key(userId: string): string {
    return new RedisKeys(this.keyPrefix).userConversations(userId);
  }
}

/** Middleware: remembers the conversation of every message a user sends. */
export function indexUserConversations(index: UserConversationIndex): Middleware {
  return {
    async onTurn(context, next) {
      const { activity } = context;
      if (activity.type === 'message' && activity.from?.id && activity.conversation?.id) {
        await index.record(activity.from.id, { channelId: activity.channelId, conversationId: activity.conversation.id });
      }
      await next();
    },
  };
}

/**
 * botbuilder's state keys: `UserState` stores under `<channel>/users/<user>/`, `ConversationState`
 * under `<channel>/conversations/<conversation>/` (the trailing part is the state's namespace,
 * empty for both).
 */
export const userStateKey = (channelId: string, userId: string) => `${channelId}/users/${userId}/`;
export const conversationStateKey = (channelId: string, conversationId: string) => `${channelId}/conversations/${conversationId}/`;

/**
 * Erasure of a user's botbuilder state: their user state on every channel and the conversation
 * state of every conversation they wrote in (a group conversation's state goes too: it may hold
 * what they said). Resolves with how many items existed and were deleted.
 */
export async function eraseUserState(
  storages: { user: Storage; conversation: Storage },
  userId: string,
  channelIds: readonly string[],
  conversations: readonly UserConversation[],
): Promise<{ userState: number; conversationState: number }> {
  const channels = new Set([...channelIds, ...conversations.map((c) => c.channelId)]);
  const userKeys = [...channels].map((channelId) => userStateKey(channelId, userId));
  const conversationKeys = [...new Set(conversations.map((c) => conversationStateKey(c.channelId, c.conversationId)))];
  const userFound = Object.keys(await storages.user.read(userKeys)).length;
  const conversationFound = conversationKeys.length ? Object.keys(await storages.conversation.read(conversationKeys)).length : 0;
  await storages.user.delete(userKeys);
  if (conversationKeys.length) await storages.conversation.delete(conversationKeys);
  return { userState: userFound, conversationState: conversationFound };
}
