--[[
  The customer no longer wants an agent: a waiting or assigned handoff is cancelled and leaves
  its queue, offers, held set and lease.

  The caller reads the record's queue, reservation and holder first and passes their keys; the
  script checks they still match (reply 3 otherwise: read again and retry).

  KEYS[1] the record (hash: state, agentId, skill, language, reservedFor, ...)
  KEYS[2] the waiting set of the record's queue
  KEYS[3] the offers of the agent the record is reserved for (any offers key when it is not reserved)
  KEYS[4] the held set of the agent holding it (any held key when nobody does)
  KEYS[5] the leases (sorted set: id by lease end)

  ARGV[1] the handoff id
  ARGV[2] the record's queue as the caller read it, '<skill>:<language>'
  ARGV[3] the agent the record is reserved for as the caller read it ('' when none)
  ARGV[4] the holding agent as the caller read it ('' when none)

  Returns 0 cancelled, 1 not found, 2 already resolved or cancelled (left as it was), 3 the
  queue, reservation or holder changed since the caller read them.
]]
local id = ARGV[1]
local f = redis.call('HMGET', KEYS[1], 'state', 'agentId', 'skill', 'language', 'reservedFor')
if not f[1] then return 1 end
if f[1] == 'waiting' then
  if f[3] .. ':' .. f[4] ~= ARGV[2] or (f[5] or '') ~= ARGV[3] then return 3 end
  redis.call('ZREM', KEYS[2], id)
  if f[5] then redis.call('ZREM', KEYS[3], id) end
elseif f[1] == 'assigned' then
  if f[2] ~= ARGV[4] then return 3 end
  redis.call('SREM', KEYS[4], id)
  redis.call('ZREM', KEYS[5], id)
else
  return 2
end
redis.call('HSET', KEYS[1], 'state', 'cancelled')
redis.call('HDEL', KEYS[1], 'leaseUntil')
return 0
