--[[
  A supervisor moves an assigned handoff to another agent, with a fresh lease.

  The caller reads the current holder first and passes their held set; a handoff that changed
  hands in between answers 4 (outdated), and the caller reads again.

  KEYS[1] the record (hash: state, agentId, assignedAt, leaseUntil, ...)
  KEYS[2] the current holder's held set
  KEYS[3] the new agent's held set
  KEYS[4] the leases (sorted set: id by lease end)

  ARGV[1] the handoff id
  ARGV[2] the holder the caller read (the agent KEYS[2] belongs to)
  ARGV[3] the new agent's id
  ARGV[4] now, milliseconds since the epoch
  ARGV[5] the new lease end, milliseconds since the epoch

  Returns 0 reassigned, 1 not found, 2 not assigned, 4 outdated (the holder changed).
]]
local id, holder, agent, now, lease = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local f = redis.call('HMGET', KEYS[1], 'state', 'agentId')
if not f[1] then return 1 end
if f[1] ~= 'assigned' then return 2 end
if f[2] ~= holder then return 4 end
redis.call('SREM', KEYS[2], id)
redis.call('HSET', KEYS[1], 'agentId', agent, 'assignedAt', now, 'leaseUntil', lease)
redis.call('SADD', KEYS[3], id)
redis.call('ZADD', KEYS[4], lease, id)
return 0
