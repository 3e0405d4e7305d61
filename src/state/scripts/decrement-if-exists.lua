--[[
  Gives back one count of a counter that expires with its window; a counter that is gone stays
  gone (a DECR would create it without a TTL).

  KEYS[1] the counter (a string holding an integer, with a TTL)

  Returns the counter after the decrement, or 0 when it did not exist.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('DECR', KEYS[1])
end
return 0
