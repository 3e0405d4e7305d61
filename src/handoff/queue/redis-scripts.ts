/**
 * Lua scripts that keep a handoff record, its queue membership and its lease consistent in one
 * atomic step. Keys are built inside the scripts from the base prefix (single Redis node).
 */

/** ARGV: base, id, ticket ('' = an affinity offer claimed directly, '*' = any ticket), agent, now, leaseUntil. */
export const CLAIM = `
local base, id, ticket, agent, now, lease = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), ARGV[6]
local rec = base .. ':rec:' .. id
local f = redis.call('HMGET', rec, 'state', 'ticket', 'reservedFor', 'reservedUntil', 'skill', 'language')
if f[1] ~= 'waiting' then return 'stale' end
if ticket ~= '' and ticket ~= '*' and f[2] ~= ticket then return 'stale' end
local reserved = f[3] and f[3] ~= '' and tonumber(f[4]) > now
if ticket == '' and (not reserved or f[3] ~= agent) then return 'stale' end
if reserved and f[3] ~= agent then return 'reserved:' .. f[4] end
redis.call('HSET', rec, 'state', 'assigned', 'agentId', agent, 'assignedAt', now, 'leaseUntil', lease)
redis.call('HDEL', rec, 'reservedFor', 'reservedUntil')
redis.call('ZREM', base .. ':waiting:' .. f[5] .. ':' .. f[6], id)
if f[3] then redis.call('ZREM', base .. ':offers:' .. f[3], id) end
redis.call('SADD', base .. ':held:' .. agent, id)
redis.call('ZADD', base .. ':leases', lease, id)
return 'ok'
`;

/** ARGV: base, id, mode (expire | release | transfer), agent, now, newSkill. Puts a ticket in the outbox. */
export const REQUEUE = `
local base, id, mode, agent, now, newSkill = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), ARGV[6]
local rec = base .. ':rec:' .. id
local f = redis.call('HMGET', rec, 'state', 'agentId', 'leaseUntil', 'skill', 'language', 'priority', 'enqueuedAt', 'ticket')
if not f[1] then redis.call('ZREM', base .. ':leases', id) return 'not-found' end
if f[1] ~= 'assigned' then
  if mode == 'expire' then redis.call('ZREM', base .. ':leases', id) end
  return 'not-assigned'
end
if mode == 'expire' then
  if tonumber(f[3]) > now then return 'alive' end
elseif f[2] ~= agent then
  return 'not-yours'
end
local skill = f[4]
if mode == 'transfer' then skill = newSkill end
local ticket = tonumber(f[8]) + 1
redis.call('HSET', rec, 'state', 'waiting', 'ticket', ticket, 'skill', skill)
redis.call('HDEL', rec, 'agentId', 'assignedAt', 'leaseUntil')
redis.call('SREM', base .. ':held:' .. f[2], id)
redis.call('ZREM', base .. ':leases', id)
redis.call('ZADD', base .. ':waiting:' .. skill .. ':' .. f[5], tonumber(f[6]) * 1e13 + tonumber(f[7]), id)
redis.call('SADD', base .. ':queues', skill .. ':' .. f[5])
redis.call('RPUSH', base .. ':outbox', id .. '|' .. ticket)
return 'ok'
`;

/** ARGV: base, id, toAgent, now, leaseUntil. Moves an assigned handoff to another agent (a supervisor's reassign). */
export const REASSIGN = `
local base, id, agent, now, lease = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local rec = base .. ':rec:' .. id
local f = redis.call('HMGET', rec, 'state', 'agentId')
if not f[1] then return 'not-found' end
if f[1] ~= 'assigned' then return 'not-assigned' end
redis.call('SREM', base .. ':held:' .. f[2], id)
redis.call('HSET', rec, 'agentId', agent, 'assignedAt', now, 'leaseUntil', lease)
redis.call('SADD', base .. ':held:' .. agent, id)
redis.call('ZADD', base .. ':leases', lease, id)
return 'ok'
`;

/** ARGV: base, agent, now, leaseUntil. */
export const HEARTBEAT = `
local base, agent, now, lease = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
redis.call('ZADD', base .. ':presence', now, agent)
local held = base .. ':held:' .. agent
for _, id in ipairs(redis.call('SMEMBERS', held)) do
  local rec = base .. ':rec:' .. id
  local f = redis.call('HMGET', rec, 'state', 'agentId')
  if f[1] == 'assigned' and f[2] == agent then
    redis.call('HSET', rec, 'leaseUntil', lease)
    redis.call('ZADD', base .. ':leases', lease, id)
  else
    redis.call('SREM', held, id)
  end
end
return 'ok'
`;

/** ARGV: base, id, agent, outcome JSON. */
export const RESOLVE = `
local base, id, agent, outcome = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local rec = base .. ':rec:' .. id
local f = redis.call('HMGET', rec, 'state', 'agentId')
if not f[1] then return 'not-found' end
if f[1] ~= 'assigned' then return 'not-assigned' end
if f[2] ~= agent then return 'not-yours' end
redis.call('HSET', rec, 'state', 'resolved', 'outcome', outcome)
redis.call('HDEL', rec, 'leaseUntil')
redis.call('SREM', base .. ':held:' .. agent, id)
redis.call('ZREM', base .. ':leases', id)
return 'ok'
`;

/** ARGV: base, id. Returns the state before. */
export const CANCEL = `
local base, id = ARGV[1], ARGV[2]
local rec = base .. ':rec:' .. id
local f = redis.call('HMGET', rec, 'state', 'agentId', 'skill', 'language', 'reservedFor')
if not f[1] then return 'not-found' end
if f[1] == 'waiting' then
  redis.call('ZREM', base .. ':waiting:' .. f[3] .. ':' .. f[4], id)
  if f[5] then redis.call('ZREM', base .. ':offers:' .. f[5], id) end
elseif f[1] == 'assigned' then
  redis.call('SREM', base .. ':held:' .. f[2], id)
  redis.call('ZREM', base .. ':leases', id)
else
  return f[1]
end
redis.call('HSET', rec, 'state', 'cancelled')
redis.call('HDEL', rec, 'leaseUntil')
return f[1]
`;
