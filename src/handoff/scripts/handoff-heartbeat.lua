--[[
  An agent is alive: marks their presence and extends the lease of every handoff they still
  hold; ids that are no longer theirs leave their held set.

  The caller reads the held set first and passes each record's key. A handoff claimed after that
  read got its lease at the claim and is extended by the next heartbeat.

  KEYS[1] the presence (sorted set: agent id by last heartbeat)
  KEYS[2] the agent's held set
  KEYS[3] the leases (sorted set: id by lease end)
  KEYS[4..n] the records of the held handoffs, in the order of ARGV[4..n]

  ARGV[1] the agent's id
  ARGV[2] now, milliseconds since the epoch
  ARGV[3] the new lease end, milliseconds since the epoch
  ARGV[4..n] the held handoff ids, matching KEYS[4..n]

  Returns the number of leases extended.
]]
local agent, now, lease = ARGV[1], ARGV[2], ARGV[3]
redis.call('ZADD', KEYS[1], now, agent)
local extended = 0
for i = 4, #KEYS do
  local id = ARGV[i]
  local f = redis.call('HMGET', KEYS[i], 'state', 'agentId')
  if f[1] == 'assigned' and f[2] == agent then
    redis.call('HSET', KEYS[i], 'leaseUntil', lease)
    redis.call('ZADD', KEYS[3], lease, id)
    extended = extended + 1
  else
    redis.call('SREM', KEYS[2], id)
  end
end
return extended
