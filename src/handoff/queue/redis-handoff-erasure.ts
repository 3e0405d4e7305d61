import type { RedisClient } from '../../state/create-redis.js';
import type { HandoffKeys } from '../../state/redis-keys.js';
import { customerKeyOf } from '../handoff-keys.js';
import type { HandoffRecord } from '../types.js';
import type { TicketQueues } from './ticket-queues.js';

/**
 * Erasure on Redis: every handoff of a customer (found through their by-user set, as records are
 * keyed by handoff id) leaves its record, messages, delivery notes, queue places, lease and
 * BullMQ tickets; their last-agent affinity goes on `channelIds` and on every channel a handoff
 * of theirs came from.
 */
export async function eraseCustomerHandoffs(
  redis: RedisClient,
  keys: HandoffKeys,
  tickets: TicketQueues,
  customerId: string,
  channelIds: readonly string[],
): Promise<{ handoffs: number; affinity: number; jobs: number }> {
  const byUser = keys.byUser(customerId);
  const channels = new Set(channelIds);
  let handoffs = 0;
  let jobs = 0;
  for (const id of await redis.smembers(byUser)) {
    const rec = keys.record(id);
    const [state, skill, language, agentId, reservedFor, ticket, payload] = await redis.hmget(rec, 'state', 'skill', 'language', 'agentId', 'reservedFor', 'ticket', 'payload');
    if (payload) channels.add((JSON.parse(payload) as HandoffRecord['payload']).channelId);
    const multi = redis.multi().zrem(keys.leases, id);
    if (skill && language) multi.zrem(keys.waiting(keys.queueName(skill, language)), id);
    if (agentId) multi.srem(keys.held(agentId), id);
    if (reservedFor) multi.zrem(keys.offers(reservedFor), id);
    await multi.del(rec, keys.messages(id), keys.delivery(id)).exec();
    if (state) handoffs += 1;
    if (skill && language) jobs += await tickets.removeAll(id, Number(ticket ?? 0), skill, language);
  }
  await redis.del(byUser);
  let affinity = 0;
  for (const channelId of channels) affinity += await redis.del(keys.lastAgent(customerKeyOf(channelId, customerId)));
  return { handoffs, affinity, jobs };
}
