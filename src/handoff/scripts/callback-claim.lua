--[[
  An agent takes an open callback; exactly one agent wins.

  KEYS[1] the callback (hash: state, data, agentId, claimedAt, outcome)

  ARGV[1] the agent's id
  ARGV[2] now, milliseconds since the epoch

  Returns 0 claimed, 1 not found, 2 taken (already claimed or done).
]]
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 1 end
if state ~= 'open' then return 2 end
redis.call('HSET', KEYS[1], 'state', 'claimed', 'agentId', ARGV[1], 'claimedAt', ARGV[2])
return 0
