--[[
  The agent who claimed a callback records its outcome.

  KEYS[1] the callback (hash: state, data, agentId, claimedAt, outcome)

  ARGV[1] the agent's id
  ARGV[2] the outcome as JSON

  Returns 0 done, 1 not found, 2 not claimed, 3 claimed by another agent.
]]
local f = redis.call('HMGET', KEYS[1], 'state', 'agentId')
if not f[1] then return 1 end
if f[1] ~= 'claimed' then return 2 end
if f[2] ~= ARGV[1] then return 3 end
redis.call('HSET', KEYS[1], 'state', 'done', 'outcome', ARGV[2])
return 0
