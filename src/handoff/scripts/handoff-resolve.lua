--[[
  The agent holding a handoff closes it with an outcome.

  KEYS[1] the record (hash: state, agentId, leaseUntil, outcome, ...)
  KEYS[2] the agent's held set
  KEYS[3] the leases (sorted set: id by lease end)

  ARGV[1] the handoff id
  ARGV[2] the agent's id
  ARGV[3] the outcome as JSON

  Returns 0 resolved, 1 not found, 2 not assigned, 3 held by another agent.
]]
local id, agent = ARGV[1], ARGV[2]
local f = redis.call('HMGET', KEYS[1], 'state', 'agentId')
if not f[1] then return 1 end
if f[1] ~= 'assigned' then return 2 end
if f[2] ~= agent then return 3 end
redis.call('HSET', KEYS[1], 'state', 'resolved', 'outcome', ARGV[3])
redis.call('HDEL', KEYS[1], 'leaseUntil')
redis.call('SREM', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
return 0
