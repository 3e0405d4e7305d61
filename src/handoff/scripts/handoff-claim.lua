--[[
  An agent claims a waiting handoff: exactly one agent wins. The record moves to 'assigned' and
  leaves its waiting set (and the reservation's offers) for the agent's held set and a lease.

  The caller reads the record's queue and reservation first and passes their keys; the script
  checks they still match (reply 3 otherwise: read again and retry), so every key it touches is
  declared in KEYS and Redis Cluster can route it.

  KEYS[1] the record (hash: state, ticket, skill, language, reservedFor, reservedUntil, ...)
  KEYS[2] the waiting set of the record's queue (sorted set of ids)
  KEYS[3] the offers of the agent the record is reserved for (any offers key when it is not reserved)
  KEYS[4] the claiming agent's held set
  KEYS[5] the leases (sorted set: id by lease end)

  ARGV[1] the handoff id
  ARGV[2] the ticket being claimed: a number, '' for an affinity offer claimed directly, '*' for any ticket
  ARGV[3] the claiming agent's id
  ARGV[4] now, milliseconds since the epoch
  ARGV[5] the lease end, milliseconds since the epoch
  ARGV[6] the record's queue as the caller read it, '<skill>:<language>'
  ARGV[7] the agent the record is reserved for as the caller read it ('' when none)

  Returns { 0 } claimed; { 1 } stale (not waiting, another ticket, or an offer that is not the
  agent's); { 2, reservedUntil } reserved for another agent until then; { 3 } the record's queue
  or reservation changed since the caller read them.
]]
local id, ticket, agent, now, lease = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local f = redis.call('HMGET', KEYS[1], 'state', 'ticket', 'reservedFor', 'reservedUntil', 'skill', 'language')
if f[1] ~= 'waiting' then return { 1 } end
if ticket ~= '' and ticket ~= '*' and f[2] ~= ticket then return { 1 } end
local reserved = f[3] and f[3] ~= '' and tonumber(f[4]) > now
if ticket == '' and (not reserved or f[3] ~= agent) then return { 1 } end
if reserved and f[3] ~= agent then return { 2, tonumber(f[4]) } end
if f[5] .. ':' .. f[6] ~= ARGV[6] or (f[3] or '') ~= ARGV[7] then return { 3 } end
redis.call('HSET', KEYS[1], 'state', 'assigned', 'agentId', agent, 'assignedAt', now, 'leaseUntil', lease)
redis.call('HDEL', KEYS[1], 'reservedFor', 'reservedUntil')
redis.call('ZREM', KEYS[2], id)
if f[3] then redis.call('ZREM', KEYS[3], id) end
redis.call('SADD', KEYS[4], id)
redis.call('ZADD', KEYS[5], lease, id)
return { 0 }
