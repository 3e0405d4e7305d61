--[[
  Compare-and-set of one botbuilder storage item, so two processes writing the same
  conversation cannot both win: a write that names an eTag must match the stored one (or the
  item must be gone), exactly like botbuilder's MemoryStorage. Every write slides the idle expiry.

  KEYS[1] the item (hash: etag, doc)

  ARGV[1] the eTag the writer read, or '' / '*' to write unconditionally
  ARGV[2] the document as JSON
  ARGV[3] the new eTag
  ARGV[4] idle lifetime in milliseconds; 0 keeps the item forever

  Returns 1 when written, 0 on an eTag conflict (nothing written).
]]
local current = redis.call('HGET', KEYS[1], 'etag')
if ARGV[1] ~= '' and ARGV[1] ~= '*' and current and current ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'etag', ARGV[3], 'doc', ARGV[2])
if tonumber(ARGV[4]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
else
  redis.call('PERSIST', KEYS[1])
end
return 1
