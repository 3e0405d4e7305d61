--[[
  Puts an assigned handoff back in a queue: its lease expired, its agent released it, or its
  agent transferred it to another skill. The record gets a new ticket, written to the outbox in
  the same step (the caller turns outbox entries into BullMQ jobs).

  The caller reads the holding agent and the record's queue first and passes their keys; the
  script checks they still match (reply 5 otherwise: read again and retry).

  KEYS[1] the record (hash: state, agentId, leaseUntil, skill, language, priority, enqueuedAt, ticket)
  KEYS[2] the held set of the agent holding the record
  KEYS[3] the leases (sorted set: id by lease end)
  KEYS[4] the waiting set the record returns to ('<skill>:<language>', with the new skill on a transfer)
  KEYS[5] the set of queue names ('<skill>:<language>')
  KEYS[6] the outbox (list of '<id>|<ticket>')

  ARGV[1] the handoff id
  ARGV[2] mode: 'expire' (only once the lease has ended), 'release' or 'transfer' (only by the holder)
  ARGV[3] the agent asking ('' for expire)
  ARGV[4] now, milliseconds since the epoch
  ARGV[5] the new skill of a transfer ('' otherwise)
  ARGV[6] the holding agent as the caller read it
  ARGV[7] the queue the record returns to as the caller read it, '<skill>:<language>'

  Returns 0 requeued, 1 not found, 2 not assigned, 3 held by another agent, 4 lease still
  running (expire), 5 the holder or queue changed since the caller read them.
]]
local id, mode, agent, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local f = redis.call('HMGET', KEYS[1], 'state', 'agentId', 'leaseUntil', 'skill', 'language', 'priority', 'enqueuedAt', 'ticket')
if not f[1] then
  redis.call('ZREM', KEYS[3], id)
  return 1
end
if f[1] ~= 'assigned' then
  if mode == 'expire' then redis.call('ZREM', KEYS[3], id) end
  return 2
end
if mode == 'expire' then
  if tonumber(f[3]) > now then return 4 end
elseif f[2] ~= agent then
  return 3
end
local skill = f[4]
if mode == 'transfer' then skill = ARGV[5] end
local queue = skill .. ':' .. f[5]
if f[2] ~= ARGV[6] or queue ~= ARGV[7] then return 5 end
local ticket = tonumber(f[8]) + 1
redis.call('HSET', KEYS[1], 'state', 'waiting', 'ticket', ticket, 'skill', skill)
redis.call('HDEL', KEYS[1], 'agentId', 'assignedAt', 'leaseUntil')
redis.call('SREM', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
redis.call('ZADD', KEYS[4], tonumber(f[6]) * 1e13 + tonumber(f[7]), id)
redis.call('SADD', KEYS[5], queue)
redis.call('RPUSH', KEYS[6], id .. '|' .. ticket)
return 0
