--[[
  Deletes a string key only while it still holds the caller's value, in one step: a lock whose
  lease lapsed and passed to another owner, or a value another process already replaced, is
  left alone.

  KEYS[1] the key (a string)

  ARGV[1] the value the caller wrote

  Returns 1 when deleted, 0 when the key held something else (or nothing).
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
