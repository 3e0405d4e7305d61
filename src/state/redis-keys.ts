/**
 * Every Redis key, channel and BullMQ prefix carebot uses, in one place (BullMQ's QueueKeys).
 *
 * All of them start with the deployment's key prefix wrapped in braces, `{carebot}:…`: Redis
 * Cluster hashes only the part between the first `{` and `}`, so every carebot key lands in one
 * slot. That is what lets a script or MULTI touch several keys (a handoff record, its queue and
 * its agent's set) on a cluster; BullMQ asks the same of its queue prefixes.
 */

/** The prefix every key starts with: `name` as a Redis Cluster hash tag (`carebot` → `{carebot}`). */
export function hashTaggedPrefix(name: string): string {
  if (!/^[^{}]+$/.test(name)) throw new Error(`A Redis key prefix needs at least one character and no braces: ${JSON.stringify(name)}`);
  return `{${name}}`;
}

/** A channel id as a BullMQ queue or job name may carry it. */
export function queueSafe(channelId: string): string {
  return channelId.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** The BullMQ queue of a channel's outbound messages (agents' replies, proactive sends); BullMQ puts it under `RedisKeys.bull`. */
export function outboundQueueName(channelId: string): string {
  return `outbound-${queueSafe(channelId)}`;
}

/** The BullMQ queue a chat channel's bot replies go through (adapters/shared/reply-queue.ts). */
export function replyQueueName(channelId: string): string {
  return `reply-${queueSafe(channelId)}`;
}

/** Keys outside the handoff queue and the Direct Line store; `prefix` is already hash-tagged. */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** botbuilder state: `<namespace>:<storage key>` hashes. */
  get conversationState(): string {
    return `${this.prefix}:conversation`;
  }

  get userState(): string {
    return `${this.prefix}:user`;
  }

  turnLock(conversation: string): string {
    return `${this.prefix}:turn-lock:${conversation}`;
  }

  userConversations(userId: string): string {
    return `${this.prefix}:user-conversations:${userId}`;
  }

  /** A delivered message id (`<channel>:<id>`), remembered to drop redeliveries. */
  dedupe(id: string): string {
    return `${this.prefix}:dedupe:${id}`;
  }

  loginFailures(key: string): string {
    return `${this.prefix}:login:${key}`;
  }

  /** BullMQ's own `prefix` option: its keys become `<prefix>:bull:<queue>:…`, in the same slot. */
  get bull(): string {
    return `${this.prefix}:bull`;
  }

  /** Pub/sub channel of agent events (not a key: PUBLISH reaches every node of a cluster). */
  get handoffEvents(): string {
    return `${this.prefix}:handoff:events`;
  }

  handoffThrottle(key: string): string {
    return `${this.prefix}:handoff:throttle:${key}`;
  }

  transcript(conversationKey: string): string {
    return `${this.prefix}:handoff:transcript:${conversationKey}`;
  }

  callback(id: string): string {
    return `${this.prefix}:handoff:callback:${id}`;
  }

  get callbackIndex(): string {
    return `${this.prefix}:handoff:callbacks`;
  }

  callbacksOf(customerId: string): string {
    return `${this.prefix}:handoff:callbacks:user:${customerId}`;
  }

  /** Agents who set themselves away (a set). */
  get agentsAway(): string {
    return `${this.prefix}:agent:away`;
  }

  /** A WeCom user's main department, as the directory looks it up. */
  wecomDepartment(userId: string): string {
    return `${this.prefix}:wecom-department:${userId}`;
  }

  whatsappCloudWindow(waId: string): string {
    return `${this.prefix}:wa-cloud:window:${waId}`;
  }

  /** By the wamid's digest (adapters/shared/message-digest.ts): a wamid holds the recipient's phone number. */
  whatsappCloudSent(wamidDigest: string): string {
    return `${this.prefix}:wa-cloud:sent:${wamidDigest}`;
  }

  /** The access token of a WeChat Official Account or WeCom app, shared by every process. */
  accessToken(channelId: string, accountId: string): string {
    return `${this.prefix}:access-token:${channelId}:${accountId}`;
  }

  /** Held by the one process refreshing that token. */
  accessTokenLock(channelId: string, accountId: string): string {
    return `${this.accessToken(channelId, accountId)}:lock`;
  }
}

/** The handoff queue's keys (records, waiting sets, leases, agents' sets). */
export class HandoffKeys {
  private readonly base: string;

  constructor(prefix: string) {
    this.base = `${prefix}:handoff`;
  }

  record(id: string): string {
    return `${this.base}:rec:${id}`;
  }

  messages(id: string): string {
    return `${this.base}:msgs:${id}`;
  }

  delivery(id: string): string {
    return `${this.base}:delivery:${id}`;
  }

  /** A queue's name in the indexes below (the members of `queues`): `<skill>:<language>`. */
  queueName(skill: string, language: string): string {
    return `${skill}:${language}`;
  }

  /** The skill and language a `queueName` names. */
  skillAndLanguage(queueName: string): { skill: string; language: string } {
    const [skill = '', language = ''] = queueName.split(':');
    return { skill, language };
  }

  /** The BullMQ queue (under `RedisKeys.bull`) of one skill and language, so an agent fetches only work they can take. */
  bullQueue(skill: string, language: string): string {
    return `handoff-${skill}-${language}`;
  }

  /** A ticket's BullMQ job id: the handoff and its ticket number (job ids contain no `:`). */
  ticketJob(id: string, ticket: number | string): string {
    return `${id}-${ticket}`;
  }

  /** The waiting set of one queue (a `queueName`). */
  waiting(queue: string): string {
    return `${this.base}:waiting:${queue}`;
  }

  /** Every `<skill>:<language>` queue that has held a handoff. */
  get queues(): string {
    return `${this.base}:queues`;
  }

  /** Tickets (`<id>|<ticket>`) still to be written as BullMQ jobs. */
  get outbox(): string {
    return `${this.base}:outbox`;
  }

  /** Handoffs reserved for an agent (affinity), scored by when the reservation ends. */
  offers(agentId: string): string {
    return `${this.base}:offers:${agentId}`;
  }

  held(agentId: string): string {
    return `${this.base}:held:${agentId}`;
  }

  get leases(): string {
    return `${this.base}:leases`;
  }

  get presence(): string {
    return `${this.base}:presence`;
  }

  handleTimes(skill: string): string {
    return `${this.base}:handle:${skill}`;
  }

  lastAgent(customerKey: string): string {
    return `${this.base}:last-agent:${customerKey}`;
  }

  /** A customer's handoff ids, for erasure. */
  byUser(customerId: string): string {
    return `${this.base}:by-user:${customerId}`;
  }
}

/** The kiosk channel's Direct Line store. */
export class DirectLineKeys {
  constructor(private readonly prefix: string) {}

  conversation(id: string): string {
    return `${this.prefix}:directline:${id}:conversation`;
  }

  log(id: string): string {
    return `${this.prefix}:directline:${id}:log`;
  }

  /** The conversations a visitor had (for erasure). */
  user(userId: string): string {
    return `${this.prefix}:directline:user:${userId}`;
  }

  /** Sorted set: conversation id → when it was last used (to find clients that left). */
  get lastUsed(): string {
    return `${this.prefix}:directline:last-used`;
  }

  /** Pub/sub channel every process listens on for appended activities. */
  get activities(): string {
    return `${this.prefix}:directline:activities`;
  }
}
